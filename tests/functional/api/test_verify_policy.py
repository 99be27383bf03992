"""Every route is guarded by a registered rule, and policy files apply.

The walk covers each method of each route of the registry
(:data:`api.routes.ROUTES`, which routing itself uses, so a new route or
method cannot escape it):

* a caller with no role gets 403 everywhere;
* the rule each 403 names is a registered rule whose documented
  operations list that method and route (the sample policy and the docs
  tell operators the truth), and every registered rule guards a route;
* with ``[oslo_policy] policy_default_rule = !`` an admin still passes
  everywhere, so no route falls through to the default rule.

The last class proves that ``[oslo_policy] policy_file`` overrides reach
the running service.
"""

import os
import re

import yaml

from api import policy
from freezer_daemon import wiring
import policies
from tests.functional.api import base
from tests.functional.api import resources

PROJECT = 'project-a'
ACTION_ID = resources.ACTION_ID
#: Routes that carry no project data and need no token (spec, "Routes").
OPEN_PATHS = ('/', '/v2', '/healthcheck')


def walk():
    """Every (method, route, concrete path) of the registry guarded by a
    rule (the open documents aside)."""
    for step in resources.walk(PROJECT):
        yield step.method, step.route, step.path


def body_for(method, route):
    """A valid body for the writes, so only policy can refuse them."""
    resource = resources.resource_of(route)
    return resource.bodies.get((method, route.template))


def documented_rule(method, route):
    """The registered rules whose operations list this method and route.

    :param route: :class:`api.routes.Route`.
    """
    return [rule.name for rule in policies.list_rules()
            for op in rule.operations
            if (op['method'], op['path']) == (method, route.template)]


def use_policy_file(case, rules):
    """Write ``rules`` to a policy file and rebuild the case's service
    with ``[oslo_policy] policy_file`` naming it.

    :param case: a :class:`base.ApiTestCase`.
    :param rules: dict rule name -> check string.
    """
    path = os.path.join(case.conf.state_path, 'policy.yaml')
    with open(path, 'w') as f:
        yaml.safe_dump(rules, f)
    case.conf.set_override('policy_file', path, group='oslo_policy')
    case.app = wiring.build_app(case.conf)


