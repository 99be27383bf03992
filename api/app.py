"""The Pecan application of the Freezer API (no middleware)."""

import pecan
import pecan.core

from api.controllers import root
from api import hooks
from api import pages


#: What every routed controller answers with (the controllers render
#: their own bodies, :mod:`api.render`).
CONTENT_TYPE = 'application/json'


class RegistryPecan(pecan.core.PecanBase):
    """Pecan, routing from the route registry without introspection.

    Pecan's own lookup walks the controller tree by attribute and, on
    every request, computes the argument specification of ``_route`` and
    of the controller (``inspect.getfullargspec`` plus a new namedtuple
    class each time), negotiates a template content type and parses the
    query string into keyword arguments: about a fifth of a small
    request's CPU (issue 18). Here every path is matched against
    :data:`api.routes.ROUTES` (:meth:`api.controllers.root.
    RootController.endpoint`) and the one controller,
    :meth:`api.controllers.base.Endpoint.dispatch`, is called with the
    request (Pecan's explicit style: no thread-local ``pecan.request``)
    and always returns a :class:`webob.Response`. Pecan still builds the
    request and response, runs the hooks (``on_route``, ``before``,
    ``after``, ``on_error``) and turns exceptions into answers.
    """

    def find_controller(self, state):
        """Route one request (overrides :meth:`pecan.core.PecanBase.
        find_controller`).

        :param state: Pecan's routing state of the request.
        :returns: ``(controller, args, kwargs)``: the endpoint's bound
            ``dispatch``, ``[request]`` and ``{}``.
        :raises webob.exc.HTTPNotFound: no route has the path (rendered
            by :class:`api.hooks.FaultHook`).
        """
        request = state.request
        request.pecan['routing_path'] = path = request.path_info
        self.handle_hooks(self.hooks, 'on_route', state)
        controller = self.root.endpoint(path)
        state.controller = controller
        request.pecan['content_type'] = CONTENT_TYPE
        state.arguments = pecan.core.Arguments([request], [], {})
        self.handle_hooks(self.hooks, 'before', state)
        return controller, [request], {}

    def invoke_controller(self, controller, args, kwargs, state):
        """Call the endpoint and keep its response (overrides
        :meth:`pecan.core.PecanBase.invoke_controller`; no template
        rendering: the controllers render their own JSON).

        :param controller: the bound ``dispatch`` from
            :meth:`find_controller`.
        :param args: ``[request]``.
        :param kwargs: ``{}``.
        :param state: Pecan's routing state; its ``response`` is set.
        :returns: None
        """
        state.response = controller(*args, **kwargs)

    def _handle_empty_response_body(self, state):
        """Pass a streamed list page (:class:`api.pages.Stream`) through
        as it is.

        Pecan turns a 200 without a body into a 204, and to find out
        reads the body: whole for an iterable, through
        :func:`itertools.tee` for a generator, whose buffer keeps every
        chunk alive until it is passed. Either way a streamed page would
        be held whole again (issue 20). A stream always has a body (at
        least ``{"<collection>": []}``), so the check is skipped for it.
        """
        if isinstance(state.response.app_iter, pages.Stream):
            return
        super()._handle_empty_response_body(state)


def setup_app(conf, repositories, enforcer, trusts=None):
    """Build the Pecan WSGI application.

    :param conf: the parsed configuration (``[api]`` and
        ``auth_strategy`` are read per request).
    :param repositories: the repository of every resource
        (:class:`freezer_core.storage.Repositories`).
    :param enforcer: the policy enforcer (:func:`api.policy.make_enforcer`).
    :param trusts: the trust broker of job writes, or None
        (:class:`api.hooks.ServiceHook`).
    :returns: a WSGI application.
    """
    return RegistryPecan(
        root.RootController(),
        hooks=[hooks.FaultHook(),
               hooks.NoFormHook(),
               hooks.ServiceHook(conf, repositories, enforcer, trusts),
               hooks.AcceptHook()],
        # Never redirect to add a slash, and never strip ".json" from a
        # path: both would let a URL bypass the explicit route table.
        force_canonical=False,
        guess_content_type_from_ext=False,
    )
