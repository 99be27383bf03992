"""The middleware stack of the Freezer API, built in code in one place.

Order, outermost first, and why:

1. ``RequestId`` (oslo.middleware): every response, errors and the
   health check included, carries ``x-openstack-request-id``; inside it,
   :class:`api.access_log.AccessLog` logs one line per request.
2. ``HTTPProxyToWSGI``: URLs in answers (``Location``, versions) use the
   scheme and host the client used through a TLS-terminating proxy
   (only when ``[oslo_middleware] enable_proxy_headers_parsing`` is on:
   otherwise it would do nothing, at the cost of a request/response
   wrapping).
3. ``Healthcheck`` (an application, not a filter, in oslo.middleware):
   ``/healthcheck`` is sent to it, without authentication and without
   touching the API application.
4. :class:`api.fault.JsonErrors`: every error below it (routing, size
   limit, authentication, unexpected exceptions) becomes a JSON body.
5. ``RequestBodySizeLimiter`` and :class:`api.chunked.BufferChunkedBody`:
   oversized bodies, chunked ones included, are refused before any
   routing or lookup, so a 413 reveals nothing about the URL; outside
   them :class:`api.chunked.RequireReadableBody` answers 411 for a body
   the WSGI server cannot hand over (the limiter would make it look
   empty). A request without a body (:func:`sends_body`) skips the
   three, and one with a plain ``Content-Length`` the two chunked-body
   ones (:func:`sized_body_only`).
6. Authentication: keystonemiddleware's ``auth_token`` for
   ``auth_strategy = keystone``, except for the versions document ``/``;
   nothing for ``noauth`` (identity headers are trusted, see
   :mod:`api.context`).
7. :class:`api.gate.RequestGate`: at most ``[api] concurrent_requests``
   requests of a worker run the application at once (issue 18); the
   body is read before a request waits its turn.
8. The Pecan application (:mod:`api.app`).
"""

from keystonemiddleware import auth_token
from oslo_middleware import healthcheck
from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import request_id
from oslo_middleware import sizelimit

from api import access_log
from api import app as pecan_app
from api import chunked
from api import errors
from api import fault
from api import gate
from api import policy

#: Paths of the versions document, answered without authentication.
VERSIONS_PATHS = ('/', '')
#: Paths of the health check.
HEALTHCHECK_PATHS = ('/healthcheck', '/healthcheck/')


class Dispatch(object):
    """Send the requests a predicate picks to another WSGI application.

    :param predicate: callable ``(environ) -> bool``.
    :param special: WSGI app answering the requests it picks.
    :param default: WSGI app answering every other request.
    """

    def __init__(self, predicate, special, default):
        self.predicate = predicate
        self.special = special
        self.default = default

    def __call__(self, environ, start_response):
        if self.predicate(environ):
            return self.special(environ, start_response)
        return self.default(environ, start_response)


def path_dispatch(paths, special, default):
    """:class:`Dispatch` on a few exact paths.

    :param paths: iterable of exact PATH_INFO values (str).
    :param special: WSGI app answering those paths.
    :param default: WSGI app answering every other path.
    :returns: :class:`Dispatch`.
    """
    paths = frozenset(paths)
    return Dispatch(lambda environ: environ.get('PATH_INFO', '') in paths,
                    special, default)


def sends_body(environ):
    """Whether a request comes with a body (RFC 9112 6.3: a request
    without ``Content-Length`` and ``Transfer-Encoding`` has none).

    :param environ: the WSGI environ.
    :returns: bool; True for a non-zero or unparsable ``Content-Length``
        and for any ``Transfer-Encoding``.
    """
    return (environ.get('CONTENT_LENGTH') not in (None, '', '0')
            or 'HTTP_TRANSFER_ENCODING' in environ)


