"""Policy enforcement: the oslo.policy enforcer and the one check call.

The rule defaults live in :mod:`policies`; this module loads them into an
:class:`oslo_policy.policy.Enforcer` bound to the service's configuration
(so ``[oslo_policy] policy_file`` overrides apply) and checks a rule for a
request context against the URL's project.
"""

from oslo_config import cfg
from oslo_policy import policy as oslo_policy

from api import errors
import policies


def make_enforcer(conf):
    """Build an enforcer holding every registered rule default.

    :param conf: a parsed :class:`oslo_config.cfg.ConfigOpts`.
    :returns: :class:`oslo_policy.policy.Enforcer`.
    """
    enforcer = oslo_policy.Enforcer(conf)
    enforcer.register_defaults(policies.list_rules())
    return enforcer


def get_enforcer():
    """Enforcer for the ``oslo.policy.enforcer`` entry point.

    Used by ``oslopolicy-policy-generator`` and friends, which know no
    service configuration: it reads the default configuration files of
    project ``freezer-api``.

    :returns: :class:`oslo_policy.policy.Enforcer`.
    """
    conf = cfg.ConfigOpts()
    conf([], project='freezer-api')
    return make_enforcer(conf)


def authorize(enforcer, context, rule, project_id):
    """Check one rule for a caller against a project.

    :param enforcer: the :class:`oslo_policy.policy.Enforcer`.
    :param context: the caller's :class:`oslo_context.context.RequestContext`.
    :param rule: str, a registered rule name (a constant of
        :mod:`policies.actions`); an unregistered name raises
        :class:`oslo_policy.policy.PolicyNotRegistered`, never falling back
        to a default rule.
    :param project_id: str, the project of the URL (the policy target).
    :returns: None
    :raises api.errors.Forbidden: the rule denies the caller.
    """
    target = {'project_id': project_id}
    try:
        enforcer.authorize(rule, target, context, do_raise=True)
    except oslo_policy.PolicyNotAuthorized:
        raise errors.Forbidden(rule)
    except oslo_policy.InvalidScope:
        raise errors.Forbidden(rule)
