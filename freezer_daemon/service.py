"""The API worker: a cheroot WSGI server inside an oslo.service service.

The launcher (``freezer_daemon.cmd.api``) binds the listening socket once,
in the parent process, and forks the workers; every worker accepts on that
same socket. A worker that dies or is restarted on SIGHUP is forked again
from the parent, so the port is never closed while the daemon runs and no
connection attempt is refused during a restart.
"""

import os
import socket
import sys
import threading

from cheroot import wsgi
from oslo_log import log as logging
from oslo_service import service

from freezer_daemon import balance
from freezer_daemon import http_protocol
from freezer_daemon import idle_threads

LOG = logging.getLogger(__name__)

# The kernel caps the accept queue at net.core.somaxconn anyway; asking for
# more keeps bursts of connections queued instead of refused.
LISTEN_BACKLOG = 1024


def bind_listener(host, port):
    """Open, bind and listen on the TCP socket every worker will share.

    :param host: address or name to bind, as ``[DEFAULT] bind_host``.
    :param port: TCP port (int, 0 picks a free one).
    :returns: a listening :class:`socket.socket`; ``getsockname()`` gives
        the bound address.
    :raises OSError: the address cannot be resolved or bound (e.g. the
        port is in use).
    """
    infos = socket.getaddrinfo(host, port, socket.AF_UNSPEC,
                               socket.SOCK_STREAM, 0, socket.AI_PASSIVE)
    family, kind, proto, _name, address = infos[0]
    listener = socket.socket(family, kind, proto)
    try:
        # Lets a restarted daemon bind while old connections of the previous
        # one are still in TIME_WAIT.
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # cheroot sets TCP_NODELAY only on sockets it binds itself; accepted
        # connections inherit it from the listener. Without it, a response
        # written as headers then body waits on the client's delayed ACK
        # (about 40 ms on Linux) on every keep-alive request.
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        listener.bind(address)
        listener.listen(LISTEN_BACKLOG)
    except OSError:
        listener.close()
        raise
    return listener


#: Seconds between forced GIL hand-offs in a worker (Python's default is
#: 0.005).
GIL_SWITCH_INTERVAL = 0.0005


class _SharedSocketServer(wsgi.Server):
    """A cheroot server that serves on an already listening socket.

    cheroot's ``prepare()`` always opens a socket of its own through
    ``bind()``; overriding ``bind()`` lets it adopt the parent's socket
    instead, while ``prepare()`` keeps doing the rest (listen backlog,
    connection manager, thread pool). Requests are parsed with
    :mod:`freezer_daemon.http_protocol`'s stricter rules, and the most
    recently idle request thread takes the next request
    (:mod:`freezer_daemon.idle_threads`).

    :param listener: the shared listening socket.
    :param wsgi_app: the WSGI application.
    :param worker: this worker's :class:`freezer_daemon.balance.WorkerSlot`,
        or None to accept as cheroot does.
    :param kwargs: :class:`cheroot.wsgi.Server` options.
    """

    ConnectionClass = http_protocol.StrictConnection

    def __init__(self, listener, wsgi_app, worker=None, **kwargs):
        super().__init__(listener.getsockname()[:2], wsgi_app, **kwargs)
        self._listener = listener
        self._worker = worker
        idle_threads.serve_most_recent_first(self.requests)

    def bind(self, family, type, proto=0):
        # A duplicate descriptor, so that stop() closing it leaves the
        # parent's socket (and the other workers') open.
        self.socket = self._listener.dup()
        return self.socket

    def prepare(self):
        super().prepare()
        # Every worker is woken when a connection arrives and only one gets
        # it; on a blocking socket the others would wait in accept() for
        # the next one and stall their keep-alive connections. cheroot
        # treats EAGAIN from a non-blocking accept() as "nothing to do".
        self.socket.setblocking(False)
        if self._worker is not None:
            # No connection was accepted yet: swapping the manager cheroot
            # built for one that balances loses nothing.
            self._connections.close()
            self._connections = balance.BalancedConnectionManager(
                self, self._worker)


