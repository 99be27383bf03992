"""With an identity service that cannot be used, token checks answer 503
(JSON, no internals), never 500 (found by a hostile client: an identity
endpoint with an empty catalog gave a 500)."""

from tests.functional.api import base


class TestIdentityUnavailable(base.ApiTestCase):

    auth_strategy = 'keystone'

    def test_token_checks_answer_503_and_store_nothing(self):
        # No [keystone_authtoken] auth settings: keystonemiddleware cannot
        # find the identity endpoint (keystoneauth raises).
        for method, path, body in (('GET', '/v2/A/actions', None),
                                   ('POST', '/v2/A/actions', base.ACTION)):
            resp = self.request(method, path, body,
                                headers={'X-Auth-Token': 'some-token'})
            error = self.assertError(503, resp)
            self.assertNotIn('plugin', error['description'])
        self.assertEqual(200, self.request('GET', '/').status_int)
