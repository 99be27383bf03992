"""Client registration with real Keystone tokens (spec ``clients.md``,
"Routes" and "Project access"): tempest's
``test_only_admin_can_register_central_client`` (a member is refused a
central registration, an admin is not) and the service account's
central registration (R25), through keystonemiddleware.
"""

import uuid

from tests.functional.keystone import base


class TestCentralRegistration(base.KeystoneTestCase):

    def call(self, user, method, project, path='', body=None):
        return self.request(method, '/v2/%s/clients/%s' % (
            self.project_id(project), path), body,
            headers={'X-Auth-Token': self.token(user)})

    def central(self):
        return {'client_id': 'test-central-client-' + uuid.uuid4().hex[:8],
                'hostname': 'central-host', 'is_central': True,
                'description': 'a test central client'}

    def test_member_cannot_and_admin_can_register_a_central_client(self):
        body = self.central()
        resp = self.call('demo', 'POST', 'demo', body=body)
        self.assertError(403, resp, 'clients:create_central')
        self.assertEqual(404, self.call('demo', 'GET', 'demo',
                                        body['client_id']).status_int)
        resp = self.call('admin', 'POST', 'admin', body=body)
        self.assertEqual(201, resp.status_int, resp.body)
        # Visible to the member's project, owned by the admin's.
        doc = self.call('demo', 'GET', 'demo', body['client_id']).json
        self.assertEqual((self.project_id('admin'), True),
                         (doc['project_id'], doc['client']['is_central']))
        listed = self.call('demo', 'GET', 'demo').json['clients']
        self.assertIn(body['client_id'],
                      [c['client']['client_id'] for c in listed])
        resp = self.call('demo', 'DELETE', 'demo', body['client_id'])
        self.assertError(403, resp)
        resp = self.call('admin', 'DELETE', 'admin', body['client_id'])
        self.assertEqual(204, resp.status_int, resp.body)

    def test_service_account_registers_central_clients_only(self):
        body = self.central()
        resp = self.call('freezer', 'POST', 'service', body=body)
        self.assertEqual(201, resp.status_int, resp.body)
        resp = self.call('freezer', 'POST', 'service',
                         body=dict(body, client_id='plain-client',
                                   is_central=False))
        self.assertError(403, resp, 'clients:create')
        resp = self.call('demo', 'POST', 'demo',
                         body={'client_id': 'demo-node'})
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual(200, self.call('demo_reader', 'GET', 'demo',
                                        'demo-node').status_int)
        resp = self.call('alt_demo', 'GET', 'demo', 'demo-node')
        self.assertError(403, resp)
