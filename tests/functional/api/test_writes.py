"""Writes (spec ``actions.md``, "Writes" and "The action document").

PATCH merges, POST on the item replaces or creates, ``_version`` counts
successful writes only, ``If-Match`` makes a write conditional, ids are
unique across projects, and DELETE answers 404 for anything it cannot
delete in the URL's project.
"""

import collections
import threading

from tests.functional.api import base

#: A stored document with agent keys of several types.
ORIGINAL = {
    'freezer_action': {'action': 'backup', 'mode': 'fs',
                       'backup_name': 'orig', 'max_level': 3,
                       'custom': {'a': 1, 'b': [1, 2]}, 'keep': 'me'},
    'max_retries': 3,
    'max_retries_interval': 10,
    'mandatory': True,
}


class WriteTestCase(base.ActionsTestCase):

    def setUp(self):
        super().setUp()
        self.action_id = self.create(document=ORIGINAL)
        self.path = '/v2/A/actions/%s' % self.action_id
        self.before = self.show(self.action_id)


class TestPatchMerge(WriteTestCase):

    def test_top_level_keys_present_replace_their_value_absent_stay(self):
        """A PATCH of one top-level key changes only that key."""
        resp = self.request('PATCH', self.path, {'max_retries': 7})
        self.assertEqual(200, resp.status_int)
        self.assertEqual({'action_id': self.action_id, 'version': 2},
                         resp.json)
        doc = self.show(self.action_id)
        self.assertEqual(7, doc['max_retries'])
        for key in ('freezer_action', 'max_retries_interval', 'mandatory',
                    'created_at', 'user_id', 'project_id'):
            self.assertEqual(self.before[key], doc[key], key)

    def test_freezer_action_is_merged_key_by_key(self):
        """Agent keys sent replace theirs (nested values whole), new ones
        are added, the others stay."""
        resp = self.request('PATCH', self.path, {'freezer_action': {
            'backup_name': 'new', 'custom': {'c': 3}, 'added': [True]}})
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual(
            {'action': 'backup', 'mode': 'fs', 'backup_name': 'new',
             'max_level': 3, 'custom': {'c': 3}, 'keep': 'me',
             'added': [True]},
            self.show(self.action_id)['freezer_action'])

    def test_null_removes_an_agent_key(self):
        """``null`` in a PATCH removes that agent key; removing an absent
        key is harmless."""
        resp = self.request('PATCH', self.path, {'freezer_action': {
            'mode': None, 'custom': None, 'never_there': None}})
        self.assertEqual(200, resp.status_int, resp.body)
        doc = self.show(self.action_id)
        self.assertEqual({'action': 'backup', 'backup_name': 'orig',
                          'max_level': 3, 'keep': 'me'},
                         doc['freezer_action'])
        self.assertEqual(2, doc['_version'])

    def test_empty_patch_is_a_successful_write(self):
        """``{}`` changes no field and counts as one write."""
        resp = self.request('PATCH', self.path, {})
        self.assertEqual({'action_id': self.action_id, 'version': 2},
                         resp.json)
        doc = self.show(self.action_id)
        self.assertEqual(self.before['freezer_action'],
                         doc['freezer_action'])
        self.assertEqual(2, doc['_version'])

    def test_merged_result_is_revalidated_and_nothing_written(self):
        """A PATCH whose merged document breaks a rule is 400 naming the
        field, and the stored document and version do not change."""
        for patch, field in (
                ({'freezer_action': {'action': None}}, "'action'"),
                ({'freezer_action': {'mode': 'xfs'}},
                 '$.freezer_action.mode'),
                ({'freezer_action': {'max_level': '3'}},
                 '$.freezer_action.max_level'),
                ({'freezer_action': {'storage': 'nfs',
                                     'backup_name': 'x'}},
                 '$.freezer_action.storage'),
                ({'max_retries': -1}, '$.max_retries'),
                ({'max_retries': None}, '$.max_retries'),
                ({'mandatory': 'yes'}, '$.mandatory'),
                ({'freezer_action': None}, '$.freezer_action'),
                ({'freezer_action': ['x']}, '$.freezer_action'),
                ({'unknown': 1}, "'unknown'"),
                ({'freezer_action': {'backup_name': 'a\x00'}}, 'NUL')):
            resp = self.request('PATCH', self.path, patch)
            self.assertError(400, resp, field)
            self.assertUnchanged(self.before)

    def test_patch_of_a_missing_action_is_404(self):
        """PATCH of an unknown id: 404, nothing created."""
        self.assertError(404, self.request(
            'PATCH', '/v2/A/actions/doesnotexist', {'max_retries': 1}))
        self.assertGone('doesnotexist')

    def test_successive_patches_last_writer_wins(self):
        """Without If-Match, each PATCH applies over the previous one."""
        self.request('PATCH', self.path, {'max_retries': 1})
        self.request('PATCH', self.path, {'max_retries': 2})
        doc = self.show(self.action_id)
        self.assertEqual((2, 3), (doc['max_retries'], doc['_version']))


