"""Rules of the client document (spec ``clients.md``; cases R22-R26 of
``cases/resources.md``, domain part: the HTTP part is in the API tests)."""

import testtools

from freezer_core import clients
from freezer_core import errors
from freezer_core import limits
from freezer_core.schemas import client as client_schema

ALL_ACTIONS = ['backup', 'restore', 'info', 'admin', 'exec']
ALL_MODES = ['fs', 'mongo', 'mysql', 'sqlserver', 'cinder', 'glance',
             'cindernative', 'nova']
ALL_STORAGES = ['local', 'swift', 'ssh', 's3', 'ftp', 'ftps']
ALL_ENGINES = ['tar', 'rsync', 'rsyncv2', 'nova', 'osbrick', 'glance']

#: The registration file of freezer-tempest-plugin's CLI test
#: (``test_freezer_cmd_client``).
TEMPEST_CLI_CLIENT = {
    'project_id': 'tecs',
    'client_id': 'test-tenant_5253_test-hostname_19544',
    'hostname': 'test-hostname_19544',
    'description': 'some test client',
    'config_id': 'test-config-id_5253',
}


class TestParseRegistration(testtools.TestCase):

    def refused(self, body, **kwargs):
        """Parse a body that must be refused; return the error."""
        return self.assertRaises(errors.ValidationError,
                                 clients.parse_registration, body, **kwargs)

    def test_defaults_are_filled(self):
        self.assertEqual({
            'client_id': 'node1', 'hostname': None, 'description': None,
            'is_central': False, 'supported_actions': ALL_ACTIONS,
            'supported_modes': ALL_MODES,
            'supported_storages': ALL_STORAGES,
            'supported_engines': ALL_ENGINES,
        }, clients.parse_registration({'client_id': 'node1'}))

    def test_given_values_are_kept_and_lists_may_be_empty(self):
        document = clients.parse_registration({
            'client_id': 'p1_node1.example.com', 'hostname': 'node1',
            'description': None, 'uuid': 'u-1', 'is_central': True,
            'supported_actions': ['backup'], 'supported_modes': [],
            'supported_storages': ['swift', 'local'],
            'supported_engines': ['rsyncv2']})
        self.assertEqual(('u-1', True, ['backup'], [], ['swift', 'local'],
                          ['rsyncv2']),
                         (document['uuid'], document['is_central'],
                          document['supported_actions'],
                          document['supported_modes'],
                          document['supported_storages'],
                          document['supported_engines']))

    def test_r22_hostname_is_anchored_and_may_hold_underscores(self):
        exc = self.refused({'client_id': 'ok', 'hostname': 'bad/host'})
        self.assertEqual(('hostname', 'pattern'), (exc.path, exc.rule))
        self.assertIn('hostname', exc.description)
        document = clients.parse_registration({
            'client_id': 'test-tenant_5253_test-hostname_19544',
            'hostname': 'test-hostname_19544'})
        self.assertEqual('test-hostname_19544', document['hostname'])

    def test_hostname_length_and_characters(self):
        for good in ('h', 'a' * 253, 'x.y-z_1'):
            clients.parse_registration({'client_id': 'c', 'hostname': good})
        for bad in ('', 'a' * 254, 'a b', 'é', 'host\n', 5, True):
            exc = self.refused({'client_id': 'c', 'hostname': bad})
            self.assertEqual('hostname', exc.path, bad)

    def test_r23_tempest_cli_file_keeps_extra_keys_drops_project(self):
        document = clients.parse_registration(dict(TEMPEST_CLI_CLIENT))
        self.assertNotIn('project_id', document)
        self.assertEqual('test-config-id_5253', document['config_id'])
        self.assertEqual(list(client_schema.KEYS[:3]), list(document)[:3])
        self.assertEqual('config_id', list(document)[-1])

    def test_every_server_field_is_ignored_at_both_levels(self):
        server = {'project_id': 'x', 'user_id': 'y', '_version': 3,
                  'created_at': 'then', 'updated_at': 'now'}
        flat = clients.parse_registration(dict(server, client_id='c'))
        nested = clients.parse_registration(
            dict(server, client=dict(server, client_id='c')))
        self.assertEqual(flat, nested)
        for key in server:
            self.assertNotIn(key, flat)

    def test_the_get_shape_is_accepted(self):
        record = {'project_id': 'p', 'user_id': 'u', '_version': 2,
                  'created_at': 't', 'updated_at': 't',
                  'client': {'client_id': 'c.example.org', 'uuid': 'abc',
                             'supported_engines': ['tar']}}
        document = clients.parse_registration(record)
        self.assertEqual(('c.example.org', 'abc', ['tar']),
                         (document['client_id'], document['uuid'],
                          document['supported_engines']))

    def test_both_shapes_must_agree(self):
        joined = clients.parse_registration({
            'client_id': 'c', 'hostname': 'h',
            'client': {'client_id': 'c', 'description': 'd'}})
        self.assertEqual(('c', 'h', 'd'), (joined['client_id'],
                                           joined['hostname'],
                                           joined['description']))
        exc = self.refused({'client_id': 'c1',
                            'client': {'client_id': 'c2'}})
        self.assertEqual(('client_id', 'agree'), (exc.path, exc.rule))
        self.assertIn('client.client_id', exc.description)
        # JSON equality: 1 and true differ, 1 and 1.0 agree.
        exc = self.refused({'client_id': 'c', 'n': 1,
                            'client': {'client_id': 'c', 'n': True}})
        self.assertEqual('agree', exc.rule)
        clients.parse_registration({'client_id': 'c', 'n': 1,
                                    'client': {'client_id': 'c', 'n': 1.0}})

    def test_client_must_be_an_object(self):
        for value in ('c', [], None, 1):
            exc = self.refused({'client_id': 'c', 'client': value})
            self.assertEqual(('client', 'type'), (exc.path, exc.rule))

    def test_nested_errors_name_the_nested_path(self):
        exc = self.refused({'client': {'client_id': 'c', 'is_central': 'yes'}})
        self.assertEqual(('client.is_central', 'type'),
                         (exc.path, exc.rule))

    def test_body_must_be_an_object(self):
        for body in ([], 'c', None, 3):
            exc = self.refused(body)
            self.assertEqual((None, 'type'), (exc.path, exc.rule))
            self.assertIn('client document', exc.description)

    def test_client_id_is_required(self):
        exc = self.refused({'hostname': 'h'})
        self.assertEqual((None, 'required'), (exc.path, exc.rule))
        self.assertIn("'client_id'", exc.description)

    def test_client_id_pattern(self):
        for good in ('padawan-ccp-c1-m1-mgmt', 'node1.example.com',
                     'p_1-x_node1.example.com', 'a' * 63,
                     '.'.join(['a' * 63] * 4)[:255].rstrip('.')):
            clients.parse_registration({'client_id': good})
        for bad in ('bad%project$id_host.domain.tld',
                    'test_bad_hostname.bad/domain.b', '', '-a', 'a-',
                    'a..b', 'a.', 'a' * 64, 'node\n', 'é', 5, None,
                    '.'.join(['a' * 63] * 5)):
            exc = self.refused({'client_id': bad})
            self.assertEqual('client_id', exc.path, bad)

    def test_r26_is_central_must_be_a_boolean_and_uuid_short(self):
        exc = self.refused({'client_id': 'c', 'is_central': 'yes'})
        self.assertEqual(('is_central', 'type'), (exc.path, exc.rule))
        for bad in (1, 0, None, 'true'):
            self.assertEqual('type', self.refused(
                {'client_id': 'c', 'is_central': bad}).rule)
        exc = self.refused({'client_id': 'c', 'uuid': 'u' * 65})
        self.assertEqual(('uuid', 'pattern'), (exc.path, exc.rule))
        self.assertEqual('u' * 64, clients.parse_registration(
            {'client_id': 'c', 'uuid': 'u' * 64})['uuid'])

    def test_description_is_a_short_string_or_null(self):
        self.assertEqual('d' * 255, clients.parse_registration(
            {'client_id': 'c', 'description': 'd' * 255})['description'])
        for bad in ('d' * 256, 5, ['d']):
            self.assertEqual('description', self.refused(
                {'client_id': 'c', 'description': bad}).path)

    def test_unknown_supported_value_names_its_index(self):
        exc = self.refused({'client_id': 'c',
                            'supported_modes': ['fs', 'nova', 'tape']})
        self.assertEqual(('supported_modes[2]', 'enum'),
                         (exc.path, exc.rule))
        for name, bad in (('supported_actions', ['destroy']),
                          ('supported_storages', ['tape']),
                          ('supported_engines', ['zip']),
                          ('supported_engines', 'tar'),
                          ('supported_modes', [None])):
            exc = self.refused({'client_id': 'c', name: bad})
            self.assertTrue(exc.path.startswith(name), exc.path)

    def test_nul_and_length_limits(self):
        exc = self.refused({'client_id': 'c', 'config_id': 'a\x00'})
        self.assertEqual(('config_id', 'no-nul'), (exc.path, exc.rule))
        small = limits.DEFAULT._replace(max_string_length=10)
        exc = self.refused({'client_id': 'c', 'note': 'n' * 11}, limits=small)
        self.assertEqual(('note', 'maxLength'), (exc.path, exc.rule))

    def test_the_body_is_not_modified(self):
        body = {'client_id': 'c', 'extra': {'k': [1]}, 'project_id': 'p'}
        document = clients.parse_registration(body)
        document['extra']['k'].append(2)
        self.assertEqual({'client_id': 'c', 'extra': {'k': [1]},
                          'project_id': 'p'}, body)


