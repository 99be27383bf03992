"""Startup checks shared by freezer-api, freezer-manage and the WSGI module."""

import logging
import os
import re

import fixtures
from oslo_config import cfg
import testtools

from freezer_daemon import conf as freezer_conf
from freezer_daemon import startup


def _conf(**overrides):
    conf = cfg.ConfigOpts()
    freezer_conf.register_opts(conf)
    conf([], default_config_files=[])
    for name, value in overrides.items():
        conf.set_override(name, value)
    return conf


class TestIsLoopback(testtools.TestCase):

    def test_loopback_addresses(self):
        for host in ('127.0.0.1', '127.0.0.53', '::1', 'localhost'):
            self.assertTrue(startup.is_loopback(host), host)

    def test_other_addresses(self):
        for host in ('0.0.0.0', '::', '10.0.0.1', '192.0.2.7', '2001:db8::1'):
            self.assertFalse(startup.is_loopback(host), host)

    def test_unresolvable_name_is_not_loopback(self):
        self.assertFalse(startup.is_loopback('no-such-host.invalid'))


class TestCheckAuthStrategy(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(
            name='freezer_daemon.startup'))

    def test_noauth_on_loopback_warns(self):
        startup.check_auth_strategy(_conf(auth_strategy='noauth'),
                                    bind_host='127.0.0.1')
        self.assertIn('noauth', self.log.output)

    def test_noauth_on_all_interfaces_is_refused(self):
        error = self.assertRaises(
            startup.StartupError, startup.check_auth_strategy,
            _conf(auth_strategy='noauth'), bind_host='0.0.0.0')
        self.assertIn('noauth', str(error))
        self.assertIn("'0.0.0.0'", str(error))

    def test_noauth_without_a_bind_host_only_warns(self):
        # WSGI containers own their socket; the module cannot know it.
        startup.check_auth_strategy(_conf(auth_strategy='noauth'))
        self.assertIn('noauth', self.log.output)

    def test_keystone_anywhere_is_silent(self):
        startup.check_auth_strategy(_conf(auth_strategy='keystone'),
                                    bind_host='0.0.0.0')
        self.assertEqual('', self.log.output)


class TestEnsureStatePath(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.root = self.useFixture(fixtures.TempDir()).path

    def test_creates_missing_directories(self):
        path = os.path.join(self.root, 'a', 'b')
        self.assertEqual(path, startup.ensure_state_path(
            _conf(state_path=path)))
        self.assertTrue(os.path.isdir(path))

    def test_existing_directory_is_kept(self):
        marker = os.path.join(self.root, 'marker')
        open(marker, 'w').close()
        startup.ensure_state_path(_conf(state_path=self.root))
        self.assertTrue(os.path.exists(marker))

    def test_impossible_directory_is_a_startup_error(self):
        blocker = os.path.join(self.root, 'file')
        open(blocker, 'w').close()
        error = self.assertRaises(
            startup.StartupError, startup.ensure_state_path,
            _conf(state_path=os.path.join(blocker, 'state')))
        self.assertIn('state_path', str(error))


class TestCheckSchema(testtools.TestCase):

    def test_empty_database_names_the_command_to_run(self):
        root = self.useFixture(fixtures.TempDir()).path
        conf = _conf(state_path=root)
        error = self.assertRaises(startup.StartupError,
                                  startup.check_schema, conf)
        self.assertIn('freezer-manage --config-file F db sync', str(error))

    def test_unreadable_database_is_a_startup_error(self):
        root = self.useFixture(fixtures.TempDir()).path
        # A directory where the SQLite file should be: SQLite cannot open it.
        conf = _conf(state_path=root)
        conf.set_override('connection', 'sqlite:///' + root,
                          group='database')
        error = self.assertRaises(startup.StartupError,
                                  startup.check_schema, conf)
        self.assertIn('cannot read the database schema', str(error))
        self.assertIn('unable to open database file', str(error))


class TestLogOptions(testtools.TestCase):

    def test_keystone_authtoken_and_its_plugin_are_logged_masked(self):
        log = self.useFixture(fixtures.FakeLogger(
            name='freezer_daemon.startup', level=logging.INFO))
        path = self.useFixture(fixtures.TempDir()).join('api.conf')
        with open(path, 'w') as conf_file:
            conf_file.write('[keystone_authtoken]\n'
                            'www_authenticate_uri = '
                            'http://192.0.2.5/identity\n'
                            'auth_type = password\n'
                            'username = freezer\n'
                            'password = s3cret-Pa55\n')
        conf = cfg.ConfigOpts()
        freezer_conf.register_opts(conf)
        conf(['--config-file', path], default_config_files=[])
        startup.log_options(conf)
        options = dict(re.findall(r'^([\w.]+) += (.*)$', log.output,
                                  re.MULTILINE))
        self.assertEqual('http://192.0.2.5/identity',
                         options['keystone_authtoken.www_authenticate_uri'])
        self.assertEqual('freezer', options['keystone_authtoken.username'])
        self.assertEqual('****', options['keystone_authtoken.password'])
        self.assertNotIn('s3cret-Pa55', log.output)
