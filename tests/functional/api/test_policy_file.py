"""A policy file that changes, vanishes or breaks under a running service
(issue 20 item 4).

The service loads the rules once per worker and looks at the files again
every :data:`api.policy.RECHECK_SECONDS` (0 here, so every request
looks): a new file applies; a file that is gone, unreadable or broken
leaves the last good rules in force, is logged once, and ``/healthcheck``
says so. A file broken from the start denies every request and fails the
health check.
"""

import logging
import os
import shutil

import fixtures
import yaml

from api import policy
import policies
from freezer_daemon import wiring
from tests.functional import backends
from tests.functional.api import base

PROJECT = 'project-a'
# Looser than the default (member): a reader may delete. A test sees the
# file in force when a reader's DELETE is 204 and not 403.
LOOSE = {'actions:delete': 'role:reader and project_id:%(project_id)s'}


class PolicyFileTestCase(base.ActionsTestCase):

    scenarios = backends.scenarios((backends.SQLITE,))

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.MonkeyPatch('api.policy.RECHECK_SECONDS', 0))
        self.errors = self.useFixture(fixtures.FakeLogger(
            level=logging.ERROR, format='%(name)s %(message)s'))
        self.path = os.path.join(self.conf.state_path, 'policy.yaml')
        self.conf.set_override('policy_file', self.path, group='oslo_policy')
        self.conf.set_override('detailed', True, group='healthcheck')

    def write(self, rules):
        # A new file (new inode), as editors and configuration tools do.
        with open(self.path + '.new', 'w') as policy_file:
            policy_file.write(rules if isinstance(rules, str)
                              else yaml.safe_dump(rules))
        os.replace(self.path + '.new', self.path)

    def reader_delete(self):
        action_id = self.create(PROJECT, headers={
            'X-Project-Id': PROJECT, 'X-Roles': 'member'})
        return self.request('DELETE', '/v2/%s/actions/%s' % (
            PROJECT, action_id), project=PROJECT, roles='reader').status_int

    def health(self):
        resp = self.request('GET', '/healthcheck',
                            headers={'Accept': 'application/json'})
        reasons = [detail['reason'] for detail in resp.json['reasons']]
        return resp.status_int, [r for r in reasons if 'polic' in r]


class TestPolicyFileUnderLoad(PolicyFileTestCase):

    def setUp(self):
        super().setUp()
        self.write(LOOSE)
        self.app = wiring.build_app(self.conf)
        self.assertEqual(204, self.reader_delete())
        self.assertEqual((200, ['policy rules loaded']), self.health())

    def assertLoggedOnce(self, fragment):
        lines = self.errors.output.splitlines()
        self.assertEqual(1, len(lines), lines)
        self.assertIn(fragment, lines[0])

    def test_a_missing_file_keeps_the_last_good_rules(self):
        os.unlink(self.path)
        for _ in range(5):
            self.assertEqual(204, self.reader_delete())
        self.assertLoggedOnce('the policy file %s is gone' % self.path)
        status, reasons = self.health()
        self.assertEqual(200, status)
        self.assertEqual(1, len(reasons))
        self.assertIn('last good rules in force', reasons[0])

    def test_an_unreadable_or_broken_file_keeps_the_last_good_rules(self):
        os.unlink(self.path)
        os.mkdir(self.path)
        self.addCleanup(shutil.rmtree, self.path, True)
        self.assertEqual(204, self.reader_delete())
        self.assertEqual(204, self.reader_delete())
        self.assertLoggedOnce('cannot read the policy file')
        os.rmdir(self.path)
        for broken in ('actions:delete: [unclosed\n',
                       '"actions:delete": "role:admin and and"\n'):
            self.write(broken)
            self.assertEqual(204, self.reader_delete())
        self.assertIn('role:admin and and', self.errors.output)
        self.assertEqual(200, self.health()[0])
        # Looked at again and again, the same broken file is not parsed
        # (nor logged) again.
        logged = self.errors.output
        for _ in range(3):
            self.assertEqual(204, self.reader_delete())
        self.assertEqual(logged, self.errors.output)

    def test_a_changed_file_applies_and_clears_the_problem(self):
        os.unlink(self.path)
        self.assertEqual(204, self.reader_delete())
        self.write({'actions:get_all': 'role:admin'})
        # The new file replaces the old one: delete is back to members.
        self.assertEqual(403, self.reader_delete())
        self.assertEqual((200, ['policy rules loaded']), self.health())


class TestBrokenAtStart(PolicyFileTestCase):

    def test_every_request_is_denied_and_the_health_check_fails(self):
        self.write('"actions:delete": "role:admin and and"\n')
        self.app = wiring.build_app(self.conf)
        resp = self.request('GET', '/v2/%s/actions' % PROJECT,
                            project=PROJECT, roles='admin')
        self.assertError(403, resp)
        status, reasons = self.health()
        self.assertEqual(503, status)
        self.assertIn('every request denied', reasons[0])
        # Fixed: served again.
        self.write(LOOSE)
        self.assertEqual(204, self.reader_delete())
        self.assertEqual((200, ['policy rules loaded']), self.health())


class TestLoadedOncePerInterval(PolicyFileTestCase):
    """Checks between two looks read no file (issue 18: oslo.policy
    stat-ed the policy file on every check)."""

    def test_a_change_applies_at_the_next_look_not_before(self):
        now = [100.0]
        self.write(LOOSE)
        enforcer = policy.ReloadingEnforcer(self.conf, recheck_seconds=5,
                                            clock=lambda: now[0])
        enforcer.register_defaults(policies.list_rules())
        enforcer.load_rules()
        self.assertEqual('(%s)' % LOOSE['actions:delete'],
                         str(enforcer.rules['actions:delete']))
        self.write({'actions:delete': 'role:admin'})
        now[0] += 4.9
        stats = []
        real_stat = os.stat
        self.useFixture(fixtures.MonkeyPatch(
            'os.stat', lambda *a, **k: stats.append(a) or real_stat(*a, **k)))
        for _ in range(3):
            enforcer.load_rules()
        self.assertEqual([], stats)
        self.assertEqual('(%s)' % LOOSE['actions:delete'],
                         str(enforcer.rules['actions:delete']))
        now[0] += 0.2
        enforcer.load_rules()
        self.assertEqual('role:admin', str(enforcer.rules['actions:delete']))
