"""The devstack plugin (``devstack/``), run phase by phase without devstack.

``tests/devstack/harness.sh`` defines devstack's functions as recorders
and sources ``devstack/settings`` and ``devstack/plugin.sh`` as devstack
does; these tests read the calls it recorded and the files the plugin
wrote. ``freezer-manage db sync`` and ``freezer-status upgrade check`` run
for real, on a SQLite database standing in for devstack's. shellcheck
must be installed (``.ci/run`` installs it): without it the lint test
fails rather than skips.
"""

import configparser
import os
import shutil
import subprocess
import sys

import fixtures
import testtools

from freezer_core.storage import migration
from tests import base

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
HARNESS = os.path.join(REPOSITORY, 'tests', 'devstack', 'harness.sh')
BIN_DIR = os.path.dirname(sys.executable)


def _read_ini(path):
    parser = configparser.RawConfigParser(interpolation=None)
    parser.optionxform = str
    with open(path) as ini_file:
        parser.read_file(ini_file)
    return parser


class TestDevstackPlugin(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.workdir = self.useFixture(fixtures.TempDir()).path
        self.conf_dir = os.path.join(self.workdir, 'etc', 'freezer')
        self.conf = os.path.join(self.conf_dir, 'freezer-api.conf')
        self.uwsgi_conf = os.path.join(self.conf_dir,
                                       'freezer-api-uwsgi.ini')
        self.state_path = os.path.join(self.workdir, 'opt', 'stack', 'data',
                                       'freezer')
        self.database = os.path.join(self.workdir, 'db', 'freezer.sqlite')
        # The real console scripts need freezer-manage/-status installed.
        base.script_path('freezer-manage')
        base.script_path('freezer-status')

    def _phase(self, *phase, services='freezer-api keystone'):
        """Run one phase; return the calls it recorded, as tuples."""
        calls_path = os.path.join(self.workdir, 'calls')
        if os.path.exists(calls_path):
            os.remove(calls_path)
        env = dict(os.environ, HARNESS_BIN_DIR=BIN_DIR,
                   HARNESS_SERVICES=services)
        result = subprocess.run(
            ['bash', HARNESS, self.workdir] + list(phase),
            capture_output=True, text=True, env=env,
            timeout=base.COMMAND_TIMEOUT, stdin=subprocess.DEVNULL)
        self.assertEqual(0, result.returncode,
                         'phase %s failed:\n%s\n%s'
                         % (phase, result.stdout, result.stderr[-4000:]))
        self.output = result.stdout
        if not os.path.exists(calls_path):
            return []
        with open(calls_path) as calls_file:
            return [tuple(line.rstrip('\n').split('\t'))
                    for line in calls_file]

    def _named(self, calls, name):
        return [call[1:] for call in calls if call[0] == name]

    def _stack(self, services='freezer-api keystone'):
        self._phase('stack', 'install', services=services)
        return self._phase('stack', 'post-config', services=services)

    def test_settings_enable_the_service(self):
        calls = self._phase('stack', 'pre-install')
        self.assertEqual([('freezer-api',)],
                         self._named(calls, 'enable_service'))

    def test_install_sets_up_the_checkout(self):
        calls = self._phase('stack', 'install')
        self.assertEqual(
            [(os.path.join(self.workdir, 'opt', 'stack', 'freezer-api'),)],
            self._named(calls, 'setup_develop'))
        self.assertFalse(os.path.exists(self.conf))

    def test_post_config_writes_freezer_api_conf(self):
        calls = self._stack()
        conf = _read_ini(self.conf)
        self.assertEqual('keystone', conf.get('DEFAULT', 'auth_strategy'))
        self.assertEqual(self.state_path, conf.get('DEFAULT', 'state_path'))
        self.assertEqual('2', conf.get('api', 'workers'))
        self.assertEqual('sqlite:///' + self.database,
                         conf.get('database', 'connection'))
        self.assertEqual([('freezer',)],
                         self._named(calls, 'database_connection_url'))
        self.assertEqual([(self.conf, 'freezer')], self._named(
            calls, 'configure_keystone_authtoken_middleware'))
        self.assertTrue(os.path.isdir(self.state_path))

    def test_post_config_writes_the_uwsgi_config(self):
        calls = self._stack()
        self.assertEqual(
            [(self.uwsgi_conf, 'freezer_daemon.wsgi:application', '/backup',
              '', 'freezer-api')],
            self._named(calls, 'write_uwsgi_config'))
        uwsgi = _read_ini(self.uwsgi_conf)
        self.assertEqual('freezer_daemon.wsgi:application',
                         uwsgi.get('uwsgi', 'module'))
        self.assertEqual('FREEZER_CONFIG_FILE=' + self.conf,
                         uwsgi.get('uwsgi', 'env'))

    def test_post_config_registers_the_backup_service(self):
        calls = self._stack()
        self.assertEqual([('freezer', 'admin')],
                         self._named(calls, 'create_service_user'))
        self.assertEqual([('freezer', 'backup', 'Backup Service')],
                         self._named(calls, 'get_or_create_service'))
        url = 'http://192.0.2.10/backup'
        self.assertEqual(
            [('service-id-freezer', 'RegionOne', url, url, url)],
            self._named(calls, 'get_or_create_endpoint'))

    def test_post_config_without_keystone_registers_nothing(self):
        calls = self._stack(services='freezer-api')
        self.assertEqual([], self._named(calls, 'get_or_create_service'))
        self.assertEqual([], self._named(calls, 'create_service_user'))

    def test_post_config_syncs_and_checks_the_database(self):
        calls = self._stack()
        self.assertEqual([('freezer',)],
                         self._named(calls, 'recreate_database'))
        self.assertTrue(migration.is_current('sqlite:///' + self.database))
        # freezer-status printed its table: every check passed.
        self.assertIn('Check: Database schema', self.output)
        self.assertNotIn('Failure', self.output)

    def test_extra_runs_the_api_under_uwsgi(self):
        self._stack()
        calls = self._phase('stack', 'extra')
        self.assertEqual(
            [('freezer-api', '%s --procname-prefix freezer-api --ini %s'
              % (shutil.which('uwsgi', path=BIN_DIR), self.uwsgi_conf))],
            self._named(calls, 'run_process'))

    def test_unstack_stops_the_api(self):
        self._stack()
        calls = self._phase('unstack')
        self.assertEqual([('freezer-api',)],
                         self._named(calls, 'stop_process'))
        self.assertEqual([], self._named(calls, 'run_process'))

    def test_clean_removes_configuration_and_state(self):
        self._stack()
        calls = self._phase('clean')
        self.assertEqual([(self.uwsgi_conf, 'freezer-api')],
                         self._named(calls, 'remove_uwsgi_config'))
        self.assertFalse(os.path.exists(self.conf_dir))
        self.assertFalse(os.path.exists(self.state_path))

    def test_a_disabled_service_does_nothing(self):
        calls = self._phase('stack', 'install', services='keystone')
        self.assertEqual([('freezer-api',)],
                         self._named(calls, 'enable_service'))
        self.assertEqual(['enable_service'], [call[0] for call in calls])


class TestShellcheck(testtools.TestCase):

    def test_plugin_and_harness_are_shellcheck_clean(self):
        shellcheck = shutil.which('shellcheck')
        self.assertIsNotNone(shellcheck, 'shellcheck is not installed '
                             '(apt-get install shellcheck)')
        # From the repository root, where the harness's "source=" paths
        # start; -x follows them, so the variables the settings define
        # and the plugin uses are seen together.
        result = subprocess.run(
            [shellcheck, '-x', 'tests/devstack/harness.sh',
             'devstack/plugin.sh', 'devstack/settings'],
            capture_output=True, text=True, cwd=REPOSITORY,
            timeout=base.COMMAND_TIMEOUT)
        self.assertEqual(0, result.returncode, result.stdout)
