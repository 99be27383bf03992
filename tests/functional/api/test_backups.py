"""Backup records over HTTP: documents, create, PATCH, delete (spec
``backups.md``; cases R27-R29 and R31 of ``cases/resources.md``).

Each test runs on SQLite, PostgreSQL and MariaDB.
"""

import copy
import json
import re

from tests.functional.api import backups_base
from tests.functional.api.backups_base import metadata

TEMPEST = backups_base.TEMPEST_METADATA
DOCUMENT_KEYS = ['backup_id', 'project_id', 'user_id', 'status',
                 'backup_metadata']


class TestCreate(backups_base.BackupsTestCase):

    def test_post_answers_201_a_generated_id_and_its_location(self):
        resp = self.request('POST', '/v2/A/backups', TEMPEST)
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual(['backup_id'], list(resp.json))
        backup_id = resp.json['backup_id']
        self.assertIsNotNone(re.fullmatch('[0-9a-f]{32}', backup_id))
        self.assertEqual('http://localhost/v2/A/backups/' + backup_id,
                         resp.headers['Location'])

    def test_the_document_has_exactly_five_keys_and_the_etag(self):
        backup_id = self.post(user='alice')
        resp = self.show(backup_id)
        self.assertEqual('"1"', resp.headers['ETag'])
        self.assertEqual(DOCUMENT_KEYS, list(resp.json))
        self.assertEqual({'backup_id': backup_id, 'project_id': 'A',
                          'user_id': 'alice', 'status': 'available',
                          'backup_metadata': TEMPEST}, resp.json)

    def test_r28_list_item_is_exactly_what_tempest_expects(self):
        """R28: the list item minus its id equals ``{user_id,
        project_id, status: available, backup_metadata: <posted>}``."""
        backup_id = self.post(user='alice')
        (item,) = self.listed()
        self.assertEqual(backup_id, item.pop('backup_id'))
        self.assertEqual({'user_id': 'alice', 'project_id': 'A',
                          'backup_metadata': TEMPEST,
                          'status': 'available'}, item)

    def test_r28_server_fields_are_ignored_not_stored(self):
        """R28: ``backup_id: "mine"`` and ``project_id: "X"`` posted
        inside the metadata are not stored; the id is generated and
        search by ``mine`` finds nothing."""
        body = dict(copy.deepcopy(TEMPEST), backup_id='mine', project_id='X',
                    user_id='eve', _version=9, created_at='x')
        backup_id = self.post(body, user='alice')
        self.assertNotEqual('mine', backup_id)
        doc = self.show(backup_id).json
        self.assertEqual(TEMPEST, doc['backup_metadata'])
        self.assertEqual(('A', 'alice'), (doc['project_id'], doc['user_id']))
        self.assertEqual([], self.listed(body={'match': [
            {'backup_id': 'mine'}]}))
        self.assertEqual([backup_id], self.listed_ids(body={'match': [
            {'backup_id': backup_id}]}))

    def test_values_keep_their_types_nulls_and_nesting(self):
        sent = metadata(n=None, f=1.5, i=-3, b=True, l=[1, 'x', None],
                        o={'deep': {'k': [{}]}}, s='')
        doc = self.show(self.post(sent)).json
        self.assertEqual(sent, doc['backup_metadata'])

    def test_status_is_top_level_and_defaults_to_available(self):
        doc = self.show(self.post(metadata(status='error'))).json
        self.assertEqual('error', doc['status'])
        self.assertNotIn('status', doc['backup_metadata'])

    def test_the_get_shape_can_be_posted_again(self):
        original = self.show(self.post(metadata(status='error'))).json
        copy_id = self.post(original)
        again = self.show(copy_id).json
        self.assertEqual((original['status'], original['backup_metadata']),
                         (again['status'], again['backup_metadata']))
        self.assertNotEqual(original['backup_id'], copy_id)

    def test_get_shape_with_another_key_is_400_naming_it(self):
        resp = self.request('POST', '/v2/A/backups', {
            'backup_metadata': metadata(), 'foo': 1})
        self.assertError(400, resp, 'foo')

    def test_validation_names_the_field(self):
        """Spec "Validation (POST)"; tempest wants 400 without
        ``container``."""
        incomplete = copy.deepcopy(TEMPEST)
        del incomplete['container']
        cases = [
            (incomplete, 'container'),
            ({'container': 'c', 'hostname': 'h'}, 'backup_name'),
            (metadata(backup_name=''), 'backup_name'),
            (metadata(backup_name=3), 'backup_name'),
            (metadata(hostname=None), 'hostname'),
            (metadata(container=''), 'container'),
            (metadata(job_id='j' * 256), 'job_id'),
            (metadata(job_id=7), 'job_id'),
            (metadata(status='done'), 'status'),
            (metadata(status=None), 'status'),
            (metadata(x='a\x00b'), 'x'),
        ]
        for body, field in cases:
            resp = self.request('POST', '/v2/A/backups', body)
            self.assertError(400, resp, field)
        self.assertEqual([], self.listed())

    def test_empty_or_non_object_bodies_are_400(self):
        for raw in ('{}', '[]', '[1]', '"s"', '42', 'null', ''):
            self.assertError(400, self.request('POST', '/v2/A/backups',
                                               raw.encode()))
        self.assertEqual([], self.listed())

    def test_malformed_json_is_753(self):
        for raw in (b'{"backup_name":', b'\xff\xfe{}', b'{"a":1,"a":2}'):
            body = self.assertError(753, self.request(
                'POST', '/v2/A/backups', raw))
            self.assertEqual('Malformed JSON', body['title'])

    def test_pre_created_records_may_lack_a_location(self):
        """Compat: 19.0.0's rule for ``creating``, ``error`` and
        ``deleting`` records."""
        for status in ('creating', 'error', 'deleting'):
            doc = self.show(self.post({'backup_name': 'b', 'status': status,
                                       'container': None})).json
            self.assertEqual(status, doc['status'])

    def test_fallback_post_with_a_backup_id_is_held_to_the_patch_rule(self):
        """Spec: freezer 19's POST after a failed PATCH carries
        ``backup_id`` and the agent's ``""`` values."""
        backup_id = self.post({'backup_id': 'x', 'backup_name': 'b',
                               'container': '', 'hostname': ''})
        doc = self.show(backup_id).json
        self.assertEqual({'backup_name': 'b', 'container': '',
                          'hostname': ''}, doc['backup_metadata'])

    def test_no_content_type_and_text_plain_are_read_as_json(self):
        for headers in ({}, {'Content-Type': 'text/plain'}):
            resp = self.request('POST', '/v2/A/backups',
                                json.dumps(metadata()), headers=headers)
            self.assertEqual(201, resp.status_int, resp.body)

    def test_trailing_slash_and_double_slashes_are_the_same_route(self):
        resp = self.request('POST', '//v2/A/backups/', metadata())
        self.assertEqual(201, resp.status_int, resp.body)
        backup_id = resp.json['backup_id']
        self.assertEqual([backup_id], self.listed_ids(query='/'))
        resp = self.request('GET', '/v2/A/backups/%s/' % backup_id)
        self.assertEqual(200, resp.status_int)

    def test_post_on_the_item_is_405_with_allow(self):
        backup_id = self.post()
        resp = self.request('POST', self.item(backup_id), metadata())
        self.assertError(405, resp)
        self.assertEqual('DELETE, GET, HEAD, PATCH', resp.headers['Allow'])
        resp = self.request('PUT', '/v2/A/backups', metadata())
        self.assertEqual('GET, HEAD, POST', resp.headers['Allow'])
        self.assertEqual(1, len(self.listed()))

    def test_head_mirrors_get_without_a_body(self):
        backup_id = self.post()
        resp = self.request('HEAD', self.item(backup_id))
        self.assertEqual((200, b'', '"1"'), (resp.status_int, resp.body,
                                             resp.headers['ETag']))
        resp = self.request('HEAD', self.item('0' * 32))
        self.assertEqual((404, b''), (resp.status_int, resp.body))


