"""Read bodies sent without Content-Length before routing.

oslo.middleware's size limiter refuses a body with a too large
``Content-Length`` at once, but a chunked body (no ``Content-Length``) is
only counted while it is read, which would happen after routing, policy
and lookup. The spec ("Errors") wants 413 decided before routing for
chunked bodies too, so that the status reveals nothing about the URL: this
middleware, placed right inside the size limiter, reads such a body
through the limiter's reader up front and hands the application a
buffered body with a ``Content-Length``.

A body is never dropped (issue 20): when a request says
``Transfer-Encoding`` but the WSGI server gives the application no way to
read it (no ``wsgi.input_terminated``; e.g. mod_wsgi without
``WSGIChunkedRequest On``), the answer is 411, not a request handled as
if it had no body (a create of ``null``, a list with its search ignored).
"""

import io

import webob.dec
import webob.exc

from api import errors

#: Bytes read from the body at a time: the size limiter counts as it
#: goes, so an endless body is refused after about the limit, not after
#: it was read whole into memory.
READ_SIZE = 65536


class BufferChunkedBody(object):
    """Buffer request bodies that come without ``Content-Length``.

    :param application: the WSGI application to wrap.
    """

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, request):
        if request.content_length is None and request.is_body_readable:
            try:
                body = _read_all(request.body_file)
            except webob.exc.HTTPRequestEntityTooLarge as exc:
                return exc
            except (ValueError, OSError):
                # cheroot raises ValueError for a malformed chunk size and
                # OSError when the client goes away mid-body.
                return errors.response(
                    400, 'Bad Request', 'The chunked request body is '
                    'malformed or was cut off.', [errors.CLOSE])
            request.environ['wsgi.input'] = io.BytesIO(body)
            request.environ.pop('HTTP_TRANSFER_ENCODING', None)
            request.content_length = len(body)
        return request.get_response(self.application)


class RequireReadableBody(object):
    """Answer 411 when the server gives no way to read a sent body.

    Placed outside the size limiter, which wraps every body without
    ``Content-Length`` in a reader and so makes an unreadable one look
    empty.

    :param application: the WSGI application to wrap.
    """

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, request):
        if (request.content_length is None and not request.is_body_readable
                and request.headers.get('Transfer-Encoding')):
            return errors.response(
                411, 'Length Required',
                'This server cannot read a request body sent without '
                'Content-Length (Transfer-Encoding); send Content-Length.')
        return request.get_response(self.application)


def _read_all(stream):
    """Read ``stream`` to its end, ``READ_SIZE`` bytes at a time.

    :param stream: a file-like object (the size limiter's reader).
    :returns: bytes.
    :raises webob.exc.HTTPRequestEntityTooLarge: from the size limiter.
    """
    parts = []
    while True:
        part = stream.read(READ_SIZE)
        if not part:
            return b''.join(parts)
        parts.append(part)
