"""The run protocol over HTTP (spec ``sessions.md``, "Run protocol"),
the cases R14-R16 of ``cases/resources.md``, and its atomicity under
parallel calls on every engine.

The rows of the table that need time to pass (a start after the
hold-off of a previous run) are in the storage tests, which run the
repository with a fake clock
(``tests/functional/storage/test_session_repository.py``).
"""

import threading

from tests.functional.api import session_helpers


class TestStartAndEnd(session_helpers.SessionsTestCase):

    def setUp(self):
        super().setUp()
        self.session_id, self.job_ids = self.session_with_jobs(
            2, document={'hold_off': 30, 'session_tag': 1})
        self.j1, self.j2 = self.job_ids

    def test_a_run_from_start_to_completion(self):
        before = self.show(self.session_id)
        self.assertEqual(('success', 2), self.start(self.session_id,
                                                    self.j1, 1))
        session = self.show(self.session_id)
        self.assertEqual(('running', '', 2, before['_version'] + 1),
                         (session['status'], session['result'],
                          session['session_tag'], session['_version']))
        self.assertNotEqual(-1, session['time_start'])
        self.assertEqual(('running', ''), (
            session['jobs'][self.j1]['status'],
            session['jobs'][self.j1]['result']))
        # The second member, one tag behind, joins within the hold-off.
        self.assertEqual(('success', 2), self.start(self.session_id,
                                                    self.j2, 1))
        self.assertEqual(('success', 2), self.end(self.session_id, self.j1,
                                                  'success'))
        self.assertEqual('running', self.show(self.session_id)['status'])
        self.assertEqual(('success', 2), self.end(self.session_id, self.j2,
                                                  'aborted'))
        session = self.show(self.session_id)
        self.assertEqual(('completed', 'fail'),
                         (session['status'], session['result']))
        self.assertEqual({self.j1: ('completed', 'success'),
                          self.j2: ('completed', 'aborted')},
                         {j: (m['status'], m['result'])
                          for j, m in session['jobs'].items()})
        self.assertNotEqual(-1, session['time_end'])

    def test_in_step_within_the_hold_off_waits(self):
        self.start(self.session_id, self.j1, 1)
        before = self.show(self.session_id)
        self.assertEqual(('hold-off', 2), self.start(self.session_id,
                                                     self.j2, 2))
        self.assertEqual(before, self.show(self.session_id))

    def test_behind_after_the_hold_off_is_out_of_sync(self):
        # An operator resynchronises to tag 5; a scheduler at 1 is behind
        # and no run has started (time_start -1: long past the hold-off).
        resp = self.request('PATCH', '/v2/A/sessions/' + self.session_id,
                            {'session_tag': 5})
        self.assertEqual(200, resp.status_int, resp.body)
        before = self.show(self.session_id)
        self.assertEqual(('out-of-sync', 5), self.start(self.session_id,
                                                        self.j1, 1))
        self.assertEqual(before, self.show(self.session_id))

    def test_tag_too_high_is_400_and_changes_nothing(self):
        before = self.show(self.session_id)
        resp = self.act(self.session_id, {'start': {'job_id': self.j1,
                                                    'current_tag': 2}})
        self.assertError(400, resp, 'tag too high')
        self.assertEqual(before, self.show(self.session_id))

    def test_r14_a_string_tag_is_read_as_its_number(self):
        """R14: ``"1"`` gets the answer ``1`` gets."""
        self.assertEqual(('success', 2), self.start(self.session_id,
                                                    self.j1, '1'))
        self.assertEqual(('hold-off', 2), self.start(self.session_id,
                                                     self.j2, '2'))
        self.assertEqual(('hold-off', 2), self.start(self.session_id,
                                                     self.j2, 2))

    def test_r15_bad_parameters_are_400_naming_the_field(self):
        """R15: nothing changes."""
        before = self.show(self.session_id)
        for body, field in (
                ({'start': None}, 'start'),
                ({'start': {'job_id': self.j1}}, 'current_tag'),
                ({'start': {'current_tag': 1}}, 'job_id'),
                ({'start': {'job_id': self.j1, 'current_tag': 'one'}},
                 'current_tag'),
                ({'end': {'job_id': self.j1, 'result': 'bogus'}}, 'result'),
                ({'end': {'job_id': self.j1}}, 'result'),
                ({'foo': {}}, 'foo'),
                ({'start': {'job_id': self.j1, 'current_tag': 1},
                  'end': {'job_id': self.j1, 'result': 'fail'}}, ''),
                ({}, '')):
            resp = self.act(self.session_id, body)
            self.assertError(400, resp, field)
        for raw in ('[1]', 'null', '"start"'):
            self.assertError(400, self.act(self.session_id, raw))
        self.assertError(753, self.act(self.session_id, '{"start":'))
        self.assertEqual(before, self.show(self.session_id))

    def test_r16_non_member_is_422_and_missing_session_404(self):
        """R16: a non-member with the session's tag is 422, not
        ``hold-off``; a missing session is 404."""
        outsider = self.create_job()
        self.start(self.session_id, self.j1, 1)
        before = self.show(self.session_id)
        resp = self.act(self.session_id, {'start': {'job_id': outsider,
                                                    'current_tag': 2}})
        self.assertError(422, resp, outsider)
        resp = self.act(self.session_id, {'end': {'job_id': outsider,
                                                  'result': 'success'}})
        self.assertError(422, resp, outsider)
        self.assertEqual(before, self.show(self.session_id))
        resp = self.act('nope', {'start': {'job_id': self.j1,
                                           'current_tag': 1}})
        self.assertError(404, resp, 'Session nope')
        # A bad body is a 400 even for a missing session (precedence).
        self.assertError(400, self.act('nope', {'start': None}))

    def test_if_match_and_versions(self):
        version = self.show(self.session_id)['_version']
        body = {'start': {'job_id': self.j1, 'current_tag': 1}}
        resp = self.act(self.session_id, body,
                        headers={'If-Match': '"%d"' % (version + 1)})
        self.assertError(412, resp)
        resp = self.act(self.session_id, body,
                        headers={'If-Match': '"%d"' % version})
        self.assertEqual(202, resp.status_int, resp.body)
        self.assertEqual({'result': 'success', 'session_tag': 2}, resp.json)
        # A hold-off answer writes nothing: no version bump.
        self.start(self.session_id, self.j2, 2)
        self.assertEqual(version + 1, self.show(self.session_id)['_version'])

    def test_end_of_a_completed_session_keeps_it_completed(self):
        self.start(self.session_id, self.j1, 1)
        self.start(self.session_id, self.j2, 1)
        self.end(self.session_id, self.j1, 'success')
        self.end(self.session_id, self.j2, 'success')
        finished = self.show(self.session_id)
        self.assertEqual(('success', 2), self.end(self.session_id, self.j2,
                                                  'fail'))
        session = self.show(self.session_id)
        self.assertEqual(('completed', 'success', finished['time_end']),
                         (session['status'], session['result'],
                          session['time_end']))
        self.assertEqual('fail', session['jobs'][self.j2]['result'])


