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

import io
import json
import socket
import time
import uuid

from cheroot import makefile
from cheroot import server

#: Seconds a client may take to send all its request headers.
HEADER_TIMEOUT = 10.0

_SINGLE_VALUED = (b'Content-Length', b'Host', b'Transfer-Encoding')

_CHEROOT_MAKEFILE = makefile.MakeFile


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
        6.3 allows a server to reject it; we do, as smuggling defence), a
        ``Content-Length`` that is not digits only, or headers arriving
        slower than :data:`HEADER_TIMEOUT`.
    """

    def __call__(self, rfile, hdict=None):
        headers = _SingleValuedHeaders()
        super().__call__(_Deadline(rfile, HEADER_TIMEOUT), headers)
        if b'Content-Length' in headers and b'Transfer-Encoding' in headers:
            raise ValueError('Content-Length and Transfer-Encoding must not '
                             'be sent together.')
        length = headers.get(b'Content-Length')
        if length is not None and not length.strip().isdigit():
            # cheroot reads it with int(), which takes "-5" (then no body
            # is read, and the body's bytes become the next request) and
            # "+5"; RFC 9110 8.6 allows digits only.
            raise ValueError('The Content-Length header must be a number '
                             'of bytes (digits only).')
        if hdict is None:
            hdict = {}
        hdict.update(headers)
        return hdict


class JsonErrorRequest(server.HTTPRequest):
    """cheroot's request, answering protocol errors as the API does, and
    closing the connection when the application's answer says
    ``Connection: close``.
    """

    header_reader = StrictHeaderReader()

    def send_headers(self):
        """Send the answer's head; honour the application's close.

        cheroot passes an application's ``Connection: close`` to the client
        but keeps reading the connection, so bytes after a body whose
        framing was lost (a malformed chunk) would be read as the next
        request. The application says ``Connection: close`` exactly then
        (:data:`api.errors.CLOSE`); the connection is then closed after
        the answer, unread.

        :returns: None
        """
        for name, value in self.outheaders:
            if (name.lower() == b'connection'
                    and value.strip().lower() == b'close'):
                self.close_connection = True
        super().send_headers()

    def respond(self):
        """Call the application, then close if a chunked body was left.

        cheroot drains an unread ``Content-Length`` body after the answer
        but not a chunked one, whose bytes would then be parsed as the next
        request (a route that answers without reading its body: the health
        check, a 405, a refusal). RFC 9112 9.3 lets a server close instead
        of reading; this one does.

        :returns: None
        """
        super().respond()
        if self.chunked_read and not getattr(self.rfile, 'closed', True):
            self.close_connection = True

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


class _ProbingSocketIO(socket.SocketIO):
    """A socket's raw input that can be told to report "no data" at once.

    While ``probing`` is set, ``readinto`` returns None (what a raw stream
    returns when a read would block) without touching the socket.
    """

    probing = False

    def readinto(self, buffer):
        """Read into ``buffer``, or report "would block" while probing.

        :param buffer: a writable buffer.
        :returns: int bytes read (0 at end of stream), or None while
            ``probing``.
        :raises OSError: as :meth:`socket.SocketIO.readinto` (a timeout
            included).
        """
        if self.probing:
            return None
        return super().readinto(buffer)


class RequestInput(io.BufferedReader):
    """A connection's input on the C buffered reader.

    cheroot (11.x) reads requests through :mod:`_pyio`, the pure-Python
    buffered reader, because it needs to know whether bytes are already
    buffered (:meth:`has_data`, asked after each request to detect a
    pipelined one); reading the request line and headers that way was
    about 5 % of a show's CPU (issue 18). The C reader gives the same
    ``read``/``readline`` behaviour (timeouts included: the socket's own),
    and :meth:`has_data` peeks with the socket told not to be read.

    :param sock: the accepted socket.
    :param bufsize: int buffer size in bytes.
    """

    def __init__(self, sock, bufsize=io.DEFAULT_BUFFER_SIZE):
        super().__init__(_ProbingSocketIO(sock, 'rb'), bufsize)

    def has_data(self):
        """Whether request bytes are already buffered (no socket read).

        :returns: bool
        """
        raw = self.raw
        raw.probing = True
        try:
            return bool(self.peek(1))
        finally:
            raw.probing = False


def _make_file(sock, mode='r', bufsize=io.DEFAULT_BUFFER_SIZE):
    """cheroot's ``MakeFile`` with :class:`RequestInput` for reading."""
    if 'r' in mode:
        return RequestInput(sock, bufsize)
    return makefile.MakeFile(sock, mode, bufsize)


class StrictConnection(server.HTTPConnection):
    """An HTTP connection whose requests use :class:`JsonErrorRequest`,
    read through :class:`RequestInput`.

    :param server: the cheroot server.
    :param sock: the accepted socket.
    :param makefile: the file factory cheroot chose; its plain one is
        replaced (a TLS adapter's would be kept).
    """

    RequestHandlerClass = JsonErrorRequest

    def __init__(self, server, sock, makefile=makefile.MakeFile):
        if makefile is _CHEROOT_MAKEFILE:
            makefile = _make_file
        super().__init__(server, sock, makefile)

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
