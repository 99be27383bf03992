"""Jobs of central clients get a Keystone trust, through the whole stack
(spec ``jobs.md``, "Trusts (central clients)"; cases R11).

The service validates real tokens (keystonemiddleware) and its
``[centralized_scheduler]`` names the ``freezer`` service user as the
trustee, as an operator configures a central freezer-scheduler.
"""

from keystoneauth1 import loading as ks_loading
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint

from freezer_core import clients
from freezer_daemon import trusts
from freezer_daemon import wiring
from tests.functional.api import base as api_base
from tests.functional import backends
from tests.functional.keystone import base

CENTRAL = 'central_backup.example.org'


class JobTrustsTest(base.KeystoneTestCase):
    """A job written for a central client carries ``user_credentials``."""

    # Trusts do not depend on the engine; one is enough for Keystone.
    scenarios = backends.scenarios((backends.SQLITE,))
    #: ``[centralized_scheduler] auth_url``; None: the test Keystone's.
    trustee_url = None

    def configure_authtoken(self):
        super().configure_authtoken()
        self.conf.register_opts(
            ks_loading.get_auth_plugin_conf_options('password'),
            group=trusts.GROUP)
        for name, value in (
                ('enabled', True), ('auth_type', 'password'),
                ('auth_url', self.trustee_url or self.facts['auth_url']),
                ('username', 'freezer'),
                ('password', self.facts['password']),
                ('project_name', 'service'),
                ('user_domain_name', 'Default'),
                ('project_domain_name', 'Default')):
            self.conf.set_override(name, value, group=trusts.GROUP)
        repositories = wiring.repositories(self.conf)
        try:
            repositories.clients.register(
                self.project_id('service'), 'scheduler',
                clients.parse_registration({'client_id': CENTRAL,
                                            'hostname': 'central',
                                            'is_central': True}))
        finally:
            repositories.database.engine.dispose()

    def as_demo(self, method, path, body=None):
        return self.request(method, path % self.project_id('demo'), body,
                            headers={'X-Auth-Token': self.token('demo')})

    def job(self):
        return {'client_id': CENTRAL, 'job_actions': [api_base.ACTION],
                'description': 'central'}

    def forget_trust(self, trust_id):
        caller = ks_session.Session(auth=token_endpoint.Token(
            self.facts['auth_url'], self.token('demo')))
        caller.delete('%s/OS-TRUST/trusts/%s' % (self.facts['auth_url'],
                                                 trust_id), raise_exc=False)

    def test_r11_a_job_created_through_the_item_route_gets_a_trust(self):
        resp = self.as_demo('POST', '/v2/%s/jobs/central-item', self.job())
        self.assertEqual(201, resp.status_int, resp.body)
        shown = self.as_demo('GET', '/v2/%s/jobs/central-item').json
        credentials = shown['user_credentials']
        self.addCleanup(self.forget_trust, credentials['trust_id'])
        self.assertEqual(access_user(self.facts, 'demo'),
                         credentials['trustor_user_id'])
        self.assertIsInstance(shown['job_schedule']['time_created'], int)

    def create_jobs(self, count):
        """Create ``count`` jobs of the central client as demo.

        :returns: list of the job ids.
        """
        ids = []
        for _ in range(count):
            resp = self.as_demo('POST', '/v2/%s/jobs', self.job())
            self.assertEqual(201, resp.status_int, resp.body)
            ids.append(resp.json['job_id'])
        return ids

    def test_two_jobs_reuse_one_trust(self):
        ids = self.create_jobs(2)
        trust_ids = {self.as_demo('GET', '/v2/%%s/jobs/%s' % job_id).json[
            'user_credentials']['trust_id'] for job_id in ids}
        for trust_id in trust_ids:
            self.addCleanup(self.forget_trust, trust_id)
        self.assertEqual(1, len(trust_ids))

    def trust_status(self, trust_id):
        caller = ks_session.Session(auth=token_endpoint.Token(
            self.facts['auth_url'], self.token('demo')))
        return caller.get('%s/OS-TRUST/trusts/%s' % (
            self.facts['auth_url'], trust_id), raise_exc=False).status_code

    def test_the_trust_goes_with_the_last_job_using_it(self):
        ids = self.create_jobs(2)
        trust_id = self.as_demo('GET', '/v2/%%s/jobs/%s' % ids[0]).json[
            'user_credentials']['trust_id']
        self.addCleanup(self.forget_trust, trust_id)
        self.assertEqual(204, self.as_demo(
            'DELETE', '/v2/%%s/jobs/%s' % ids[0]).status_int)
        # The other job still runs under it.
        self.assertEqual(200, self.trust_status(trust_id))
        self.assertEqual(204, self.as_demo(
            'DELETE', '/v2/%%s/jobs/%s' % ids[1]).status_int)
        self.assertEqual(404, self.trust_status(trust_id))

    def test_a_job_of_the_projects_own_client_gets_no_trust(self):
        repositories = wiring.repositories(self.conf)
        try:
            repositories.clients.register(
                self.project_id('demo'), 'scheduler',
                clients.parse_registration({'client_id': 'own.example.org'}))
        finally:
            repositories.database.engine.dispose()
        resp = self.as_demo('POST', '/v2/%s/jobs', dict(
            self.job(), client_id='own.example.org'))
        self.assertEqual(201, resp.status_int, resp.body)
        shown = self.as_demo('GET', '/v2/%%s/jobs/%s'
                             % resp.json['job_id']).json
        self.assertNotIn('user_credentials', shown)


def access_user(facts, user):
    """The Keystone user id of a provisioned user."""
    return base.access_of(facts, user).user_id


class UnreachableTrusteeTest(JobTrustsTest):
    """Keystone unreachable for the trust: 503, nothing written."""

    trustee_url = 'http://127.0.0.1:9/v3'

    def test_r11_a_job_created_through_the_item_route_gets_a_trust(self):
        resp = self.as_demo('POST', '/v2/%s/jobs/central-item', self.job())
        self.assertError(503, resp)
        self.assertEqual(404, self.as_demo(
            'GET', '/v2/%s/jobs/central-item').status_int)
        actions = self.as_demo('GET', '/v2/%s/actions').json['actions']
        self.assertEqual([], actions)

    def test_the_trust_goes_with_the_last_job_using_it(self):
        # No job of a central client can be written without Keystone.
        resp = self.as_demo('POST', '/v2/%s/jobs', self.job())
        self.assertError(503, resp)
        self.assertEqual([], self.as_demo('GET', '/v2/%s/jobs').json['jobs'])

    def test_two_jobs_reuse_one_trust(self):
        resp = self.as_demo('POST', '/v2/%s/jobs', self.job())
        self.assertError(503, resp)
        self.assertEqual([], self.as_demo('GET', '/v2/%s/jobs').json['jobs'])
