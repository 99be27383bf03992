"""Hand each request to the request thread that went idle last.

cheroot's thread pool queues ready connections on a :class:`queue.Queue`,
whose waiting threads are woken first-in first-out: a worker of 16
threads serving 4 busy keep-alive connections runs their requests on all
16 threads in turn, each with its own cold stack, SQLite connection and
page cache (the repository keeps one connection per thread). Measured on
the daemon (issue 18, 2 workers, 8 connections, SQLite, shows), that cost
about a fifth of the requests a second against waking the thread that
went idle last, which keeps the same few threads hot and lets the others
sleep.

:class:`LastIdleFirst` is that queue: connections are still served in
the order they arrived; only the choice of the sleeping thread to wake
changes. The wait is a handoff: a thread that goes to sleep leaves a
lock, held, on a stack, and ``put`` gives the connection to the lock on
top and releases it.
"""

import collections
import threading


class LastIdleFirst(object):
    """A FIFO of connections whose idle consumers are woken LIFO.

    Implements the part of :class:`queue.Queue` that cheroot's
    :class:`cheroot.workers.threadpool.ThreadPool` uses: ``put(obj,
    block=True, timeout=None)`` (never blocks: the queue is unbounded),
    ``get()`` (blocks until an item is there) and ``qsize()``.
    """

    def __init__(self):
        self._mutex = threading.Lock()
        self._items = collections.deque()
        self._sleepers = []

    def put(self, item, block=True, timeout=None):
        """Give ``item`` to the thread that went idle last, or queue it.

        :param item: any object (cheroot's connection, or its shutdown
            marker).
        :param block: ignored (never blocks).
        :param timeout: ignored.
        :returns: None
        """
        with self._mutex:
            if self._sleepers:
                wake, handed = self._sleepers.pop()
                handed.append(item)
                wake.release()
                return
            self._items.append(item)

    def get(self, block=True, timeout=None):
        """The oldest queued item, waiting for one when there is none.

        :param block: must be True (cheroot's only use).
        :param timeout: must be None.
        :returns: the item.
        :raises ValueError: a non-blocking or timed get was asked for.
        """
        if not block or timeout is not None:
            raise ValueError('LastIdleFirst only waits without a timeout')
        with self._mutex:
            if self._items:
                return self._items.popleft()
            wake = threading.Lock()
            wake.acquire()
            handed = []
            self._sleepers.append((wake, handed))
        wake.acquire()
        return handed[0]

    def qsize(self):
        """int, the items waiting for a thread."""
        return len(self._items)

    def sleeping(self):
        """int, the threads waiting for an item."""
        return len(self._sleepers)


def serve_most_recent_first(pool):
    """Make a cheroot thread pool wake its most recently idle thread first.

    Must be called before the pool starts its threads (cheroot starts them
    in ``HTTPServer.prepare()``): a thread already waiting on the old
    queue would never be woken.

    cheroot (11.x) builds the pool's queue in ``ThreadPool.__init__`` as
    ``_queue`` and binds ``get`` to it; both are replaced here.

    :param pool: a :class:`cheroot.workers.threadpool.ThreadPool` not yet
        started.
    :returns: the :class:`LastIdleFirst` now in use.
    :raises RuntimeError: the pool's threads are already running, or the
        pool has no ``_queue`` (a cheroot release that changed it).
    """
    if getattr(pool, '_threads', None):
        raise RuntimeError('the thread pool is already started')
    if not hasattr(pool, '_queue'):
        raise RuntimeError('cheroot thread pool without _queue')
    queue = LastIdleFirst()
    pool._queue = queue
    pool.get = queue.get
    return queue
