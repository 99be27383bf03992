"""Strings behave the same on SQLite, PostgreSQL and MySQL.

MySQL's default collations ignore case, accents and trailing spaces, and
PostgreSQL orders text by the database's locale; the schema (models and
migration 0003) makes every engine compare and order ids, project ids,
search terms and free text code point by code point, as Python (and so
:func:`freezer_core.search.matches`) does. Each test runs on every engine.
"""

import sqlalchemy as sa

from freezer_core import errors
from freezer_core import pagination
from freezer_core import search
from freezer_core.storage import actions as action_storage
from freezer_core.storage import database
from tests.functional.storage import base

ALL = base.ALL


_doc = base.document


class TestExactStrings(base.RepositoryTestCase):

    def ids(self, project, document=None):
        found = search.parse(document) if document else search.EMPTY
        return [record['action_id'] for record in
                self.repository.list(project, found, ALL)]

    def test_action_ids_differ_by_case(self):
        self.repository.create('A', 'u', _doc('Backup-1'))
        self.repository.create('A', 'u', _doc('backup-1'))
        self.assertEqual('Backup-1',
                         self.repository.get('A', 'Backup-1')['action_id'])
        self.assertEqual('backup-1',
                         self.repository.get('A', 'backup-1')['action_id'])
        self.assertRaises(errors.NotFound, self.repository.get, 'A',
                          'BACKUP-1')

    def test_project_ids_differ_by_case_accent_and_trailing_space(self):
        record = self.repository.create('proj', 'u', _doc())
        for other in ('PROJ', 'proj ', 'prój'):
            self.assertRaises(errors.NotFound, self.repository.get, other,
                              record['action_id'])
            self.assertEqual([], self.ids(other))
        self.assertEqual([record['action_id']], self.ids('proj'))

    def test_four_byte_and_long_ids_round_trip(self):
        project = 'p' * 254 + '😀'
        user = 'ü' * 255
        action_id = 'a' * 64
        record = self.repository.create(project, user, _doc(action_id))
        fetched = self.repository.get(project, action_id)
        self.assertEqual((project, user, action_id),
                         (fetched['project_id'], fetched['user_id'],
                          fetched['action_id']))
        self.assertEqual(record, fetched)

    def test_url_without_charset_keeps_four_byte_characters(self):
        """oslo.db would ask MySQL for 3-byte utf8 without ``charset`` in
        the URL; the repository asks for utf8mb4 itself."""
        url = sa.engine.make_url(self.url)
        bare = url.difference_update_query(['charset']).render_as_string(
            hide_password=False)
        repository = action_storage.ActionRepository(database.Database(bare))
        record = repository.create('😀', 'u😀', _doc(backup_name='a😀b'))
        fetched = self.repository.get('😀', record['action_id'])
        self.assertEqual(('😀', 'u😀', 'a😀b'),
                         (fetched['project_id'], fetched['user_id'],
                          fetched['freezer_action']['backup_name']))
        self.assertEqual([record['action_id']],
                         self.ids('😀', {'match': [{'_all': '😀B'}]}))

    def test_terms_match_exactly(self):
        stored = self.repository.create('A', 'u', _doc(
            backup_name='café', container='Fs', path_to_backup='/x '))
        aid = stored['action_id']
        self.assertEqual([aid], self.ids('A', {'match': [
            {'backup_name': 'café'}]}))
        for pairs in ({'backup_name': 'cafe'}, {'backup_name': 'CAFÉ'},
                      {'container': 'fs'}, {'path_to_backup': '/x'},
                      {'path_to_backup': '/x  '}):
            self.assertEqual([], self.ids('A', {'match': [pairs]}), pairs)

    def test_free_text_is_case_insensitive_but_accent_exact(self):
        aid = self.repository.create('A', 'u', _doc(
            backup_name='Le Café 😀'))['action_id']
        for text in ('café', 'CAFÉ', 'le caf', '😀', 'é 😀'):
            self.assertEqual([aid], self.ids('A', {'match': [
                {'_all': text}]}), text)
        for text in ('cafe', 'cafè', 'le  caf'):
            self.assertEqual([], self.ids('A', {'match': [
                {'_all': text}]}), text)

    def test_equal_creation_times_order_by_code_point(self):
        ids = ['b', 'B', '_x', '-x', 'a0', 'A0', 'Z']
        self.repository.create_many('A', 'u', [_doc(i) for i in ids])
        self.assertEqual(sorted(ids), self.ids('A'))
        # Paging with a marker follows the same order.
        order = sorted(ids)
        page = self.repository.list('A', search.EMPTY,
                                    pagination.Page(3, 0, order[2]))
        self.assertEqual(order[3:6], [r['action_id'] for r in page])
