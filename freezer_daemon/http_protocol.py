"""Stricter HTTP/1.1 request parsing for the cheroot workers.

cheroot accepts some requests that proxies and this server may frame
differently, and answers protocol errors in plain text. Behind a load
balancer (the scale-out deployment) that allows request smuggling: two
``Content-Length`` headers, or ``Content-Length`` with
``Transfer-Encoding``, let a hidden request ride in a body. This module
refuses both, bounds the time a client may take to send its headers (a
client trickling header lines would otherwise hold a worker thread
indefinitely), and answers every protocol error with the API's JSON error
body and a request id, closing the connection.
"""

import json
import time
import uuid

from cheroot import server

#: Seconds a client may take to send all its request headers.
HEADER_TIMEOUT = 10.0

_SINGLE_VALUED = (b'Content-Length', b'Host', b'Transfer-Encoding')


class _SingleValuedHeaders(dict):
    """A header dict that refuses a second value for framing headers."""

    def __setitem__(self, key, value):
        if key in _SINGLE_VALUED and key in self:
            raise ValueError('Duplicate %s header.' % key.decode('ascii'))
        super().__setitem__(key, value)


class _Deadline(object):
    """Wrap a request's input: header lines must arrive before a deadline.

    :param rfile: cheroot's request input (``readline`` is used).
    :param seconds: float, time allowed from now.
    """

    def __init__(self, rfile, seconds):
        self._rfile = rfile
        self._deadline = time.monotonic() + seconds

    def readline(self, *args):
        """Read one line, unless the deadline passed.

        :raises ValueError: the headers took longer than allowed.
        """
        if time.monotonic() > self._deadline:
            raise ValueError('The request headers took longer than %d '
                             'seconds to arrive.' % HEADER_TIMEOUT)
        return self._rfile.readline(*args)


class StrictHeaderReader(server.HeaderReader):
    """Read headers, refusing ambiguous framing and slow senders.

    :raises ValueError: (answered 400 by cheroot) a repeated
        ``Content-Length``, ``Host`` or ``Transfer-Encoding`` header,
        ``Content-Length`` together with ``Transfer-Encoding`` (RFC 9112
        6.3 allows a server to reject it; we do, as smuggling defence), or
        headers arriving slower than :data:`HEADER_TIMEOUT`.
    """

    def __call__(self, rfile, hdict=None):
        headers = _SingleValuedHeaders()
        super().__call__(_Deadline(rfile, HEADER_TIMEOUT), headers)
        if b'Content-Length' in headers and b'Transfer-Encoding' in headers:
            raise ValueError('Content-Length and Transfer-Encoding must not '
                             'be sent together.')
        if hdict is None:
            hdict = {}
        hdict.update(headers)
        return hdict


class JsonErrorRequest(server.HTTPRequest):
    """cheroot's request, answering protocol errors as the API does."""

    header_reader = StrictHeaderReader()

    def simple_response(self, status, msg=''):
        """Write an error as ``{"title", "description"}`` JSON and close.

        :param status: str or int, e.g. ``'400 Bad Request'``.
        :param msg: str, cheroot's explanation.
        :returns: None
        """
        status = str(status)
        code, _, reason = status.partition(' ')
        if not code.isdigit() or int(code) < 400:
            return super().simple_response(status, msg)
        if isinstance(msg, bytes):
            msg = msg.decode('latin-1')
        body = json.dumps({'title': reason or 'Error',
                           'description': msg or reason or 'Error'}).encode()
        self.close_connection = True
        head = ('%s %s\r\n'
                'Content-Type: application/json\r\n'
                'Content-Length: %d\r\n'
                'x-openstack-request-id: req-%s\r\n'
                'Connection: close\r\n\r\n') % (
                    self.server.protocol, status, len(body), uuid.uuid4())
        try:
            self.conn.wfile.write(head.encode('latin-1') + body)
        except OSError:
            # The client is gone; nothing to answer.
            pass


class StrictConnection(server.HTTPConnection):
    """An HTTP connection whose requests use :class:`JsonErrorRequest`."""

    RequestHandlerClass = JsonErrorRequest

    #: The :class:`freezer_daemon.balance.WorkerSlot` that counted this
    #: connection when it was accepted, if any.
    counted_by = None

    def close(self):
        """Close the connection, uncounting it from its worker's load.

        cheroot may close a connection more than once (an error path, then
        shutdown); it is uncounted the first time only.

        :returns: None
        """
        try:
            super().close()
        finally:
            worker = self.__dict__.pop('counted_by', None)
            if worker is not None:
                worker.closed()
