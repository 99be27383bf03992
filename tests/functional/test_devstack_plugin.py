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
import tempfile

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


class _Stack(object):
    """One run of the plugin's phases in a temporary devstack layout.

    :param services: the enabled services (``HARNESS_SERVICES``).
    """

    def __init__(self, services='freezer-api keystone'):
        self.services = services
        self.workdir = tempfile.mkdtemp(prefix='devstack-plugin-')
        self.conf_dir = os.path.join(self.workdir, 'etc', 'freezer')
        self.conf = os.path.join(self.conf_dir, 'freezer-api.conf')
        self.uwsgi_conf = os.path.join(self.conf_dir,
                                       'freezer-api-uwsgi.ini')
        self.state_path = os.path.join(self.workdir, 'opt', 'stack', 'data',
                                       'freezer')
        self.database = os.path.join(self.workdir, 'db', 'freezer.sqlite')
        self.calls = {}
        self.output = {}

    def run(self, *phase):
        """Run one phase; keep its calls (tuples) and its stdout.

        :raises AssertionError: the phase exited non-zero.
        """
        calls_path = os.path.join(self.workdir, 'calls')
        if os.path.exists(calls_path):
            os.remove(calls_path)
        env = dict(os.environ, HARNESS_BIN_DIR=BIN_DIR,
                   HARNESS_SERVICES=self.services)
        result = subprocess.run(
            ['bash', HARNESS, self.workdir] + list(phase),
            capture_output=True, text=True, env=env,
            timeout=base.COMMAND_TIMEOUT, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise AssertionError('phase %s failed:\n%s\n%s'
                                 % (phase, result.stdout,
                                    result.stderr[-4000:]))
        calls = []
        if os.path.exists(calls_path):
            with open(calls_path) as calls_file:
                calls = [tuple(line.rstrip('\n').split('\t'))
                         for line in calls_file]
        self.calls[phase] = calls
        self.output[phase] = result.stdout
        return calls

    def named(self, phase, name):
        """The arguments of every call of ``name`` in ``phase``."""
        return [call[1:] for call in self.calls[phase] if call[0] == name]

    def remove(self):
        shutil.rmtree(self.workdir, ignore_errors=True)


PRE_INSTALL = ('stack', 'pre-install')
INSTALL = ('stack', 'install')
POST_CONFIG = ('stack', 'post-config')
EXTRA = ('stack', 'extra')
UNSTACK = ('unstack',)
CLEAN = ('clean',)


class TestDevstackPlugin(testtools.TestCase):
    """Every phase once, in devstack's order, for the whole class.

    What post-config wrote is read before ``clean`` runs; the real
    ``freezer-manage db sync`` and ``freezer-status`` run once.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The real console scripts run in post-config.
        base.script_path('freezer-manage')
        base.script_path('freezer-status')
        cls.stack = _Stack()
        try:
            for phase in (PRE_INSTALL, INSTALL):
                cls.stack.run(*phase)
            cls.conf_after_install = os.path.exists(cls.stack.conf)
            cls.stack.run(*POST_CONFIG)
            cls.conf = _read_ini(cls.stack.conf)
            cls.uwsgi = _read_ini(cls.stack.uwsgi_conf)
            cls.state_path_created = os.path.isdir(cls.stack.state_path)
            cls.schema_current = migration.is_current(
                'sqlite:///' + cls.stack.database)
            for phase in (EXTRA, UNSTACK, CLEAN):
                cls.stack.run(*phase)
        except BaseException:
            cls.stack.remove()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.stack.remove()
        super().tearDownClass()

    def test_settings_enable_the_service(self):
        self.assertEqual([('freezer-api',)],
                         self.stack.named(PRE_INSTALL, 'enable_service'))

    def test_install_sets_up_the_checkout(self):
        self.assertEqual(
            [(os.path.join(self.stack.workdir, 'opt', 'stack',
                           'freezer-api'),)],
            self.stack.named(INSTALL, 'setup_develop'))
        self.assertFalse(self.conf_after_install)

    def test_post_config_writes_freezer_api_conf(self):
        self.assertEqual('keystone',
                         self.conf.get('DEFAULT', 'auth_strategy'))
        self.assertEqual(self.stack.state_path,
                         self.conf.get('DEFAULT', 'state_path'))
        self.assertEqual('2', self.conf.get('api', 'workers'))
        self.assertEqual('sqlite:///' + self.stack.database,
                         self.conf.get('database', 'connection'))
        self.assertEqual([('freezer',)], self.stack.named(
            POST_CONFIG, 'database_connection_url'))
        self.assertEqual([(self.stack.conf, 'freezer')], self.stack.named(
            POST_CONFIG, 'configure_keystone_authtoken_middleware'))
        self.assertTrue(self.state_path_created)

    def test_post_config_writes_the_uwsgi_config(self):
        self.assertEqual(
            [(self.stack.uwsgi_conf, 'freezer_daemon.wsgi:application',
              '/backup', '', 'freezer-api')],
            self.stack.named(POST_CONFIG, 'write_uwsgi_config'))
        self.assertEqual('freezer_daemon.wsgi:application',
                         self.uwsgi.get('uwsgi', 'module'))
        self.assertEqual('FREEZER_CONFIG_FILE=' + self.stack.conf,
                         self.uwsgi.get('uwsgi', 'env'))
        # Each request logged once, by the service (issue 20).
        self.assertEqual('true', self.uwsgi.get('uwsgi', 'disable-logging'))

    def test_post_config_registers_the_backup_service(self):
        self.assertEqual([('freezer', 'service')], self.stack.named(
            POST_CONFIG, 'create_service_user'))
        self.assertEqual([('freezer', 'backup', 'Backup Service')],
                         self.stack.named(POST_CONFIG,
                                          'get_or_create_service'))
        url = 'http://192.0.2.10/backup'
        self.assertEqual(
            [('service-id-freezer', 'RegionOne', url, url, url)],
            self.stack.named(POST_CONFIG, 'get_or_create_endpoint'))

    def test_post_config_syncs_and_checks_the_database(self):
        self.assertEqual([('freezer',)], self.stack.named(
            POST_CONFIG, 'recreate_database'))
        self.assertTrue(self.schema_current)
        # freezer-status printed its table: every check passed.
        output = self.stack.output[POST_CONFIG]
        self.assertIn('Check: Database schema', output)
        self.assertNotIn('Failure', output)

    def test_extra_runs_the_api_under_uwsgi(self):
        self.assertEqual(
            [('freezer-api', '%s --procname-prefix freezer-api --ini %s'
              % (shutil.which('uwsgi', path=BIN_DIR),
                 self.stack.uwsgi_conf))],
            self.stack.named(EXTRA, 'run_process'))

    def test_unstack_stops_the_api(self):
        self.assertEqual([('freezer-api',)],
                         self.stack.named(UNSTACK, 'stop_process'))
        self.assertEqual([], self.stack.named(UNSTACK, 'run_process'))

    def test_clean_removes_configuration_and_state(self):
        self.assertEqual([(self.stack.uwsgi_conf, 'freezer-api')],
                         self.stack.named(CLEAN, 'remove_uwsgi_config'))
        self.assertFalse(os.path.exists(self.stack.conf_dir))
        self.assertFalse(os.path.exists(self.stack.state_path))


class TestDevstackPluginServices(testtools.TestCase):

    def _stack(self, services):
        stack = _Stack(services)
        self.addCleanup(stack.remove)
        return stack

    def test_post_config_without_keystone_registers_nothing(self):
        stack = self._stack('freezer-api')
        stack.run(*INSTALL)
        stack.run(*POST_CONFIG)
        self.assertEqual([], stack.named(POST_CONFIG,
                                         'get_or_create_service'))
        self.assertEqual([], stack.named(POST_CONFIG,
                                         'create_service_user'))
        self.assertTrue(os.path.exists(stack.conf))

    def test_a_disabled_service_does_nothing(self):
        stack = self._stack('keystone')
        calls = stack.run(*INSTALL)
        self.assertEqual([('enable_service', 'freezer-api')], calls)


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
