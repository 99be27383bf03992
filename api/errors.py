"""The one place where errors become HTTP statuses and JSON bodies.

Every error body is ``{"title": str, "description": str}`` (spec
``actions.md``, "Errors"; compat with the reference implementation's
shape). Descriptions come from the domain errors, which never hold SQL,
table or class names; anything unexpected becomes a generic 500.
"""

import json

import webob
import webob.exc

from freezer_core import errors

#: Status of each domain error class; the most specific class wins.
STATUS_BY_ERROR = (
    (errors.MalformedJSON, 753),
    (errors.ValidationError, 400),
    (errors.NotFound, 404),
    (errors.Forbidden, 403),
    (errors.Conflict, 409),
    (errors.Unprocessable, 422),
    (errors.VersionMismatch, 412),
    (errors.StorageUnavailable, 503),
)

#: Reason phrases for statuses the standard library does not name.
REASONS = {753: 'Malformed JSON'}


class Forbidden(Exception):
    """The policy denied the request (403 ``Access Forbidden``)."""

    title = 'Access Forbidden'

    def __init__(self, rule):
        super().__init__(rule)
        self.description = ('Policy does not allow %s to be performed.'
                            % rule)


class NotAcceptable(Exception):
    """The ``Accept`` header excludes ``application/json`` (406)."""

    title = 'Not Acceptable'
    description = 'This service only answers with application/json.'


def body(title, description):
    """Encode an error body.

    :param title: str, a short title (e.g. ``'Not Found'``).
    :param description: str, the sentence for the client.
    :returns: bytes, the UTF-8 JSON document.
    """
    return json.dumps({'title': title, 'description': description},
                      ensure_ascii=False).encode('utf-8')


#: The header of an answer after which the connection must not be read
#: again: the request's body was not read to its end (a malformed chunk,
#: a body cut off), so its remaining bytes would be taken as the next
#: request. The daemon closes the connection after such an answer
#: (:class:`freezer_daemon.http_protocol.JsonErrorRequest`); other WSGI
#: servers pass the header on.
CLOSE = ('Connection', 'close')


def response(status, title, description, headers=None):
    """Build a JSON error response.

    :param status: int HTTP status (753 included).
    :param title: str.
    :param description: str.
    :param headers: optional list of ``(name, value)`` pairs to add.
    :returns: :class:`webob.Response`.
    """
    reason = REASONS.get(status) or webob.exc.status_map.get(
        status, webob.exc.HTTPError).title
    resp = webob.Response(status='%d %s' % (status, reason),
                          content_type='application/json', charset=None,
                          body=body(title, description))
    for name, value in headers or ():
        resp.headers[name] = value
    return resp


def status_of(exc):
    """Tell the HTTP status of an exception the API knows.

    :param exc: an exception instance.
    :returns: int status, or None for an unexpected exception (a 500).
    """
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, NotAcceptable):
        return 406
    if isinstance(exc, webob.exc.HTTPException):
        return exc.code
    for cls, status in STATUS_BY_ERROR:
        if isinstance(exc, cls):
            return status
    return None


def to_response(exc):
    """Render a known exception as a JSON error response.

    :param exc: a :class:`freezer_core.errors.FreezerError`,
        :class:`Forbidden`, :class:`NotAcceptable` or
        :class:`webob.exc.HTTPException`.
    :returns: :class:`webob.Response`, or None when the exception is not
        one the API knows (the caller then answers 500).
    """
    status = status_of(exc)
    if status is None:
        return None
    if isinstance(exc, webob.exc.HTTPException):
        headers = [(k, v) for k, v in exc.headers.items()
                   if k.lower() in ('allow', 'www-authenticate')]
        return response(status, exc.title,
                        exc.detail or exc.explanation, headers)
    return response(status, exc.title, exc.description)


def internal_error():
    """The answer to an unexpected exception: a 500 that reveals nothing.

    :returns: :class:`webob.Response`.
    """
    return response(500, 'Internal Server Error',
                    'The server could not complete the request; the '
                    'error was logged with this request id.')
