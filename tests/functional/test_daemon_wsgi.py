"""The WSGI entry point, imported the way uwsgi and mod_wsgi import it.

Importing :mod:`freezer_daemon.wsgi` builds the application from the file
named by ``FREEZER_CONFIG_FILE``, so each test imports it in a fresh
interpreter with only that environment variable to go on.
"""

import os
import subprocess
import sys
import textwrap

import testtools

from tests import base

# Imports the module, calls ``application`` for one GET and prints the
# status line and the body.
_PROBE = textwrap.dedent('''\
    import io
    import sys
    import wsgiref.util

    from freezer_daemon import wsgi

    environ = {'PATH_INFO': sys.argv[1], 'REQUEST_METHOD': 'GET',
               'wsgi.input': io.BytesIO()}
    wsgiref.util.setup_testing_defaults(environ)
    body = b''.join(wsgi.application(
        environ, lambda status, headers, exc_info=None: print(status)))
    print(body.decode())
    ''')


class TestWsgiModule(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.config = self.useFixture(base.ServiceConfig())

    def _import_and_get(self, path, config_file=None):
        env = dict(os.environ)
        env.pop('FREEZER_CONFIG_FILE', None)
        if config_file is not None:
            env['FREEZER_CONFIG_FILE'] = config_file
        return subprocess.run(
            [sys.executable, '-c', _PROBE, path], capture_output=True,
            text=True, timeout=base.COMMAND_TIMEOUT,
            cwd=self.config.directory, env=env, stdin=subprocess.DEVNULL)

    def _sync(self):
        synced = self.config.run_script('freezer-manage', 'db', 'sync')
        self.assertEqual(0, synced.returncode, synced.stderr)

    def test_application_serves_the_configured_database(self):
        self._sync()
        result = self._import_and_get('/v2/demo/actions', self.config.path)
        self.assertEqual(0, result.returncode, result.stderr)
        lines = result.stdout.strip().splitlines()
        self.assertEqual(['200 OK', '{"actions": []}'], lines[-2:])

    def test_application_answers_healthcheck(self):
        self._sync()
        result = self._import_and_get('/healthcheck', self.config.path)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIn('200 OK', result.stdout)

    def test_import_fails_on_an_unsynced_database(self):
        result = self._import_and_get('/', self.config.path)
        self.assertNotEqual(0, result.returncode)
        # After logging is set up, oslo.log reports the unhandled error in
        # the log (stdout without a log file) rather than on stderr.
        output = result.stdout + result.stderr
        self.assertIn('StartupError', output)
        self.assertIn('freezer-manage --config-file %s db sync'
                      % self.config.path, output)

    def test_default_config_file_is_the_system_one(self):
        if os.path.exists('/etc/freezer/freezer-api.conf'):
            self.skipTest('this machine has /etc/freezer/freezer-api.conf')
        result = self._import_and_get('/')
        self.assertNotEqual(0, result.returncode)
        self.assertIn('/etc/freezer/freezer-api.conf', result.stderr)