class TestReplace(WriteTestCase):

    def test_replace_sets_the_whole_client_document(self):
        """Absent optional fields take their defaults, absent agent keys
        are gone; the id, creator and created_at stay."""
        resp = self.request('POST', self.path,
                            {'freezer_action': {'action': 'restore',
                                                'restore_abs_path': '/r'}},
                            user='someone-else')
        self.assertEqual(201, resp.status_int)
        self.assertEqual({'action_id': self.action_id, 'version': 2},
                         resp.json)
        doc = self.show(self.action_id)
        self.assertEqual({'action': 'restore', 'restore_abs_path': '/r'},
                         doc['freezer_action'])
        self.assertEqual((5, 6, False, 2),
                         (doc['max_retries'], doc['max_retries_interval'],
                          doc['mandatory'], doc['_version']))
        self.assertEqual(
            (self.before['action_id'], self.before['project_id'],
             self.before['user_id'], self.before['created_at']),
            (doc['action_id'], doc['project_id'], doc['user_id'],
             doc['created_at']))
        self.assertGreaterEqual(doc['updated_at'], self.before['updated_at'])

    def test_replace_creates_when_the_id_is_new_everywhere(self):
        """POST on a new item URL creates it with that id, version 1, the
        caller as creator and the defaults."""
        resp = self.request('POST', '/v2/A/actions/chosen-id_1',
                            base.agent(backup_name='n'), user='carol')
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual({'action_id': 'chosen-id_1', 'version': 1},
                         resp.json)
        doc = self.show('chosen-id_1')
        self.assertEqual(('chosen-id_1', 'A', 'carol', 1, 5, 6, False),
                         (doc['action_id'], doc['project_id'],
                          doc['user_id'], doc['_version'],
                          doc['max_retries'], doc['max_retries_interval'],
                          doc['mandatory']))
        self.assertEqual(['chosen-id_1', self.action_id][::-1],
                         self.all_ids())

    def test_invalid_replace_is_400_and_writes_nothing(self):
        """A replace body that breaks a rule: 400, nothing changed."""
        for body, field in (({}, "'freezer_action'"),
                            (base.agent(mode='xfs'),
                             '$.freezer_action.mode'),
                            (dict(base.ACTION, max_retries='1'),
                             '$.max_retries'),
                            (dict(base.ACTION, extra=1), "'extra'")):
            self.assertError(400, self.request('POST', self.path, body),
                             field)
            self.assertUnchanged(self.before)

    def test_replace_taken_by_another_project_is_409(self):
        """Replace-or-create of an id that another project holds: 409,
        and the other project's action is untouched."""
        resp = self.request('POST', '/v2/B/actions/%s' % self.action_id,
                            base.agent(action='info'))
        body = self.assertError(409, resp)
        self.assertNoInternals(resp)
        self.assertNotIn('"A"', body['description'])
        self.assertUnchanged(self.before)
        self.assertEqual([], self.all_ids('B'))


class TestVersion(WriteTestCase):

    def test_version_starts_at_1_and_rises_by_1_per_successful_write(self):
        """Create 1, PATCH 2, replace 3, PATCH 4; ETag follows."""
        self.assertEqual(1, self.before['_version'])
        resp = self.request('GET', self.path)
        self.assertEqual('"1"', resp.headers['ETag'])
        for number, (method, body) in enumerate(
                (('PATCH', {'mandatory': False}),
                 ('POST', base.ACTION),
                 ('PATCH', {'freezer_action': {'x': 1}})), start=2):
            resp = self.request(method, self.path, body)
            self.assertEqual(number, resp.json['version'])
            resp = self.request('GET', self.path)
            self.assertEqual(number, resp.json['_version'])
            self.assertEqual('"%d"' % number, resp.headers['ETag'])

    def test_failed_writes_leave_the_version_alone(self):
        """400, 412 and 753 writes do not count."""
        self.request('PATCH', self.path, {'mode': 1})
        self.request('PATCH', self.path, {'freezer_action': {'mode': 1}})
        self.request('POST', self.path, {})
        self.request('PATCH', self.path, b'{"max_retries": 1,')
        self.request('PATCH', self.path, {'max_retries': 1},
                     headers={'If-Match': '"7"'})
        self.request('DELETE', self.path, headers={'If-Match': '"7"'})
        self.assertUnchanged(self.before)
        resp = self.request('PATCH', self.path, {})
        self.assertEqual(2, resp.json['version'])

    def test_version_in_the_body_is_ignored(self):
        """``_version`` sent by a client neither sets nor checks the
        version (If-Match does that)."""
        for body in ({'_version': 99}, {'_version': 1}, {'_version': 'x'}):
            self.request('PATCH', self.path, body)
        self.assertEqual(4, self.show(self.action_id)['_version'])


