"""Backup PATCH and DELETE over HTTP (spec ``backups.md``, "PATCH" and
"DELETE"; cases R27 and R29 of ``cases/resources.md``).

Each test runs on SQLite, PostgreSQL and MariaDB.
"""

from tests.functional.api import backups_base
from tests.functional.api.backups_base import metadata

MEMBER_B = {'project': 'B', 'roles': 'member', 'user': 'bob'}


class WriteTestCase(backups_base.BackupsTestCase):

    def setUp(self):
        super().setUp()
        self.original = metadata(keep='me', nested={'a': 1}, extra=1)
        self.backup_id = self.post(self.original, user='alice')
        self.path = self.item(self.backup_id)

    def patch(self, body, headers=None, **kwargs):
        """PATCH the record, asserting 200; returns the response."""
        resp = self.request('PATCH', self.path, body, headers=headers,
                            **kwargs)
        self.assertEqual(200, resp.status_int, resp.body)
        return resp

    def assertUnchanged(self):
        resp = self.show(self.backup_id)
        self.assertEqual('"1"', resp.headers['ETag'])
        self.assertEqual(('available', self.original),
                         (resp.json['status'],
                          resp.json['backup_metadata']))


class TestPatch(WriteTestCase):

    def test_structured_patch_answers_the_updated_document(self):
        resp = self.patch({'status': 'error',
                           'backup_metadata': {'nested': {'b': 2},
                                               'added': [1]}})
        self.assertEqual('"2"', resp.headers['ETag'])
        expected = dict(self.original, nested={'b': 2}, added=[1])
        self.assertEqual({'backup_id': self.backup_id, 'project_id': 'A',
                          'user_id': 'alice', 'status': 'error',
                          'backup_metadata': expected}, resp.json)
        shown = self.show(self.backup_id)
        self.assertEqual(resp.json, shown.json)
        self.assertEqual('"2"', shown.headers['ETag'])

    def test_r29_the_freezer_19_pre_create_flow(self):
        """R29: POST a ``creating`` record without hostname, PATCH the
        agent's final metadata flat, remove a key with null, then a
        structured PATCH with a stray key is 400."""
        resp = self.request('POST', '/v2/A/backups', {
            'backup_name': 'vol', 'container': None, 'status': 'creating',
            'job_id': 'job1', 'extra': 'x'})
        self.assertEqual(201, resp.status_int, resp.body)
        path = self.item(resp.json['backup_id'])
        final = {'backup_id': resp.json['backup_id'],
                 'cinder_backup_id': 'c-1', 'status': 'available',
                 'hostname': 'node1', 'container': '', 'time_stamp': 42}
        resp = self.request('PATCH', path, final)
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual('available', resp.json['status'])
        self.assertEqual({'backup_name': 'vol', 'container': '',
                          'job_id': 'job1', 'extra': 'x',
                          'cinder_backup_id': 'c-1', 'hostname': 'node1',
                          'time_stamp': 42}, resp.json['backup_metadata'])
        resp = self.request('PATCH', path, {'backup_metadata': {
            'extra': None}})
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertNotIn('extra', resp.json['backup_metadata'])
        self.assertEqual('"3"', resp.headers['ETag'])
        resp = self.request('PATCH', path, {'backup_metadata': {},
                                            'foo': 1})
        self.assertError(400, resp, 'foo')
        self.assertEqual('"3"', self.request('GET', path).headers['ETag'])

    def test_flat_patch_merges_into_the_metadata(self):
        resp = self.patch({'keep': 'new', 'extra': None, 'more': {'x': 1}})
        self.assertEqual('available', resp.json['status'])
        self.assertEqual(dict(metadata(keep='new', nested={'a': 1},
                                       more={'x': 1})),
                         resp.json['backup_metadata'])

    def test_any_status_transition_is_allowed(self):
        for status in ('creating', 'deleted', 'restoring', 'available'):
            self.assertEqual(status, self.patch({'status': status}).json[
                'status'])

    def test_server_fields_are_ignored_at_both_levels(self):
        resp = self.patch({'backup_id': 'other', 'project_id': 'X',
                           'user_id': 'eve', 'keep': 'k'})
        self.assertEqual((self.backup_id, 'A', 'alice'),
                         (resp.json['backup_id'], resp.json['project_id'],
                          resp.json['user_id']))
        self.assertNotIn('backup_id', resp.json['backup_metadata'])
        resp = self.patch({'backup_metadata': {'user_id': 'eve', 'k': 1}})
        self.assertNotIn('user_id', resp.json['backup_metadata'])

    def test_bad_patches_are_400_and_write_nothing(self):
        cases = [
            ({}, None), (b'', None), ([], None), ('null', None),
            ({'backup_id': 'x'}, None),
            ({'status': 'done'}, 'status'),
            ({'status': None}, 'status'),
            ({'backup_name': None}, 'backup_name'),
            ({'backup_name': ''}, 'backup_name'),
            ({'backup_metadata': {'backup_name': None}}, 'backup_name'),
            ({'backup_metadata': []}, 'backup_metadata'),
            ({'backup_metadata': {'status': 'error'}}, 'status'),
            ({'job_id': 'j' * 256}, 'job_id'),
            ({'x': 'a\x00'}, 'x'),
        ]
        for body, field in cases:
            resp = self.request('PATCH', self.path, body)
            self.assertError(400, resp, field)
        self.assertUnchanged()

    def test_if_match_makes_the_patch_conditional(self):
        resp = self.request('PATCH', self.path, {'keep': 'x'},
                            headers={'If-Match': '"2"'})
        self.assertError(412, resp)
        self.assertUnchanged()
        resp = self.patch({'keep': 'x'}, headers={'If-Match': '"1"'})
        self.assertEqual('"2"', resp.headers['ETag'])
        self.patch({'keep': 'y'}, headers={'If-Match': 'W/"2"'})
        self.patch({'keep': 'z'}, headers={'If-Match': '*'})
        self.assertError(400, self.request('PATCH', self.path, {'k': 1},
                                           headers={'If-Match': 'abc'}))

    def test_missing_and_foreign_records_are_404(self):
        other = self.post(project='B')
        for path in (self.item(other), self.item('0' * 32),
                     self.item('x.json')):
            self.assertError(404, self.request('PATCH', path, {'k': 1}))
        self.assertError(404, self.request(
            'PATCH', self.path.replace('/A/', '/B/'), {'k': 1}, **MEMBER_B))
        self.assertUnchanged()


