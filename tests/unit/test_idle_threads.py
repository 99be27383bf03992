"""freezer_daemon.idle_threads: connections in arrival order, handed to
the thread that went idle last (issue 18)."""

import threading
import time

from cheroot.workers import threadpool
import testtools

from freezer_daemon import idle_threads

#: Seconds a test waits for another thread to reach a point (a bound; the
#: waits end as soon as it is reached).
WAIT = 10


class TestLastIdleFirst(testtools.TestCase):

    def _sleepers(self, queue, names):
        """Start one consumer per name, each asleep before the next starts.

        :returns: dict name -> list the consumer appends its item to.
        """
        got = {name: [] for name in names}
        for count, name in enumerate(names, 1):
            thread = threading.Thread(
                target=lambda n=name: got[n].append(queue.get()),
                daemon=True)
            thread.start()
            self.addCleanup(thread.join, WAIT)
            deadline = time.monotonic() + WAIT
            while queue.sleeping() < count:
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.001)
        return got

    def test_the_thread_idle_last_is_woken_first(self):
        queue = idle_threads.LastIdleFirst()
        got = self._sleepers(queue, ['first', 'second', 'third'])
        queue.put('a')
        queue.put('b')
        deadline = time.monotonic() + WAIT
        while not (got['third'] and got['second']):
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.001)
        self.assertEqual({'first': [], 'second': ['b'], 'third': ['a']}, got)
        self.assertEqual(1, queue.sleeping())
        queue.put('c')

    def test_items_wait_in_arrival_order_when_no_thread_is_idle(self):
        queue = idle_threads.LastIdleFirst()
        for item in ('a', 'b', 'c'):
            queue.put(item, block=True, timeout=10)
        self.assertEqual(3, queue.qsize())
        self.assertEqual(['a', 'b', 'c'], [queue.get() for _ in range(3)])
        self.assertEqual(0, queue.qsize())

    def test_only_waiting_without_timeout_is_offered(self):
        queue = idle_threads.LastIdleFirst()
        self.assertRaises(ValueError, queue.get, block=False)
        self.assertRaises(ValueError, queue.get, timeout=1)


class TestServeMostRecentFirst(testtools.TestCase):

    def test_a_cheroot_pool_takes_its_requests_from_the_queue(self):
        pool = threadpool.ThreadPool(server=None, min=2, max=2)
        queue = idle_threads.serve_most_recent_first(pool)
        self.assertIs(queue, pool._queue)
        pool.put('conn')
        self.assertEqual('conn', pool.get())

    def test_a_started_pool_is_refused(self):
        pool = threadpool.ThreadPool(server=None, min=1, max=1)
        pool._threads.append(object())
        self.assertRaises(RuntimeError,
                          idle_threads.serve_most_recent_first, pool)