class TestIfMatch(WriteTestCase):

    def test_matching_if_match_allows_the_write(self):
        """``If-Match: "<current version>"`` on PATCH, replace and DELETE
        is a normal write."""
        resp = self.request('PATCH', self.path, {'max_retries': 0},
                            headers={'If-Match': '"1"'})
        self.assertEqual(200, resp.status_int, resp.body)
        resp = self.request('POST', self.path, base.ACTION,
                            headers={'If-Match': '"2"'})
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual(3, resp.json['version'])
        resp = self.request('DELETE', self.path,
                            headers={'If-Match': '"3"'})
        self.assertEqual(204, resp.status_int, resp.body)
        self.assertGone(self.action_id)

    def test_etag_of_get_is_a_valid_if_match(self):
        """The ``ETag`` a GET returns can be sent back as If-Match."""
        self.request('PATCH', self.path, {})
        etag = self.request('GET', self.path).headers['ETag']
        resp = self.request('PATCH', self.path, {'max_retries': 2},
                            headers={'If-Match': etag})
        self.assertEqual(200, resp.status_int)

    def test_mismatch_is_412_and_changes_nothing(self):
        """A different version answers 412 on PATCH, replace and DELETE;
        the document and version are unchanged."""
        for version in ('"2"', '"0"', '"9999999999"'):
            headers = {'If-Match': version}
            self.assertError(412, self.request(
                'PATCH', self.path, {'max_retries': 0}, headers=headers))
            self.assertError(412, self.request(
                'POST', self.path, base.agent(), headers=headers))
            self.assertError(412, self.request(
                'DELETE', self.path, headers=headers))
            self.assertUnchanged(self.before)

    def test_stale_version_after_another_write_is_412(self):
        """Two clients read version 1; the second conditional write
        loses."""
        headers = {'If-Match': '"1"'}
        first = self.request('PATCH', self.path, {'max_retries': 1},
                             headers=headers)
        self.assertEqual(200, first.status_int)
        after = self.show(self.action_id)
        second = self.request('PATCH', self.path, {'max_retries': 2},
                              headers=headers)
        self.assertError(412, second)
        self.assertUnchanged(after)

    def test_if_match_star_and_absent_are_unconditional(self):
        """``If-Match: *`` and no If-Match: the last writer wins."""
        resp = self.request('PATCH', self.path, {'max_retries': 1},
                            headers={'If-Match': '*'})
        self.assertEqual(200, resp.status_int)
        resp = self.request('PATCH', self.path, {'max_retries': 2})
        self.assertEqual(3, resp.json['version'])

    def test_malformed_if_match_is_400(self):
        """An If-Match that is not one version number: 400 naming it,
        nothing written."""
        for value in ('abc', '"1", "2"', '"-1"', '""'):
            headers = {'If-Match': value}
            self.assertError(400, self.request(
                'PATCH', self.path, {}, headers=headers), 'If-Match')
            self.assertError(400, self.request(
                'DELETE', self.path, headers=headers), 'If-Match')
        self.assertUnchanged(self.before)

    def test_if_match_on_replace_of_a_missing_id_is_412(self):
        """A conditional replace cannot create: 412, nothing stored."""
        resp = self.request('POST', '/v2/A/actions/notyet', base.ACTION,
                            headers={'If-Match': '"1"'})
        self.assertError(412, resp)
        self.assertGone('notyet')


class TestUniqueIds(WriteTestCase):

    def test_taken_id_is_409_in_the_same_and_other_projects(self):
        """Creating with an id that exists anywhere: 409 revealing
        nothing; the holder is unchanged and nothing is stored."""
        body = dict(base.agent(backup_name='intruder'),
                    action_id=self.action_id)
        for project in ('A', 'B'):
            resp = self.request('POST', '/v2/%s/actions' % project, body)
            err = self.assertError(409, resp)
            self.assertNoInternals(resp)
            self.assertNotIn('project', err['description'].lower())
        self.assertUnchanged(self.before)
        self.assertEqual([], self.all_ids('B'))
        self.assertEqual([self.action_id], self.all_ids('A'))

    def test_ids_differing_in_case_are_different_actions(self):
        """``abc`` and ``ABC`` are two ids on every engine."""
        lower = self.create(document=dict(base.ACTION, action_id='abc'))
        upper = self.create(document=dict(base.agent(), action_id='ABC'))
        self.assertEqual(('abc', 'ABC'), (lower, upper))
        self.assertEqual('abc', self.show('abc')['action_id'])
        self.assertEqual({'action': 'backup'},
                         self.show('ABC')['freezer_action'])
        self.assertError(404, self.request('GET', '/v2/A/actions/aBc'))
        self.assertEqual(204, self.request('DELETE',
                                           '/v2/A/actions/ABC').status_int)
        self.assertEqual('abc', self.show('abc')['action_id'])

    def test_foreign_id_is_not_found_under_another_project(self):
        """B's URL with A's id: GET, HEAD, PATCH, DELETE are 404."""
        path = '/v2/B/actions/%s' % self.action_id
        self.assertError(404, self.request('GET', path))
        self.assertEqual(404, self.request('HEAD', path).status_int)
        self.assertError(404, self.request('PATCH', path, {'x': 1}))
        self.assertError(404, self.request('PATCH', path,
                                           {'max_retries': 0}))
        self.assertError(404, self.request('DELETE', path))
        self.assertUnchanged(self.before)


