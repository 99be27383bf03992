"""Remembering policy decisions within a worker.

oslo.policy evaluates a rule from scratch on every check, and its check
walk introspects each check's ``__call__`` signature (``inspect.
getfullargspec``) at every node: about a third of the CPU of a small
request (issue 18's profile). A decision is a pure function of the rule
set in force, the rule name, the target and the caller's credentials as
long as every check of the rule is one of oslo.policy's own pure checks
(roles, generic ``key:%(value)s`` matches, rule references, ``@``/``!``
and ``and``/``or``/``not``). :class:`DecisionCache` keeps those decisions
for the rule set in force, so a worker decides each distinct (rule,
target, credentials) once; a rule that reaches any other kind of check
(``http:``, a check class registered by a plugin) is evaluated by
oslo.policy every time.

The cache is bounded (:data:`MAX_DECISIONS` entries, emptied whole when
full) and forgotten whenever the rule set object changes (a reload, see
:class:`api.policy.ReloadingEnforcer`).
"""

import threading

from oslo_context import context as oslo_context
from oslo_policy import _checks
from oslo_policy import policy as oslo_policy

#: Decisions kept per worker before the cache is emptied and refilled.
#: One entry per distinct (rule, project, caller): a few hundred bytes.
MAX_DECISIONS = 8192

#: oslo.policy's check classes whose outcome depends only on the target,
#: the credentials and the rule set.
PURE_CHECKS = (_checks.TrueCheck, _checks.FalseCheck, _checks.RoleCheck,
               _checks.GenericCheck, _checks.RuleCheck, _checks.AndCheck,
               _checks.OrCheck, _checks.NotCheck)


def _frozen(value):
    """A hashable stand-in for a credential or target value.

    :param value: a JSON-like value (str, number, bool, None, list,
        tuple, dict).
    :returns: a hashable value equal for equal inputs.
    :raises TypeError: a value of another, unhashable type.
    """
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item))
                            for key, item in value.items()))
    hash(value)
    return value


def is_pure(check, rules, seen=None):
    """Whether a parsed rule's outcome depends only on its inputs.

    :param check: an oslo.policy check object (the parsed rule).
    :param rules: the rule set in force (:class:`oslo_policy.policy.
        Rules`), to follow ``rule:`` references.
    :param seen: set of rule names already followed (cycle guard).
    :returns: bool; False for any check class not in
        :data:`PURE_CHECKS` anywhere in the tree, or for a reference to a
        rule that does not exist.
    """
    seen = set() if seen is None else seen
    if not isinstance(check, PURE_CHECKS):
        return False
    if isinstance(check, (_checks.AndCheck, _checks.OrCheck)):
        return all(is_pure(member, rules, seen) for member in check.rules)
    if isinstance(check, _checks.NotCheck):
        return is_pure(check.rule, rules, seen)
    if isinstance(check, _checks.RuleCheck):
        if check.match in seen:
            return True
        seen.add(check.match)
        referenced = rules.get(check.match)
        return referenced is not None and is_pure(referenced, rules, seen)
    return True


class DecisionCache(object):
    """A mixin for an :class:`oslo_policy.policy.Enforcer` that keeps
    the decisions of pure rules (see the module docstring).

    It overrides :meth:`enforce` only; everything oslo.policy does
    (rule loading, scope checks, logging, the exception raised) still
    happens on the first evaluation of each decision, and a denial is
    raised the way oslo.policy raises it.
    """

    def _decision_state(self):
        """The cache for the rule set in force, reset on a new one.

        :returns: ``(decisions dict, purity dict)``.
        """
        rules = self.rules
        state = getattr(self, '_decisions_for', None)
        if state is None or state[0] is not rules:
            with self._decisions_lock:
                state = getattr(self, '_decisions_for', None)
                if state is None or state[0] is not rules:
                    state = (rules, {}, {})
                    self._decisions_for = state
        return state[1], state[2]

    def _decision_key(self, rule, target, creds):
        """The cache key of a check, or None when it is not cacheable.

        :returns: tuple, or None (a check object rather than a rule
            name, an impure or unknown rule, unhashable inputs).
        """
        if not isinstance(rule, str) or not self.rules:
            return None
        decisions, purity = self._decision_state()
        pure = purity.get(rule)
        if pure is None:
            parsed = self.rules.get(rule)
            pure = parsed is not None and is_pure(parsed, self.rules)
            purity[rule] = pure
        if not pure:
            return None
        if isinstance(creds, oslo_context.RequestContext):
            creds = creds.to_policy_values()
        try:
            return (rule, _frozen(dict(target)), _frozen(dict(creds)))
        except TypeError:
            return None

    def enforce(self, rule, target, creds, do_raise=False, exc=None,
                *args, **kwargs):
        """:meth:`oslo_policy.policy.Enforcer.enforce`, remembered.

        Same arguments, result and exceptions. The first check of a
        (rule, target, credentials) runs oslo.policy's own; later ones
        answer from the cache while the rule set is the same object.
        """
        # Looks at the policy files at most every few seconds
        # (ReloadingEnforcer); a new rule set empties the cache.
        self.load_rules()
        key = self._decision_key(rule, target, creds)
        if key is None:
            return super().enforce(rule, target, creds, do_raise, exc,
                                   *args, **kwargs)
        decisions, _purity = self._decision_state()
        try:
            result = decisions[key]
        except KeyError:
            try:
                result = super().enforce(rule, target, creds, do_raise)
            except oslo_policy.PolicyNotAuthorized:
                result = False
            # Anything else (InvalidScope) propagates and is not kept.
            if len(decisions) >= MAX_DECISIONS:
                decisions.clear()
            decisions[key] = result
        if do_raise and not result:
            if exc:
                raise exc(*args, **kwargs)
            if isinstance(creds, oslo_context.RequestContext):
                creds = creds.to_policy_values()
            raise oslo_policy.PolicyNotAuthorized(rule, target, creds)
        return result


def init_decisions(enforcer):
    """Prepare an enforcer built with :class:`DecisionCache` (call from
    its ``__init__``).

    :param enforcer: the enforcer.
    :returns: None
    """
    enforcer._decisions_lock = threading.Lock()
    enforcer._decisions_for = None
