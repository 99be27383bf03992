"""The clients resource over HTTP (spec ``clients.md``): registration,
identity rules, central visibility, lookups, delete, listing and search.

Policy per persona is ``test_clients_personas``; the case rows R22-R26
and R31 are ``test_clients_cases``.
"""

from tests.functional.api import clients_base
from tests.functional.api.clients_base import ADMIN
from tests.functional.api.clients_base import MEMBER_A
from tests.functional.api.clients_base import MEMBER_B
from tests.functional.api.clients_base import registration

CENTRAL = 'central.example.com'
TAKEN = 'Client %s is registered by another project.'


class TestRegistration(clients_base.ClientsTestCase):

    def test_register_answers_the_id_and_location(self):
        resp = self.register('A', registration('node1.example.com'))
        self.assertEqual({'client_id': 'node1.example.com'}, resp.json)
        self.assertTrue(resp.headers['Location'].endswith(
            '/v2/A/clients/node1.example.com'))

    def test_show_returns_the_record_with_defaults_and_etag(self):
        self.register('A', registration('n1', uuid='u-1'))
        resp = self.request('GET', '/v2/A/clients/n1', **MEMBER_A)
        doc = resp.json
        self.assertEqual('"1"', resp.headers['ETag'])
        self.assertEqual(['project_id', 'user_id', 'client', '_version',
                          'created_at', 'updated_at'], list(doc))
        self.assertEqual(('A', 'alice', 1),
                         (doc['project_id'], doc['user_id'],
                          doc['_version']))
        self.assertEqual({
            'client_id': 'n1', 'hostname': 'node1',
            'description': 'scheduler on node1', 'uuid': 'u-1',
            'is_central': False,
            'supported_actions': ['backup', 'restore', 'info', 'admin',
                                  'exec'],
            'supported_modes': ['fs', 'mongo', 'mysql', 'sqlserver',
                                'cinder', 'glance', 'cindernative', 'nova'],
            'supported_storages': ['local', 'swift', 'ssh', 's3', 'ftp',
                                   'ftps'],
            'supported_engines': ['tar', 'rsync', 'rsyncv2', 'nova',
                                  'osbrick', 'glance']}, doc['client'])

    def test_generated_uuid_is_32_hex(self):
        self.register('A', registration('n1'))
        uuid = self.show('A', 'n1')['client']['uuid']
        self.assertRegex(uuid, '^[0-9a-f]{32}$')

    def test_get_shape_is_accepted(self):
        self.register('A', {'client': registration('n1'),
                            'project_id': 'other', '_version': 9})
        doc = self.show('A', 'n1')
        self.assertEqual(('A', 1), (doc['project_id'], doc['_version']))

    def test_both_shapes_must_agree(self):
        resp = self.register('A', {'client_id': 'n1',
                                   'client': {'client_id': 'n2'}},
                             status=400)
        self.assertError(400, resp, 'client_id')
        self.show('A', 'n1', status=404)

    def test_unknown_capability_names_its_index(self):
        resp = self.register('A', registration(
            'n1', supported_modes=['fs', 'mysql', 'tape']), status=400)
        self.assertError(400, resp, 'supported_modes[2]')

    def test_client_id_is_required(self):
        resp = self.register('A', {'hostname': 'h'}, status=400)
        self.assertError(400, resp, 'client_id')

    def test_uuid_taken_in_another_project_is_409(self):
        self.register('A', registration('n1', uuid='same'))
        resp = self.register('B', registration('n2', uuid='same'),
                             caller=MEMBER_B, status=409)
        self.assertError(409, resp)
        self.show('B', 'n2', caller=MEMBER_B, status=404)

    def test_uuid_is_kept_on_reregistration(self):
        self.register('A', registration('n1', uuid='first'))
        self.register('A', registration('n1', uuid='second'))
        self.assertEqual('first', self.show('A', 'n1')['client']['uuid'])

    def test_reregistration_keeps_the_creator(self):
        self.register('A', registration('n1'))
        self.register('A', registration('n1', hostname='h2'),
                      caller=dict(MEMBER_A, user='other'))
        self.assertEqual('alice', self.show('A', 'n1')['user_id'])

    def test_if_match_on_registration(self):
        self.register('A', registration('n1'))
        resp = self.register('A', registration('n1', hostname='h2'),
                             headers={'If-Match': '"7"'}, status=412)
        self.assertError(412, resp)
        self.register('A', registration('n1', hostname='h2'),
                      headers={'If-Match': '"1"'})
        self.assertEqual(2, self.show('A', 'n1')['_version'])
        # No registration yet: any If-Match fails.
        self.register('A', registration('n9'), headers={'If-Match': '*'},
                      status=412)

    def test_no_patch_or_item_post(self):
        self.register('A', registration('n1'))
        for method in ('PATCH', 'POST', 'PUT'):
            resp = self.request(method, '/v2/A/clients/n1',
                                {'hostname': 'x'}, **MEMBER_A)
            self.assertError(405, resp)
            self.assertEqual('DELETE, GET, HEAD', resp.headers['Allow'])
        self.assertEqual('node1', self.show('A', 'n1')['client']['hostname'])


