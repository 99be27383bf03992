"""The worker service: cheroot on a socket shared between workers.

These run in one process: two :class:`freezer_daemon.service.WSGIService`
instances on one listening socket stand for two forked workers.
"""

import os
import socket

import testtools

from freezer_daemon import service
from tests import base


def _hello_app(conf):
    """A WSGI application factory that ignores ``conf``."""
    def app(environ, start_response):
        body = environ['PATH_INFO'].encode()
        start_response('200 OK', [('Content-Type', 'text/plain'),
                                  ('Content-Length', str(len(body)))])
        return [body]
    return app


class TestSharedSocket(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.listener = service.bind_listener('127.0.0.1', 0)
        self.addCleanup(self.listener.close)
        self.port = self.listener.getsockname()[1]

    def _service(self):
        worker = service.WSGIService(None, self.listener, _hello_app,
                                     threads=2)
        worker.start()
        self.addCleanup(worker.wait)
        self.addCleanup(worker.stop)
        return worker

    def _get(self, path):
        status, _headers, body = base.http_get(self.port, path)
        return status, body

    def test_bind_listener_listens_on_loopback(self):
        self.assertEqual('127.0.0.1', self.listener.getsockname()[0])
        self.assertNotEqual(0, self.port)

    def test_bind_listener_reports_a_port_in_use(self):
        self.assertRaises(OSError, service.bind_listener, '127.0.0.1',
                          self.port)

    def test_serves_the_application(self):
        self._service()
        self.assertEqual((200, b'/some/path'), self._get('/some/path'))

    def test_stopping_a_worker_keeps_the_shared_socket_open(self):
        first = self._service()
        self._service()
        first.stop()
        first.wait()
        # The launcher's socket is untouched by a worker's shutdown...
        self.assertNotEqual(-1, self.listener.fileno())
        # ...and the remaining worker still answers on it.
        for _ in range(5):
            self.assertEqual((200, b'/'), self._get('/'))

    def test_stop_does_not_close_the_launchers_descriptor(self):
        worker = self._service()
        worker.stop()
        worker.wait()
        # The descriptor still names a listening socket.
        probe = socket.socket(fileno=os.dup(self.listener.fileno()))
        self.addCleanup(probe.close)
        self.assertEqual(1, probe.getsockopt(socket.SOL_SOCKET,
                                             socket.SO_ACCEPTCONN))

    def test_stop_and_wait_before_start_do_nothing(self):
        worker = service.WSGIService(None, self.listener, _hello_app)
        worker.stop()
        worker.wait()
        worker.reset()
