"""Rules of the session document and of membership (spec ``sessions.md``,
"The session document", "Writes" and "Membership")."""

import testtools

from freezer_core import errors
from freezer_core import sessions
from tests.unit.core import test_jobs


def session_record(**fields):
    """A stored session as the storage hands it back."""
    record = {'session_id': 'S', 'project_id': 'P', 'user_id': 'U',
              'description': None, 'hold_off': 30, 'schedule': {},
              'session_tag': 0}
    record.update(sessions.initial_state())
    record.update(_version=1, created_at='2026-01-01T00:00:00Z',
                  updated_at='2026-01-01T00:00:00Z')
    record.update(fields)
    return record


class TestCreate(testtools.TestCase):

    def test_defaults(self):
        write = sessions.validate_create({})
        self.assertEqual({'description': None, 'hold_off': 30,
                          'schedule': {}, 'session_tag': 0,
                          'status': 'active', 'result': None,
                          'time_start': -1, 'time_end': -1,
                          'time_started': -1, 'time_ended': -1, 'jobs': {}},
                         write.document)
        self.assertIsNone(write.member_tag)

    def test_values_are_kept(self):
        write = sessions.validate_create({
            'description': 'd', 'hold_off': 0, 'session_tag': 3,
            'schedule': {'schedule_interval': '1 days', 'event': 'stop',
                         'time_created': 1234, 'status': None}})
        self.assertEqual(('d', 0, 3), (write.document['description'],
                                       write.document['hold_off'],
                                       write.document['session_tag']))
        self.assertEqual({'schedule_interval': '1 days', 'event': 'stop',
                          'time_created': 1234},
                         write.document['schedule'])

    def test_ignored_fields(self):
        write = sessions.validate_create({
            'session_id': 'mine', 'status': 'completed', 'result': 'fail',
            'jobs': [{'j': {}}], 'time_start': 5, 'time_end': 5,
            'time_started': 5, 'time_ended': 5, 'project_id': 'X',
            'user_id': 'Y', '_version': 3, 'created_at': 'c',
            'updated_at': 'u', 'interval_unit': 'days',
            'interval_value': '1', 'last_start': 'then'})
        self.assertEqual(sessions.validate_create({}).document,
                         write.document)

    def test_value_rules(self):
        for fields, path, rule in (
                ({'hold_off': 'x'}, 'hold_off', 'type'),
                ({'hold_off': -1}, 'hold_off', 'minimum'),
                ({'hold_off': None}, 'hold_off', 'type'),
                ({'session_tag': -1}, 'session_tag', 'minimum'),
                ({'description': 'x' * 256}, 'description', 'maxLength'),
                ({'schedule': 'daily'}, 'schedule', 'type'),
                ({'schedule': {'schedule_interval': '0 days'}},
                 'schedule.schedule_interval', 'pattern'),
                ({'schedule': {'event': 'remove'}}, 'schedule.event',
                 'enum'),
                ({'schedule': {'schedule_date': '2026-02-30'}},
                 'schedule.schedule_date', 'format'),
                ({'description': '\x00'}, 'description', 'no-nul')):
            exc = self.assertRaises(errors.ValidationError,
                                    sessions.validate_create, fields)
            self.assertEqual((path, rule), (exc.path, exc.rule), fields)

    def test_abort_rule_is_job_only(self):
        write = sessions.validate_create({'schedule': {'event': 'abort'}})
        self.assertEqual({'event': 'abort'}, write.document['schedule'])

    def test_unknown_key_and_non_object(self):
        exc = self.assertRaises(errors.ValidationError,
                                sessions.validate_create, {'foo': 'bar'})
        self.assertIn("'foo'", exc.description)
        exc = self.assertRaises(errors.ValidationError,
                                sessions.validate_create, [])
        self.assertEqual('type', exc.rule)

    def test_new_session_id(self):
        self.assertRegex(sessions.new_session_id(), '^[0-9a-f]{32}$')