class TestRegistration(testtools.TestCase):

    def test_a_new_client_gets_a_uuid(self):
        document = clients.parse_registration({'client_id': 'c'})
        client, changed = clients.registration(None, document)
        self.assertRegex(client['uuid'], '^[0-9a-f]{32}$')
        self.assertEqual(tuple(sorted(client)), changed)
        self.assertEqual(list(client_schema.KEYS), list(client))

    def test_a_new_client_keeps_a_sent_uuid(self):
        document = clients.parse_registration({'client_id': 'c',
                                               'uuid': 'mine'})
        self.assertEqual('mine', clients.registration(None,
                                                      document)[0]['uuid'])

    def test_r24_renamed_host_replaces_the_part_keeps_uuid(self):
        first, _ = clients.registration(None, clients.parse_registration({
            'client_id': 'p_node1', 'hostname': 'node1',
            'supported_modes': ['fs'], 'config_id': 'x'}))
        again = clients.parse_registration({
            'client_id': 'p_node1', 'hostname': 'node1-renamed',
            'supported_modes': ['fs', 'nova'], 'uuid': 'other'})
        client, changed = clients.registration(first, again)
        self.assertEqual(('config_id', 'hostname', 'supported_modes'),
                         changed)
        self.assertEqual(first['uuid'], client['uuid'])
        self.assertEqual('node1-renamed', client['hostname'])
        self.assertEqual(['fs', 'nova'], client['supported_modes'])
        self.assertNotIn('config_id', client)
        # Restarted unchanged: nothing to write.
        self.assertEqual((client, ()), clients.registration(client, again))

    def test_absent_lists_return_to_the_defaults(self):
        first, _ = clients.registration(None, clients.parse_registration(
            {'client_id': 'c', 'supported_engines': ['tar']}))
        client, changed = clients.registration(
            first, clients.parse_registration({'client_id': 'c'}))
        self.assertEqual(('supported_engines',), changed)
        self.assertEqual(ALL_ENGINES, client['supported_engines'])

    def test_is_central_may_change(self):
        first, _ = clients.registration(None, clients.parse_registration(
            {'client_id': 'c'}))
        client, changed = clients.registration(
            first, clients.parse_registration({'client_id': 'c',
                                               'is_central': True}))
        self.assertEqual(('is_central',), changed)
        self.assertTrue(clients.needs_central(client))


