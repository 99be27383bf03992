"""Project access (spec ``actions.md``, "Project access" and "Identity").

In ``noauth`` mode the identity comes from ``X-Project-Id``, ``X-Roles``
and ``X-User-Id``. These tests prove what each persona can do to project
A's actions, and that a refusal carries no data and changes nothing:

* member of A: everything; reader of A: reads only;
* member of B on A's URLs: 403 with no data, before the body is read;
* B's URLs with A's ids: 404 (data is filtered by the URL project);
* admin: every project, still filtered by the URL project;
* service: reads of every project, no writes.
"""

from tests.functional.api import base

MEMBER_A = {'project': 'A', 'roles': 'member', 'user': 'alice'}
READER_A = {'project': 'A', 'roles': 'reader', 'user': 'rita'}
MEMBER_B = {'project': 'B', 'roles': 'member', 'user': 'bob'}
READER_B = {'project': 'B', 'roles': 'reader', 'user': 'ben'}
ADMIN = {'project': 'X', 'roles': 'admin', 'user': 'root'}
SERVICE = {'project': 'S', 'roles': 'service', 'user': 'svc'}
NO_ROLE_A = {'project': 'A', 'roles': 'observer', 'user': 'nobody'}


class AccessTestCase(base.ActionsTestCase):

    def setUp(self):
        super().setUp()
        resp = self.request(
            'POST', '/v2/A/actions',
            base.agent(backup_name='secret-a', path_to_backup='/a'),
            **MEMBER_A)
        self.assertEqual(201, resp.status_int)
        self.action_id = resp.json['action_id']
        self.item = '/v2/A/actions/%s' % self.action_id
        self.before = self.show(self.action_id)

    def writes(self, item=None):
        """(method, path, body) of every write on project A."""
        item = item or self.item
        return (('POST', '/v2/A/actions', base.ACTION),
                ('POST', '/v2/A/actions/newid', base.ACTION),
                ('PATCH', item, {'max_retries': 0}),
                ('POST', item, base.agent(action='info')),
                ('DELETE', item, None))

    def reads(self):
        return (('GET', '/v2/A/actions', None),
                ('GET', '/v2/A/actions', {'match': [{'mode': 'fs'}]}),
                ('GET', self.item, None),
                ('HEAD', '/v2/A/actions', None),
                ('HEAD', self.item, None))

    def assertForbidden(self, resp, rule=None):
        """403 ``Access Forbidden`` with no data of project A."""
        self.assertEqual(403, resp.status_int, resp.body)
        body = self.assertError(403, resp, rule)
        self.assertEqual('Access Forbidden', body['title'])
        for secret in (self.action_id, 'secret-a', '/a', 'alice'):
            self.assertNotIn(secret.encode(), resp.body)

    def assertNothingChanged(self):
        self.assertUnchanged(self.before)
        self.assertEqual([self.action_id], self.all_ids())
        self.assertGone('newid')


