"""The integration harnesses' shell scripts pass shellcheck.

``tools/integration/`` (tempest, scheduler end to end, run-all) and
``tests/browser/run.sh`` run in CI only as a whole and take minutes, so
their lint runs here with the unit tests. shellcheck must be installed
(``.ci/run`` installs it): without it this test fails rather than skips.
"""

import glob
import os
import shutil
import subprocess

import testtools

from tests import base

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


class TestIntegrationScripts(testtools.TestCase):

    def test_scripts_are_shellcheck_clean(self):
        shellcheck = shutil.which('shellcheck')
        self.assertIsNotNone(shellcheck, 'shellcheck is not installed '
                             '(apt-get install shellcheck)')
        scripts = sorted(
            os.path.relpath(path, REPOSITORY) for path in
            glob.glob(os.path.join(REPOSITORY, 'tools', 'integration',
                                   '*.sh'))
            + [os.path.join(REPOSITORY, 'tests', 'browser', 'run.sh')])
        self.assertIn('tools/integration/run-all.sh', scripts)
        # From the repository root, where the "source=" paths start.
        result = subprocess.run(
            [shellcheck, '-x'] + scripts, capture_output=True, text=True,
            cwd=REPOSITORY, timeout=base.COMMAND_TIMEOUT)
        self.assertEqual(0, result.returncode, result.stdout)
