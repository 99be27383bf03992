"""The session run protocol (spec ``sessions.md``, "Run protocol")."""

import testtools

from freezer_core import errors
from freezer_core import session_runs
from tests.unit.core import test_sessions

NOW = 10000


def member(status='', result='', time_started=-1, time_ended=-1):
    return {'client_id': 'h.example.org', 'status': status,
            'result': result, 'time_started': time_started,
            'time_ended': time_ended}


def running_session(time_start=NOW - 10, session_tag=1, hold_off=30,
                    **members):
    """A session in a run started at ``time_start``."""
    return test_sessions.session_record(
        session_tag=session_tag, hold_off=hold_off, time_start=time_start,
        status='running', result='',
        jobs={job_id: dict(m) for job_id, m in members.items()})


def start(job_id, tag):
    return {'start': {'job_id': job_id, 'current_tag': tag}}


def end(job_id, result, **extra):
    return {'end': dict(extra, job_id=job_id, result=result)}


class TestStart(testtools.TestCase):

    def test_tag_too_high(self):
        record = running_session(J=member())
        exc = self.assertRaises(errors.ValidationError,
                                session_runs.run_action, record,
                                start('J', 2), NOW)
        self.assertEqual(('start.current_tag', 'tag-too-high'),
                         (exc.path, exc.rule))
        self.assertIn('tag too high', exc.description)

    def test_in_hold_off_behind_joins_the_run(self):
        record = running_session(J=member('completed', 'success'),
                                 K=member('running'))
        state, changes, result, tag = session_runs.run_action(
            record, start('J', 0), NOW)
        self.assertEqual(('success', 1), (result, tag))
        self.assertEqual({'J': member('running', '', NOW)}, changes)
        self.assertEqual(member('running', '', NOW), state['jobs']['J'])
        self.assertEqual(member('running'), state['jobs']['K'])
        self.assertEqual((1, NOW - 10, 'running'), (
            state['session_tag'], state['time_start'], state['status']))

    def test_in_hold_off_in_step_waits(self):
        record = running_session(J=member())
        self.assertEqual((None, {}, 'hold-off', 1),
                         session_runs.run_action(record, start('J', 1), NOW))
        # since == hold_off is still in the hold-off.
        record = running_session(time_start=NOW - 30, J=member())
        self.assertEqual('hold-off', session_runs.run_action(
            record, start('J', 1), NOW)[2])

    def test_after_hold_off_in_step_starts_a_new_run(self):
        record = running_session(time_start=NOW - 31,
                                 J=member('completed', 'success', 1, 2),
                                 K=member('completed', 'fail', 1, 2))
        record.update(status='completed', result='fail')
        state, changes, result, tag = session_runs.run_action(
            record, start('J', 1), NOW)
        self.assertEqual(('success', 2), (result, tag))
        self.assertEqual((2, NOW, 'running', ''), (
            state['session_tag'], state['time_start'], state['status'],
            state['result']))
        self.assertEqual(member('running', '', NOW, 2), state['jobs']['J'])
        self.assertEqual(member('', '', 1, 2), state['jobs']['K'])
        self.assertEqual(state['jobs'], changes)

    def test_after_hold_off_behind_is_out_of_sync(self):
        record = running_session(time_start=NOW - 31, session_tag=3,
                                 J=member())
        self.assertEqual((None, {}, 'out-of-sync', 3),
                         session_runs.run_action(record, start('J', 2), NOW))

    def test_first_start_of_a_new_session(self):
        record = test_sessions.session_record(jobs={'J': member()})
        state, _, result, tag = session_runs.run_action(
            record, start('J', 0), NOW)
        self.assertEqual(('success', 1, 'running'),
                         (result, tag, state['status']))

    def test_string_tag_is_the_same_as_an_integer(self):
        for tag in (0, 1, 2):
            record = running_session(J=member())
            as_int = self._answer(record, start('J', tag))
            as_str = self._answer(record, start('J', str(tag)))
            self.assertEqual(as_int, as_str)

    def _answer(self, record, body):
        try:
            return session_runs.run_action(record, body, NOW)
        except errors.FreezerError as exc:
            return type(exc), exc.description


class TestEnd(testtools.TestCase):

    def test_member_completes_session_waits_for_others(self):
        record = running_session(J=member('running'), K=member('running'))
        state, changes, result, tag = session_runs.run_action(
            record, end('J', 'success', current_tag='ignored'), NOW)
        self.assertEqual(('success', 1), (result, tag))
        self.assertEqual({'J': member('completed', 'success', -1, NOW)},
                         changes)
        self.assertEqual(('running', ''), (state['status'], state['result']))

    def test_last_member_completes_the_session(self):
        record = running_session(J=member('completed', 'success'),
                                 K=member('running'))
        state, _, _, _ = session_runs.run_action(
            record, end('K', 'success'), NOW)
        self.assertEqual(('completed', 'success', NOW),
                         (state['status'], state['result'],
                          state['time_end']))
        record = running_session(J=member('completed', 'success'),
                                 K=member('running'))
        state, _, _, _ = session_runs.run_action(
            record, end('K', 'aborted'), NOW)
        self.assertEqual(('completed', 'fail'),
                         (state['status'], state['result']))

    def test_completed_session_is_left_alone(self):
        record = running_session(J=member('completed', 'fail'))
        record.update(status='completed', result='fail', time_end=5)
        state, _, _, _ = session_runs.run_action(
            record, end('J', 'success'), NOW)
        self.assertEqual(('completed', 'fail', 5), (
            state['status'], state['result'], state['time_end']))
        self.assertEqual('success', state['jobs']['J']['result'])


