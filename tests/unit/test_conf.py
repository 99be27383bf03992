"""The service's options: defaults operators know, and the worker count."""

import os

from oslo_config import cfg
import testtools

from freezer_daemon import conf as freezer_conf


class TestOptions(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = cfg.ConfigOpts()
        freezer_conf.register_opts(self.conf)
        self.conf([], default_config_files=[])

    def test_defaults_are_the_ones_operators_know(self):
        self.assertEqual('0.0.0.0', self.conf.bind_host)
        self.assertEqual(9090, self.conf.bind_port)
        self.assertEqual('keystone', self.conf.auth_strategy)
        self.assertEqual(1000, self.conf.api.max_limit)
        self.assertEqual(10, self.conf.api.default_limit)

    def test_database_defaults_to_sqlite_under_state_path(self):
        self.conf.set_override('state_path', '/srv/freezer')
        self.assertEqual('sqlite:////srv/freezer/freezer.sqlite',
                         self.conf.database.connection)

    def test_workers_default_to_the_cpu_count(self):
        self.assertEqual(os.cpu_count() or 1,
                         freezer_conf.api_workers(self.conf))

    def test_workers_when_set(self):
        self.conf.set_override('workers', 3, group='api')
        self.assertEqual(3, freezer_conf.api_workers(self.conf))

    def test_zero_workers_is_refused(self):
        self.assertRaises(ValueError, self.conf.set_override, 'workers', 0,
                          group='api')

    def test_unknown_auth_strategy_is_refused(self):
        self.assertRaises(ValueError, self.conf.set_override,
                          'auth_strategy', 'trust-me')

    def test_register_opts_twice_is_harmless(self):
        # freezer-manage registers oslo.log's options before these.
        conf = cfg.ConfigOpts()
        freezer_conf.register_opts(conf)
        freezer_conf.register_opts(conf)
        conf([], default_config_files=[])
        self.assertEqual(9090, conf.bind_port)

    def test_list_opts_names_every_option_of_the_namespace(self):
        listed = {(group, opt.name)
                  for group, opts in freezer_conf.list_opts()
                  for opt in opts}
        # keystoneauth1's own session and auth-plugin options of the
        # central scheduler's account come with their section.
        central = {name for group, name in listed
                   if group == 'centralized_scheduler'}
        self.assertTrue({'enabled', 'enforce_trusts',
                         'trusts_delegated_roles', 'auth_type',
                         'auth_section', 'timeout'} <= central, central)
        listed -= {('centralized_scheduler', name) for name in central}
        self.assertEqual(
            {(None, 'bind_host'), (None, 'bind_port'), (None, 'state_path'),
             (None, 'auth_strategy'), ('api', 'workers'),
             ('api', 'threads'), ('api', 'concurrent_requests'),
             ('api', 'max_limit'), ('api', 'default_limit'),
             ('api', 'list_batch_size'),
             ('api', 'max_json_depth'), ('api', 'max_string_length'),
             ('api', 'max_action_keys'), ('api', 'max_document_terms'),
             ('api', 'max_search_terms'),
             ('healthcheck', 'database_timeout')},
            listed)


class TestIndependentConfigs(testtools.TestCase):
    """Each ConfigOpts keeps its own ``[api]`` overrides."""

    def test_an_override_does_not_leak_into_another_config(self):
        from oslo_config import cfg

        from freezer_daemon import conf as service_conf

        first, second = cfg.ConfigOpts(), cfg.ConfigOpts()
        for conf in (first, second):
            service_conf.register_opts(conf)
            conf([], default_config_files=[], default_config_dirs=[])
        first.set_override('max_limit', 4, group='api')
        self.addCleanup(first.clear_override, 'max_limit', group='api')
        self.assertEqual(4, first.api.max_limit)
        self.assertEqual(1000, second.api.max_limit)


class TestReloadRefusesBadValues(testtools.TestCase):
    """SIGHUP reloads keep the running configuration when the new files
    hold an invalid value (found by a hostile operator test: workers
    restarted on ``max_limit = abc`` and answered 500)."""

    def setUp(self):
        super().setUp()
        import fixtures

        self.path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                 'freezer-api.conf')
        self._write('[api]\nmax_limit = 50\n')

    def _write(self, text):
        with open(self.path, 'w') as conf_file:
            conf_file.write(text)

    def _load(self):
        conf = freezer_conf.ServiceConfigOpts()
        freezer_conf.register_opts(conf)
        conf(['--config-file', self.path], default_config_files=[],
             default_config_dirs=[])
        return conf

    def test_bad_value_is_refused_and_the_old_one_kept(self):
        conf = self._load()
        self.assertEqual(50, conf.api.max_limit)
        self._write('[api]\nmax_limit = abc\n')
        self.assertFalse(conf.reload_config_files())
        self.assertEqual(50, conf.api.max_limit)
        self._write('[api]\nmax_limit = 70\n')
        self.assertTrue(conf.reload_config_files())
        self.assertEqual(70, conf.api.max_limit)

    def test_check_values_names_the_bad_option(self):
        self._write('[api]\nmax_limit = abc\n')
        conf = self._load()
        exc = self.assertRaises(cfg.ConfigFileValueError,
                                freezer_conf.check_values, conf)
        self.assertIn('max_limit', str(exc))
