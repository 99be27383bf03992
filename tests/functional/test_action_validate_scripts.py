"""``freezer-action-lint`` and ``freezer-manage action validate``, run as
installed scripts on real files (issue 9).

The rules and the output format are covered by tests/unit/core/
test_lint.py; these tests prove that both installed commands are wired
to them, print the same lines, give the documented exit statuses and
touch no database.
"""

import json
import os
import subprocess

import fixtures
import testtools

from tests import base

GOOD = {'action_id': 'etc-nightly',
        'freezer_action': {'action': 'backup', 'mode': 'fs',
                           'backup_name': 'etc', 'path_to_backup': '/etc',
                           'storage': 'swift', 'container': 'backups'},
        'max_retries': 3, 'max_retries_interval': 60}
BAD = [dict(GOOD, action_id='etc-weekly'),
       {'freezer_action': {'action': 'restore', 'storage': 'tape'}},
       {'freezer_action': {'action': 'backup'}, 'retries': 3}]


class TestValidateScripts(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.config = self.useFixture(base.ServiceConfig())
        self.directory = self.useFixture(fixtures.TempDir()).path
        self.good = self._write('good.json', GOOD)
        self.bad = self._write('bad.json', BAD)

    def _write(self, name, value):
        path = os.path.join(self.directory, name)
        with open(path, 'w') as handle:
            json.dump(value, handle)
        return path

    def _lint(self, *args, stdin=None):
        return subprocess.run(
            [base.script_path('freezer-action-lint')] + list(args),
            capture_output=True, text=True, input=stdin,
            timeout=base.COMMAND_TIMEOUT, cwd=self.directory)

    def _manage(self, *args):
        return self.config.run_script('freezer-manage', 'action',
                                      'validate', *args)

    def _expected_bad_lines(self):
        return [
            "%s: $[1].freezer_action.storage: 'tape' is not one of local, "
            "swift, ssh, s3, ftp, ftps, null (rule: enum)" % self.bad,
            "%s: $[2]: Unknown field 'retries' in the action document "
            "(rule: additionalProperties)" % self.bad,
        ]

    def test_lint_flags_each_bad_document_with_its_path(self):
        result = self._lint(self.good, self.bad)
        self.assertEqual(1, result.returncode, result.stderr)
        self.assertEqual(self._expected_bad_lines(),
                         result.stdout.splitlines())
        self.assertEqual('2 problem(s) in 1 file(s)\n', result.stderr)

    def test_lint_passes_valid_files_with_status_0(self):
        result = self._lint(self.good)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual('', result.stdout)

    def test_lint_reads_standard_input(self):
        result = self._lint('-', stdin='{"freezer_action": {}}')
        self.assertEqual(1, result.returncode)
        self.assertEqual(["<stdin>: $.freezer_action: 'action' is a "
                          "required property (rule: required)"],
                         result.stdout.splitlines())

    def test_lint_without_files_is_a_usage_error(self):
        result = self._lint()
        self.assertEqual(2, result.returncode)
        self.assertIn('usage: freezer-action-lint', result.stderr)

    def test_manage_validate_prints_the_same_lines(self):
        result = self._manage(self.good, self.bad)
        self.assertEqual(1, result.returncode, result.stderr)
        self.assertEqual(self._expected_bad_lines(),
                         result.stdout.splitlines())
        # Offline: the configured database is neither created nor read.
        self.assertFalse(os.path.exists(self.config.state_path))

    def test_manage_validate_passes_valid_files_with_status_0(self):
        result = self._manage(self.good)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual('', result.stdout)
        self.assertIn('every action document is valid', result.stderr)

    def test_manage_validate_without_files_is_a_usage_error(self):
        result = self._manage()
        self.assertEqual(2, result.returncode)
        self.assertIn('FILE', result.stderr)

    def test_manage_action_without_command_is_a_usage_error(self):
        result = self.config.run_script('freezer-manage', 'action')
        self.assertEqual(2, result.returncode)
        self.assertIn('validate', result.stderr)
