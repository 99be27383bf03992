"""Pecan hooks: what every request gets before and after its controller.

* :class:`ServiceHook` attaches the configuration, repositories, enforcer
  and caller context to the request;
* :class:`NoFormHook` keeps bodies from being parsed as forms;
* :class:`AcceptHook` answers 406 when ``Accept`` excludes JSON;
* :class:`FaultHook` renders exceptions through :mod:`api.errors`.
"""

import functools

from oslo_log import log as logging
import pecan.hooks
import webob.acceptparse
import webob.multidict

from api import context
from api import errors

LOG = logging.getLogger(__name__)


class ServiceHook(pecan.hooks.PecanHook):
    """Attach the service's collaborators to each request.

    :param conf: the parsed configuration.
    :param repositories: the repository of every resource
        (:class:`freezer_core.storage.Repositories`).
    :param enforcer: an :class:`oslo_policy.policy.Enforcer`.
    :param trusts: the Keystone trust broker of job writes
        (:class:`freezer_daemon.trusts.TrustBroker`: ``needed(bool)``,
        ``ensure(token, user_id, project_id)``), or None (no trusts).
    """

    def __init__(self, conf, repositories, enforcer, trusts=None):
        self.conf = conf
        self.repositories = repositories
        self.enforcer = enforcer
        self.trusts = trusts

    def on_route(self, state):
        request = state.request
        request.conf = self.conf
        request.repositories = self.repositories
        request.enforcer = self.enforcer
        request.trusts = self.trusts
        request.freezer_context = context.from_environ(
            request.environ, self.conf.auth_strategy)


#: WSGI environ key holding the request's Content-Type as sent.
HIDDEN_CONTENT_TYPE = 'freezer.content_type'


class NoFormHook(pecan.hooks.PecanHook):
    """Keep Pecan from parsing a body as an HTML form.

    Bodies are read as JSON whatever their Content-Type (spec, "Errors"),
    and controllers take no form parameters, yet Pecan reads
    ``request.params`` while routing, which makes webob parse a
    ``multipart/form-data`` or urlencoded body: a malformed one (no
    boundary) raised ValueError there, a 500 found by schemathesis.
    Recording an empty form for the current body (webob's own cache of
    the parsed form) leaves the body untouched for :mod:`api.inputs`.
    """

    def on_route(self, state):
        environ = state.request.environ
        environ['webob._parsed_post_vars'] = (webob.multidict.MultiDict(),
                                              state.request.body_file_raw)
        # Pecan also decodes a JSON body (Content-Type application/json or
        # application/javascript) with the lenient json module while
        # routing: deep nesting raised RecursionError (a 500) and invalid
        # UTF-8 a generic 400, before policy and before the strict parser
        # that answers 753. Pecan sees the body as opaque bytes instead;
        # the header as sent is kept under HIDDEN_CONTENT_TYPE.
        content_type = environ.get('CONTENT_TYPE')
        if content_type is not None:
            environ[HIDDEN_CONTENT_TYPE] = content_type
            environ['CONTENT_TYPE'] = 'application/octet-stream'


class AcceptHook(pecan.hooks.PecanHook):
    """Refuse requests whose ``Accept`` header excludes JSON (406)."""

    def on_route(self, state):
        header = state.request.headers.get('Accept', '')
        # An empty ``Accept:`` header states no preference (RFC 9110
        # 12.5.1 treats it like an absent one for most clients).
        if header.strip() and _excludes_json(header):
            raise errors.NotAcceptable()


@functools.lru_cache(maxsize=256)
def _excludes_json(header):
    """Whether an ``Accept`` header value excludes every JSON answer.

    A pure function of the header, kept for the few values clients send
    (parsing it was about 2 % of a show's CPU, issue 18); at most 256
    values are kept, least recently used first out.

    :param header: str, the non-empty ``Accept`` value.
    :returns: bool; False for an unparsable header (treated as absent).
    """
    accept = webob.acceptparse.create_accept_header(header)
    if not accept:
        return False
    try:
        offers = accept.acceptable_offers(list(_JSON_TYPES))
        ranges = list(accept.parsed or ())
    except Exception:
        return False
    return not offers and not _json_range_with_parameters(ranges)


#: The media types this service answers with.
_JSON_TYPES = ('application/json', 'application/json-home')


def _json_range_with_parameters(ranges):
    """Tell whether ``application/json; charset=utf-8`` (or another
    parameter) was asked for with a non-zero weight.

    webob matches a range with parameters only against an offer with the
    same parameters, so ``Accept: application/json; charset=utf-8`` would
    otherwise be answered 406 although it does not exclude JSON (spec,
    "Errors": 406 only when Accept excludes JSON).

    :param ranges: webob's parsed Accept: tuples whose first two items
        are the media range (str) and its weight (float).
    :returns: bool.
    """
    for parsed in ranges:
        media_range, weight = parsed[0], parsed[1]
        media_type = media_range.split(';', 1)[0].strip().lower()
        if weight > 0 and media_type in _JSON_TYPES:
            return True
    return False


class FaultHook(pecan.hooks.PecanHook):
    """Render every exception raised while routing or handling."""

    def on_error(self, state, exc):
        resp = errors.to_response(exc)
        if resp is None:
            LOG.exception('Unexpected error answering %s %s',
                          state.request.method, state.request.path_qs)
            resp = errors.internal_error()
        return resp
