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


def timestamp(value):
    """The wire form of a stored instant (spec: ISO 8601, UTC, ``Z``).

    :param value: naive UTC :class:`datetime.datetime`.
    :returns: str, e.g. ``'2026-11-29T10:00:00.000001Z'``.
    """
    # isoformat: the same text as strftime('%Y-%m-%dT%H:%M:%S.%fZ') at
    # a fraction of its cost (no locale handling).
    return value.isoformat(timespec='microseconds') + 'Z'


def record(stored):
    """The wire shape of a stored record.

    Storage returns domain records, with :class:`datetime.datetime`
    instants; the API writes them as ISO timestamps. Every other key
    (``_version`` included) is sent as stored.

    :param stored: dict, a record of a repository.
    :returns: dict, JSON-compatible.
    """
    wire = dict(stored)
    for key in ('created_at', 'updated_at'):
        if key in wire:
            wire[key] = timestamp(wire[key])
    return wire