class TestDelete(WriteTestCase):

    def test_delete_removes_the_action_everywhere(self):
        """204 with an empty body; GET, list and search no longer show
        it; the id can be used again."""
        resp = self.request('DELETE', self.path)
        self.assertEqual((204, b''), (resp.status_int, resp.body))
        self.assertGone(self.action_id)
        self.assertEqual([], self.all_ids())
        self.assertEqual([], self.listed(body={'match': [
            {'backup_name': 'orig'}]}))
        self.assertEqual([], self.listed(body={'match': [
            {'_all': 'orig'}]}))
        body = dict(base.ACTION, action_id=self.action_id)
        self.assertEqual(self.action_id, self.create(document=body))
        self.assertEqual(1, self.show(self.action_id)['_version'])

    def test_delete_missing_or_twice_is_404(self):
        """DELETE of an unknown id is 404; a second DELETE is 404."""
        self.assertError(404, self.request('DELETE',
                                           '/v2/A/actions/doesnotexist'))
        self.assertEqual(204, self.request('DELETE', self.path).status_int)
        self.assertError(404, self.request('DELETE', self.path))

    def test_delete_under_another_project_is_404_and_deletes_nothing(
            self):
        """B deleting A's id under B's URL: 404; A's action intact."""
        self.assertError(404, self.request(
            'DELETE', '/v2/B/actions/%s' % self.action_id))
        self.assertUnchanged(self.before)

    def test_delete_leaves_other_actions_alone(self):
        """Only the named action goes."""
        other = self.create()
        self.request('DELETE', self.path)
        self.assertEqual([other], self.all_ids())


class TestConcurrentWrites(WriteTestCase):
    """Writers racing on one action or one id, through the same app."""

    def race(self, count, send):
        """Run ``send(n)`` in ``count`` threads at once; returns a
        Counter of the statuses."""
        statuses = collections.Counter()
        lock = threading.Lock()
        start = threading.Barrier(count)

        def run(number):
            start.wait()
            for resp in send(number):
                with lock:
                    statuses[resp.status_int] += 1

        threads = [threading.Thread(target=run, args=(n,))
                   for n in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return statuses

    def test_concurrent_patches_lose_no_update(self):
        """8 writers x 5 PATCHes of their own agent key: all 200, every
        key present, the version rose by exactly 40."""
        def send(number):
            return [self.request('PATCH', self.path, {'freezer_action': {
                'k%d' % number: i}}) for i in range(5)]
        self.assertEqual({200: 40}, self.race(8, send))
        doc = self.show(self.action_id)
        self.assertEqual(41, doc['_version'])
        for number in range(8):
            self.assertEqual(4, doc['freezer_action']['k%d' % number])

    def test_one_conditional_writer_wins(self):
        """8 PATCHes with the same If-Match: one 200, seven 412."""
        def send(number):
            return [self.request('PATCH', self.path, {'max_retries': number},
                                 headers={'If-Match': '"1"'})]
        self.assertEqual({200: 1, 412: 7}, self.race(8, send))
        self.assertEqual(2, self.show(self.action_id)['_version'])

    def test_one_creator_of_an_id_wins_across_projects(self):
        """8 creates of one id from two projects: one 201, seven 409."""
        def send(number):
            return [self.request('POST', '/v2/%s/actions' % 'AB'[number % 2],
                                 dict(base.ACTION, action_id='raced'))]
        self.assertEqual({201: 1, 409: 7}, self.race(8, send))
        owners = [p for p in 'AB' if 'raced' in self.all_ids(p)]
        self.assertEqual(1, len(owners))

    def test_one_delete_wins(self):
        """8 DELETEs of one action: one 204, seven 404."""
        def send(number):
            return [self.request('DELETE', self.path)]
        self.assertEqual({204: 1, 404: 7}, self.race(8, send))
        self.assertGone(self.action_id)
