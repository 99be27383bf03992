"""The policy defaults in code, checked as a permission matrix.

Every test builds a real :class:`oslo_policy.policy.Enforcer` on a fresh
ConfigOpts (no policy file, so only the defaults in code apply) and
enforces rules with plain credential dicts, the way keystonemiddleware's
headers become credentials. The expected outcomes are those of the
"Project access" sections of ``spec/actions.md``, ``clients.md``,
``jobs.md``, ``sessions.md`` and ``backups.md``: each rule belongs to one
of four kinds below, and each persona's test walks every rule of a kind.
"""

from oslo_config import cfg
from oslo_policy import policy
import testtools

import policies
from policies import actions
from policies import backups
from policies import clients
from policies import jobs
from policies import sessions

PROJECT = 'project-a'
OTHER_PROJECT = 'project-b'

#: Admin, service, or reader/member of the URL project.
READ_RULES = (actions.GET_ALL, actions.GET, clients.GET_ALL, clients.GET,
              jobs.GET_ALL, jobs.GET, sessions.GET_ALL, sessions.GET,
              backups.GET_ALL, backups.GET)
#: Admin, or member of the URL project.
WRITE_RULES = (actions.CREATE, actions.UPDATE, actions.REPLACE,
               actions.DELETE, clients.CREATE, clients.DELETE, jobs.CREATE,
               jobs.UPDATE, jobs.DELETE, jobs.EVENT_CREATE, sessions.CREATE,
               sessions.UPDATE, sessions.REPLACE, sessions.DELETE,
               sessions.ACTION_CREATE, sessions.JOB_ADD, sessions.JOB_REMOVE)
#: Admin, service, or member of the URL project (backups.md: a central
#: scheduler files its agents' records with a service account).
SERVICE_WRITE_RULES = (backups.CREATE, backups.UPDATE, backups.DELETE)
#: Admin or service only, in any project.
ADMIN_OR_SERVICE_RULES = (clients.CREATE_CENTRAL, jobs.GET_ALL_PROJECTS)
ALL_RULES = (READ_RULES + WRITE_RULES + SERVICE_WRITE_RULES
             + ADMIN_OR_SERVICE_RULES)


def _creds(*roles, project_id=PROJECT):
    """Return project-scoped credentials holding ``roles``."""
    return {'roles': list(roles), 'project_id': project_id,
            'user_id': 'user-1'}


class PolicyTestCase(testtools.TestCase):
    """Enforce the in-code defaults against a URL project target."""

    def setUp(self):
        super().setUp()
        conf = cfg.ConfigOpts()
        conf([], project='freezer-api')
        self.enforcer = policy.Enforcer(conf)
        self.enforcer.register_defaults(policies.list_rules())
        self.addCleanup(self.enforcer.clear)

    def _allowed(self, rule, creds, project_id=PROJECT):
        return self.enforcer.enforce(rule, {'project_id': project_id}, creds)

    def assertAllowed(self, rules, creds, project_id=PROJECT):
        for rule in rules:
            self.assertTrue(self._allowed(rule, creds, project_id),
                            '%s refused %r' % (rule, creds))

    def assertRefused(self, rules, creds, project_id=PROJECT):
        for rule in rules:
            self.assertFalse(self._allowed(rule, creds, project_id),
                             '%s allowed %r' % (rule, creds))


