"""The real-world fault cases C01-C16 (``shared/cases/actions.md``).

One test per case, with the case's own requests and right answers. The
whole class of each fault is covered in the area modules
(``test_documents``, ``test_writes``, ``test_listing``, ``test_search``,
``test_http``, ``test_project_access``); these tests keep each reported
case as it was reported.
"""

import json

from tests.functional.api import base

MEMBER_B = {'project': 'B', 'roles': 'member', 'user': 'bob'}


class TestCases(base.ActionsTestCase):

    def create_many(self, count, project='A', **agent_keys):
        return [self.create(project=project, document=base.agent(
            **agent_keys)) for _ in range(count)]

    def test_c01_pagination_bounds(self):
        """C01: limit=0, limit=-1, offset=-1 with 15 actions: 400 naming
        the parameter; never a longer page, never 500."""
        ids = self.create_many(15)
        for query, name in (('limit=0', 'limit'), ('limit=-1', 'limit'),
                            ('offset=-1', 'offset')):
            resp = self.request('GET', '/v2/A/actions?' + query)
            self.assertError(400, resp, '"%s"' % name)
        self.assertEqual(ids[:10], self.listed())
        self.assertEqual(ids[:3], self.listed(query='?limit=3'))

    def test_c02_search_and_paging(self):
        """C02: 5 ``pgname`` among 12 others; limit=2 at offsets 0/2/4
        (and past the end): pages of <= 2, no overlap, exactly the 5,
        stable order."""
        expected = []
        for i in range(17):
            if i % 3 == 0 and len(expected) < 5:
                expected.append(self.create(document=base.agent(
                    backup_name='pgname')))
            else:
                self.create(document=base.agent(backup_name='other%d' % i))
        self.assertEqual(5, len(expected))
        body = {'match': [{'backup_name': 'pgname'}]}
        pages = [self.listed(query='?limit=2&offset=%d' % offset, body=body)
                 for offset in (0, 2, 4, 6)]
        self.assertEqual([expected[0:2], expected[2:4], expected[4:5], []],
                         pages)
        self.assertEqual(pages[:3], [self.listed(
            query='?limit=2&offset=%d' % offset, body=body)
            for offset in (0, 2, 4)])

    def test_c03_malformed_body(self):
        """C03: a cut-off body, then FF FE 7B 7D, on create and as a GET
        search body: 753 Malformed JSON, JSON error; nothing stored."""
        for raw in (b'{"freezer_action":', b'\xff\xfe\x7b\x7d'):
            for method in ('POST', 'GET'):
                resp = self.request(method, '/v2/A/actions', raw)
                body = self.assertError(753, resp)
                self.assertEqual('Malformed JSON', body['title'])
        self.assertEqual([], self.all_ids())

    def test_c04_body_not_an_object(self):
        """C04: ``[1]``, ``"str"``, ``42``, ``[]``, ``null`` as create,
        PATCH and replace bodies: 400 JSON; nothing created or
        changed."""
        action_id = self.create()
        before = self.show(action_id)
        item = '/v2/A/actions/%s' % action_id
        for raw in ('[1]', '"str"', '42', '[]', 'null'):
            for method, path in (('POST', '/v2/A/actions'),
                                 ('PATCH', item), ('POST', item)):
                self.assertError(400, self.request(method, path, raw),
                                 'must be a JSON object')
        self.assertUnchanged(before)
        self.assertEqual([action_id], self.all_ids())

    def test_c05_lenient_json(self):
        """C05: ``freezer_action`` twice, ``NaN``, ``Infinity``: 753;
        no response holds a non-JSON token."""
        action_id = self.create()
        before = self.show(action_id)
        for raw in (b'{"freezer_action": {"action": "backup"}, '
                    b'"freezer_action": {"action": "info"}}',
                    b'{"freezer_action": {"action": "backup"}, '
                    b'"max_retries": NaN}',
                    b'{"freezer_action": {"action": "backup", '
                    b'"x": Infinity}}'):
            for method, path in (('POST', '/v2/A/actions'),
                                 ('PATCH', '/v2/A/actions/%s' % action_id),
                                 ('POST', '/v2/A/actions/%s' % action_id)):
                resp = self.request(method, path, raw)
                self.assertError(753, resp)
                self.assertStrictJson(resp)
        resp = self.request('GET', '/v2/A/actions')
        self.assertStrictJson(resp)
        self.assertUnchanged(before)

    def test_c06_oversized_body(self):
        """C06: a 2 MiB create, the same chunked, and a 2 MiB PATCH to
        another project's id: 413 JSON in all three."""
        foreign = self.create(project='B')
        before = self.show(foreign, 'B')
        big = json.dumps(base.agent(
            backup_name='x' * (2 * 1024 * 1024))).encode()
        self.assertError(413, self.request('POST', '/v2/A/actions', big))
        self.assertError(413, self.chunked('POST', '/v2/A/actions', big))
        resp = self.request('PATCH', '/v2/A/actions/%s' % foreign, big)
        self.assertError(413, resp)
        # The same status whether or not the id exists anywhere.
        self.assertError(413, self.request(
            'PATCH', '/v2/A/actions/doesnotexist', big))
        self.assertEqual([], self.all_ids())
        self.assertUnchanged(before, 'B')

    def test_c07_search_shape(self):
        """C07: four bad shapes are 400; ``{}`` or no body is no
        filter."""
        ids = [self.create(document=base.agent(backup_name=name))
               for name in ('b1', 'b2')]
        for document in ({'match': {'backup_name': 'b1'}},
                         [{'backup_name': 'b1'}], {'match': ['abc']},
                         {'match_not': 'x'}):
            self.assertError(400, self.request('GET', '/v2/A/actions',
                                               json.dumps(document)))
        self.assertEqual(ids, self.listed(body={}))
        self.assertEqual(ids, self.listed())

    def test_c08_project_isolation(self):
        """C08: member of B on A's URLs: 403 with no data; B's URL with
        A's id: 404; A's action unchanged."""
        action_id = self.create(document=base.agent(backup_name='secret'))
        before = self.show(action_id)
        item = '/v2/A/actions/%s' % action_id
        for method, path, body in (('GET', item, None),
                                   ('PATCH', item, {'max_retries': 0}),
                                   ('DELETE', item, None),
                                   ('GET', '/v2/A/actions', None)):
            resp = self.request(method, path, body, **MEMBER_B)
            self.assertError(403, resp)
            self.assertNotIn(b'secret', resp.body)
            self.assertNotIn(action_id.encode(), resp.body)
        self.assertError(404, self.request(
            'GET', '/v2/B/actions/%s' % action_id, **MEMBER_B))
        self.assertUnchanged(before)

    def test_c09_id_collision_across_projects(self):
        """C09: A creates ``sharedid1``; B creates it, replaces it, PATCHes
        it: 409, 409, 404; A's document unchanged; no internals."""
        self.create(document=dict(base.ACTION, action_id='sharedid1'))
        before = self.show('sharedid1')
        responses = (
            self.request('POST', '/v2/B/actions',
                         dict(base.agent(), action_id='sharedid1'),
                         **MEMBER_B),
            self.request('POST', '/v2/B/actions/sharedid1', base.agent(),
                         **MEMBER_B),
            self.request('PATCH', '/v2/B/actions/sharedid1',
                         {'max_retries': 0}, **MEMBER_B))
        self.assertEqual([409, 409, 404],
                         [resp.status_int for resp in responses])
        for resp in responses:
            self.assertError(resp.status_int, resp)
            self.assertNoInternals(resp)
        self.assertUnchanged(before)
        self.assertEqual([], self.all_ids('B'))

    def test_c10_version_sent_back(self):
        """C10: PATCH ``{"_version": 99}``, then PATCH with the whole GET
        response: 200, the body's ``_version`` ignored, +1 each time."""
        action_id = self.create()
        path = '/v2/A/actions/%s' % action_id
        resp = self.request('PATCH', path, {'_version': 99})
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual(2, resp.json['version'])
        doc = self.show(action_id)
        self.assertEqual(2, doc['_version'])
        resp = self.request('PATCH', path, doc)
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual(3, resp.json['version'])
        after = self.show(action_id)
        self.assertEqual(3, after['_version'])
        for key in ('freezer_action', 'max_retries', 'max_retries_interval',
                    'mandatory', 'user_id', 'project_id', 'created_at'):
            self.assertEqual(doc[key], after[key])

    def test_c11_get_replace_round_trip(self):
        """C11: replace with the exact GET body: 201, the document
        unchanged but for version and timestamps; create with
        ``"backup_name": null``: 201, kept as null."""
        action_id = self.create(document=dict(
            base.ACTION, freezer_action=dict(base.ACTION['freezer_action'],
                                             custom={'x': [1, None]})))
        doc = self.show(action_id)
        resp = self.request('POST', '/v2/A/actions/%s' % action_id, doc)
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual({'action_id': action_id, 'version': 2}, resp.json)
        after = self.show(action_id)
        for key in ('updated_at', '_version'):
            doc.pop(key)
            after.pop(key)
        self.assertEqual(doc, after)
        null_id = self.create(document=base.agent(backup_name=None))
        self.assertEqual({'action': 'backup', 'backup_name': None},
                         self.show(null_id)['freezer_action'])

    def test_c12_delete_missing(self):
        """C12: DELETE of a missing id 404; DELETE twice 404 the second
        time; B deleting A's id under B's URL 404 and A intact."""
        self.assertError(404, self.request('DELETE',
                                           '/v2/A/actions/doesnotexist'))
        first = self.create()
        self.assertEqual(204, self.request(
            'DELETE', '/v2/A/actions/%s' % first).status_int)
        self.assertError(404, self.request('DELETE',
                                           '/v2/A/actions/%s' % first))
        kept = self.create()
        before = self.show(kept)
        self.assertError(404, self.request(
            'DELETE', '/v2/B/actions/%s' % kept, **MEMBER_B))
        self.assertUnchanged(before)

    def test_c13_content_type(self):
        """C13: POST with no Content-Type and with text/plain: 201;
        ``Accept: text/html``: 406; ``/v2/A/actions.json`` does not
        reach the collection or its policy."""
        for headers in ({}, {'Content-Type': 'text/plain'}):
            resp = self.request('POST', '/v2/A/actions', base.ACTION,
                                headers=headers)
            self.assertEqual(201, resp.status_int, resp.body)
        self.assertError(406, self.request(
            'GET', '/v2/A/actions', headers={'Accept': 'text/html'}))
        for kwargs in ({}, MEMBER_B):
            resp = self.request('GET', '/v2/A/actions.json', **kwargs)
            self.assertError(404, resp)
            self.assertNotIn(b'freezer_action', resp.body)
        self.assertEqual(2, len(self.all_ids()))

    def test_c14_client_url_style(self):
        """C14: POST with a trailing slash 201; GET with a trailing slash,
        limit/offset and a search body honours the body; ``limit=`` is
        the default limit; never a redirect."""
        resp = self.request('POST', '/v2/A/actions/', base.agent(
            backup_name='wanted'))
        self.assertEqual(201, resp.status_int)
        wanted = resp.json['action_id']
        others = self.create_many(11, backup_name='other')
        resp = self.request('GET', '/v2/A/actions/?limit=10&offset=0',
                            {'match': [{'backup_name': 'wanted'}]})
        self.assertEqual(200, resp.status_int)
        self.assertEqual([wanted], [a['action_id']
                                    for a in resp.json['actions']])
        resp = self.request('GET', '/v2/A/actions/?limit=')
        self.assertEqual(200, resp.status_int)
        self.assertEqual([wanted] + others[:9],
                         [a['action_id'] for a in resp.json['actions']])

    def test_c15_nul_and_unicode(self):
        """C15: ``/actions/%00`` 404, ``?limit=%00`` 400, a NUL in
        ``backup_name`` 400; a unicode name round-trips byte for byte
        and is found."""
        self.assertIn(self.request('GET', '/v2/A/actions/%00').status_int,
                      (400, 404))
        self.assertError(400, self.request('GET', '/v2/A/actions?limit=%00'),
                         'limit')
        self.assertError(400, self.request(
            'POST', '/v2/A/actions', base.agent(backup_name='a\x00b')))
        self.assertEqual([], self.all_ids())
        name = 'バックアップ😀'
        action_id = self.create(document=base.agent(backup_name=name))
        resp = self.request('GET', '/v2/A/actions/%s' % action_id)
        self.assertEqual(name, resp.json['freezer_action']['backup_name'])
        self.assertIn(name.encode('utf-8'), resp.body)
        self.assertEqual([action_id], self.listed(
            body={'match': [{'backup_name': name}]}))

    def test_c16_lengths(self):
        """C16: 64-character user and project ids: 201 and intact; an
        ``action_id`` of 300 characters or ``bad/id``: 400."""
        project, user = 'p' * 64, 'u' * 64
        resp = self.request('POST', '/v2/%s/actions' % project, base.ACTION,
                            project=project, roles='member', user=user)
        self.assertEqual(201, resp.status_int)
        doc = self.show(resp.json['action_id'], project)
        self.assertEqual((project, user), (doc['project_id'],
                                           doc['user_id']))
        for action_id in ('x' * 300, 'bad/id'):
            self.assertError(400, self.request(
                'POST', '/v2/A/actions',
                dict(base.ACTION, action_id=action_id)), 'action_id')
        self.assertError(400, self.request(
            'POST', '/v2/A/actions/' + 'x' * 300, base.ACTION), 'action_id')
        self.assertEqual([], self.all_ids())