class TestNeedsCentral(testtools.TestCase):

    def test_r25_only_a_true_is_central_needs_the_central_rule(self):
        self.assertTrue(clients.needs_central(clients.parse_registration(
            {'client_id': 'c', 'is_central': True})))
        self.assertFalse(clients.needs_central(clients.parse_registration(
            {'client_id': 'c', 'is_central': False})))
        self.assertFalse(clients.needs_central(clients.parse_registration(
            {'client_id': 'c'})))


class TestClientId(testtools.TestCase):

    def test_r12_the_tempest_ids(self):
        for bad in ('bad%project$id_host.domain.tld',
                    'test_bad_hostname.bad/domain.b'):
            exc = self.assertRaises(errors.ValidationError,
                                    clients.validate_client_id, bad)
            self.assertEqual(('client_id', 'pattern'), (exc.path, exc.rule))
        self.assertIsNone(clients.validate_client_id('padawan-ccp-c1-m1-mgmt'))

    def test_r31_scheduler_ids_and_dotted_ids_are_ids(self):
        # The router takes {client_id} verbatim: a dotted id, and one
        # ending in ".json", are ids (200 or 404), never a format suffix.
        for client_id in ('A_node1.example.com', 'x.json',
                          '6f2c0e7a9b1d4e5f8a3c2b1d0e9f8a7b_node1'):
            self.assertIsNone(clients.validate_client_id(client_id))

    def test_length_and_path(self):
        exc = self.assertRaises(errors.ValidationError,
                                clients.validate_client_id,
                                'a_' * 127 + 'bb', 'job.client_id')
        self.assertEqual(('job.client_id', 'maxLength'),
                         (exc.path, exc.rule))
        exc = self.assertRaises(errors.ValidationError,
                                clients.validate_client_id, None)
        self.assertEqual('type', exc.rule)