class TestParallelCalls(session_helpers.SessionsTestCase):
    """Parallel protocol calls through the whole stack are serialised per
    session: no result is lost, exactly one new run starts."""

    def parallel(self, calls):
        """Run ``calls`` (callables returning a response) in threads,
        released together; returns their responses in order."""
        barrier = threading.Barrier(len(calls))
        responses = [None] * len(calls)

        def work(index, call):
            barrier.wait()
            responses[index] = call()

        threads = [threading.Thread(target=work, args=(i, call))
                   for i, call in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return responses

    def _call(self, session_id, body):
        return lambda: self.act(session_id, body)

    def _ends_complete_the_session(self, count):
        session_id, job_ids = self.session_with_jobs(count)
        for job_id in job_ids:
            self.start(session_id, job_id, 0)
        results = ['success'] * count
        results[-1] = 'fail'
        responses = self.parallel([
            self._call(session_id, {'end': {'job_id': j, 'result': r}})
            for j, r in zip(job_ids, results)])
        self.assertEqual([(202, {'result': 'success', 'session_tag': 1})]
                         * count,
                         [(r.status_int, r.json) for r in responses])
        session = self.show(session_id)
        self.assertEqual(('completed', 'fail'),
                         (session['status'], session['result']))
        self.assertEqual({j: ('completed', r)
                          for j, r in zip(job_ids, results)},
                         {j: (m['status'], m['result'])
                          for j, m in session['jobs'].items()})
        # One version per write: the create, the adds, the starts, the
        # ends; none lost, none merged.
        self.assertEqual(1 + 3 * count, session['_version'])

    def test_four_parallel_ends_complete_the_session(self):
        self._ends_complete_the_session(4)

    def test_eight_parallel_ends_complete_the_session(self):
        self._ends_complete_the_session(8)

    def test_parallel_starts_open_exactly_one_run(self):
        session_id, job_ids = self.session_with_jobs(
            6, document={'session_tag': 3})
        version = self.show(session_id)['_version']
        responses = self.parallel([
            self._call(session_id, {'start': {'job_id': j,
                                              'current_tag': 3}})
            for j in job_ids])
        # One opens the run (tag 4); the others, now one tag behind
        # within the hold-off, join it.
        self.assertEqual([(202, {'result': 'success', 'session_tag': 4})]
                         * 6, [(r.status_int, r.json) for r in responses])
        session = self.show(session_id)
        self.assertEqual((4, 'running', version + 6),
                         (session['session_tag'], session['status'],
                          session['_version']))
        # A second run's reset would have wiped a member's "running".
        self.assertEqual(['running'] * 6,
                         [m['status'] for m in session['jobs'].values()])
        # In step within the hold-off: every one waits, nothing written.
        responses = self.parallel([
            self._call(session_id, {'start': {'job_id': j,
                                              'current_tag': 4}})
            for j in job_ids])
        self.assertEqual([(202, {'result': 'hold-off', 'session_tag': 4})]
                         * 6, [(r.status_int, r.json) for r in responses])
        self.assertEqual(session, self.show(session_id))