class TestDelete(WriteTestCase):

    def test_delete_answers_204_and_removes_the_record(self):
        resp = self.request('DELETE', self.path)
        self.assertEqual((204, b''), (resp.status_int, resp.body))
        self.assertError(404, self.request('GET', self.path))
        self.assertEqual([], self.listed())
        self.assertEqual([], self.listed(body={'match': [
            {'_all': 'me'}]}))
        self.assertError(404, self.request('DELETE', self.path))

    def test_r27_a_foreign_delete_is_404_and_the_record_stays(self):
        """R27: a member of B deleting A's record under ``/v2/B`` gets
        404; A still lists it (tempest
        ``test_api_backups_delete_other_users_backups``)."""
        resp = self.request('DELETE', '/v2/B/backups/' + self.backup_id,
                            **MEMBER_B)
        self.assertError(404, resp)
        self.assertEqual([self.backup_id], self.listed_ids())
        # Under A's URL the member of B is refused by policy.
        resp = self.request('DELETE', self.path, **MEMBER_B)
        self.assertError(403, resp)
        self.assertEqual([self.backup_id], self.listed_ids())

    def test_if_match_makes_the_delete_conditional(self):
        self.assertError(412, self.request('DELETE', self.path,
                                           headers={'If-Match': '"5"'}))
        self.assertUnchanged()
        resp = self.request('DELETE', self.path, headers={'If-Match': '"1"'})
        self.assertEqual(204, resp.status_int)

    def test_malformed_ids_are_404(self):
        for backup_id in ('x.json', '%00', 'a' * 65):
            self.assertError(404, self.request(
                'DELETE', '/v2/A/backups/' + backup_id))
        self.assertEqual([self.backup_id], self.listed_ids())