class TestOtherProjectMember(AccessTestCase):

    def test_member_of_b_cannot_read_a(self):
        """GET/HEAD of A's collection and item: 403, no data."""
        for method, path, body in self.reads():
            resp = self.request(method, path, body, **MEMBER_B)
            self.assertEqual(403, resp.status_int, (method, path))
            if method == 'GET':
                self.assertForbidden(resp, 'actions:get')
            else:
                self.assertEqual(b'', resp.body)

    def test_member_of_b_cannot_write_a(self):
        """Create, replace, PATCH and DELETE on A's URLs: 403 naming the
        rule; A's action unchanged, nothing created."""
        for (method, path, body), rule in zip(
                self.writes(), ('actions:create', 'actions:replace',
                                'actions:update', 'actions:replace',
                                'actions:delete')):
            self.assertForbidden(self.request(method, path, body,
                                              **MEMBER_B), rule)
        self.assertNothingChanged()

    def test_forbidden_is_decided_before_the_body_is_read(self):
        """A forbidden caller gets 403, not 400 or 753, for a bad body,
        and 403 rather than 404 for a missing id."""
        for body in (b'{"freezer_action":', b'\xff\xfe{}', b'[1]', b'{}',
                     b'{"colour": 1}', b'{"match": {}}'):
            for method, path in (('POST', '/v2/A/actions'),
                                 ('PATCH', self.item),
                                 ('POST', self.item),
                                 ('GET', '/v2/A/actions')):
                self.assertForbidden(self.request(method, path, body,
                                                  **MEMBER_B))
        for method in ('GET', 'PATCH', 'DELETE'):
            self.assertForbidden(self.request(
                method, '/v2/A/actions/doesnotexist', {}, **MEMBER_B))
        self.assertForbidden(self.request(
            'GET', '/v2/A/actions?limit=0', **MEMBER_B))
        self.assertNothingChanged()

    def test_b_urls_with_a_ids_are_not_found(self):
        """Under B's URL, A's id does not exist: 404 for reads, PATCH
        and DELETE, 409 for a replace (the id is taken); A intact."""
        path = '/v2/B/actions/%s' % self.action_id
        self.assertError(404, self.request('GET', path, **MEMBER_B))
        self.assertEqual(404, self.request('HEAD', path,
                                           **MEMBER_B).status_int)
        self.assertError(404, self.request('PATCH', path,
                                           {'max_retries': 0}, **MEMBER_B))
        self.assertError(404, self.request('DELETE', path, **MEMBER_B))
        resp = self.request('POST', path, base.ACTION, **MEMBER_B)
        self.assertError(409, resp)
        self.assertNotIn(b'secret-a', resp.body)
        self.assertEqual([], self.all_ids('B'))
        self.assertNothingChanged()

    def test_b_never_sees_a_in_its_own_listing_or_search(self):
        """B's list and search hold B's actions only."""
        own = self.request('POST', '/v2/B/actions', base.ACTION,
                           **MEMBER_B).json['action_id']
        resp = self.request('GET', '/v2/B/actions', **MEMBER_B)
        self.assertEqual([own], [a['action_id']
                                 for a in resp.json['actions']])
        resp = self.request('GET', '/v2/B/actions',
                            {'match': [{'backup_name': 'secret-a'}]},
                            **MEMBER_B)
        self.assertEqual({'actions': []}, resp.json)
        resp = self.request('GET', '/v2/B/actions',
                            {'match': [{'_all': 'secret'}]}, **MEMBER_B)
        self.assertEqual({'actions': []}, resp.json)

    def test_projects_differing_in_case_are_isolated(self):
        """Project ``a`` never sees project ``A``'s actions."""
        self.assertEqual([], self.all_ids('a'))
        self.assertError(404, self.request(
            'GET', '/v2/a/actions/%s' % self.action_id))
        self.assertEqual([], self.listed(project='a', body={
            'match': [{'backup_name': 'secret-a'}]}))
        resp = self.request('PATCH', '/v2/a/actions/%s' % self.action_id,
                            {'max_retries': 0}, project='a',
                            roles='member')
        self.assertError(404, resp)
        self.assertForbidden(self.request('GET', self.item, project='a',
                                          roles='member'))
        self.assertNothingChanged()


class TestReader(AccessTestCase):

    def test_reader_of_a_can_read_a(self):
        """List, search, show and HEAD: 200 with A's data."""
        for method, path, body in self.reads():
            resp = self.request(method, path, body, **READER_A)
            self.assertEqual(200, resp.status_int, (method, path))
        resp = self.request('GET', self.item, **READER_A)
        self.assertEqual(self.before, resp.json)

    def test_reader_of_a_cannot_write(self):
        """Every write: 403, nothing changed."""
        for method, path, body in self.writes():
            self.assertForbidden(self.request(method, path, body,
                                              **READER_A))
        self.assertNothingChanged()

    def test_reader_of_b_cannot_read_a(self):
        """A reader of another project: 403."""
        for method, path, body in self.reads():
            resp = self.request(method, path, body, **READER_B)
            if method == 'HEAD':
                self.assertEqual((403, b''), (resp.status_int, resp.body))
            else:
                self.assertForbidden(resp)

    def test_unknown_role_gets_nothing(self):
        """A caller of A with no known role: 403 on reads and writes."""
        for method, path, body in self.reads() + self.writes():
            self.assertEqual(403, self.request(method, path, body,
                                               **NO_ROLE_A).status_int,
                             (method, path))
        self.assertNothingChanged()