def sized_body_only(environ):
    """Whether a body comes with a well-formed ``Content-Length`` and no
    ``Transfer-Encoding`` (the size limiter alone then decides; the
    chunked-body middlewares would do nothing).

    :param environ: the WSGI environ of a request with a body.
    :returns: bool.
    """
    return (environ.get('CONTENT_LENGTH', '').isdigit()
            and 'HTTP_TRANSFER_ENCODING' not in environ)


def proxy_headers_parsed(conf):
    """A predicate: ``[oslo_middleware] enable_proxy_headers_parsing``,
    read per request (it can be overridden at run time, as oslo.middleware
    itself reads it).

    :param conf: the service's ConfigOpts, with the option registered.
    :returns: callable ``(environ) -> bool``.
    """
    group = conf.oslo_middleware
    return lambda environ: group.enable_proxy_headers_parsing


class ReadOnly(object):
    """Let only GET and HEAD through to a WSGI application.

    oslo.middleware's health check answers any method, TRACE and DELETE
    included; the spec ("Routes") wants 405 with ``Allow`` for a method a
    routed path does not serve (found by schemathesis).

    :param application: the WSGI app to guard.
    """

    ALLOWED = ('GET', 'HEAD')

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get('REQUEST_METHOD') in self.ALLOWED:
            return self.application(environ, start_response)
        allowed = ', '.join(self.ALLOWED)
        return errors.response(
            405, 'Method Not Allowed',
            'Method %s is not allowed here; allowed: %s.' % (
                environ.get('REQUEST_METHOD'), allowed),
            [('Allow', allowed)])(environ, start_response)


def build_app(conf, repositories, trusts=None):
    """Build the complete WSGI application.

    :param conf: a parsed :class:`oslo_config.cfg.ConfigOpts` with the
        options of :func:`freezer_daemon.conf.register_opts`.
    :param repositories: the repository of every resource
        (:class:`freezer_core.storage.Repositories`), built by the
        composition root (:func:`freezer_daemon.wiring.build_app`) after
        worker processes are forked.
    :param trusts: the Keystone trust broker of job writes
        (:class:`freezer_daemon.trusts.TrustBroker`), or None: no job
        gets a trust.
    :returns: a WSGI application.
    """
    # keystonemiddleware takes the service's ConfigOpts in a dict under
    # 'oslo_config_config'; oslo.middleware does not know that key and
    # would fall back to the global cfg.CONF (ignoring the service's
    # [oslo_middleware] max_request_body_size, proxy and healthcheck
    # options), so it is given the ConfigOpts object itself.
    keystone_conf = {'oslo_config_config': conf}
    app = pecan_app.setup_app(conf, repositories, policy.make_enforcer(conf),
                              trusts)
    app = gate.RequestGate(app, conf.api.concurrent_requests)
    if conf.auth_strategy == 'keystone':
        app = path_dispatch(VERSIONS_PATHS, app,
                            auth_token.AuthProtocol(app, keystone_conf))
    # The body checks do nothing for a request without a body (most
    # requests: every GET but a search, every DELETE), so those skip
    # their three request/response wrappings.
    # A body with Content-Length only needs the size limiter.
    body_checks = Dispatch(
        sized_body_only, sizelimit.RequestBodySizeLimiter(app, conf),
        chunked.RequireReadableBody(sizelimit.RequestBodySizeLimiter(
            chunked.BufferChunkedBody(app), conf)))
    app = fault.JsonErrors(Dispatch(sends_body, body_checks, app))
    app = path_dispatch(HEALTHCHECK_PATHS,
                        ReadOnly(healthcheck.Healthcheck(None, conf)), app)
    # Likewise the proxy headers middleware, unless it is enabled.
    conf.register_opts(http_proxy_to_wsgi.OPTS, group='oslo_middleware')
    app = Dispatch(proxy_headers_parsed(conf),
                   http_proxy_to_wsgi.HTTPProxyToWSGI(app, conf), app)
    app = access_log.AccessLog(app)
    app = request_id.RequestId(app, conf)
    return app
