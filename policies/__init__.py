"""Policy-in-code defaults of the Freezer API.

One module per resource holds that resource's rules; :func:`list_rules`
gathers them for the enforcer (``api.policy``) and for
``oslopolicy-sample-generator`` through the ``oslo.policy.policies`` entry
point of namespace ``freezer-api``.
"""

import itertools

from policies import actions
from policies import backups
from policies import clients
from policies import jobs
from policies import sessions


def list_rules():
    """Return every policy default of the service.

    :returns: list of :class:`oslo_policy.policy.DocumentedRuleDefault`
        in a stable order (resource by resource).
    """
    return list(itertools.chain(
        actions.list_rules(),
        clients.list_rules(),
        jobs.list_rules(),
        sessions.list_rules(),
        backups.list_rules(),
    ))