def close_on_terminate(launcher, listener):
    """Close the launcher's descriptor of ``listener`` on SIGTERM.

    :param launcher: the :class:`oslo_service.service.ProcessLauncher`
        after ``launch_service``; its threading backend runs the workers
        with a cotyledon ``ServiceManager``, whose ``terminate`` hooks run
        in the launcher on SIGTERM, before the workers are stopped (and
        not on SIGHUP).
    :param listener: the listening socket of :func:`bind_listener`.
    :returns: bool, False when the launcher has no such manager (the
        port then closes when the launcher exits).
    """
    manager = getattr(launcher, '_manager', None)
    if manager is None or not hasattr(manager, 'register_hooks'):
        return False
    manager.register_hooks(on_terminate=listener.close)
    return True


class WSGIService(service.ServiceBase):
    """Serve a WSGI application with cheroot on a shared listening socket.

    One instance is created in the launcher and copied into each worker by
    fork; ``start()`` runs in the worker, so the application (and its
    database connections) is built there, never shared across processes.

    :param conf: parsed ConfigOpts, handed to ``app_factory``.
    :param listener: a listening socket from :func:`bind_listener`.
    :param app_factory: callable ``(conf) -> WSGI application``, e.g.
        ``api.deploy.build_app``.
    :param threads: request threads per worker (int >= 1).
    :param loads: a :class:`freezer_daemon.balance.WorkerLoads` with a slot
        per worker, created before the workers are forked, to spread
        connections least-connections first; None accepts as cheroot does.
    """

    def __init__(self, conf, listener, app_factory, threads=16, loads=None):
        self._conf = conf
        self._listener = listener
        self._app_factory = app_factory
        self._threads = threads
        self._loads = loads
        self._worker = None
        self._server = None
        self._thread = None
        self._launcher_pid = os.getpid()

    def start(self):
        """Build the application and start serving in a background thread.

        :returns: None
        :raises Exception: whatever the application factory raises; the
            worker then exits non-zero and the launcher restarts it.
        """
        # Threads of one worker share the GIL; a thread returning from the
        # database (holding the writers' lock) would otherwise wait up to
        # the default 5 ms switch interval behind CPU-bound request threads
        # at each step of its transaction, stretching every write.
        sys.setswitchinterval(GIL_SWITCH_INTERVAL)
        app = self._app_factory(self._conf)
        if self._loads is not None:
            self._worker = self._loads.claim()
        self._server = _SharedSocketServer(
            self._listener, app, worker=self._worker,
            numthreads=self._threads,
            server_name='freezer-api',
            # prepare() calls listen() again with this backlog, and on the
            # shared socket that would shrink the queue for every worker.
            request_queue_size=LISTEN_BACKLOG)
        self._server.prepare()
        self._thread = threading.Thread(target=self._serve,
                                        name='cheroot-serve', daemon=True)
        self._thread.start()
        LOG.info('Worker serving on %s:%s', *self._server.bind_addr)

    def _serve(self):
        try:
            self._server.serve()
        except Exception:
            LOG.exception('The HTTP server stopped on an error')

    def stop(self):
        """Stop accepting, finish the requests in flight, close the socket.

        cheroot waits up to its ``shutdown_timeout`` (5 s) for request
        threads; the launcher's ``graceful_shutdown_timeout`` bounds the
        whole worker shutdown.

        :returns: None
        """
        # This worker's descriptors of the shared socket: the one inherited
        # from the launcher (only in a forked worker: in the launcher's
        # own process it is the launcher's) and cheroot's duplicate
        # (closed by stop()).
        if os.getpid() != self._launcher_pid:
            self._listener.close()
        if self._server is not None:
            self._server.stop()
        if self._worker is not None:
            self._worker.release()
            self._worker = None

    def wait(self):
        """Block until the serving thread has ended.

        :returns: None
        """
        if self._thread is not None:
            self._thread.join()

    def reset(self):
        """Nothing to reset: a SIGHUP restarts the whole worker process.

        :returns: None
        """
