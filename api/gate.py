"""Let a bounded number of requests run through the application at once.

A worker process runs Python under one interpreter lock. Its request
threads can wait on a socket or a remote service side by side, but
running the application (routing, policy, validation, SQLite, rendering)
on several threads at once only interleaves them: every SQLite call
releases the lock and a thread coming back waits for it, so a write holds
the database's write lock longer while the other threads run, and each
request pays thread switches and cold caches. On the daemon (issue 18, 2
workers, 8 keep-alive connections, SQLite), letting one request at a time
through gave about 1.3 times the PATCHes a second of sixteen at once, at
less CPU per request.

:class:`RequestGate` sits inside authentication (a token validation,
which waits on Keystone, stays concurrent) and reads a request's body
before it waits its turn (a client sending its body slowly holds a thread,
not the gate). ``[api] concurrent_requests`` sets how many requests pass
at once; raise it where the application mostly waits (a remote database
server with a long round trip).
"""

import io
import threading

from api import errors


class RequestGate(object):
    """WSGI middleware running at most ``limit`` requests at once.

    The application's answer is produced while the request holds its
    turn; an answer it streams (an iterable other than a list) is sent
    after the turn is given back, so a slow reader never holds it.

    :param application: the WSGI application to guard.
    :param limit: int >= 1, requests let through at once.
    """

    def __init__(self, application, limit):
        self.application = application
        self.limit = limit
        # A lock is one C call each way; a semaphore, written in Python
        # over a condition, cost about 5 % of a show's CPU (issue 18).
        self._turns = (threading.Lock() if limit == 1
                       else threading.BoundedSemaphore(limit))

    def __call__(self, environ, start_response):
        """Read the body, wait for a turn, run the application.

        :param environ: the WSGI environ.
        :param start_response: the WSGI callable.
        :returns: the application's iterable; or a JSON 408 (the body
            stopped arriving for the socket's timeout) or 400 (the client
            reset the connection mid-body), both with ``Connection:
            close`` (:data:`api.errors.CLOSE`), without taking a turn.
        """
        try:
            _read_body(environ)
        except TimeoutError:
            refusal = errors.response(
                408, 'Request Timeout', 'The request body did not arrive '
                'in time.', [errors.CLOSE])
            return refusal(environ, start_response)
        except OSError:
            # The client reset the connection mid-body: nobody reads the
            # answer, which is only for the access log.
            refusal = errors.response(
                400, 'Bad Request', 'The request body was cut off.',
                [errors.CLOSE])
            return refusal(environ, start_response)
        with self._turns:
            return self.application(environ, start_response)


def _read_body(environ):
    """Read a request's body into memory, ahead of the gate.

    The body was already bounded by oslo.middleware's size limiter (its
    reader raises 413 past ``max_request_body_size``) and a chunked one
    buffered (:class:`api.chunked.BufferChunkedBody`), both outside.

    :param environ: the WSGI environ; ``wsgi.input`` is replaced by the
        bytes read, ``CONTENT_LENGTH`` left as it was.
    :returns: None
    :raises OSError: the client reset the connection, or the socket timed
        out (:class:`TimeoutError`), before the body was all read.
    """
    length = environ.get('CONTENT_LENGTH')
    if not length or not length.isdigit() or length == '0':
        return
    body = environ['wsgi.input'].read(int(length))
    environ['wsgi.input'] = io.BytesIO(body)
