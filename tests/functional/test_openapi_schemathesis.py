"""schemathesis against the real daemon, for a bounded time.

``freezer-api`` (2 workers, noauth, SQLite, 127.0.0.1) is started as an
operator would, and schemathesis runs every operation of
api-ref/openapi.yaml, the stateful phase included (createAction's links
and Location headers), for :data:`MAX_TIME` seconds. The run passes when
no check failed and no error occurred: no 5xx, every status, header,
content type and body as described, invalid requests refused, valid ones
accepted, 405 for undescribed methods. Three built-in checks are replaced
by the ones in :mod:`tests.functional.openapi_checks` (753 is not a 5xx).
The command and its last results are in docs/robustness.rst.
"""

import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

from testtools import content

from tests import base
from tests.functional import test_daemon

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SPEC = os.path.join(ROOT, 'api-ref', 'openapi.yaml')
CONFIG = os.path.join(ROOT, 'api-ref', 'schemathesis.toml')
#: Seconds of generation; with start-up and the coverage phase the whole
#: test stays under about two minutes on 2 cores.
MAX_TIME = int(os.environ.get('FREEZER_SCHEMATHESIS_MAX_TIME', '75'))
#: Seed of the generated data: CI runs the same examples every time (a
#: randomly found failure would otherwise fail an unrelated change);
#: set FREEZER_SCHEMATHESIS_SEED to explore other inputs.
SEED = os.environ.get('FREEZER_SCHEMATHESIS_SEED', '20261129')
#: Operations in the description; each must be tested.
OPERATIONS = 23
REPLACED_CHECKS = ('not_a_server_error,negative_data_rejection,'
                   'positive_data_acceptance')


def command(url, junit_path, max_time=MAX_TIME):
    """The schemathesis command line of this test (also for the docs).

    :param url: base URL of the daemon, e.g. ``http://127.0.0.1:9090``.
    :param junit_path: where to write the JUnit report.
    :param max_time: seconds of generation.
    :returns: list of str.
    """
    return [base.script_path('schemathesis'), '--config-file', CONFIG,
            'run', SPEC, '--url', url, '--max-time', str(max_time),
            '--seed', SEED,
            '--checks', 'all', '--exclude-checks', REPLACED_CHECKS,
            # One worker: hypothesis describing strategies from several
            # threads trips a CPython 3.11 AST recursion check
            # (SystemError), an error of the tool, not of the service.
            '--workers', '1', '--no-shrink',
            '--report', 'junit', '--report-junit-path', junit_path]


class TestSchemathesis(test_daemon.DaemonTestCase):

    def setUp(self):
        super().setUp()
        synced = self.config.run_script('freezer-manage', 'db', 'sync')
        self.assertEqual(0, synced.returncode, synced.stderr)
        self.process = self._start()

    def test_every_operation_conforms_and_never_fails(self):
        junit_path = os.path.join(self.config.directory, 'junit.xml')
        env = dict(os.environ,
                   SCHEMATHESIS_HOOKS='tests.functional.openapi_checks',
                   PYTHONPATH=os.pathsep.join(
                       [ROOT] + sys.path[1:]),
                   NO_COLOR='1')
        result = subprocess.run(
            command('http://127.0.0.1:%d' % self.config.port, junit_path),
            # Its working directory: schemathesis keeps a .schemathesis
            # cache there, which must not land in the checkout.
            capture_output=True, text=True, env=env,
            cwd=self.config.directory,
            stdin=subprocess.DEVNULL, timeout=MAX_TIME + 240)
        self.addDetail('schemathesis', content.text_content(
            result.stdout[-20000:] + result.stderr[-5000:]))
        self.assertTrue(os.path.exists(junit_path), result.stderr[-2000:])
        suites = ElementTree.parse(junit_path).getroot()
        problems = [
            '%s: %s %s' % (case.get('name'), child.tag,
                           (child.get('message') or '')[:300])
            for case in suites.iter('testcase') for child in case
            if child.tag in ('failure', 'error')]
        self.assertEqual([], problems)
        self.assertEqual('0', suites.get('failures'))
        self.assertEqual('0', suites.get('errors'))
        # Every operation ran, plus the stateful phase.
        names = {case.get('name') for case in suites.iter('testcase')}
        self.assertGreaterEqual(len(names), OPERATIONS, sorted(names))
        self.assertIn('Stateful tests', result.stdout + ''.join(names))
        self.assertEqual(0, result.returncode, result.stdout[-3000:])
        # The daemon is still up and both workers serve.
        status, _headers, _body = self._get('/healthcheck')
        self.assertEqual(200, status)