class TestBodies(testtools.TestCase):

    def test_bad_bodies_name_the_field(self):
        record = running_session(J=member())
        for body, path, rule in (
                ({'start': None}, 'start', 'type'),
                ({'start': {'job_id': 'J'}}, 'start', 'required'),
                ({'start': {'current_tag': 1}}, 'start', 'required'),
                ({'start': {'job_id': 'J', 'current_tag': 'one'}},
                 'start.current_tag', 'pattern'),
                ({'start': {'job_id': 'J', 'current_tag': -1}},
                 'start.current_tag', 'minimum'),
                ({'end': {'job_id': 'J'}}, 'end', 'required'),
                ({'end': {'job_id': 'J', 'result': 'bogus'}}, 'end.result',
                 'enum'),
                ({'end': {'result': 'success'}}, 'end', 'required'),
                ({'foo': {}}, 'foo', 'additionalProperties'),
                ({}, None, 'minProperties'),
                ({'start': {'job_id': 'J', 'current_tag': 1},
                  'end': {'job_id': 'J', 'result': 'fail'}}, None,
                 'maxProperties'),
                ([], None, 'type')):
            exc = self.assertRaises(errors.ValidationError,
                                    session_runs.run_action, record, body,
                                    NOW)
            self.assertEqual(rule, exc.rule, body)
            if path is not None:
                self.assertEqual(path, exc.path, body)
        for field in ('job_id', 'current_tag'):
            body = {'start': {'job_id': 'J', 'current_tag': 1}}
            del body['start'][field]
            exc = self.assertRaises(errors.ValidationError,
                                    session_runs.run_action, record, body,
                                    NOW)
            self.assertIn(field, exc.description)

    def test_non_member_is_checked_before_the_tags(self):
        record = running_session(J=member())
        for body in (start('X', 1), start('X', 9), end('X', 'success')):
            self.assertRaises(errors.Unprocessable,
                              session_runs.run_action, record, body, NOW)


class TestLeaving(testtools.TestCase):

    def test_leaving_completes_a_run_waiting_for_it(self):
        record = running_session(J=member('completed', 'success'),
                                 K=member('running'))
        state = session_runs.without_member(record, 'K', NOW)
        self.assertEqual(['J'], list(state['jobs']))
        self.assertEqual(('completed', 'success', NOW),
                         (state['status'], state['result'],
                          state['time_end']))

    def test_last_member_leaving_ends_the_run(self):
        record = running_session(K=member('running'))
        state = session_runs.without_member(record, 'K', NOW)
        self.assertEqual(({}, 'completed'), (state['jobs'],
                                             state['status']))

    def test_active_session_stays_active(self):
        record = test_sessions.session_record(
            jobs={'J': member('completed', 'success'), 'K': member()})
        state = session_runs.without_member(record, 'K', NOW)
        self.assertEqual('active', state['status'])

    def test_non_member(self):
        self.assertRaises(errors.NotFound, session_runs.without_member,
                          running_session(J=member()), 'K', NOW)

    def test_completion_is_pure(self):
        record = running_session(J=member('completed', 'success'))
        state = session_runs.completion(record, NOW)
        self.assertEqual('completed', state['status'])
        self.assertEqual('running', record['status'])


class TestParseAction(testtools.TestCase):
    """The body is checked before the session is read (a bad body is a
    400 even when the session is missing: spec ``actions.md``, "Error
    precedence")."""

    def test_names_the_call_and_its_parameters(self):
        self.assertEqual(('start', {'job_id': 'J', 'current_tag': '3'}),
                         session_runs.parse_action(start('J', '3')))
        self.assertEqual(('end', {'job_id': 'J', 'result': 'fail'}),
                         session_runs.parse_action(end('J', 'fail')))

    def test_bad_bodies_name_the_field(self):
        for body, path in (({'start': None}, 'start'),
                           ({'start': {'job_id': 'J'}}, 'start'),
                           ({'end': {'job_id': 'J', 'result': 'bogus'}},
                            'end.result'),
                           ({'foo': {}}, 'foo')):
            exc = self.assertRaises(errors.ValidationError,
                                    session_runs.parse_action, body)
            self.assertTrue(exc.path.startswith(path), (body, exc.path))
