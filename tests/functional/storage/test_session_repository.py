"""The session repository on every engine: the run protocol's rows that
need time to pass (a fake clock), its atomicity under parallel calls
from several threads and database objects, and ``forget_job`` (spec
``sessions.md``, "Run protocol"; ``jobs.md``, "Writes", DELETE)."""

import threading

from freezer_core import errors
from freezer_core import sessions
from freezer_core.storage import database
from freezer_core.storage import sessions as session_storage
from tests.functional.storage import base

START = 1_800_000_000


class Clock(object):
    """A clock the test moves: ``clock()`` is the epoch second now."""

    def __init__(self, now=START):
        self.now = now

    def __call__(self):
        return self.now


def member():
    return {'client_id': 'node1.example.org', 'status': '', 'result': '',
            'time_started': -1, 'time_ended': -1}


def start(job_id, tag):
    return {'start': {'job_id': job_id, 'current_tag': tag}}


def end(job_id, result):
    return {'end': {'job_id': job_id, 'result': result}}


class SessionTestCase(base.RepositoryTestCase):

    def setUp(self):
        super().setUp()
        self.clock = Clock()
        self.sessions = session_storage.SessionRepository(
            database.Database(self.url), clock=self.clock)

    def session(self, job_ids, hold_off=30, session_tag=0):
        """A stored session whose ``jobs`` map lists ``job_ids``."""
        write = sessions.validate_create({'hold_off': hold_off,
                                          'session_tag': session_tag})
        document = dict(write.document,
                        jobs={job_id: member() for job_id in job_ids})
        return self.sessions.create('A', 'u', document)['session_id']


class TestHoldOff(SessionTestCase):

    def test_in_step_after_the_hold_off_opens_a_new_run(self):
        session_id = self.session(['J', 'K'], hold_off=10)
        self.assertEqual(('success', 1), self.sessions.run_action(
            'A', session_id, start('J', 0)))
        self.clock.now += 10
        self.assertEqual(('hold-off', 1), self.sessions.run_action(
            'A', session_id, start('J', 1)))
        self.clock.now += 1
        self.assertEqual(('success', 2), self.sessions.run_action(
            'A', session_id, start('J', 1)))
        record = self.sessions.get('A', session_id)
        self.assertEqual((2, START + 11, 'running'), (
            record['session_tag'], record['time_start'], record['status']))
        self.assertEqual(('running', START + 11),
                         (record['jobs']['J']['status'],
                          record['jobs']['J']['time_started']))
        self.assertEqual(('', ''), (record['jobs']['K']['status'],
                                    record['jobs']['K']['result']))

    def test_behind_after_the_hold_off_is_out_of_sync(self):
        session_id = self.session(['J', 'K'], hold_off=10)
        self.sessions.run_action('A', session_id, start('J', 0))
        self.clock.now += 5
        self.assertEqual(('success', 1), self.sessions.run_action(
            'A', session_id, start('K', 0)))
        version = self.sessions.get('A', session_id)['_version']
        self.clock.now += 6
        self.assertEqual(('out-of-sync', 1), self.sessions.run_action(
            'A', session_id, start('K', 0)))
        self.assertEqual(version,
                         self.sessions.get('A', session_id)['_version'])

    def test_end_times_and_completion(self):
        session_id = self.session(['J', 'K'])
        self.sessions.run_action('A', session_id, start('J', 0))
        self.sessions.run_action('A', session_id, start('K', 0))
        self.clock.now += 100
        self.sessions.run_action('A', session_id, end('J', 'success'))
        self.clock.now += 1
        self.sessions.run_action('A', session_id, end('K', 'success'))
        record = self.sessions.get('A', session_id)
        self.assertEqual(('completed', 'success', START + 101),
                         (record['status'], record['result'],
                          record['time_end']))
        self.assertEqual((START + 100, START + 101),
                         (record['jobs']['J']['time_ended'],
                          record['jobs']['K']['time_ended']))


class TestParallel(SessionTestCase):
    """Each thread has its own Database (as separate workers would):
    only the row lock (or SQLite's writer lock) serialises them."""

    def parallel(self, session_id, bodies):
        barrier = threading.Barrier(len(bodies))
        answers = [None] * len(bodies)

        def work(index, body):
            repository = session_storage.SessionRepository(
                database.Database(self.url), clock=self.clock)
            barrier.wait()
            try:
                answers[index] = repository.run_action('A', session_id,
                                                       body)
            finally:
                repository.database.engine.dispose()

        threads = [threading.Thread(target=work, args=(i, body))
                   for i, body in enumerate(bodies)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return answers

    def test_eight_parallel_ends_lose_no_result(self):
        job_ids = ['J%d' % i for i in range(8)]
        session_id = self.session(job_ids)
        for job_id in job_ids:
            self.sessions.run_action('A', session_id, start(job_id, 0))
        results = ['success'] * 7 + ['aborted']
        answers = self.parallel(session_id, [
            end(job_id, result) for job_id, result in zip(job_ids, results)])
        self.assertEqual([('success', 1)] * 8, answers)
        record = self.sessions.get('A', session_id)
        self.assertEqual(('completed', 'fail'),
                         (record['status'], record['result']))
        self.assertEqual(dict(zip(job_ids, results)),
                         {j: m['result'] for j, m in record['jobs'].items()})

    def test_four_parallel_starts_open_one_run(self):
        session_id = self.session(['J0', 'J1', 'J2', 'J3'])
        answers = self.parallel(session_id, [
            start('J%d' % i, 0) for i in range(4)])
        self.assertEqual([('success', 1)] * 4, answers)
        record = self.sessions.get('A', session_id)
        self.assertEqual((1, 5), (record['session_tag'],
                                  record['_version']))
        self.assertEqual(['running'] * 4,
                         [m['status'] for m in record['jobs'].values()])


class TestForgetJob(SessionTestCase):

    def forget(self, session_id, job_id, project_id='A'):
        with self.sessions.database.writer() as connection:
            return self.sessions.forget_job(connection, project_id,
                                            session_id, job_id)

    def test_the_member_leaves_and_the_run_completes(self):
        session_id = self.session(['J', 'K'])
        for job_id in ('J', 'K'):
            self.sessions.run_action('A', session_id, start(job_id, 0))
        self.sessions.run_action('A', session_id, end('K', 'success'))
        record = self.forget(session_id, 'J')
        self.assertEqual((['K'], 'completed', 'success', 5),
                         (list(record['jobs']), record['status'],
                          record['result'], record['_version']))
        self.assertEqual(record, self.sessions.get('A', session_id))

    def test_nothing_to_forget(self):
        session_id = self.session(['J'])
        self.assertEqual(1, self.forget(session_id, 'other')['_version'])
        self.assertIsNone(self.forget('nope', 'J'))
        self.assertIsNone(self.forget(session_id, 'J', project_id='B'))
        self.assertEqual(['J'], list(self.sessions.get(
            'A', session_id)['jobs']))

    def test_missing_session_for_the_protocol(self):
        self.assertRaises(errors.NotFound, self.sessions.run_action, 'A',
                          'nope', start('J', 0))