class TestIdentity(clients_base.ClientsTestCase):

    def test_non_central_ids_repeat_across_projects(self):
        self.register('A', registration('n1', hostname='ha'))
        self.register('B', registration('n1', hostname='hb'),
                      caller=MEMBER_B)
        self.assertEqual('ha', self.show('A', 'n1')['client']['hostname'])
        self.assertEqual('hb', self.show(
            'B', 'n1', caller=MEMBER_B)['client']['hostname'])

    def test_central_id_is_unique_across_projects(self):
        self.register('admin-project', registration(CENTRAL,
                                                    is_central=True),
                      caller=ADMIN)
        # Neither as a plain client nor as a central one elsewhere.
        resp = self.register('A', registration(CENTRAL), status=409)
        self.assertError(409, resp, TAKEN % CENTRAL)
        resp = self.register('A', registration(CENTRAL, is_central=True),
                             caller=dict(ADMIN, project='A'), status=409)
        self.assertError(409, resp, TAKEN % CENTRAL)
        self.assertEqual('admin-project',
                         self.show('A', CENTRAL)['project_id'])

    def test_central_registration_of_an_id_another_project_holds(self):
        self.register('A', registration('n1'))
        resp = self.register('admin-project', registration(
            'n1', is_central=True), caller=ADMIN, status=409)
        self.assertError(409, resp, TAKEN % 'n1')
        self.show('B', 'n1', caller=MEMBER_B, status=404)

    def test_owner_may_turn_its_client_central_and_back(self):
        self.register('admin-project', registration('n1'), caller=ADMIN)
        self.show('A', 'n1', status=404)
        self.register('admin-project', registration('n1', is_central=True),
                      caller=ADMIN)
        self.assertEqual(['n1'], self.listed('A'))
        self.assertEqual(2, self.show('A', 'n1')['_version'])
        self.register('admin-project', registration('n1'), caller=ADMIN)
        self.assertEqual([], self.listed('A'))
        self.show('A', 'n1', status=404)


