"""Read bodies sent without Content-Length before routing.

oslo.middleware's size limiter refuses a body with a too large
``Content-Length`` at once, but a chunked body (no ``Content-Length``) is
only counted while it is read, which would happen after routing, policy
and lookup. The spec ("Errors") wants 413 decided before routing for
chunked bodies too, so that the status reveals nothing about the URL: this
middleware, placed right inside the size limiter, reads such a body
through the limiter's reader up front and hands the application a
buffered body with a ``Content-Length``.
"""

import io

import webob.dec
import webob.exc


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
                body = request.body_file.read()
            except webob.exc.HTTPRequestEntityTooLarge as exc:
                return exc
            except (ValueError, OSError):
                # cheroot raises ValueError for a malformed chunk size and
                # OSError when the client goes away mid-body.
                return webob.exc.HTTPBadRequest(
                    detail='The chunked request body is malformed or was '
                           'cut off.')
            request.environ['wsgi.input'] = io.BytesIO(body)
            request.environ.pop('HTTP_TRANSFER_ENCODING', None)
            request.content_length = len(body)
        return request.get_response(self.application)
