"""Backup listing, search, time filters and project access over HTTP
(spec ``backups.md``, "Listing and search" and "Project access"; case
R30 of ``cases/resources.md``).

Each test runs on SQLite, PostgreSQL and MariaDB.
"""

import json
import urllib.parse

from tests.functional.api import backups_base
from tests.functional.api.backups_base import metadata


def search_query(document):
    """``?search=`` holding a search document as JSON."""
    return '?search=' + urllib.parse.quote(json.dumps(document))


class TestPaging(backups_base.BackupsTestCase):

    def setUp(self):
        super().setUp()
        self.ids = [self.post(metadata(backup_name='n%d' % i))
                    for i in range(8)]

    def test_order_is_creation_then_id(self):
        self.assertEqual(self.ids, self.listed_ids())

    def test_tempest_limit_and_offset_pages(self):
        """Tempest: ``limit=5`` + ``limit=3&offset=5`` is the list of 8;
        offsets 0/5/8/10 give 8/3/0/0."""
        first = self.listed(query='?limit=5')
        second = self.listed(query='?limit=3&offset=5')
        self.assertEqual(self.listed(), first + second)
        self.assertEqual([8, 3, 0, 0], [
            len(self.listed(query='?offset=%d' % offset))
            for offset in (0, 5, 8, 10)])

    def test_default_limit_is_10_and_large_limits_are_clamped(self):
        more = [self.post() for _ in range(4)]
        self.assertEqual((self.ids + more)[:10], self.listed_ids(query=''))
        self.assertEqual(self.ids + more,
                         self.listed_ids(query='?limit=99999'))

    def test_marker_is_a_backup_id(self):
        self.assertEqual(self.ids[3:5], self.listed_ids(
            query='?marker=%s&limit=2' % self.ids[2]))
        self.assertEqual(self.ids[4:6], self.listed_ids(
            query='?marker=%s&limit=2&offset=1' % self.ids[2]))
        self.assertEqual([], self.listed_ids(
            query='?marker=%s' % self.ids[-1]))

    def test_bad_paging_parameters_are_400_naming_them(self):
        foreign = self.post(project='B')
        for query, name in (('limit=0', 'limit'), ('limit=x', 'limit'),
                            ('offset=-1', 'offset'),
                            ('limit=1&limit=2', 'limit'),
                            ('marker=' + foreign, 'marker'),
                            ('marker=nope', 'marker')):
            self.assertError(400, self.request(
                'GET', '/v2/A/backups?' + query), name)

    def test_projects_are_isolated(self):
        self.post(project='B')
        self.assertEqual(self.ids, self.listed_ids())
        self.assertEqual(1, len(self.listed(project='B')))
        self.assertEqual([], self.listed(project='C'))


class TestSearch(backups_base.BackupsTestCase):

    def setUp(self):
        super().setUp()
        self.one = self.post(metadata(backup_name='alpha', job_id='j1',
                                      mode='fs', opts={'level': 2},
                                      hosts=['n1', 'n2']))
        self.two = self.post(metadata(backup_name='Beta', job_id='j2',
                                      status='error', opts={'level': 3}))
        self.three = self.post(metadata(backup_name='gamma', job_id='j1',
                                        mode='nova', status='creating'))

    def found(self, document):
        return self.listed_ids(body=document)

    def test_by_id_status_job_and_any_metadata_key(self):
        self.assertEqual([self.two], self.found({'match': [
            {'backup_id': self.two}]}))
        self.assertEqual([self.one], self.found({'match': [
            {'status': 'available'}]}))
        self.assertEqual([self.one, self.three], self.found({'match': [
            {'job_id': 'j1'}]}))
        self.assertEqual([self.two], self.found({'match': [{'level': 3}]}))
        # Lists compare whole (spec: JSON equality).
        self.assertEqual([self.one], self.found({'match': [
            {'hosts': ['n1', 'n2']}]}))
        self.assertEqual([], self.found({'match': [{'hosts': 'n2'}]}))
        self.assertEqual([self.two], self.found({'match': [
            {'backup_metadata.opts.level': 3}]}))
        self.assertEqual([], self.found({'match': [
            {'backup_metadata.level': 3}]}))

    def test_match_not_and_and(self):
        self.assertEqual([self.three], self.found({
            'match': [{'job_id': 'j1'}], 'match_not': [{'mode': 'fs'}]}))
        self.assertEqual([self.one], self.found({'match': [
            {'job_id': 'j1'}, {'mode': 'fs'}]}))

    def test_free_text_as_the_web_ui_and_cli_send_it(self):
        self.assertEqual([self.two], self.found({'match': [
            {'_all': 'BETA'}]}))
        # Statuses are searched as free text too (spec, "Search sees
        # the caller's GET view").
        self.assertEqual([self.three], self.found({'match': [
            {'_all': 'creat'}]}))
        self.assertEqual([self.one, self.three], self.found({'match': [
            {'_all': 'j1'}]}))
        # The owner fields are not searched.
        self.assertEqual([], self.found({'match': [{'_all': 'noauth'}]}))

    def test_search_in_the_query_parameter(self):
        self.assertEqual([self.three], self.listed_ids(
            query=search_query({'match': [{'mode': 'nova'}]})))
        self.assertError(400, self.request(
            'GET', '/v2/A/backups' + search_query({}),
            {'match': []}), 'search')

    def test_bad_search_shapes_are_400(self):
        for document in ({'match': {'a': 1}}, {'match': [1]},
                         {'foo': []}, [], '"x"', 'null'):
            self.assertError(400, self.request('GET', '/v2/A/backups',
                                               document))


