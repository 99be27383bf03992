"""WSGI middleware that turns every error response into a JSON body.

Errors raised in controllers are rendered by :mod:`api.errors` already.
This middleware catches the rest: Pecan's routing 404/405/406, the body
size limiter's 413, keystonemiddleware's 401, and any exception that
escapes the application (logged, answered as a bare 500), so that no
client ever sees HTML, a stack trace or an internal name (spec, "Errors").
"""

import json

from keystoneauth1 import exceptions as ks_exceptions
from oslo_log import log as logging
import webob
import webob.dec

from api import errors

LOG = logging.getLogger(__name__)

_KEPT_HEADERS = ('allow', 'www-authenticate', 'location', 'retry-after')


def _is_error_body(raw):
    try:
        value = json.loads(raw)
    except ValueError:
        return False
    return (isinstance(value, dict) and isinstance(value.get('title'), str)
            and isinstance(value.get('description'), str))


class JsonErrors(object):
    """Rewrite error responses to ``{"title", "description"}`` JSON.

    :param application: the WSGI application to wrap.
    """

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, request):
        try:
            resp = request.get_response(self.application)
        except ks_exceptions.ClientException as exc:
            # keystonemiddleware could not use the identity service (it
            # is unreachable, or its catalog lacks the identity endpoint):
            # the service is unavailable, not broken.
            LOG.error('Identity service unusable answering %s %s: %s',
                      request.method, request.path_qs, exc)
            return errors.response(
                503, 'Service Unavailable',
                'The identity service cannot be used to check the token; '
                'retry later.')
        except Exception:
            LOG.exception('Unexpected error answering %s %s',
                          request.method, request.path_qs)
            return errors.internal_error()
        if resp.status_code < 400:
            return resp
        if (resp.content_type == 'application/json'
                and _is_error_body(resp.body)):
            return resp
        description = _description(resp)
        fixed = errors.response(resp.status_code, _title(resp), description)
        for name, value in resp.headers.items():
            if name.lower() in _KEPT_HEADERS:
                fixed.headers[name] = value
        return fixed


def _title(resp):
    reason = resp.status.split(' ', 1)[1] if ' ' in resp.status else ''
    return reason or 'Error'


def _description(resp):
    # keystonemiddleware answers {"error": {"message": ...}}; keep its
    # message, which is written for clients. Other bodies (HTML, text)
    # are not shown: they may come from a framework and carry internals.
    try:
        value = json.loads(resp.body)
        message = value['error']['message']
        if isinstance(message, str):
            return message
    except (ValueError, KeyError, TypeError):
        pass
    return {
        401: 'The request you have made requires authentication.',
        403: 'Access was denied to this resource.',
        404: 'The resource could not be found.',
        405: 'The method is not allowed on this resource.',
        406: 'This service only answers with application/json.',
        413: ('The request body is larger than the server accepts '
              '(limit: [oslo_middleware] max_request_body_size).'),
    }.get(resp.status_code, _title(resp) + '.')
