"""``freezer-status upgrade check`` as an operator runs it.

Each test runs the installed script with ``--json`` (oslo.upgradecheck's
machine-readable output) against its own configuration and SQLite file.
"""

import json
import os
import sqlite3

import testtools

from tests import base

SUCCESS, WARNING, FAILURE = 0, 1, 2


class TestUpgradeCheck(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.config = self.useFixture(base.ServiceConfig())

    def _sync(self):
        synced = self.config.run_script('freezer-manage', 'db', 'sync')
        self.assertEqual(0, synced.returncode, synced.stderr)

    def _use_policy_file(self, text):
        path = os.path.join(self.config.directory, 'policy-file')
        with open(path, 'w') as policy_file:
            policy_file.write(text)
        with open(self.config.path, 'a') as conf_file:
            conf_file.write('\n[oslo_policy]\npolicy_file = %s\n' % path)
        return path

    def _check(self):
        """Run the check; return (status, {check name: (code, details)})."""
        result = self.config.run_script('freezer-status', 'upgrade', 'check',
                                        '--json')
        output = json.loads(result.stdout)
        checks = {check['check']: (check['result'], check['details'])
                  for check in output['checks']}
        return result.returncode, checks

    def test_a_synced_database_passes(self):
        self._sync()
        status, checks = self._check()
        self.assertEqual(SUCCESS, status)
        self.assertEqual(['Database schema', 'Policy file'], sorted(checks))
        self.assertEqual((SUCCESS, None), checks['Database schema'])
        self.assertEqual(SUCCESS, checks['Policy file'][0])

    def test_an_empty_database_fails_and_names_the_fix(self):
        status, checks = self._check()
        self.assertEqual(FAILURE, status)
        code, details = checks['Database schema']
        self.assertEqual(FAILURE, code)
        self.assertIn('at revision None', details)
        self.assertIn('freezer-manage db sync', details)

    def test_a_schema_behind_head_fails(self):
        self._sync()
        with sqlite3.connect(self.config.database) as connection:
            connection.execute("UPDATE alembic_version SET version_num = "
                               "'0001_actions'")
        status, checks = self._check()
        self.assertEqual(FAILURE, status)
        self.assertIn('at revision 0001_actions',
                      checks['Database schema'][1])

    def test_a_yaml_policy_file_with_known_rules_passes(self):
        self._sync()
        self._use_policy_file(
            'owner: "project_id:%(project_id)s"\n'
            '"actions:get": "rule:owner"\n')
        status, checks = self._check()
        self.assertEqual(SUCCESS, status)
        self.assertEqual((SUCCESS, None), checks['Policy file'])

    def test_a_json_policy_file_fails(self):
        self._sync()
        self._use_policy_file('{"actions:get": ""}')
        status, checks = self._check()
        self.assertEqual(FAILURE, status)
        code, details = checks['Policy file']
        self.assertEqual(FAILURE, code)
        self.assertIn('JSON-formatted', details)

    def test_a_policy_file_that_is_not_yaml_fails(self):
        self._sync()
        path = self._use_policy_file('rule: [unclosed\n')
        status, checks = self._check()
        self.assertEqual(FAILURE, status)
        self.assertIn('%s is not valid YAML' % path, checks['Policy file'][1])

    def test_a_rule_that_does_not_parse_fails(self):
        # oslo.policy reads it as "deny everyone", silently.
        self._sync()
        for check in ('role:admin and and', 'role:admin or (', 'admin'):
            path = self._use_policy_file(
                '"actions:get": "role:reader"\n'
                '"actions:delete": "%s"\n' % check)
            status, checks = self._check()
            self.assertEqual(FAILURE, status, check)
            code, details = checks['Policy file']
            self.assertIn('%s has rules that do not parse' % path, details)
            self.assertIn('actions:delete', details)
            self.assertNotIn('actions:get:', details)

    def test_an_unreadable_policy_file_fails(self):
        self._sync()
        path = self._use_policy_file('')
        os.remove(path)
        os.mkdir(path)  # Found by name, but open() fails.
        status, checks = self._check()
        self.assertEqual(FAILURE, status)
        self.assertIn('Cannot read the policy file %s' % path,
                      checks['Policy file'][1])

    def test_an_unknown_rule_is_a_warning(self):
        self._sync()
        self._use_policy_file('"action:get": "role:admin"\n')
        status, checks = self._check()
        self.assertEqual(WARNING, status)
        code, details = checks['Policy file']
        self.assertEqual(WARNING, code)
        self.assertIn('["action:get"]', details)
