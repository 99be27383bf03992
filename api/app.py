"""The Pecan application of the Freezer API (no middleware)."""

import pecan

from api.controllers import root
from api import hooks


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
    return pecan.Pecan(
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