class TestUnsupported(testtools.TestCase):

    CLIENT = {'supported_actions': ['backup'], 'supported_modes': ['fs'],
              'supported_storages': ['swift'],
              'supported_engines': ['tar']}

    def test_supported_or_absent_capabilities_pass(self):
        self.assertIsNone(clients.unsupported(self.CLIENT, {
            'action': 'backup', 'mode': 'fs', 'storage': 'swift',
            'engine': 'tar', 'engine_name': 'tar'}))
        self.assertIsNone(clients.unsupported(self.CLIENT, {
            'action': 'backup', 'mode': None, 'storage': None,
            'engine_name': None}))

    def test_first_unsupported_key_and_value(self):
        for agent, expected in (
                ({'action': 'restore'}, ('action', 'restore')),
                ({'action': 'backup', 'mode': 'nova'}, ('mode', 'nova')),
                ({'action': 'backup', 'storage': 'local'},
                 ('storage', 'local')),
                ({'action': 'backup', 'engine': 'rsync'},
                 ('engine', 'rsync')),
                ({'action': 'backup', 'engine_name': 'rsyncv2'},
                 ('engine_name', 'rsyncv2')),
                ({'action': 'info', 'mode': 'nova'}, ('action', 'info'))):
            self.assertEqual(expected,
                             clients.unsupported(self.CLIENT, agent))

    def test_a_missing_list_is_the_whole_enum(self):
        self.assertIsNone(clients.unsupported({}, {
            'action': 'exec', 'mode': 'nova', 'engine_name': 'osbrick'}))
        self.assertEqual(('engine_name', 'custom'), clients.unsupported(
            {}, {'action': 'exec', 'engine_name': 'custom'}))
        self.assertEqual(('mode', 'nova'), clients.unsupported(
            {'supported_modes': []}, {'action': 'exec', 'mode': 'nova'}))


class TestSearchView(testtools.TestCase):

    def test_the_get_view_without_bookkeeping(self):
        record = {'project_id': 'p', 'user_id': 'u',
                  'client': {'client_id': 'c', 'hostname': 'h'},
                  '_version': 1, 'created_at': 't', 'updated_at': 't'}
        self.assertEqual({'project_id': 'p', 'user_id': 'u',
                          'client': {'client_id': 'c', 'hostname': 'h'}},
                         clients.search_view(record))
