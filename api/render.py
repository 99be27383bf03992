"""Rendering successful responses as JSON."""

import json

import webob


def json_response(status, body=None, headers=None):
    """Build a JSON response.

    :param status: int HTTP status.
    :param body: a JSON-compatible value, or None for an empty body (204).
    :param headers: optional dict of extra headers.
    :returns: :class:`webob.Response`.
    """
    resp = webob.Response(status=status, charset=None)
    if body is not None:
        resp.content_type = 'application/json'
        resp.body = json.dumps(body, ensure_ascii=False).encode('utf-8')
    else:
        resp.content_type = None
    for name, value in (headers or {}).items():
        resp.headers[name] = value
    return resp


def etag(version):
    """The ETag of a document version (spec: ``"<version>"``).

    :param version: int.
    :returns: str, the quoted version.
    """
    return '"%d"' % version
