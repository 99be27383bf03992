"""The clients rows of ``shared/cases/resources.md`` (R22-R26, R31), one
test each, with the row's own requests and right answers, and the
classes of ``cases/actions.md`` that apply to clients (bounds, malformed
bodies, search shapes, trailing slash, content type, NUL).
"""

from tests.functional.api import clients_base
from tests.functional.api.clients_base import MEMBER_A
from tests.functional.api.clients_base import SERVICE
from tests.functional.api.clients_base import registration

#: The tempest CLI fixture's registration file, as ``freezer
#: client-register --file`` sends it (freezer-tempest-plugin
#: ``test_freezer_cmd_client``).
CLI_FILE = {'project_id': 'tecs',
            'client_id': 'test-tenant_5253_test-hostname_19544',
            'hostname': 'test-hostname_19544',
            'description': 'some usefule text here',
            'config_id': 'config_id_contains_uuid_of_config'}


class TestClientCases(clients_base.ClientsTestCase):

    def test_r22_hostname_validation(self):
        """R22: ``bad/host`` is 400 naming hostname; the tempest CLI
        fixture's underscore hostname is 201."""
        resp = self.register('A', {'client_id': 'ok',
                                   'hostname': 'bad/host'}, status=400)
        self.assertError(400, resp, 'hostname')
        self.show('A', 'ok', status=404)
        self.register('A', {
            'client_id': 'test-tenant_5253_test-hostname_19544',
            'hostname': 'test-hostname_19544'})
        self.assertEqual('test-hostname_19544', self.show(
            'A', 'test-tenant_5253_test-hostname_19544')['client'][
                'hostname'])

    def test_r23_cli_registration_file(self):
        """R23: the CLI fixture (``project_id: "tecs"``, ``config_id``):
        201; GET shows the URL project and keeps ``config_id``."""
        self.register('A', CLI_FILE)
        doc = self.show('A', CLI_FILE['client_id'])
        self.assertEqual('A', doc['project_id'])
        self.assertEqual('config_id_contains_uuid_of_config',
                         doc['client']['config_id'])
        self.assertNotIn('project_id', doc['client'])

    def test_r24_reregistration(self):
        """R24: a restart on a renamed host with new capabilities is 201
        and replaces them; an unchanged restart is 201 writing nothing."""
        first = registration('A_node1', hostname='node1')
        self.register('A', first)
        renamed = registration('A_node1', hostname='node1-renamed',
                               supported_modes=['fs', 'mysql'],
                               supported_engines=['tar'])
        self.register('A', renamed)
        doc = self.show('A', 'A_node1')
        self.assertEqual(('node1-renamed', ['fs', 'mysql'], ['tar'], 2),
                         (doc['client']['hostname'],
                          doc['client']['supported_modes'],
                          doc['client']['supported_engines'],
                          doc['_version']))
        self.register('A', renamed)
        again = self.show('A', 'A_node1')
        self.assertEqual(doc, again)
        # Absent lists take their defaults again (replace, not merge).
        self.register('A', first)
        self.assertEqual(['tar', 'rsync', 'rsyncv2', 'nova', 'osbrick',
                          'glance'], self.show('A', 'A_node1')['client'][
                              'supported_engines'])

    def test_r25_central_registration_by_a_service_account(self):
        """R25: a token holding only ``service`` registers a central
        client (201) but not a plain one (403)."""
        project = SERVICE['project']
        self.register(project, registration('sched.example.com',
                                            is_central=True),
                      caller=SERVICE)
        resp = self.register(project, registration('plain.example.com'),
                             caller=SERVICE, status=403)
        self.assertError(403, resp, 'clients:create')
        self.assertEqual(['sched.example.com'], self.listed(
            project, caller=dict(SERVICE)))

    def test_r26_types_on_clients(self):
        """R26: ``is_central: "yes"`` as a member and a 65-character
        ``uuid``: 400 both (not 403, and nothing stored)."""
        resp = self.register('A', registration('n1', is_central='yes'),
                             status=400)
        self.assertError(400, resp, 'is_central')
        resp = self.register('A', registration('n1', uuid='u' * 65),
                             status=400)
        self.assertError(400, resp, 'uuid')
        self.assertEqual([], self.listed('A'))

    def test_r31_routing_of_real_ids(self):
        """R31: a dotted scheduler id is routed verbatim; ``x.json`` is a
        missing client (no format suffix stripping)."""
        self.register('A', registration('A_node1.example.com'))
        self.assertEqual('A_node1.example.com', self.show(
            'A', 'A_node1.example.com')['client']['client_id'])
        self.register('A', registration('x'))
        resp = self.show('A', 'x.json', status=404)
        self.assertError(404, resp, 'x.json')
        home = self.request('GET', '/v2').json['resources']
        self.assertEqual('/v2/{project_id}/clients/',
                         home['rel/clients']['href-template'])
        self.assertEqual(['DELETE', 'GET', 'HEAD'],
                         sorted(home['rel/client']['hints']['allow']))


