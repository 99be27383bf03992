"""Who may do what on clients (spec ``clients.md``, "Project access"),
as a permission matrix over the whole stack in ``noauth`` mode.

``clients:get_all`` and ``clients:get``: admin, service, reader or
member of the URL project. ``clients:create`` and ``clients:delete``:
admin or member of the URL project. ``clients:create_central``: admin or
service. Each persona runs each operation on project ``A``, which holds
the client ``a1.example.com``; a refused operation changes nothing.
"""

from tests.functional.api import clients_base
from tests.functional.api.clients_base import ADMIN
from tests.functional.api.clients_base import MEMBER_A
from tests.functional.api.clients_base import MEMBER_B
from tests.functional.api.clients_base import READER_A
from tests.functional.api.clients_base import SERVICE
from tests.functional.api.clients_base import registration

EXISTING = 'a1.example.com'
NO_ROLE = {'project': 'A', 'roles': '', 'user': 'nobody'}

#: operation -> (method, path, body, the rule a refusal names).
OPERATIONS = {
    'list': ('GET', '/v2/A/clients', None, 'clients:get_all'),
    'show': ('GET', '/v2/A/clients/' + EXISTING, None, 'clients:get'),
    'register': ('POST', '/v2/A/clients/', registration('new.example.com'),
                 'clients:create'),
    'register_central': ('POST', '/v2/A/clients/', registration(
        'central.example.com', is_central=True), None),
    'delete': ('DELETE', '/v2/A/clients/' + EXISTING, None,
               'clients:delete'),
}

#: persona -> (caller, {operation: expected status}).
MATRIX = {
    'member': (MEMBER_A, {'list': 200, 'show': 200, 'register': 201,
                          'register_central': 403, 'delete': 204}),
    'reader': (READER_A, {'list': 200, 'show': 200, 'register': 403,
                          'register_central': 403, 'delete': 403}),
    'admin': (ADMIN, {'list': 200, 'show': 200, 'register': 201,
                      'register_central': 201, 'delete': 204}),
    'service': (SERVICE, {'list': 200, 'show': 200, 'register': 403,
                          'register_central': 201, 'delete': 403}),
    'other_project_member': (MEMBER_B, {
        'list': 403, 'show': 403, 'register': 403,
        'register_central': 403, 'delete': 403}),
    'no_role': (NO_ROLE, {'list': 403, 'show': 403, 'register': 403,
                          'register_central': 403, 'delete': 403}),
}


class TestClientPersonas(clients_base.ClientsTestCase):

    def setUp(self):
        super().setUp()
        self.register('A', registration(EXISTING))
        self.before = self.request('GET', '/v2/A/clients?limit=100',
                                   **MEMBER_A).json

    def check(self, persona, operation):
        caller, expected = MATRIX[persona]
        method, path, body, rule = OPERATIONS[operation]
        resp = self.request(method, path, body, **caller)
        status = expected[operation]
        self.assertEqual(status, resp.status_int,
                         '%s %s: %s' % (persona, operation, resp.body))
        if status == 403:
            # Refused before or after the body: JSON, nothing written.
            description = self.assertError(403, resp)['description']
            if rule is not None:
                self.assertIn(rule, description)
            after = self.request('GET', '/v2/A/clients?limit=100',
                                 **MEMBER_A).json
            self.assertEqual(self.before, after)
        self.before = self.request('GET', '/v2/A/clients?limit=100',
                                   **MEMBER_A).json
        return resp

    def test_member_can_read_register_and_delete(self):
        for operation in OPERATIONS:
            self.check('member', operation)
        self.show('A', EXISTING, status=404)
        self.assertEqual('alice',
                         self.show('A', 'new.example.com')['user_id'])

    def test_member_cannot_register_a_central_client(self):
        resp = self.check('member', 'register_central')
        self.assertError(403, resp, 'clients:create_central')

    def test_reader_can_only_read(self):
        for operation in OPERATIONS:
            self.check('reader', operation)

    def test_admin_can_do_everything_in_any_project(self):
        for operation in OPERATIONS:
            self.check('admin', operation)
        doc = self.show('B', 'central.example.com', caller=MEMBER_B)
        self.assertEqual(('A', 'ada', True), (
            doc['project_id'], doc['user_id'], doc['client']['is_central']))

    def test_service_can_read_and_register_central_clients_only(self):
        for operation in OPERATIONS:
            self.check('service', operation)
        self.assertEqual(['central.example.com'], self.listed(
            'B', caller=MEMBER_B))

    def test_other_project_member_cannot_touch_project_a(self):
        for operation in OPERATIONS:
            self.check('other_project_member', operation)

    def test_no_role_gets_403_everywhere(self):
        for operation in OPERATIONS:
            self.check('no_role', operation)

    def test_central_client_is_readable_by_every_project_member(self):
        self.register('admin-project', registration(
            'central.example.com', is_central=True), caller=ADMIN)
        for caller in (MEMBER_A, READER_A, MEMBER_B):
            project = caller['project']
            self.assertIn('central.example.com',
                          self.listed(project, caller=caller))
            self.show(project, 'central.example.com', caller=caller)
        # Visible, yet only its own project deletes it.
        resp = self.request('DELETE', '/v2/B/clients/central.example.com',
                            **MEMBER_B)
        self.assertError(403, resp)