class TestCentralVisibility(clients_base.ClientsTestCase):

    def setUp(self):
        super().setUp()
        self.register('admin-project', registration(
            CENTRAL, is_central=True, hostname='central'), caller=ADMIN)
        self.register('A', registration('a1', hostname='ha'))
        self.register('B', registration('b1', hostname='hb'),
                      caller=MEMBER_B)

    def test_every_project_lists_its_own_and_the_central_ones(self):
        self.assertEqual([CENTRAL, 'a1'], self.listed('A'))
        self.assertEqual([CENTRAL, 'b1'], self.listed('B', caller=MEMBER_B))
        self.assertEqual([CENTRAL], self.listed(
            'C', caller=dict(MEMBER_A, project='C')))

    def test_central_client_shows_its_owner(self):
        doc = self.show('B', CENTRAL, caller=MEMBER_B)
        self.assertEqual(('admin-project', 'ada', True),
                         (doc['project_id'], doc['user_id'],
                          doc['client']['is_central']))

    def test_other_projects_plain_client_is_404_even_for_admin(self):
        self.show('A', 'b1', status=404)
        self.show('A', 'b1', caller=dict(ADMIN, project='admin-project'),
                  status=404)

    def test_search_finds_central_clients_of_other_projects(self):
        self.assertEqual([CENTRAL], self.listed('A', body={
            'match': [{'hostname': 'central'}]}))
        self.assertEqual([CENTRAL], self.listed('A', body={
            'match': [{'client_id': CENTRAL}]}))
        self.assertEqual(['a1'], self.listed('A', body={
            'match_not': [{'is_central': True}]}))
        self.assertEqual([CENTRAL], self.listed('A', body={
            'match': [{'_all': 'CENTRAL'}]}))
        self.assertEqual([], self.listed('A', body={
            'match': [{'hostname': 'hb'}]}))

    def test_paging_through_both_kinds(self):
        self.register('A', registration('a2'))
        self.assertEqual([CENTRAL, 'a1'], self.listed('A', '?limit=2'))
        self.assertEqual(['a2'], self.listed('A', '?limit=2&offset=2'))
        self.assertEqual(['a1', 'a2'], self.listed(
            'A', '?marker=%s' % CENTRAL))
        self.assertEqual(['a2'], self.listed('A', '?marker=a1'))
        resp = self.request('GET', '/v2/A/clients?marker=b1', **MEMBER_A)
        self.assertError(400, resp, 'marker')

    def test_all_exact_id_matches_come_first(self):
        # "qz" is a substring of later clients; its exact match leads.
        # (No hex digit in it: generated uuids are searched as text.)
        self.register('A', registration('xqz', hostname='qz-host'))
        self.register('A', registration('yqz'))
        self.register('A', registration('qz'))
        body = {'match': [{'_all': 'qz'}]}
        self.assertEqual(['qz', 'xqz', 'yqz'], self.listed('A', body=body))
        body = {'match': [{'_all': 'yqz'}]}
        self.assertEqual(['yqz'], self.listed('A', body=body))
        body = {'match': [{'_all': 'xqz'}]}
        self.assertEqual(['xqz'], self.listed('A', body=body))
        body = {'match': [{'_all': 'qz'}]}
        self.assertEqual(['qz'], self.listed('A', '?limit=1', body=body))
        self.assertEqual(['xqz', 'yqz'], self.listed(
            'A', '?limit=5&offset=1', body=body))
        self.assertEqual(['yqz'], self.listed(
            'A', '?limit=5&offset=2', body=body))
        self.assertEqual(['xqz', 'yqz'], self.listed(
            'A', '?marker=qz', body=body))
        self.assertEqual(['yqz'], self.listed('A', '?marker=xqz', body=body))
        # Another term still applies to the exact match.
        body = {'match': [{'_all': 'qz'}, {'hostname': 'qz-host'}]}
        self.assertEqual(['xqz'], self.listed('A', body=body))


class TestDelete(clients_base.ClientsTestCase):

    def test_delete_then_404(self):
        self.register('A', registration('n1'))
        resp = self.request('DELETE', '/v2/A/clients/n1', **MEMBER_A)
        self.assertEqual(204, resp.status_int)
        self.assertEqual(b'', resp.body)
        self.show('A', 'n1', status=404)
        # Registering again starts afresh.
        self.register('A', registration('n1'))
        self.assertEqual(1, self.show('A', 'n1')['_version'])

    def test_invisible_client_is_404_and_stays(self):
        self.register('B', registration('b1'), caller=MEMBER_B)
        resp = self.request('DELETE', '/v2/A/clients/b1', **MEMBER_A)
        self.assertError(404, resp)
        self.show('B', 'b1', caller=MEMBER_B)

    def test_another_projects_central_client_is_403(self):
        self.register('admin-project', registration(CENTRAL,
                                                    is_central=True),
                      caller=ADMIN)
        resp = self.request('DELETE', '/v2/A/clients/%s' % CENTRAL,
                            **MEMBER_A)
        self.assertError(403, resp, 'Client %s' % CENTRAL)
        resp = self.request('DELETE', '/v2/admin-project/clients/%s'
                            % CENTRAL, **ADMIN)
        self.assertEqual(204, resp.status_int)
        self.show('A', CENTRAL, status=404)

    def test_if_match_on_delete(self):
        self.register('A', registration('n1'))
        resp = self.request('DELETE', '/v2/A/clients/n1',
                            headers={'If-Match': '"2"'}, **MEMBER_A)
        self.assertError(412, resp)
        resp = self.request('DELETE', '/v2/A/clients/n1',
                            headers={'If-Match': '"1"'}, **MEMBER_A)
        self.assertEqual(204, resp.status_int)

    def test_malformed_url_ids_are_404(self):
        for client_id in ('bad%00id', 'x' * 300, 'bad%24id'):
            resp = self.request('GET', '/v2/A/clients/%s' % client_id,
                                **MEMBER_A)
            self.assertError(404, resp)
            resp = self.request('DELETE', '/v2/A/clients/%s' % client_id,
                                **MEMBER_A)
            self.assertError(404, resp)
