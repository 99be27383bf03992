"""Value rules and merges of a schedule (spec ``jobs.md``, "job_schedule"
and "Writes"; ``sessions.md``, "Writes" and "Membership")."""

import testtools

from freezer_core import documents
from freezer_core import errors
from freezer_core import schedule
from freezer_core.schemas import schedule as schedule_schema


def _faults(value):
    """Paths and rules of the faults of a schedule (prefix 'schedule.')."""
    found = documents.errors(schedule_schema.SCHEDULE_SCHEMA, value,
                             'schedule.')
    return [(e.path, e.rule) for e in found]


class TestValueRules(testtools.TestCase):

    def assertValid(self, key, value):
        self.assertEqual([], _faults({key: value}), '%s=%r' % (key, value))

    def assertInvalid(self, key, value, rule):
        self.assertEqual([('schedule.' + key, rule)], _faults({key: value}),
                         '%s=%r' % (key, value))

    def test_every_key_accepts_null(self):
        for key in schedule_schema.SCHEDULE_SCHEMA['properties']:
            self.assertValid(key, None)

    def test_times(self):
        for key in ('time_created', 'time_started', 'time_ended'):
            for value in (-1, 0, 1764547200):
                self.assertValid(key, value)
            self.assertInvalid(key, -2, 'minimum')
            self.assertInvalid(key, '5', 'type')
            self.assertInvalid(key, 1.5, 'type')

    def test_event_status_result_enums(self):
        for key, values in (('event', schedule_schema.EVENTS),
                            ('status', schedule_schema.STATUSES),
                            ('result', schedule_schema.RESULTS)):
            for value in values:
                self.assertValid(key, value)
            self.assertInvalid(key, 'bogus', 'enum')
        self.assertInvalid('event', 'remove', 'enum')
        self.assertEqual(('', 'start', 'stop', 'abort'),
                         schedule_schema.EVENTS)
        self.assertEqual(('', 'completed', 'stop', 'scheduled', 'running',
                          'aborting', 'removed'), schedule_schema.STATUSES)
        self.assertEqual(('', 'success', 'fail', 'aborted'),
                         schedule_schema.RESULTS)

    def test_current_pid(self):
        self.assertValid('current_pid', 0)
        self.assertValid('current_pid', 4194304)
        self.assertInvalid('current_pid', -1, 'minimum')
        self.assertInvalid('current_pid', '7', 'type')
        self.assertInvalid('current_pid', True, 'type')

    def test_schedule_date_forms_apscheduler_parses(self):
        for value in ('2026-01-01', '2026-01-01T10:20:30',
                      '2026-01-01T10:20:30.5', '2026-01-01T10:20:30.123456',
                      '2026-01-01T10:20:30Z', '2026-01-01T10:20:30+02:00',
                      '2026-01-01T10:20:30.1-05:30'):
            self.assertValid('schedule_date', value)
        for value in ('2026-1-1', '2026-01-01 10:20:30',
                      '2026-01-01T10:20', '2026-01-01T10:20:30.1234567',
                      '2026-01-01T10:20:30+0200', '2026-01-01Z',
                      '2026-01-01\n', 'tomorrow'):
            self.assertInvalid('schedule_date', value, 'pattern')

    def test_schedule_interval(self):
        for value in ('continuous', '1 weeks', '2 days', '3 hours',
                      '5 minutes', '30 seconds', '99999999 weeks'):
            self.assertValid('schedule_interval', value)
        for value in ('5  minutes', '0 days', '-1 days', '5 minute',
                      '5minutes', ' 5 minutes', '5 minutes ',
                      '100000000 weeks', 'Continuous', '1.5 days'):
            self.assertInvalid('schedule_interval', value, 'pattern')

    def test_start_and_end_dates_are_exact(self):
        for key in ('schedule_start_date', 'schedule_end_date'):
            self.assertValid(key, '2026-01-01T00:00:00')
            for value in ('2026-01-01T00:00:00+02:00', '2026-01-01',
                          '2026-01-01T00:00:00Z',
                          '2026-01-01T00:00:00.5'):
                self.assertInvalid(key, value, 'pattern')

    def test_year_and_cron_fields(self):
        self.assertValid('schedule_year', '2026')
        self.assertInvalid('schedule_year', '26', 'pattern')
        self.assertInvalid('schedule_year', 2026, 'type')
        for key in schedule_schema.CRON_KEYS:
            self.assertValid(key, 'mon, wed, fri')
            self.assertValid(key, 'x' * 64)
            self.assertInvalid(key, 'x' * 65, 'maxLength')
            self.assertInvalid(key, 3, 'type')

    def test_unknown_key_is_refused(self):
        self.assertEqual([('schedule', 'additionalProperties')],
                         _faults({'colour': 'blue'}))


class TestCheckDates(testtools.TestCase):

    def test_calendar_days_pass(self):
        schedule.check_dates({'schedule_date': '2024-02-29T23:59:59.5Z',
                              'schedule_start_date': '2026-12-31T00:00:00',
                              'schedule_end_date': None}, 'job_schedule')

    def test_impossible_days_are_refused(self):
        for key, value in (('schedule_date', '2026-02-29'),
                           ('schedule_date', '2026-13-01T00:00:00'),
                           ('schedule_start_date', '2026-01-01T24:00:00'),
                           ('schedule_end_date', '2026-04-31T00:00:00')):
            exc = self.assertRaises(errors.ValidationError,
                                    schedule.check_dates, {key: value},
                                    'job_schedule')
            self.assertEqual('job_schedule.' + key, exc.path)
            self.assertEqual('format', exc.rule)


class TestMerge(testtools.TestCase):

    def test_other_keys_merge_one_by_one(self):
        current = {'status': 'stop', 'event': '', 'time_created': 5,
                   'schedule_interval': '1 days'}
        merged = schedule.merge(current, {'event': 'stop'})
        self.assertEqual({'status': 'stop', 'event': 'stop',
                          'time_created': 5, 'schedule_interval': '1 days'},
                         merged)
        self.assertEqual('', current['event'])

    def test_schedule_keys_are_one_unit(self):
        current = {'schedule_start_date': '2026-01-01T00:00:00',
                   'schedule_interval': '1 days',
                   'schedule_end_date': '2026-02-01T00:00:00',
                   'status': 'scheduled'}
        merged = schedule.merge(current, {
            'schedule_start_date': '2026-01-02T00:00:00',
            'schedule_interval': '2 days'})
        self.assertEqual({'schedule_start_date': '2026-01-02T00:00:00',
                          'schedule_interval': '2 days',
                          'status': 'scheduled'}, merged)

    def test_null_removes(self):
        merged = schedule.merge({'status': 'stop', 'current_pid': 4},
                                {'current_pid': None})
        self.assertEqual({'status': 'stop'}, merged)

    def test_with_schedule_of_replaces_only_schedule_keys(self):
        job = {'schedule_date': '2026-01-01', 'status': 'scheduled',
               'event': 'start', 'time_created': 3}
        session = {'schedule_interval': '1 days', 'status': 'completed',
                   'event': 'stop'}
        self.assertEqual({'schedule_interval': '1 days',
                          'status': 'scheduled', 'event': 'start',
                          'time_created': 3},
                         schedule.with_schedule_of(job, session))

    def test_schedule_part_and_without_nulls(self):
        value = {'schedule_day': 'mon', 'event': None, 'status': 'stop'}
        self.assertEqual({'schedule_day': 'mon'},
                         schedule.schedule_part(value))
        self.assertEqual({'schedule_day': 'mon', 'status': 'stop'},
                         schedule.without_nulls(value))
