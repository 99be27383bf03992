"""Authentication with real Keystone tokens (spec, "Identity", "Errors").

keystonemiddleware validates each token against the test Keystone; what
it passes on becomes the request context. Refused tokens answer 401 with
the service's JSON error body and keep ``WWW-Authenticate``.
"""

import datetime
import time

from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session

from tests.functional.api import base as api_base
from tests.functional.api import policy_matrix
from tests.functional.keystone import base


class TestKeystoneAuth(base.KeystoneTestCase):
    """Tokens: missing, invalid, revoked, expired, system-scoped, valid."""

    def collection(self, project='demo'):
        return '/v2/%s/actions/' % self.project_id(project)

    def assertUnauthorized(self, resp):
        body = self.assertError(401, resp)
        self.assertTrue(body['description'])
        self.assertEqual(
            'Keystone uri="%s"' % self.facts['www_authenticate_uri'],
            resp.headers['WWW-Authenticate'])

    def test_no_token_is_401(self):
        self.assertUnauthorized(self.request('GET', self.collection()))

    def test_invalid_token_is_401(self):
        for token in ('not-a-token', 'gAAAAABinvalid' + 'x' * 150,
                      self.token('demo')[:-4] + 'AAAA'):
            resp = self.request('GET', self.collection(),
                                headers={'X-Auth-Token': token})
            self.assertUnauthorized(resp)

    def test_write_without_token_is_401_and_writes_nothing(self):
        resp = self.request('POST', self.collection(), api_base.ACTION)
        self.assertUnauthorized(resp)
        resp = self.request('GET', self.collection(),
                            headers={'X-Auth-Token': self.token('demo')})
        self.assertEqual([], resp.json['actions'])

    def test_revoked_token_is_401(self):
        access, session = base.login(self.facts, 'demo')
        session.delete(self.facts['auth_url'] + '/auth/tokens',
                       headers={'X-Subject-Token': access.auth_token})
        resp = self.request('GET', self.collection(),
                            headers={'X-Auth-Token': access.auth_token})
        self.assertUnauthorized(resp)

    def test_expired_token_is_401_even_once_cached(self):
        # Keystone caps a token's life at its application credential's
        # expiry: the one way to get a token that expires within a test.
        access, session = base.login(self.facts, 'demo')
        expires = (datetime.datetime.now(datetime.timezone.utc)
                   + datetime.timedelta(seconds=3))
        created = session.post(
            '%s/users/%s/application_credentials' % (
                self.facts['auth_url'], access.user_id),
            json={'application_credential': {
                'name': 'expiring-%s' % time.time(),
                'expires_at': expires.strftime('%Y-%m-%dT%H:%M:%S')}})
        credential = created.json()['application_credential']
        auth = v3.ApplicationCredential(
            auth_url=self.facts['auth_url'],
            application_credential_id=credential['id'],
            application_credential_secret=credential['secret'])
        short = auth.get_access(ks_session.Session(auth=auth))
        self.assertLessEqual(short.expires, expires)
        headers = {'X-Auth-Token': short.auth_token}
        resp = self.request('GET', self.collection(), headers=headers)
        self.assertEqual(200, resp.status_int, resp.body)
        # keystonemiddleware now holds it in its cache; still refused
        # once expired.
        time.sleep(max(0.0, (short.expires - datetime.datetime.now(
            datetime.timezone.utc)).total_seconds()) + 0.5)
        self.assertUnauthorized(self.request('GET', self.collection(),
                                             headers=headers))

    def test_system_scoped_token_is_403(self):
        # Every rule is scope_types=['project'].
        access, _ = base.login(self.facts, 'admin', system_scope='all')
        self.assertTrue(access.system_scoped)
        resp = self.request('GET', self.collection(),
                            headers={'X-Auth-Token': access.auth_token})
        self.assertError(403, resp)

    def test_open_paths_need_no_token(self):
        for path in ('/', '/healthcheck'):
            resp = self.request('GET', path)
            self.assertEqual(200, resp.status_int, path)

    def test_context_comes_from_the_token(self):
        # Forged identity headers are replaced by keystonemiddleware.
        headers = {'X-Auth-Token': self.token('demo'),
                   'X-User-Id': 'forged-user', 'X-Roles': 'admin',
                   'X-Project-Id': self.project_id('alt_demo')}
        resp = self.request('POST', self.collection(), api_base.ACTION,
                            headers=headers)
        self.assertEqual(201, resp.status_int, resp.body)
        resp = self.request('GET', self.collection(),
                            headers={'X-Auth-Token': self.token('demo')})
        [record] = resp.json['actions']
        self.assertEqual(self.facts['users']['demo']['id'],
                         record['user_id'])
        self.assertEqual(self.project_id('demo'), record['project_id'])
        # The forged admin role did not open another project.
        resp = self.request('GET', self.collection('alt_demo'),
                            headers=headers)
        self.assertError(403, resp)

    def test_catalog_offers_the_backup_service(self):
        catalog = base.access_of(self.facts, 'demo').service_catalog
        urls = catalog.get_urls(service_type='backup', interface='public')
        self.assertEqual((self.facts['backup_url'],), urls)

    def test_persona_tables_match_keystone_tokens(self):
        # The noauth matrix models each persona's headers; here Keystone
        # says which roles and project its token really carries.
        projects = {policy_matrix.URL_PROJECT: 'demo',
                    policy_matrix.OTHER_PROJECT: 'alt_demo',
                    'admin': 'admin', 'service': 'service'}
        for persona, table in policy_matrix.PERSONAS.items():
            access = base.access_of(self.facts, table['keystone_user'])
            self.assertEqual(sorted(table['caller']['roles']),
                             sorted(access.role_names), persona)
            self.assertEqual(
                self.project_id(projects[table['caller']['project']]),
                access.project_id, persona)