class TestClientInputClasses(clients_base.ClientsTestCase):
    """The ``cases/actions.md`` classes on the clients routes."""

    def test_bounds_on_the_list(self):
        for query, name in (('?limit=0', 'limit'), ('?limit=-1', 'limit'),
                            ('?offset=-1', 'offset'),
                            ('?limit=1&limit=2', 'limit'),
                            ('?marker=nope', 'marker')):
            resp = self.request('GET', '/v2/A/clients' + query, **MEMBER_A)
            self.assertError(400, resp, name)

    def test_malformed_and_non_object_bodies(self):
        for raw in (b'{"client_id":', b'\xff\xfe{}', b'{"a":1,"a":2}'):
            resp = self.request('POST', '/v2/A/clients', raw, **MEMBER_A)
            self.assertError(753, resp)
        # JSON texts that are not objects (a str is sent as is).
        for raw in ('[]', '"text"', '3', 'null'):
            resp = self.request('POST', '/v2/A/clients', raw, **MEMBER_A)
            self.assertError(400, resp)
        self.assertEqual([], self.listed('A'))

    def test_nul_and_overlong_values(self):
        resp = self.register('A', registration('n1', description='a\x00b'),
                             status=400)
        self.assertError(400, resp, 'description')
        resp = self.register('A', registration('n1', description='d' * 256),
                             status=400)
        self.assertError(400, resp, 'description')
        resp = self.register('A', registration('n' * 256), status=400)
        self.assertError(400, resp, 'client_id')

    def test_search_shapes(self):
        self.register('A', registration('n1'))
        for body in ({'match': {'client_id': 'n1'}}, {'match': ['x']},
                     {'other': []}):
            resp = self.request('GET', '/v2/A/clients', body, **MEMBER_A)
            self.assertError(400, resp)
        self.assertEqual(['n1'], self.listed('A', '?search=%7B%7D'))
        resp = self.request('GET', '/v2/A/clients?search=%7B%7D', {},
                            **MEMBER_A)
        self.assertError(400, resp, 'search')

    def test_trailing_slash_and_double_slashes(self):
        self.register('A', registration('n1.example.com'))
        for path in ('/v2/A/clients/', '//v2/A//clients', '/v2/A/clients'):
            resp = self.request('GET', path, **MEMBER_A)
            self.assertEqual(200, resp.status_int, path)
        resp = self.request('GET', '/v2/A/clients/n1.example.com/',
                            **MEMBER_A)
        self.assertEqual(200, resp.status_int)

    def test_text_plain_and_missing_content_type_are_json(self):
        for headers in ({'Content-Type': 'text/plain'}, {}):
            resp = self.request('POST', '/v2/A/clients',
                                '{"client_id": "n1"}', headers=headers,
                                **MEMBER_A)
            self.assertEqual(201, resp.status_int, resp.body)

    def test_project_isolation_of_search(self):
        self.register('B', registration('b1', hostname='secret'),
                      caller=dict(MEMBER_A, project='B'))
        self.assertEqual([], self.listed('A', body={
            'match': [{'hostname': 'secret'}]}))
        self.assertEqual([], self.listed('A', body={
            'match': [{'_all': 'secret'}]}))
        self.assertEqual([], self.listed('A', body={
            'match': [{'project_id': 'B'}]}))
