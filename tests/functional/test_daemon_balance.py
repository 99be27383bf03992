"""Least-connections accept between the daemon's workers (issue 18).

Two :class:`freezer_daemon.service.WSGIService` instances on one listening
socket stand for two forked workers, as in ``test_daemon_service``; the
slots they count in are the ones forked workers share.
"""

import http.client
import os
import time

import fixtures
import testtools

from freezer_daemon import balance
from freezer_daemon import service
from tests.functional import test_daemon_service

#: Seconds a test waits for the servers to reach a state (a bound).
WAIT = 10


class TestWorkerLoads(testtools.TestCase):

    def test_each_worker_claims_its_own_slot(self):
        loads = balance.WorkerLoads(2)
        first, second = loads.claim(), loads.claim()
        self.assertEqual((0, 1), (first.slot, second.slot))
        # Every slot is held by a live process.
        self.assertIsNone(loads.claim())
        first.release()
        self.assertEqual(0, loads.claim().slot)

    def test_a_dead_workers_slot_is_claimed_again(self):
        loads = balance.WorkerLoads(1)
        child = os.fork()
        if child == 0:
            slot = loads.claim()
            slot.opened()
            os._exit(0 if slot is not None else 1)
        _pid, status = os.waitpid(child, 0)
        self.assertEqual(0, status)
        self.assertEqual([(child, 1)], loads.snapshot())
        mine = loads.claim()
        self.assertEqual(0, mine.slot)
        self.assertEqual([(os.getpid(), 0)], loads.snapshot())

    def test_a_worker_is_busier_only_with_more_connections(self):
        loads = balance.WorkerLoads(3)
        first, second = loads.claim(), loads.claim()
        self.assertFalse(first.busier_than_a_peer())
        first.opened()
        self.assertTrue(first.busier_than_a_peer())
        self.assertFalse(second.busier_than_a_peer())
        second.opened()
        self.assertFalse(first.busier_than_a_peer())
        first.opened()
        second.release()
        # A released slot is nobody's load.
        self.assertFalse(first.busier_than_a_peer())
        first.closed()
        self.assertEqual([(os.getpid(), 1)], loads.snapshot())


class TestBalancedAccept(testtools.TestCase):

    def setUp(self):
        super().setUp()
        # Long enough that the less loaded server always takes a
        # connection first, even on a loaded machine.
        self.useFixture(fixtures.MockPatchObject(balance, 'DEFER_LIMIT', 5))
        self.listener = service.bind_listener('127.0.0.1', 0)
        self.addCleanup(self.listener.close)
        self.port = self.listener.getsockname()[1]
        self.loads = balance.WorkerLoads(2)

    def _worker(self):
        worker = service.WSGIService(
            None, self.listener, test_daemon_service._hello_app, threads=2,
            loads=self.loads)
        worker.start()
        self.addCleanup(worker.wait)
        self.addCleanup(worker.stop)
        return worker

    def _connect(self):
        connection = http.client.HTTPConnection('127.0.0.1', self.port,
                                                timeout=WAIT)
        self.addCleanup(connection.close)
        connection.request('GET', '/hello')
        response = connection.getresponse()
        self.assertEqual(b'/hello', response.read())
        return connection

    def _counts(self):
        return sorted(count for _pid, count in self.loads.snapshot())

    def test_new_connections_go_to_the_less_loaded_worker(self):
        self._worker()
        connections = [self._connect() for _ in range(6)]
        # A worker started later (a restarted one) gets every new
        # connection until it has as many.
        self._worker()
        connections += [self._connect() for _ in range(6)]
        self.assertEqual([6, 6], self._counts())
        # Closed connections are uncounted.
        for connection in connections[:5]:
            connection.close()
        deadline = time.monotonic() + WAIT
        while self._counts() != [1, 6]:
            self.assertLess(time.monotonic(), deadline, self._counts())
            time.sleep(0.01)
        # The next ones go to the worker that lost connections.
        for _ in range(5):
            self._connect()
        self.assertEqual([6, 6], self._counts())

    def test_a_peer_that_does_not_accept_delays_a_connection_only(self):
        self.useFixture(fixtures.MockPatchObject(balance, 'DEFER_LIMIT',
                                                 0.05))
        self._worker()
        # A slot held by a live process with no connections that never
        # accepts (a wedged worker).
        self.loads.claim()
        for _ in range(3):
            self._connect()
        self.assertEqual([0, 3], self._counts())

    def test_without_loads_a_worker_accepts_as_cheroot_does(self):
        worker = service.WSGIService(
            None, self.listener, test_daemon_service._hello_app, threads=2)
        worker.start()
        self.addCleanup(worker.wait)
        self.addCleanup(worker.stop)
        self._connect()
        self.assertEqual([], self.loads.snapshot())

    def test_a_stopped_worker_gives_its_slot_back(self):
        first = self._worker()
        self._worker()
        self._connect()
        first.stop()
        first.wait()
        self.assertEqual(1, len(self.loads.snapshot()))
