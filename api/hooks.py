"""Pecan hooks: what every request gets before and after its controller.

* :class:`ServiceHook` attaches the configuration, repository, enforcer
  and caller context to the request;
* :class:`AcceptHook` answers 406 when ``Accept`` excludes JSON;
* :class:`FaultHook` renders exceptions through :mod:`api.errors`.
"""

from oslo_log import log as logging
import pecan.hooks

from api import context
from api import errors

LOG = logging.getLogger(__name__)


class ServiceHook(pecan.hooks.PecanHook):
    """Attach the service's collaborators to each request.

    :param conf: the parsed configuration.
    :param repository: a :class:`freezer_core.storage.actions.ActionRepository`.
    :param enforcer: an :class:`oslo_policy.policy.Enforcer`.
    """

    def __init__(self, conf, repository, enforcer):
        self.conf = conf
        self.repository = repository
        self.enforcer = enforcer

    def on_route(self, state):
        request = state.request
        request.conf = self.conf
        request.repository = self.repository
        request.enforcer = self.enforcer
        request.freezer_context = context.from_environ(request.environ,
                                               self.conf.auth_strategy)


class AcceptHook(pecan.hooks.PecanHook):
    """Refuse requests whose ``Accept`` header excludes JSON (406)."""

    def on_route(self, state):
        accept = state.request.accept
        if not accept:
            return
        try:
            offers = accept.acceptable_offers(
                ['application/json', 'application/json-home'])
        except Exception:
            # An unparsable Accept header is treated as absent.
            return
        if not offers:
            raise errors.NotAcceptable()


class FaultHook(pecan.hooks.PecanHook):
    """Render every exception raised while routing or handling."""

    def on_error(self, state, exc):
        resp = errors.to_response(exc)
        if resp is None:
            LOG.exception('Unexpected error answering %s %s',
                          state.request.method, state.request.path_qs)
            resp = errors.internal_error()
        return resp
