"""The jobs and sessions rows of ``cases/resources.md``, domain part.

One test per row (R01-R21, R32), named after it. Each checks what the
domain layer decides for that row with the row's values; what only the
storage or the API can show (a 404 for a missing item, a trust, one
transaction) is left to their tests, and the docstring says which part
is checked here.
"""

import testtools

from freezer_core import errors
from freezer_core import job_actions
from freezer_core import job_events
from freezer_core import jobs
from freezer_core import session_runs
from freezer_core import sessions
from tests.unit.core import test_jobs
from tests.unit.core import test_sessions

NOW = 1764547200


class TestResourceCases(testtools.TestCase):

    def assertRefused(self, path, func, *args):
        exc = self.assertRaises(errors.ValidationError, func, *args)
        self.assertEqual(path, exc.path, exc.description)
        return exc

    def test_R01_lossy_job_patch(self):
        """Two PATCHes keep the schedule; the first sets ``event``."""
        record = test_jobs.job_record(job_schedule={
            'schedule_interval': '1 days', 'status': 'stop',
            'time_created': 100, 'event': ''})
        first = jobs.merge_patch(record, {'job_schedule': {'event': 'stop'}})
        record = dict(record, **first.document)
        second = jobs.merge_patch(record, {'description': 'x'})
        self.assertEqual({'schedule_interval': '1 days', 'status': 'stop',
                          'time_created': 100, 'event': 'stop'},
                         second.document['job_schedule'])
        self.assertEqual('x', second.document['description'])

    def test_R02_clearing_by_omission(self):
        """Naming schedule_* keys replaces the set; status stays."""
        record = test_jobs.job_record(job_schedule={
            'schedule_start_date': '2026-01-01T00:00:00',
            'schedule_interval': '1 days',
            'schedule_end_date': '2026-06-01T00:00:00',
            'status': 'scheduled', 'event': ''})
        write = jobs.merge_patch(record, {
            'description': 'd',
            'job_schedule': {'schedule_start_date': '2026-02-01T00:00:00',
                             'schedule_interval': '2 days'}})
        self.assertEqual({'schedule_start_date': '2026-02-01T00:00:00',
                          'schedule_interval': '2 days',
                          'status': 'scheduled', 'event': ''},
                         write.document['job_schedule'])

    def test_R03_scheduler_writes_do_not_depend_on_the_client(self):
        """Status update and stale whole-doc PATCH need no client check;
        a new inline action does (the storage answers 422 Client not
        found)."""
        record = test_jobs.job_record(actions=[
            test_jobs.action_record('a1', mode='fs')])
        status = jobs.merge_patch(record, {
            'job_schedule': dict(record['job_schedule'], status='running',
                                 current_pid=7),
            'session_id': '', 'session_tag': 0})
        self.assertFalse(status.check_client)
        self.assertIsNone(status.entries)
        self.assertEqual(('running', 7), (
            status.document['job_schedule']['status'],
            status.document['job_schedule']['current_pid']))
        stale = jobs.view(test_jobs.job_record(actions=[
            test_jobs.action_record('a1', mode='mysql')]))
        legacy = jobs.merge_patch(record, stale)
        self.assertFalse(legacy.check_client)
        self.assertIsNone(legacy.entries)
        inline = jobs.merge_patch(record, {'job_actions': [
            {'action_id': 'a1'}, {'freezer_action': {'action': 'info'}}]})
        self.assertTrue(inline.check_client)
        self.assertIn('Client not found',
                      jobs.missing_client(record['client_id']).description)

    def test_R04_event_value_the_scheduler_cannot_handle(self):
        """``remove`` refused on create, PATCH and the event route."""
        exc = self.assertRefused(
            'job_schedule.event', jobs.validate_create,
            test_jobs.body(job_schedule={'event': 'remove'}), NOW)
        self.assertIn('job_schedule.event', exc.description)
        self.assertRefused('job_schedule.event', jobs.merge_patch,
                           test_jobs.job_record(),
                           {'job_schedule': {'event': 'remove'}})
        exc = self.assertRaises(errors.ValidationError, job_events.apply_event,
                                {'event': ''}, {'remove': None})
        self.assertEqual('enum', exc.rule)

    def test_R05_event_on_a_missing_parent(self):
        """The body is valid: the only refusal left is the storage's 404;
        nothing asks for ``job_actions``."""
        new, result = job_events.apply_event({}, {'start': None})
        self.assertEqual(('start', 'success'), (new['event'], result))

    def test_R06_event_idempotence(self):
        """start, start again, stop."""
        job_schedule = {'status': 'completed', 'result': 'success',
                        'event': ''}
        job_schedule, result = job_events.apply_event(
            job_schedule, {'start': None})
        self.assertEqual('success', result)
        self.assertEqual(('', ''), (job_schedule['status'],
                                    job_schedule['result']))
        again, result = job_events.apply_event(job_schedule, {'start': None})
        self.assertEqual((None, 'start already requested'), (again, result))
        stopped, result = job_events.apply_event(job_schedule, {'stop': None})
        self.assertEqual(('stop', 'success'), (stopped['event'], result))

    def test_R07_lost_per_action_field(self):
        """The inline action keeps mandatory and max_retries."""
        write = jobs.validate_create(test_jobs.body(job_actions=[{
            'freezer_action': {'action': 'backup'}, 'mandatory': True,
            'max_retries': 3}]), NOW)
        document = write.entries[0].document
        self.assertEqual((True, 3), (document['mandatory'],
                                     document['max_retries']))
        shown = jobs.view(test_jobs.job_record(actions=[dict(
            test_jobs.action_record('a1'), mandatory=True, max_retries=3)]))
        self.assertEqual((True, 3), (shown['job_actions'][0]['mandatory'],
                                     shown['job_actions'][0]['max_retries']))

    def test_R08_reference_sent_back_padded(self):
        """A GET action doc padded with nulls is a reference to X."""
        stored = test_jobs.action_record('X', mode='fs', container='c')
        sent = dict(stored, freezer_action=dict(
            stored['freezer_action'], storage=None, engine=None,
            engine_name=None))
        write = jobs.merge_patch(test_jobs.job_record(actions=[]),
                                 {'job_actions': [sent]})
        entry, = write.entries
        self.assertEqual('X', entry.action_id)
        job_actions.check_reference(entry, stored)

    def test_R09_defaults_with_reference_only_entries(self):
        """X untouched; the inline action gets container d."""
        write = jobs.validate_create(test_jobs.body(
            action_defaults={'container': 'd'},
            job_actions=[{'action_id': 'X'},
                         {'freezer_action': {'action': 'backup',
                                             'container': None}}]), NOW)
        reference, inline = write.entries
        self.assertEqual(('X', {}), (reference.action_id,
                                     reference.document))
        self.assertEqual({'action': 'backup', 'container': 'd'},
                         inline.document['freezer_action'])
        self.assertNotIn('action_defaults', write.document)

    def test_R10_cross_project_reference(self):
        """A foreign id and an unknown id get the same 422 text (the
        storage finds neither in the URL project)."""
        foreign, unknown = job_actions.parse([{'action_id': 'B-action'},
                                              {'action_id': 'nope'}])
        texts = {job_actions.missing_action(e).description.split(':', 1)[1]
                 for e in (foreign, unknown)}
        self.assertEqual({' not found'}, texts)

    def test_R11_create_through_the_item_route(self):
        """A replace that creates sets time_created and may get a trust."""
        write = jobs.validate_replace(test_jobs.body(), None, NOW)
        self.assertEqual(NOW, write.document['job_schedule']['time_created'])
        self.assertTrue(write.may_create_trust)

    def test_R12_validation_order(self):
        """Pattern first (400, before any existence check)."""
        for client_id in ('bad%project$id_host.domain.tld',
                          '01b0f00a-4ce2-11e6-beb8-9e71128cae77'
                          '_bad_hostname.bad/domain.b'):
            exc = self.assertRefused('client_id', jobs.validate_create,
                                     test_jobs.body(client_id=client_id),
                                     NOW)
            self.assertEqual('pattern', exc.rule)
        write = jobs.validate_create(
            test_jobs.body(client_id='padawan-ccp-c1-m1-mgmt'), NOW)
        self.assertTrue(write.check_client)

    def test_R13_schedule_the_scheduler_cannot_parse(self):
        """Each value refused, naming its key."""
        for key, value in (('schedule_interval', '5  minutes'),
                           ('schedule_interval', '0 days'),
                           ('schedule_start_date',
                            '2026-01-01T00:00:00+02:00')):
            self.assertRefused('job_schedule.' + key, jobs.validate_create,
                               test_jobs.body(job_schedule={key: value}),
                               NOW)

    def test_R14_client_typed_tag(self):
        """"1" answers as 1."""
        record = test_sessions.session_record(
            session_tag=1, time_start=NOW - 5, status='running',
            jobs={'J': sessions.member_snapshot(test_jobs.job_record())})
        as_str = session_runs.run_action(
            record, {'start': {'job_id': 'J', 'current_tag': '1'}}, NOW)
        as_int = session_runs.run_action(
            record, {'start': {'job_id': 'J', 'current_tag': 1}}, NOW)
        self.assertEqual(as_int, as_str)
        self.assertEqual('hold-off', as_str[2])

    def test_R15_bad_run_protocol_params(self):
        """Each body refused naming its field; the record unchanged."""
        record = test_sessions.session_record(
            jobs={'J': sessions.member_snapshot(test_jobs.job_record())})
        before = sessions.view(record)
        for body, field in (({'start': None}, 'start'),
                            ({'start': {'job_id': 'J'}}, 'current_tag'),
                            ({'end': {'job_id': 'J', 'result': 'bogus'}},
                             'end.result'),
                            ({'foo': {}}, 'foo')):
            exc = self.assertRaises(errors.ValidationError,
                                    session_runs.run_action, record, body,
                                    NOW)
            self.assertIn(field, exc.description)
        self.assertEqual(before, sessions.view(record))

    def test_R16_non_member(self):
        """422 for a non-member whose tag is the session's (the missing
        session's 404 is the storage's)."""
        record = test_sessions.session_record(
            session_tag=2, time_start=NOW - 5, status='running',
            jobs={'J': sessions.member_snapshot(test_jobs.job_record())})
        self.assertRaises(errors.Unprocessable, session_runs.run_action,
                          record, {'start': {'job_id': 'other',
                                             'current_tag': 2}}, NOW)

    def test_R17_joining_a_session_keeps_job_state(self):
        """schedule_* replaced; status, event, time_created kept; tag."""
        job = test_jobs.job_record(job_schedule={
            'schedule_date': '2026-01-01', 'status': 'scheduled',
            'event': 'start', 'time_created': 100})
        session = test_sessions.session_record(
            session_tag=4, schedule={'schedule_interval': '1 days'})
        self.assertEqual({'session_id': 'S', 'session_tag': 4,
                          'job_schedule': {'schedule_interval': '1 days',
                                           'status': 'scheduled',
                                           'event': 'start',
                                           'time_created': 100}},
                         sessions.joined_job(job, session))

    def test_R18_leaving_a_session_keeps_the_schedule(self):
        """event stop, session_id "", schedule_* kept; again -> 404."""
        job = test_jobs.job_record(
            session_id='S', session_tag=4, job_schedule={
                'schedule_interval': '1 days', 'event': 'start'})
        self.assertEqual({'session_id': '', 'session_tag': 0,
                          'job_schedule': {'schedule_interval': '1 days',
                                           'event': 'stop'}},
                         sessions.removed_job(job))
        session = test_sessions.session_record(
            jobs={'j1': sessions.member_snapshot(job)})
        state = session_runs.without_member(session, 'j1', NOW)
        self.assertRaises(errors.NotFound, session_runs.without_member,
                          dict(session, **state), 'j1', NOW)

    def test_R19_membership_on_a_missing_side(self):
        """The domain's part: a job that is not a member is NotFound (the
        storage answers 404 for a missing job or session)."""
        session = test_sessions.session_record()
        self.assertRaises(errors.NotFound, session_runs.without_member,
                          session, 'nojob', NOW)
        self.assertIsInstance(sessions.not_member('S', 'nojob'),
                              errors.NotFound)

    def test_R20_real_client_bodies(self):
        """The tempest doc and the web UI create are accepted."""
        tempest = {
            'session_id': 'test-session', 'session_tag': 1,
            'description': 'a test session', 'hold_off': 5,
            'schedule': {'time_created': 1234, 'time_started': 1234,
                         'time_ended': 0, 'status': 'stop',
                         'schedule_date': '2015-06-02T16:20:00',
                         'schedule_month': '1-6, 9-12',
                         'schedule_day': 'mon, wed, fri',
                         'schedule_hour': '03', 'schedule_minute': '25'},
            'jobs': [{'job_id_1': {'client_id': 'client-id-1',
                                   'status': 'stop'}}],
            'time_start': 1234, 'time_end': 1234, 'time_started': 1234,
            'time_ended': 1234, 'status': 'completed', 'result': 'success',
            'project_id': 'P', 'user_id': 'user-id-1'}
        write = sessions.validate_create(tempest)
        self.assertEqual(('active', {}, None), (write.document['status'],
                                                write.document['jobs'],
                                                write.document['result']))
        self.assertNotIn('session_id', write.document)
        web_ui = {'description': 'nightly', 'interval_unit': 'days',
                  'interval_value': '1', 'jobs': {},
                  'schedule': {'schedule_start_date': '2026-01-01T00:00:00',
                               'schedule_interval': '1 days'}}
        write = sessions.validate_create(web_ui)
        self.assertEqual('nightly', write.document['description'])

    def test_R21_unknown_key_on_session_patch(self):
        """400 naming the key; 400 for a string hold_off."""
        record = test_sessions.session_record()
        exc = self.assertRaises(errors.ValidationError,
                                sessions.merge_patch, record, {'foo': 'bar'})
        self.assertIn("'foo'", exc.description)
        self.assertRefused('hold_off', sessions.merge_patch, record,
                           {'hold_off': 'x'})

    def test_R32_abort_with_nothing_to_abort(self):
        """Event 409, PATCH 400; GET shows event ""."""
        record = test_jobs.job_record(job_schedule={'time_created': 100,
                                                    'status': 'stop'})
        self.assertRaises(errors.Conflict, job_events.apply_event,
                          record['job_schedule'], {'abort': None})
        exc = self.assertRefused('job_schedule.event', jobs.merge_patch,
                                 record,
                                 {'job_schedule': {'event': 'abort'}})
        self.assertEqual('abort-needs-current_pid', exc.rule)
        self.assertEqual('', jobs.view(record)['job_schedule']['event'])