class TestShow(backups_base.BackupsTestCase):

    def test_missing_malformed_and_foreign_ids_are_404(self):
        backup_id = self.post(project='B')
        for path in ('/v2/A/backups/' + backup_id,
                     '/v2/A/backups/' + '0' * 32,
                     '/v2/A/backups/x.json',
                     '/v2/A/backups/%00',
                     '/v2/A/backups/' + 'a' * 65):
            self.assertError(404, self.request('GET', path), 'not found')

    def test_r31_home_document_as_tempest_checks_it(self):
        """R31: ``rel/backups`` field by field, as tempest's
        ``test_api_version_v2``."""
        resp = self.request('GET', '/v2')
        self.assertEqual('application/json-home', resp.content_type)
        rel = json.loads(resp.body)['resources']['rel/backups']
        self.assertEqual('/v2/{project_id}/backups/{backup_id}',
                         rel['href-template'])
        self.assertEqual({'backup_id': 'param/backup_id',
                          'project_id': 'param/project_id'},
                         rel['href-vars'])
        self.assertEqual('GET', rel['hints']['allow'][0])
        self.assertIn('application/json', rel['hints']['formats'])
        home = json.loads(resp.body)['resources']
        self.assertEqual('/v2/{project_id}/backups{?limit,offset,marker}',
                         home['rel/backup_list']['href-template'])


class TestText(backups_base.BackupsTestCase):

    def test_unicode_round_trips_and_free_text_folds_case(self):
        sent = metadata(backup_name='Straße 😀', hostname='nœud')
        backup_id = self.post(sent)
        self.assertEqual(sent, self.show(backup_id).json['backup_metadata'])
        self.assertEqual([backup_id], self.listed_ids(body={'match': [
            {'_all': 'STRASSE'}]}))
        self.assertEqual([backup_id], self.listed_ids(body={'match': [
            {'hostname': 'nœud'}]}))


class TestLimits(backups_base.BackupsTestCase):
    """The ``[api]`` limits hold on the backups routes too."""

    max_request_body_size = 4096

    def setUp(self):
        super().setUp()
        for name, value in (('max_json_depth', 6),
                            ('max_string_length', 32),
                            ('max_search_terms', 3)):
            self.conf.set_override(name, value, group='api')
        self.backup_id = self.post(metadata())

    def test_each_limit_is_refused_with_its_status_and_name(self):
        item = self.item(self.backup_id)
        long = metadata(note='x' * 33)
        self.assertError(400, self.request('POST', '/v2/A/backups', long),
                         'max_string_length')
        self.assertError(400, self.request('PATCH', item, {'note': 'x' * 33}),
                         'max_string_length')
        self.assertError(400, self.request('GET', '/v2/A/backups', {
            'match': [{'a': 1}, {'b': 2}, {'c': 3}, {'d': 4}]}),
            'max_search_terms')
        deep = metadata(n={'a': {'b': {'c': {'d': {'e': {}}}}}})
        self.assertEqual(753, self.request('POST', '/v2/A/backups',
                                           deep).status_int)
        self.assertError(413, self.request('POST', '/v2/A/backups',
                                           metadata(n='y' * 5000)))
        self.assertEqual([self.backup_id], self.listed_ids())
        self.assertEqual('"1"', self.show(self.backup_id).headers['ETag'])
