"""The per-worker memory of policy decisions (:mod:`api.policy_decisions`,
issue 18): the same answers as oslo.policy, each distinct question asked
of oslo.policy once per rule set, never for a rule that is not pure."""

import itertools

import fixtures
from oslo_config import cfg
from oslo_context import context as oslo_context
from oslo_policy import _checks
from oslo_policy import policy as oslo_policy
import testtools

from api import policy
from api import policy_decisions

PROJECTS = ('project-a', 'project-b')
ROLES = ((), ('reader',), ('member',), ('admin',), ('reader', 'member'))
RULES = ('actions:get_all', 'actions:create', 'actions:delete',
         'jobs:update', 'clients:create_central', 'sessions:job:add',
         'backups:delete')


def _conf():
    conf = cfg.ConfigOpts()
    conf([], project='freezer-api-test', default_config_files=[],
         default_config_dirs=[])
    return conf


def _context(project, roles):
    return oslo_context.RequestContext(user_id='u', project_id=project,
                                       roles=list(roles))


class PluginCheck(_checks.Check):
    """A check class from outside oslo.policy (as a plugin registers):
    its outcome may depend on anything, so it is never remembered."""

    def __call__(self, target, creds, enforcer):
        return False


class TestDecisions(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.calls = []
        original = oslo_policy.Enforcer.enforce

        def counting(enforcer, rule, *args, **kwargs):
            self.calls.append(rule)
            return original(enforcer, rule, *args, **kwargs)

        self.useFixture(fixtures.MonkeyPatch(
            'oslo_policy.policy.Enforcer.enforce', counting))
        self.enforcer = policy.make_enforcer(_conf())
        self.plain = oslo_policy.Enforcer(_conf())
        self.plain.register_defaults(
            self.enforcer.registered_rules.values())

    def decide(self, enforcer, rule, target_project, context):
        try:
            enforcer.authorize(rule, {'project_id': target_project},
                               context, do_raise=True)
            return True
        except oslo_policy.PolicyNotAuthorized:
            return False

    def test_every_answer_is_oslo_policys_answer(self):
        """Over rules x caller projects x roles x URL projects, twice
        (the second pass from the cache), the answers are the ones a
        plain oslo.policy enforcer gives."""
        cases = list(itertools.product(RULES, PROJECTS, ROLES, PROJECTS))
        for _ in range(2):
            for rule, project, roles, target in cases:
                context = _context(project, roles)
                self.assertEqual(
                    self.decide(self.plain, rule, target, context),
                    self.decide(self.enforcer, rule, target, context),
                    (rule, project, roles, target))
        # Both allowed and denied answers were among them.
        answers = {self.decide(self.plain, r, t, _context(p, ro))
                   for r, p, ro, t in cases}
        self.assertEqual({True, False}, answers)

    def test_each_question_reaches_oslo_policy_once(self):
        context = _context('project-a', ('member',))
        for _ in range(5):
            self.assertTrue(self.decide(self.enforcer, 'actions:get_all',
                                        'project-a', context))
            self.assertFalse(self.decide(self.enforcer, 'actions:get_all',
                                         'project-b', context))
        self.assertEqual(2, len(self.calls))

    def test_a_denial_is_raised_as_oslo_policy_raises_it(self):
        context = _context('project-a', ())
        for _ in range(2):
            error = self.assertRaises(
                oslo_policy.PolicyNotAuthorized, self.enforcer.authorize,
                'actions:get_all', {'project_id': 'project-a'}, context,
                do_raise=True)
            self.assertIn('actions:get_all', str(error))
        self.assertFalse(self.enforcer.enforce(
            'actions:get_all', {'project_id': 'project-a'}, context))

    def test_a_new_rule_set_forgets_the_decisions(self):
        # (The first check loads the rules; a replaced rule set stays in
        # force until the files are looked at again, RECHECK_SECONDS.)
        context = _context('project-a', ('reader',))
        self.assertFalse(self.decide(self.enforcer, 'actions:delete',
                                     'project-a', context))
        rules = dict(self.enforcer.rules)
        rules['actions:delete'] = _checks.TrueCheck()
        self.enforcer.rules = oslo_policy.Rules(rules)
        self.assertTrue(self.decide(self.enforcer, 'actions:delete',
                                    'project-a', context))
        self.assertEqual(2, len(self.calls))

    def test_an_impure_rule_is_evaluated_every_time(self):
        self.enforcer.load_rules()
        rules = dict(self.enforcer.rules)
        rules['actions:get_all'] = _checks.OrCheck([
            _checks.RoleCheck('role', 'admin'),
            PluginCheck('plugin', 'x')])
        self.enforcer.rules = oslo_policy.Rules(rules)
        context = _context('project-a', ('admin',))
        for _ in range(3):
            self.assertTrue(self.decide(self.enforcer, 'actions:get_all',
                                        'project-a', context))
        self.assertEqual(3, len(self.calls))

    def test_the_cache_is_bounded(self):
        self.useFixture(fixtures.MonkeyPatch(
            'api.policy_decisions.MAX_DECISIONS', 4))
        for n in range(10):
            self.decide(self.enforcer, 'actions:get_all', 'project-a',
                        _context('p%d' % n, ('member',)))
        decisions, _purity = self.enforcer._decision_state()
        self.assertLessEqual(len(decisions), 4)


class TestPurity(testtools.TestCase):

    def rules(self, **checks):
        return oslo_policy.Rules(checks)

    def test_oslo_policys_own_checks_are_pure(self):
        check = _checks.AndCheck([
            _checks.RoleCheck('role', 'member'),
            _checks.NotCheck(_checks.GenericCheck('project_id',
                                                  '%(project_id)s')),
            _checks.OrCheck([_checks.TrueCheck(), _checks.FalseCheck()]),
            _checks.RuleCheck('rule', 'base')])
        self.assertTrue(policy_decisions.is_pure(
            check, self.rules(base=_checks.RoleCheck('role', 'admin'))))

    def test_a_reference_to_an_impure_or_missing_rule_is_not(self):
        http = PluginCheck('plugin', 'x')
        reference = _checks.RuleCheck('rule', 'remote')
        self.assertFalse(policy_decisions.is_pure(
            reference, self.rules(remote=http)))
        self.assertFalse(policy_decisions.is_pure(reference, self.rules()))

    def test_a_cycle_of_references_ends(self):
        rules = self.rules(a=_checks.RuleCheck('rule', 'b'),
                           b=_checks.RuleCheck('rule', 'a'))
        self.assertTrue(policy_decisions.is_pure(rules['a'], rules))