class TestMember(AccessTestCase):

    def test_member_of_a_can_do_everything_on_a(self):
        """Create (creator recorded), PATCH, replace, DELETE: the
        statuses of the spec."""
        resp = self.request('POST', '/v2/A/actions', base.ACTION, **MEMBER_A)
        self.assertEqual(201, resp.status_int)
        new = resp.json['action_id']
        self.assertEqual('alice', self.show(new)['user_id'])
        path = '/v2/A/actions/%s' % new
        self.assertEqual(200, self.request('PATCH', path, {},
                                           **MEMBER_A).status_int)
        self.assertEqual(201, self.request('POST', path, base.ACTION,
                                           **MEMBER_A).status_int)
        self.assertEqual(204, self.request('DELETE', path,
                                           **MEMBER_A).status_int)

    def test_creator_never_changes(self):
        """``user_id`` is the creator's, whoever replaces or patches."""
        self.request('PATCH', self.item, {'max_retries': 1},
                     project='A', roles='member', user='other')
        self.request('POST', self.item, base.ACTION, **ADMIN)
        self.assertEqual('alice', self.show(self.action_id)['user_id'])

    def test_64_character_project_and_user_ids(self):
        """Keystone-length ids are stored and returned intact."""
        project, user = 'p' * 64, 'u' * 64
        resp = self.request('POST', '/v2/%s/actions' % project, base.ACTION,
                            project=project, roles='member', user=user)
        self.assertEqual(201, resp.status_int, resp.body)
        doc = self.show(resp.json['action_id'], project)
        self.assertEqual((project, user), (doc['project_id'],
                                           doc['user_id']))


class TestAdmin(AccessTestCase):

    def test_admin_reads_and_writes_any_project(self):
        """An admin of project X reads and writes A's actions; the
        action stays A's and its creator stays."""
        for method, path, body in self.reads():
            self.assertEqual(200, self.request(method, path, body,
                                               **ADMIN).status_int)
        resp = self.request('PATCH', self.item, {'max_retries': 0}, **ADMIN)
        self.assertEqual(200, resp.status_int)
        doc = self.show(self.action_id)
        self.assertEqual(('A', 'alice', 0), (doc['project_id'],
                                             doc['user_id'],
                                             doc['max_retries']))
        resp = self.request('POST', '/v2/A/actions', base.ACTION, **ADMIN)
        self.assertEqual(201, resp.status_int)
        doc = self.show(resp.json['action_id'])
        self.assertEqual(('A', 'root'), (doc['project_id'], doc['user_id']))
        self.assertEqual(204, self.request('DELETE', self.item,
                                           **ADMIN).status_int)
        self.assertGone(self.action_id)

    def test_admin_data_is_filtered_by_the_url_project(self):
        """An admin reading ``/v2/X/actions/<A's id>`` gets 404; X's list
        does not hold A's actions."""
        path = '/v2/X/actions/%s' % self.action_id
        self.assertError(404, self.request('GET', path, **ADMIN))
        self.assertError(404, self.request('PATCH', path, {}, **ADMIN))
        self.assertError(404, self.request('DELETE', path, **ADMIN))
        resp = self.request('GET', '/v2/X/actions', **ADMIN)
        self.assertEqual({'actions': []}, resp.json)
        self.assertUnchanged(self.before)


class TestService(AccessTestCase):

    def test_service_reads_every_project(self):
        """A service account reads A's list, search and items."""
        for method, path, body in self.reads():
            self.assertEqual(200, self.request(method, path, body,
                                               **SERVICE).status_int)
        self.assertEqual(self.before, self.request('GET', self.item,
                                                   **SERVICE).json)

    def test_service_cannot_write(self):
        """Writes by a service account: 403, nothing changed."""
        for method, path, body in self.writes():
            self.assertForbidden(self.request(method, path, body,
                                              **SERVICE))
        self.assertNothingChanged()


class TestNoauthDefaults(AccessTestCase):

    def test_unmodified_clients_act_as_member_of_the_url_project(self):
        """Without identity headers: project of the URL, user
        ``noauth``, roles member and reader."""
        resp = self.request('POST', '/v2/Q/actions', base.ACTION,
                            headers={'X-Auth-Token': 'anything'})
        self.assertEqual(201, resp.status_int)
        doc = self.show(resp.json['action_id'], 'Q')
        self.assertEqual(('Q', 'noauth'), (doc['project_id'],
                                           doc['user_id']))

    def test_identity_headers_are_used_when_sent(self):
        """``X-Project-Id`` of another project is honoured: 403."""
        self.assertForbidden(self.request(
            'GET', self.item, headers={'X-Project-Id': 'B'}))
        self.assertForbidden(self.request(
            'GET', self.item, headers={'X-Project-Id': 'B',
                                       'X-Roles': 'member,reader'}))