class TestReplaceAndPatch(testtools.TestCase):

    def test_replace_sets_defaults_and_keeps_the_tag(self):
        record = session_record(description='d', hold_off=5, session_tag=4,
                                schedule={'schedule_day': 'mon'})
        write = sessions.validate_replace({}, record)
        self.assertEqual({'description': None, 'hold_off': 30,
                          'schedule': {}, 'session_tag': 4}, write.document)
        self.assertIsNone(write.member_tag)
        write = sessions.validate_replace({'session_tag': 7}, record)
        self.assertEqual(7, write.member_tag)

    def test_replace_that_creates(self):
        write = sessions.validate_replace({'hold_off': 3}, None)
        self.assertEqual(('active', {}, 3), (write.document['status'],
                                             write.document['jobs'],
                                             write.document['hold_off']))

    def test_patch_merges(self):
        record = session_record(description='d', hold_off=5, schedule={
            'schedule_date': '2026-01-01', 'schedule_hour': '3',
            'status': 'stop', 'event': 'stop'})
        write = sessions.merge_patch(record, {'hold_off': 9, 'schedule': {
            'schedule_interval': '1 days', 'event': None}})
        self.assertEqual({'description': 'd', 'hold_off': 9,
                          'session_tag': 0,
                          'schedule': {'schedule_interval': '1 days',
                                       'status': 'stop'}}, write.document)
        self.assertIsNone(write.member_tag)

    def test_patch_null_schedule_and_tag(self):
        record = session_record(schedule={'schedule_day': 'mon'})
        write = sessions.merge_patch(record, {'schedule': None,
                                              'session_tag': 0})
        self.assertEqual({'schedule_day': 'mon'}, write.document['schedule'])
        self.assertEqual(0, write.member_tag)

    def test_patch_refuses_unknown_and_bad_values(self):
        for patch in ({'foo': 'bar'}, {'hold_off': 'x'}):
            self.assertRaises(errors.ValidationError, sessions.merge_patch,
                              session_record(), patch)


class TestMembership(testtools.TestCase):

    def test_snapshot(self):
        job = test_jobs.job_record(job_schedule={'status': 'scheduled',
                                                 'time_started': 4})
        self.assertEqual({'client_id': test_jobs.CLIENT,
                          'status': 'scheduled', 'result': '',
                          'time_started': 4, 'time_ended': -1},
                         sessions.member_snapshot(job))

    def test_joined_job(self):
        job = test_jobs.job_record(job_schedule={
            'schedule_date': '2026-01-01', 'status': 'scheduled',
            'event': 'start', 'time_created': 100, 'current_pid': 8})
        session = session_record(session_tag=5, schedule={
            'schedule_interval': '1 days', 'status': 'completed'})
        self.assertEqual({'session_id': 'S', 'session_tag': 5,
                          'job_schedule': {'schedule_interval': '1 days',
                                           'status': 'scheduled',
                                           'event': 'start',
                                           'time_created': 100,
                                           'current_pid': 8}},
                         sessions.joined_job(job, session))

    def test_removed_and_detached_job(self):
        job = test_jobs.job_record(job_schedule={
            'schedule_interval': '1 days', 'event': 'start'},
            session_id='S', session_tag=3)
        self.assertEqual({'session_id': '', 'session_tag': 0,
                          'job_schedule': {'schedule_interval': '1 days',
                                           'event': 'stop'}},
                         sessions.removed_job(job))
        self.assertEqual({'session_id': '', 'session_tag': 0},
                         sessions.detached_job())

    def test_with_member_is_idempotent(self):
        session = session_record()
        job = test_jobs.job_record()
        jobs_map = sessions.with_member(session, job)
        self.assertEqual(['j1'], list(jobs_map))
        self.assertEqual({}, session['jobs'])
        again = sessions.with_member(dict(session, jobs=jobs_map), job)
        self.assertEqual(jobs_map, again)

    def test_not_member(self):
        exc = sessions.not_member('S', 'J')
        self.assertIsInstance(exc, errors.NotFound)


class TestViews(testtools.TestCase):

    def test_view_always_has_a_jobs_object(self):
        shown = sessions.view(session_record(jobs=None))
        self.assertEqual({}, shown['jobs'])
        self.assertEqual(list(sessions.RECORD_KEYS), list(shown))

    def test_search_view_and_client_document(self):
        record = session_record(jobs={'j1': {'status': 'running'}})
        seen = sessions.search_view(record)
        self.assertNotIn('_version', seen)
        self.assertEqual({'j1': {'status': 'running'}}, seen['jobs'])
        document = sessions.client_document(record)
        self.assertEqual({'description': None, 'hold_off': 30,
                          'schedule': {}, 'session_tag': 0}, document)
        self.assertEqual(document, sessions.merge_patch(
            record, sessions.view(record)).document)
