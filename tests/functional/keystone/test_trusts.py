"""The trust broker against the real test Keystone (spec ``jobs.md``,
"Trusts (central clients)").

The trustee is the ``freezer`` service user (what a central
freezer-scheduler runs as); trustors are the provisioned project users.
Each test works with real tokens and real trusts and deletes the trusts
it made.
"""

import os

import fixtures
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
from oslo_config import cfg
import testtools

from freezer_daemon import conf as service_conf
from freezer_daemon import trusts
from tests.functional.keystone import base


def broker_conf(directory, facts, **overrides):
    """A ConfigOpts with ``[centralized_scheduler]`` naming the trustee.

    :param directory: str, where to write the configuration file.
    :param facts: the test Keystone's provisioning facts.
    :param overrides: keys of ``[centralized_scheduler]`` to set instead
        (a value of None leaves the key out).
    :returns: :class:`oslo_config.cfg.ConfigOpts`, parsed.
    """
    section = {'enabled': 'true', 'auth_type': 'password',
               'auth_url': facts['auth_url'], 'username': 'freezer',
               'password': facts['password'], 'project_name': 'service',
               'user_domain_name': 'Default',
               'project_domain_name': 'Default'}
    section.update(overrides)
    path = os.path.join(directory, 'freezer-api.conf')
    with open(path, 'w') as f:
        f.write('[DEFAULT]\nauth_strategy = keystone\n[%s]\n' % trusts.GROUP)
        for key, value in section.items():
            if value is not None:
                f.write('%s = %s\n' % (key, value))
    conf = cfg.ConfigOpts()
    service_conf.register_opts(conf)
    conf(['--config-file', path], project='freezer-api',
         default_config_files=[], default_config_dirs=[])
    return conf


