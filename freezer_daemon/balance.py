"""Least-connections accept across the daemon's worker processes.

Every worker accepts on the one listening socket the launcher bound, and
the kernel wakes them all when a connection arrives: the first to call
``accept()`` gets it. Clients keep their connections alive (wrk, the
scheduler's ``requests`` session, Horizon's client), so a worker that won a
few more races at a burst of connects keeps serving them for good, and on
a 2-core machine one busy worker and one idle one serve about half of what
two busy ones do. (The reference's uwsgi router, and this service's uwsgi
``http-socket``, close the connection after every answer and so spread
requests anyway.)

So a worker takes a pending connection only when no live worker has fewer
open connections than it has; otherwise it leaves the connection for a
while (:data:`DEFER_LIMIT` at most, in steps of :data:`DEFER_PAUSE`) to a
less loaded worker, and takes it itself when none did. The counts live in
memory the launcher allocates before it forks, one slot per worker.
"""

import ctypes
import multiprocessing
import os
import threading
import time

from cheroot import connections

#: Longest a worker leaves a pending connection to a less loaded worker
#: (seconds) before it accepts it itself: a peer that is wedged, or that
#: died before the launcher replaced it, delays a connect by this at most.
DEFER_LIMIT = 0.01

#: Pause between two looks at a pending connection while deferring it
#: (seconds).
DEFER_PAUSE = 0.0005


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WorkerLoads(object):
    """Open connections of each worker, shared by the launcher's forks.

    Created in the launcher, before the workers are forked; each worker
    then claims a slot (:meth:`claim`) and counts its own connections in
    it. A slot is read without a lock by the other workers: a count is one
    aligned machine word, and a stale read only makes one accept less
    even.

    :param workers: int >= 1, the number of worker processes (slots).
    """

    def __init__(self, workers):
        self._owners = multiprocessing.RawArray(ctypes.c_long, workers)
        self._open = multiprocessing.RawArray(ctypes.c_long, workers)
        self._claims = multiprocessing.Lock()

    def claim(self):
        """Take a free slot for the calling process.

        A slot is free when it was never taken, was released, or its owner
        process is gone (a worker that died before it could release it).

        :returns: a :class:`WorkerSlot`, or None when every slot is held by
            a live process (e.g. a worker started while the one it replaces
            is still finishing): that worker then accepts like cheroot does.
        """
        with self._claims:
            for slot, owner in enumerate(self._owners):
                if owner == 0 or not _alive(owner):
                    self._owners[slot] = os.getpid()
                    self._open[slot] = 0
                    return WorkerSlot(self, slot)
        return None

    def snapshot(self):
        """The open connections of every claimed slot.

        :returns: list of ``(pid, open connections)`` pairs, one per
            claimed slot, in slot order.
        """
        return [(owner, self._open[slot])
                for slot, owner in enumerate(self._owners) if owner]


class WorkerSlot(object):
    """One worker's slot in :class:`WorkerLoads`.

    Connections are counted from the thread that accepts them and
    uncounted from the request threads that close them, so the worker's
    own count is kept under a lock and copied into the shared slot.

    :param loads: the :class:`WorkerLoads`.
    :param slot: int index of the claimed slot.
    """

    def __init__(self, loads, slot):
        self._loads = loads
        self.slot = slot
        self._lock = threading.Lock()
        self._count = 0

    @property
    def open_connections(self):
        """int, this worker's open connections."""
        return self._count

    def opened(self):
        """Count one more open connection. :returns: None"""
        with self._lock:
            self._count += 1
            self._loads._open[self.slot] = self._count

    def closed(self):
        """Count one connection less. :returns: None"""
        with self._lock:
            self._count -= 1
            self._loads._open[self.slot] = self._count

    def busier_than_a_peer(self):
        """Whether another live worker has fewer open connections.

        :returns: bool
        """
        owners, counts = self._loads._owners, self._loads._open
        mine = self._count
        for slot, owner in enumerate(owners):
            if owner and slot != self.slot and counts[slot] < mine:
                return True
        return False

    def release(self):
        """Give the slot back (the worker is stopping). :returns: None"""
        with self._loads._claims:
            if self._loads._owners[self.slot] == os.getpid():
                self._loads._owners[self.slot] = 0
                self._loads._open[self.slot] = 0


class BalancedConnectionManager(connections.ConnectionManager):
    """cheroot's connection manager, accepting least-connections first.

    :param server: the cheroot server (after its socket is bound).
    :param worker: this worker's :class:`WorkerSlot`.
    """

    def __init__(self, server, worker):
        super().__init__(server)
        self._worker = worker
        self._deferred_since = None
        self._last_look = 0.0

    def _from_server_socket(self, server_socket):
        """Accept a pending connection, unless a less loaded peer should.

        Called by cheroot's selector loop each time the listening socket
        is readable. While a live peer has fewer open connections, pause
        :data:`DEFER_PAUSE` and return None (the loop looks again), for
        :data:`DEFER_LIMIT` at most since the first deferral of this
        pending connection; then accept it here and count it.

        :param server_socket: the listening socket.
        :returns: the new connection, or None (deferred, or taken by
            another worker first).
        """
        now = time.monotonic()
        if now - self._last_look > DEFER_LIMIT:
            # Whatever this worker deferred before was taken by another
            # one: this is a new pending connection.
            self._deferred_since = None
        self._last_look = now
        if self._worker.busier_than_a_peer():
            if self._deferred_since is None:
                self._deferred_since = now
            if now - self._deferred_since < DEFER_LIMIT:
                time.sleep(DEFER_PAUSE)
                self._last_look = time.monotonic()
                return None
        self._deferred_since = None
        conn = super()._from_server_socket(server_socket)
        if conn is not None:
            self._worker.opened()
            conn.counted_by = self._worker
        return conn