class TestTimeRange(backups_base.BackupsTestCase):

    def setUp(self):
        super().setUp()
        self.stamped = {stamp: self.post(metadata(time_stamp=stamp))
                        for stamp in (100, 200, 300)}
        # Records no range holds: no integer time_stamp.
        for odd in ('200', 200.5, True, None):
            self.post(metadata(time_stamp=odd))
        self.post(metadata())

    def ids(self, *stamps):
        return [self.stamped[stamp] for stamp in stamps]

    def test_r30_time_after_in_the_get_body(self):
        """R30: ``{"time_after": 150}`` keeps the 200 and 300 records;
        ``{"time_before": "x"}`` is 400."""
        self.assertEqual(self.ids(200, 300), self.listed_ids(
            body={'time_after': 150}))
        self.assertError(400, self.request('GET', '/v2/A/backups',
                                           {'time_before': 'x'}),
                         'time_before')

    def test_bounds_are_inclusive_and_combine(self):
        self.assertEqual(self.ids(100, 200), self.listed_ids(
            body={'time_before': 200}))
        self.assertEqual(self.ids(200), self.listed_ids(
            body={'time_after': 200, 'time_before': 200}))
        self.assertEqual([], self.listed_ids(
            body={'time_after': 301}))
        self.assertEqual(self.ids(100, 200, 300), self.listed_ids(
            body={'time_after': -2 ** 63 + 1}))

    def test_with_search_terms_and_paging(self):
        self.post(metadata(time_stamp=250, mode='x'))
        self.assertEqual(self.ids(300), self.listed_ids(
            query='?limit=1&offset=1', body={'time_after': 150,
                                             'match_not': [{'mode': 'x'}]}))

    def test_in_the_search_query_parameter(self):
        self.assertEqual(self.ids(100), self.listed_ids(
            query=search_query({'time_before': 150})))
        self.assertError(400, self.request(
            'GET', '/v2/A/backups' + search_query({'time_after': 1.5})),
            'time_after')

    def test_non_integers_are_400(self):
        for value in ('x', '150', 1.5, True, None, [1], 2 ** 63):
            for key in ('time_after', 'time_before'):
                self.assertError(400, self.request(
                    'GET', '/v2/A/backups', json.dumps({key: value})))

    def test_elsewhere_the_keys_are_400(self):
        self.assertError(400, self.request('GET', '/v2/A/actions',
                                           {'time_after': 150}),
                         'time_after')

    def test_a_patch_moves_the_record_in_time(self):
        path = self.item(self.stamped[100])
        self.assertEqual(200, self.request('PATCH', path, {
            'time_stamp': 400}).status_int)
        self.assertEqual(self.ids(100, 300), self.listed_ids(
            body={'time_after': 250}))
        self.assertEqual(200, self.request('PATCH', path, {
            'time_stamp': None}).status_int)
        self.assertEqual(self.ids(300), self.listed_ids(
            body={'time_after': 250}))


class TestPersonas(backups_base.BackupsTestCase):
    """Spec "Project access": reads for admin, service, reader and
    member of the URL project; writes for admin, service and member."""

    SERVICE = {'headers': {'X-Project-Id': 'service', 'X-Roles': 'service',
                           'X-User-Id': 'sched'}}
    ADMIN = {'headers': {'X-Project-Id': 'adm', 'X-Roles': 'admin',
                         'X-User-Id': 'root'}}
    READER = {'headers': {'X-Project-Id': 'A', 'X-Roles': 'reader',
                          'X-User-Id': 'ro'}}
    MEMBER_B = {'headers': {'X-Project-Id': 'B', 'X-Roles': 'member',
                            'X-User-Id': 'bob'}}

    def test_service_and_admin_write_in_any_project(self):
        for caller in (self.SERVICE, self.ADMIN):
            backup_id = self.post(metadata(), **caller)
            self.assertEqual(caller['headers']['X-User-Id'],
                             self.show(backup_id).json['user_id'])
            resp = self.request('PATCH', self.item(backup_id),
                                {'status': 'error'}, **caller)
            self.assertEqual(200, resp.status_int, resp.body)
            self.assertEqual(200, self.request(
                'GET', self.item(backup_id), **caller).status_int)
            self.assertEqual(1, len(self.listed(**caller)))
            resp = self.request('DELETE', self.item(backup_id), **caller)
            self.assertEqual(204, resp.status_int, resp.body)

    def test_reader_reads_but_cannot_write(self):
        backup_id = self.post()
        self.assertEqual([backup_id], self.listed_ids(**self.READER))
        self.show(backup_id, **self.READER)
        for method, path in (('POST', '/v2/A/backups'),
                             ('PATCH', self.item(backup_id)),
                             ('DELETE', self.item(backup_id))):
            self.assertError(403, self.request(method, path, metadata(),
                                               **self.READER))
        self.assertEqual([backup_id], self.listed_ids())

    def test_another_projects_member_gets_403(self):
        backup_id = self.post()
        for method, path in (('GET', '/v2/A/backups'),
                             ('POST', '/v2/A/backups'),
                             ('GET', self.item(backup_id)),
                             ('PATCH', self.item(backup_id)),
                             ('DELETE', self.item(backup_id))):
            self.assertError(403, self.request(method, path, metadata(),
                                               **self.MEMBER_B))

    def test_403_comes_before_400(self):
        self.assertError(403, self.request('POST', '/v2/A/backups', b'{',
                                           **self.READER))