class TestTrustBroker(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.facts = base.load_facts()
        if self.facts is None:
            why = 'no test Keystone (%s)' % base.URL_ENV
            if base.keystone_required():
                self.fail(why)
            self.skipTest(why)
        self.directory = self.useFixture(fixtures.TempDir()).path

    def broker(self, **overrides):
        return trusts.TrustBroker(broker_conf(self.directory, self.facts,
                                              **overrides))

    def ensure_as(self, broker, user):
        access = base.access_of(self.facts, user)
        credentials = broker.ensure(access.auth_token, access.user_id,
                                    access.project_id)
        self.addCleanup(self.delete_trust, access.auth_token,
                        credentials['trust_id'])
        return access, credentials

    def delete_trust(self, token, trust_id):
        caller = ks_session.Session(auth=token_endpoint.Token(
            self.facts['auth_url'], token))
        url = '%s/OS-TRUST/trusts/%s' % (self.facts['auth_url'], trust_id)
        caller.delete(url, raise_exc=False)

    def trust(self, token, trust_id):
        caller = ks_session.Session(auth=token_endpoint.Token(
            self.facts['auth_url'], token))
        return caller.get('%s/OS-TRUST/trusts/%s' % (
            self.facts['auth_url'], trust_id)).json()['trust']

    def test_trust_delegates_member_of_the_project_to_the_scheduler(self):
        access, credentials = self.ensure_as(self.broker(), 'demo')
        self.assertEqual(access.user_id, credentials['trustor_user_id'])
        trust = self.trust(access.auth_token, credentials['trust_id'])
        self.assertEqual(self.facts['users']['freezer']['id'],
                         trust['trustee_user_id'])
        self.assertEqual(access.project_id, trust['project_id'])
        self.assertFalse(trust['impersonation'])
        self.assertEqual(['member'],
                         [role['name'] for role in trust['roles']])

    def test_same_trustor_project_and_trustee_reuse_the_trust(self):
        broker = self.broker()
        _, first = self.ensure_as(broker, 'demo')
        _, second = self.ensure_as(broker, 'demo')
        self.assertEqual(first['trust_id'], second['trust_id'])
        # A new worker (a new broker) finds it in Keystone too.
        _, third = self.ensure_as(self.broker(), 'demo')
        self.assertEqual(first['trust_id'], third['trust_id'])

    def test_other_trustor_gets_its_own_trust(self):
        broker = self.broker()
        _, demo = self.ensure_as(broker, 'demo')
        _, alt = self.ensure_as(broker, 'alt_demo')
        self.assertNotEqual(demo['trust_id'], alt['trust_id'])

    def trust_status(self, token, trust_id):
        caller = ks_session.Session(auth=token_endpoint.Token(
            self.facts['auth_url'], token))
        return caller.get('%s/OS-TRUST/trusts/%s' % (
            self.facts['auth_url'], trust_id), raise_exc=False).status_code

    def test_forget_deletes_the_trust_as_its_trustor(self):
        broker = self.broker()
        access, credentials = self.ensure_as(broker, 'demo')
        self.assertTrue(broker.forget(access.auth_token,
                                      credentials['trust_id']))
        self.assertEqual(404, self.trust_status(access.auth_token,
                                                credentials['trust_id']))
        # Already gone: still done, nothing raised.
        self.assertTrue(broker.forget(access.auth_token,
                                      credentials['trust_id']))

    def test_forget_by_another_user_leaves_the_trust(self):
        broker = self.broker()
        access, credentials = self.ensure_as(broker, 'demo')
        other = base.access_of(self.facts, 'alt_demo')
        self.assertFalse(broker.forget(other.auth_token,
                                       credentials['trust_id']))
        self.assertEqual(200, self.trust_status(access.auth_token,
                                                credentials['trust_id']))

    def test_forget_never_raises(self):
        access, credentials = self.ensure_as(self.broker(), 'demo')
        for broker in (self.broker(auth_url='http://127.0.0.1:9/v3'),
                       self.broker(auth_type=None)):
            self.assertFalse(broker.forget(access.auth_token,
                                           credentials['trust_id']))
        self.assertEqual(200, self.trust_status(access.auth_token,
                                                credentials['trust_id']))

    def test_a_trust_deleted_between_list_and_read_is_not_reused(self):
        broker = self.broker()
        access, first = self.ensure_as(broker, 'demo')
        real_get = ks_session.Session.get

        def get(session, url, **kwargs):
            # The last job's delete removes the trust after Keystone
            # listed it and before its roles are read.
            if url.endswith('/' + first['trust_id']):
                self.delete_trust(access.auth_token, first['trust_id'])
            return real_get(session, url, **kwargs)

        self.useFixture(fixtures.MockPatchObject(ks_session.Session, 'get',
                                                 get))
        _, second = self.ensure_as(broker, 'demo')
        self.assertNotEqual(first['trust_id'], second['trust_id'])
        self.assertEqual(200, self.trust_status(access.auth_token,
                                                second['trust_id']))

    def test_caller_without_the_role_is_refused(self):
        # demo_reader holds only reader: it cannot delegate member.
        access = base.access_of(self.facts, 'demo_reader')
        self.assertRaises(trusts.TrustRefused, self.broker().ensure,
                          access.auth_token, access.user_id,
                          access.project_id)

    def test_unreachable_keystone_is_unavailable(self):
        access = base.access_of(self.facts, 'demo')
        broker = self.broker(auth_url='http://127.0.0.1:9/v3')
        self.assertRaises(trusts.IdentityUnavailable, broker.ensure,
                          access.auth_token, access.user_id,
                          access.project_id)

    def test_unconfigured_trustee_is_unavailable(self):
        access = base.access_of(self.facts, 'demo')
        broker = self.broker(auth_type=None)
        self.assertRaises(trusts.IdentityUnavailable, broker.ensure,
                          access.auth_token, access.user_id,
                          access.project_id)


class TestTrustsNeeded(testtools.TestCase):
    """When a job write needs a trust (no Keystone involved)."""

    def conf(self, auth_strategy='keystone', **group):
        conf = cfg.ConfigOpts()
        service_conf.register_opts(conf)
        conf([], project='freezer-api', default_config_files=[],
             default_config_dirs=[])
        conf.set_override('auth_strategy', auth_strategy)
        for key, value in group.items():
            conf.set_override(key, value, group=trusts.GROUP)
        return conf

    def test_off_by_default(self):
        self.assertFalse(trusts.TrustBroker(self.conf()).needed(True))

    def test_central_clients_only_unless_enforced(self):
        broker = trusts.TrustBroker(self.conf(enabled=True))
        self.assertTrue(broker.needed(True))
        self.assertFalse(broker.needed(False))
        broker = trusts.TrustBroker(self.conf(enabled=True,
                                              enforce_trusts=True))
        self.assertTrue(broker.needed(False))

    def test_noauth_turns_trusts_off(self):
        broker = trusts.TrustBroker(self.conf('noauth', enabled=True,
                                              enforce_trusts=True))
        self.assertFalse(broker.needed(True))
