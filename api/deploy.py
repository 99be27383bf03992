"""The middleware stack of the Freezer API, built in code in one place.

Order, outermost first, and why:

1. ``RequestId`` (oslo.middleware): every response, errors and the
   health check included, carries ``x-openstack-request-id``; inside it,
   :class:`api.access_log.AccessLog` logs one line per request.
2. ``HTTPProxyToWSGI``: URLs in answers (``Location``, versions) use the
   scheme and host the client used through a TLS-terminating proxy.
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
   empty).
6. Authentication: keystonemiddleware's ``auth_token`` for
   ``auth_strategy = keystone``, except for the versions document ``/``;
   nothing for ``noauth`` (identity headers are trusted, see
   :mod:`api.context`).
7. The Pecan application (:mod:`api.app`).
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
from api import policy

#: Paths of the versions document, answered without authentication.
VERSIONS_PATHS = ('/', '')
#: Paths of the health check.
HEALTHCHECK_PATHS = ('/healthcheck', '/healthcheck/')


class PathDispatch(object):
    """Send a few exact paths to another WSGI application.

    :param paths: iterable of exact PATH_INFO values (str).
    :param special: WSGI app answering those paths.
    :param default: WSGI app answering every other path.
    """

    def __init__(self, paths, special, default):
        self.paths = frozenset(paths)
        self.special = special
        self.default = default

    def __call__(self, environ, start_response):
        if environ.get('PATH_INFO', '') in self.paths:
            return self.special(environ, start_response)
        return self.default(environ, start_response)


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
    if conf.auth_strategy == 'keystone':
        app = PathDispatch(VERSIONS_PATHS, app,
                           auth_token.AuthProtocol(app, keystone_conf))
    app = chunked.BufferChunkedBody(app)
    app = sizelimit.RequestBodySizeLimiter(app, conf)
    app = chunked.RequireReadableBody(app)
    app = fault.JsonErrors(app)
    app = PathDispatch(HEALTHCHECK_PATHS,
                       ReadOnly(healthcheck.Healthcheck(None, conf)), app)
    app = http_proxy_to_wsgi.HTTPProxyToWSGI(app, conf)
    app = access_log.AccessLog(app)
    app = request_id.RequestId(app, conf)
    return app
