"""Chunked request bodies under uwsgi's HTTP socket.

uwsgi hands the application an empty ``wsgi.input`` for a request sent
with ``Transfer-Encoding: chunked`` (it only frames bodies by
``Content-Length``), so a chunked create reached the API as ``null`` and a
chunked search body was ignored (issue 20). uwsgi reads such a body
through its own call, ``uwsgi.chunked_read()``, one chunk at a time; this
middleware, outermost in the application uwsgi serves
(:mod:`freezer_daemon.wsgi`), puts a reader over that call in
``wsgi.input`` and sets ``wsgi.input_terminated``, as servers that
de-chunk themselves do (cheroot, mod_wsgi with ``WSGIChunkedRequest
On``). The size limit and the buffering before routing then apply as
under the daemon (:mod:`api.chunked`).
"""

import webob.exc

#: Seconds ``uwsgi.chunked_read`` waits for the next chunk.
CHUNK_TIMEOUT = 30


class ChunkedReader(object):
    """A file-like reader over ``uwsgi.chunked_read``.

    :param chunked_read: callable ``(timeout) -> bytes`` returning the
        next chunk, ``b''`` at the end of the body, raising OSError when
        a chunk cannot be received.
    """

    def __init__(self, chunked_read):
        self._chunked_read = chunked_read
        self._pending = b''
        self._done = False

    def _next_chunk(self):
        try:
            chunk = self._chunked_read(CHUNK_TIMEOUT)
        except OSError:
            # uwsgi refuses a chunk over its chunked-input-limit (1 MiB
            # by default, far above max_request_body_size) with the same
            # error as a malformed or cut-off one; nothing tells them
            # apart, and a client that went away reads no answer.
            raise webob.exc.HTTPRequestEntityTooLarge(
                detail='A chunk of the request body is larger than the '
                       'server reads, or the chunked body is malformed.')
        if not chunk:
            self._done = True
        return chunk

    def read(self, size=-1):
        """Read up to ``size`` bytes (all when ``size`` is None or < 0).

        :param size: int or None.
        :returns: bytes; ``b''`` at the end of the body.
        :raises webob.exc.HTTPRequestEntityTooLarge: uwsgi could not
            receive a chunk.
        """
        if size is None or size < 0:
            parts = [self._pending]
            self._pending = b''
            while not self._done:
                parts.append(self._next_chunk())
            return b''.join(parts)
        while len(self._pending) < size and not self._done:
            self._pending += self._next_chunk()
        data, self._pending = self._pending[:size], self._pending[size:]
        return data


class UwsgiChunkedInput(object):
    """Give chunked request bodies to the application under uwsgi.

    :param application: the WSGI application to wrap.
    :param chunked_read: ``uwsgi.chunked_read`` (passed in: the ``uwsgi``
        module exists only inside a uwsgi worker).
    """

    def __init__(self, application, chunked_read):
        self.application = application
        self._chunked_read = chunked_read

    def __call__(self, environ, start_response):
        encoding = environ.get('HTTP_TRANSFER_ENCODING', '')
        if ('chunked' in encoding.lower()
                and not environ.get('CONTENT_LENGTH')
                and not environ.get('wsgi.input_terminated')):
            environ['wsgi.input'] = ChunkedReader(self._chunked_read)
            environ['wsgi.input_terminated'] = True
        return self.application(environ, start_response)


def serve_chunked_input(app, uwsgi_module=None):
    """Let ``app`` read chunked request bodies under uwsgi.

    :param app: a WSGI application.
    :param uwsgi_module: the ``uwsgi`` module; ``None`` imports it, which
        succeeds only inside a uwsgi worker.
    :returns: ``app`` wrapped in
        :class:`freezer_daemon.uwsgi_input.UwsgiChunkedInput` under uwsgi,
        else ``app`` itself (mod_wsgi and cheroot de-chunk bodies
        themselves).
    """
    if uwsgi_module is None:
        try:
            import uwsgi as uwsgi_module
        except ImportError:
            return app
    return UwsgiChunkedInput(app, uwsgi_module.chunked_read)
