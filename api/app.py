"""The Pecan application of the Freezer API (no middleware)."""

import pecan

from api.controllers import root
from api import hooks
from api import pages


class Application(pecan.Pecan):
    """Pecan, passing a streamed list page (:class:`api.pages.Stream`)
    through as it is.

    Pecan turns a 200 without a body into a 204, and to find out reads
    the body: whole for an iterable, through :func:`itertools.tee` for a
    generator, whose buffer keeps every chunk of a link (57 of them)
    alive until the link is passed. Either way a streamed page would be
    held whole again (issue 20). A stream always has a body (at least
    ``{"<collection>": []}``), so the check is skipped for it.
    """

    def _handle_empty_response_body(self, state):
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
    return Application(
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