class TestVerifyPolicy(base.ApiTestCase):
    """Walk the route table as a caller with no role, and as an admin."""

    def setUp(self):
        super().setUp()
        resources.setup(self, PROJECT)

    def _rule_named_by(self, resp):
        description = self.assertError(403, resp)['description']
        return description.split('allow ', 1)[1].split(' ', 1)[0]

    def test_walk_covers_every_route_the_service_publishes(self):
        # The JSON-home document lists each route and the methods it
        # allows; the walk must hold exactly those.
        resp = self.request('GET', '/v2', roles='')
        published = set()
        for resource in resp.json['resources'].values():
            template = re.sub(r'\{\?[^}]*\}$', '',
                              resource['href-template']).rstrip('/')
            for method in resource['hints']['allow']:
                published.add((method, template))
        walked = {(method, route.template) for method, route, _ in walk()}
        self.assertEqual(published, walked)

    def test_no_role_gets_403_on_every_route(self):
        # An empty X-Roles (no role at all) and an unknown role alike.
        for roles in ('', 'observer'):
            for method, route, path in walk():
                resp = self.request(method, path, body_for(method, route),
                                    project=PROJECT, roles=roles,
                                    user='nobody')
                self.assertEqual(403, resp.status_int,
                                 '%s %s roles=%r' % (method, path, roles))
                if method != 'HEAD':
                    self.assertError(403, resp)
        # Nothing was written by all those refused writes.
        resp = self.request('GET', '/v2/%s/actions' % PROJECT,
                            project=PROJECT, roles='reader')
        self.assertEqual([ACTION_ID],
                         [a['action_id'] for a in resp.json['actions']])
        self.assertEqual(1, resp.json['actions'][0]['_version'])

    def test_each_route_names_its_documented_registered_rule(self):
        enforcer = policy.make_enforcer(self.conf)
        enforcer.load_rules()
        enforced = set()
        for method, route, path in walk():
            if method == 'HEAD':
                # No body, so no description: HEAD shares GET's rule.
                continue
            resp = self.request(method, path, body_for(method, route),
                                project=PROJECT, roles='')
            rule = self._rule_named_by(resp)
            self.assertIn(rule, enforcer.registered_rules)
            # A tuple lets a caller through on any of its rules (client
            # registration); a refusal names the first.
            rules = route.methods[method].rule
            rules = rules if isinstance(rules, tuple) else (rules,)
            self.assertEqual(sorted(rules),
                             sorted(documented_rule(method, route)),
                             '%s %s' % (method, route.template))
            self.assertEqual(rules[0], rule)
            enforced.update(rules)
        # HEAD is documented with the same rule as GET on every route.
        for route in {route for _, route, _ in walk()}:
            self.assertEqual(documented_rule('GET', route),
                             documented_rule('HEAD', route))
        # No registered rule is dead.
        self.assertEqual(set(enforcer.registered_rules), enforced)

    def test_head_is_guarded_by_its_documented_rule(self):
        # A HEAD answer has no body to name its rule: open only the rule
        # documented for HEAD and see the caller with no role pass.
        for route in {route for method, route, _ in walk()
                      if method == 'HEAD'}:
            # A route checking one of several rules (jobs: all_projects)
            # is opened by its first, the one a plain request needs.
            rule = route.methods['HEAD'].rule
            rule = rule[0] if isinstance(rule, tuple) else rule
            self.assertIn(rule, documented_rule('HEAD', route))
            use_policy_file(self, {rule: '@'})
            path = resources.path_of(route, PROJECT)
            resp = self.request('HEAD', path, project=PROJECT, roles='')
            self.assertEqual(200, resp.status_int, path)
            resp = self.request('GET', path, project=PROJECT, roles='')
            self.assertEqual(200, resp.status_int, path)

    def test_nothing_falls_through_to_the_default_rule(self):
        self.conf.set_override('policy_default_rule', '!',
                               group='oslo_policy')
        self.app = wiring.build_app(self.conf)
        for method, route, path in walk():
            if method == 'DELETE':
                continue        # last, below: it removes the action
            resp = self.request(method, path, body_for(method, route),
                                project='admin-project', roles='admin')
            self.assertLess(resp.status_int, 300,
                            '%s %s: %s' % (method, path, resp.body))
        resp = self.request('DELETE', '/v2/%s/actions/%s' % (PROJECT,
                                                             ACTION_ID),
                            project='admin-project', roles='admin')
        self.assertEqual(204, resp.status_int, resp.body)

    def test_open_routes_need_no_role(self):
        for path in OPEN_PATHS:
            resp = self.request('GET', path, roles='')
            self.assertEqual(200, resp.status_int, path)


class TestPolicyFile(base.ApiTestCase):
    """Rules in ``[oslo_policy] policy_file`` replace the defaults."""

    use_policy_file = use_policy_file

    def setUp(self):
        super().setUp()
        self.action_id = self.create(PROJECT, headers={
            'X-Project-Id': PROJECT, 'X-Roles': 'member,reader'})

    def test_stricter_rule_refuses_the_member(self):
        self.use_policy_file({'actions:get_all': 'role:admin'})
        resp = self.request('GET', '/v2/%s/actions' % PROJECT,
                            project=PROJECT, roles='member,reader')
        self.assertError(403, resp, 'actions:get_all')
        # Rules the file does not name keep their defaults.
        resp = self.request('GET', '/v2/%s/actions/%s' % (
            PROJECT, self.action_id), project=PROJECT, roles='member,reader')
        self.assertEqual(200, resp.status_int)
        resp = self.request('GET', '/v2/%s/actions' % PROJECT,
                            project='admin-project', roles='admin')
        self.assertEqual(200, resp.status_int)

    def test_looser_rule_lets_the_reader_delete(self):
        path = '/v2/%s/actions/%s' % (PROJECT, self.action_id)
        resp = self.request('DELETE', path, project=PROJECT, roles='reader')
        self.assertError(403, resp)
        self.use_policy_file(
            {'actions:delete': 'role:reader and project_id:%(project_id)s'})
        resp = self.request('DELETE', path, project=PROJECT, roles='reader')
        self.assertEqual(204, resp.status_int, resp.body)
        # The looser rule is still bound to the URL project.
        other = self.create('project-b', headers={
            'X-Project-Id': 'project-b', 'X-Roles': 'member'})
        resp = self.request('DELETE', '/v2/project-b/actions/%s' % other,
                            project=PROJECT, roles='reader')
        self.assertError(403, resp)