class TestRegisteredRules(testtools.TestCase):
    """The rule set itself: names, documentation, scope."""

    def test_rule_names_are_the_compatible_ones(self):
        names = [rule.name for rule in policies.list_rules()]
        self.assertEqual(
            ['actions:get_all', 'actions:create', 'actions:get',
             'actions:update', 'actions:replace', 'actions:delete',
             'clients:get_all', 'clients:create', 'clients:create_central',
             'clients:get', 'clients:delete',
             'jobs:get_all', 'jobs:get_all_projects', 'jobs:create',
             'jobs:get', 'jobs:update', 'jobs:delete', 'jobs:event:create',
             'sessions:get_all', 'sessions:create', 'sessions:get',
             'sessions:update', 'sessions:replace', 'sessions:delete',
             'sessions:action:create', 'sessions:job:add',
             'sessions:job:remove',
             'backups:get_all', 'backups:create', 'backups:get',
             'backups:update', 'backups:delete'],
            names)
        self.assertEqual(sorted(names), sorted(ALL_RULES))

    def test_every_rule_is_documented_and_project_scoped(self):
        for rule in policies.list_rules():
            self.assertIsInstance(rule, policy.DocumentedRuleDefault)
            self.assertTrue(rule.description.strip(), rule.name)
            self.assertEqual(['project'], rule.scope_types, rule.name)
            self.assertNotEqual([], rule.operations, rule.name)

    def test_operations_name_the_routes_of_the_spec(self):
        operations = {
            rule.name: {(op['method'], op['path']) for op in rule.operations}
            for rule in policies.list_rules()}
        collection = '/v2/{project_id}/actions'
        item = '/v2/{project_id}/actions/{action_id}'
        self.assertEqual({('GET', collection), ('HEAD', collection)},
                         operations[actions.GET_ALL])
        self.assertEqual({('POST', collection)}, operations[actions.CREATE])
        self.assertEqual({('GET', item), ('HEAD', item)},
                         operations[actions.GET])
        self.assertEqual({('PATCH', item)}, operations[actions.UPDATE])
        self.assertEqual({('POST', item)}, operations[actions.REPLACE])
        self.assertEqual({('DELETE', item)}, operations[actions.DELETE])
        # The routes each spec adds beyond the five CRUD operations.
        job = '/v2/{project_id}/jobs/{job_id}'
        self.assertEqual({('POST', '/v2/{project_id}/jobs'), ('POST', job)},
                         operations[jobs.CREATE])
        self.assertEqual({('POST', job + '/event')},
                         operations[jobs.EVENT_CREATE])
        session = '/v2/{project_id}/sessions/{session_id}'
        self.assertEqual({('POST', session + '/action')},
                         operations[sessions.ACTION_CREATE])
        self.assertEqual({('PUT', session + '/jobs/{job_id}')},
                         operations[sessions.JOB_ADD])
        self.assertEqual({('DELETE', session + '/jobs/{job_id}')},
                         operations[sessions.JOB_REMOVE])

    def test_list_rules_returns_a_new_list_each_time(self):
        # The enforcer and the sample generator each consume the list;
        # one of them mutating it must not change what the other sees.
        first = policies.list_rules()
        first.clear()
        self.assertEqual(len(ALL_RULES), len(policies.list_rules()))

    def test_rules_register_without_duplicates(self):
        conf = cfg.ConfigOpts()
        conf([], project='freezer-api')
        enforcer = policy.Enforcer(conf)
        enforcer.register_defaults(policies.list_rules())
        self.assertEqual(set(ALL_RULES), set(enforcer.registered_rules))


class TestAdmin(PolicyTestCase):

    def test_user_can_do_everything_in_own_project(self):
        self.assertAllowed(ALL_RULES, _creds('admin'))

    def test_user_can_do_everything_in_other_project(self):
        self.assertAllowed(ALL_RULES, _creds('admin'),
                           project_id=OTHER_PROJECT)

    def test_system_scoped_user_cannot_use_project_rules(self):
        creds = {'roles': ['admin'], 'system_scope': 'all',
                 'project_id': None}
        self.assertRefused(ALL_RULES, creds)

    def test_domain_scoped_user_cannot_use_project_rules(self):
        creds = {'roles': ['admin'], 'domain_id': 'default',
                 'project_id': None}
        self.assertRefused(ALL_RULES, creds)


class TestService(PolicyTestCase):

    def test_user_can_read_any_project(self):
        self.assertAllowed(READ_RULES, _creds('service'))
        self.assertAllowed(READ_RULES, _creds('service'),
                           project_id=OTHER_PROJECT)

    def test_user_can_file_backups_and_register_central_clients(self):
        for project_id in (PROJECT, OTHER_PROJECT):
            self.assertAllowed(SERVICE_WRITE_RULES + ADMIN_OR_SERVICE_RULES,
                               _creds('service'), project_id=project_id)

    def test_user_cannot_write(self):
        self.assertRefused(WRITE_RULES, _creds('service'))
        self.assertRefused(WRITE_RULES, _creds('service'),
                           project_id=OTHER_PROJECT)


class TestProjectMember(PolicyTestCase):

    def test_user_can_read_and_write_own_project(self):
        self.assertAllowed(READ_RULES + WRITE_RULES + SERVICE_WRITE_RULES,
                           _creds('member'))

    def test_user_cannot_register_central_or_list_every_project(self):
        self.assertRefused(ADMIN_OR_SERVICE_RULES, _creds('member'))

    def test_user_cannot_touch_other_project(self):
        self.assertRefused(ALL_RULES, _creds('member'),
                           project_id=OTHER_PROJECT)

    def test_user_with_member_and_reader_can_write_own_project(self):
        # The noauth strategy's default identity: what unmodified clients
        # get, so it must be able to write.
        self.assertAllowed(READ_RULES + WRITE_RULES + SERVICE_WRITE_RULES,
                           _creds('member', 'reader'))


class TestProjectReader(PolicyTestCase):

    def test_user_can_read_own_project(self):
        self.assertAllowed(READ_RULES, _creds('reader'))

    def test_user_cannot_write_own_project(self):
        self.assertRefused(
            WRITE_RULES + SERVICE_WRITE_RULES + ADMIN_OR_SERVICE_RULES,
            _creds('reader'))

    def test_user_cannot_read_other_project(self):
        self.assertRefused(READ_RULES, _creds('reader'),
                           project_id=OTHER_PROJECT)


class TestNoRole(PolicyTestCase):

    def test_user_cannot_do_anything(self):
        self.assertRefused(ALL_RULES, _creds())

    def test_user_with_unknown_role_cannot_do_anything(self):
        self.assertRefused(ALL_RULES, _creds('observer'))

    def test_member_role_without_project_cannot_do_anything(self):
        self.assertRefused(ALL_RULES, _creds('member', project_id=None))
