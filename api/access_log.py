"""One log line per request: client, method, path, status, size, time.

cheroot writes no access log, and operators expect one line per API call
with its request id, as other OpenStack services log them. The client
address is ``REMOTE_ADDR`` (behind a proxy, the forwarded address when
``[oslo_middleware] enable_proxy_headers_parsing`` is set); an error
line (status >= 400) ends with the description the client was given,
so that a refused request can be explained from the log alone. Under
uwsgi, uwsgi's own request log is off (``disable-logging`` in
``etc/freezer/uwsgi.ini``), so each request is logged once.

A streamed list page (:mod:`api.pages`; no ``Content-Length``) is passed
through as it is written, never gathered here: its line is logged when
the server closes the body, ``len`` being the bytes sent, and ends with
``reason: cut short by an error after N bytes`` when the body raised.
"""

import json
import re
import time

from oslo_context import context as oslo_context
from oslo_log import log as logging
from oslo_middleware import request_id

LOG = logging.getLogger('api.access')

_CONTROL = re.compile('[\x00-\x1f\x7f]')


#: Most characters of an error description kept in the log line.
MAX_REASON = 200


def _reason(chunks):
    """The ``description`` of a JSON error body, or None."""
    try:
        value = json.loads(b''.join(chunks))
        description = value['description']
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(description, str):
        return None
    return description[:MAX_REASON]


def _printable(text):
    """Escape control characters: a decoded path may hold a newline,
    which would otherwise let a client write a line of its own into the
    log."""
    return _CONTROL.sub(lambda m: '\\x%02x' % ord(m.group()), text)


class AccessLog(object):
    """Log ``ADDR "METHOD /path?query" status: N len: N time: S`` at INFO,
    followed by `` reason: DESCRIPTION`` for an error (or a streamed
    answer cut short).

    The request id (``x-openstack-request-id``) is in the log context
    when this runs inside oslo.middleware's RequestId.

    :param application: the WSGI application to wrap.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.monotonic()
        # Log lines written before the request's own context exists (in
        # middleware) must not carry the previous request's identity,
        # left in this thread's store: start each request with a context
        # holding only its request id.
        oslo_context.RequestContext(
            request_id=environ.get(request_id.ENV_REQUEST_ID))
        captured = {}

        def _start_response(status, headers, exc_info=None):
            captured['status'] = status.split(' ', 1)[0]
            for name, value in headers:
                if name.lower() == 'content-length':
                    captured['length'] = value
            return start_response(status, headers, exc_info)

        body = self.application(environ, _start_response)
        if isinstance(body, (list, tuple)) or 'length' in captured:
            # A body already in memory (every answer but a streamed list
            # page, api.pages): logged now, with its reason if an error.
            chunks = []
            try:
                chunks = list(body)
                return chunks
            finally:
                if hasattr(body, 'close'):
                    body.close()
                self._log(environ, captured, started, chunks)
        return _Streamed(body, lambda sent, cut: self._log(
            environ, captured, started, (), sent, cut))

    def _log(self, environ, captured, started, chunks, sent=None,
             cut=False):
        query = environ.get('QUERY_STRING')
        status = captured.get('status', '-')
        reason = (_reason(chunks) if status.isdigit()
                  and int(status) >= 400 else None)
        if cut:
            reason = 'cut short by an error after %d bytes' % sent
        LOG.info('%s "%s %s%s" status: %s len: %s time: %.4f%s',
                 _printable(environ.get('REMOTE_ADDR') or '-'),
                 _printable(environ.get('REQUEST_METHOD', '')),
                 _printable(environ.get('PATH_INFO', '')),
                 '?' + _printable(query) if query else '',
                 status, captured.get('length', sent if sent is not None
                                      else '-'),
                 time.monotonic() - started,
                 ' reason: ' + _printable(reason) if reason else '')


class _Streamed(object):
    """A streamed body (no Content-Length), passed through as it is
    written; its line is logged when the server closes it, with the
    bytes sent as its ``len``.

    :param body: the application's iterable.
    :param log: callable ``(sent, cut)``: bytes sent (int) and whether
        the body raised before its end (bool).
    """

    def __init__(self, body, log):
        self._body = body
        self._log = log
        self._sent = 0
        self._cut = False

    def __iter__(self):
        try:
            for chunk in self._body:
                self._sent += len(chunk)
                yield chunk
        except Exception:
            self._cut = True
            raise

    def close(self):
        """Close the application's body, then log the request."""
        try:
            if hasattr(self._body, 'close'):
                self._body.close()
        finally:
            self._log(self._sent, self._cut)
