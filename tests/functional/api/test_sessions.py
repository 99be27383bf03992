"""The session document and its writes (spec ``sessions.md``, "Routes",
"The session document", "Writes", "Listing", "Project access"), and the
cases R20 and R21 of ``cases/resources.md``."""

from tests.functional.api import session_helpers

#: tempest's ``test_api_sessions_post`` document (R20).
TEMPEST_SESSION = {
    'session_id': 'test-session', 'session_tag': 5,
    'description': 'a test session', 'hold_off': 5,
    'schedule': {'event': 'start', 'status': 'completed',
                 'time_created': 1234, 'schedule_date': '2026-01-01'},
    'jobs': [{'job_id': 'j1'}], 'status': 'completed', 'result': 'fail',
    'time_start': 7, 'time_end': 8, 'time_started': 9, 'time_ended': 10,
}
#: freezer-web-ui's ``Session._build`` create body (R20).
WEB_UI_SESSION = {'description': 'nightly', 'interval_unit': 'days',
                  'interval_value': '1', 'jobs': {},
                  'schedule': {'schedule_start_date': '2026-01-01T00:00:00',
                               'schedule_interval': '1 days'}}


class TestCreate(session_helpers.SessionsTestCase):

    def test_r20_tempest_document_gets_a_generated_id_and_fresh_state(self):
        """R20: the body's id, status, jobs list and times are ignored."""
        resp = self.request('POST', '/v2/A/sessions/', TEMPEST_SESSION)
        self.assertEqual(201, resp.status_int, resp.body)
        session_id = resp.json['session_id']
        self.assertRegex(session_id, '^[0-9a-f]{32}$')
        self.assertEqual({'session_id': session_id}, resp.json)
        self.assertEqual('http://localhost/v2/A/sessions/' + session_id,
                         resp.headers['Location'])
        doc = self.show(session_id)
        self.assertEqual(
            {'session_id': session_id, 'project_id': 'A',
             'user_id': 'noauth', 'description': 'a test session',
             'hold_off': 5, 'schedule': TEMPEST_SESSION['schedule'],
             'session_tag': 5, 'status': 'active', 'result': None,
             'time_start': -1, 'time_end': -1, 'time_started': -1,
             'time_ended': -1, 'jobs': {}, '_version': 1},
            {k: v for k, v in doc.items()
             if k not in ('created_at', 'updated_at')})
        self.assertEqual(doc['created_at'], doc['updated_at'])

    def test_r20_web_ui_form_fields_are_accepted_and_ignored(self):
        session_id = self.create_session(document=WEB_UI_SESSION)
        doc = self.show(session_id)
        self.assertEqual(('nightly', WEB_UI_SESSION['schedule'], {}, 30, 0),
                         (doc['description'], doc['schedule'], doc['jobs'],
                          doc['hold_off'], doc['session_tag']))
        self.assertNotIn('interval_unit', doc)

    def test_defaults(self):
        doc = self.show(self.create_session())
        self.assertEqual((None, 30, {}, 0, 'active', None, {}),
                         (doc['description'], doc['hold_off'],
                          doc['schedule'], doc['session_tag'],
                          doc['status'], doc['result'], doc['jobs']))

    def test_bad_documents_are_400_naming_the_field(self):
        for body, field in (
                ({'hold_off': 'x'}, 'hold_off'),
                ({'hold_off': -1}, 'hold_off'),
                ({'session_tag': -1}, 'session_tag'),
                ({'description': 'x' * 256}, 'description'),
                ({'schedule': {'schedule_interval': '5  minutes'}},
                 'schedule.schedule_interval'),
                ({'schedule': {'event': 'remove'}}, 'schedule.event'),
                ({'schedule': {'bogus': 1}}, 'bogus'),
                ({'foo': 'bar'}, 'foo'),
                ({'description': 'a\x00b'}, 'description')):
            for method, path in (('POST', '/v2/A/sessions'),
                                 ('POST', '/v2/A/sessions/S1')):
                resp = self.request(method, path, body)
                self.assertError(400, resp, field)
        for raw in ('[1]', '"s"', '42', 'null'):
            self.assertError(400, self.request('POST', '/v2/A/sessions',
                                               raw), 'must be a JSON object')
        self.assertError(753, self.request('POST', '/v2/A/sessions', '{'))
        self.assertEqual([], self.listed())

    def test_item_post_creates_with_the_url_id(self):
        resp = self.request('POST', '/v2/A/sessions/my-session',
                            {'session_id': 'other', 'hold_off': 3})
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual({'session_id': 'my-session', 'version': 1},
                         resp.json)
        self.assertEqual('"1"', resp.headers['ETag'])
        doc = self.show('my-session')
        self.assertEqual((3, 'active', {}, None),
                         (doc['hold_off'], doc['status'], doc['jobs'],
                          doc['result']))
        self.assertEqual([], self.listed(query='?search=' + '%7B%22match'
                                         '%22%3A%5B%7B%22session_id%22%3A'
                                         '%22other%22%7D%5D%7D'))

    def test_item_post_with_an_id_of_another_project_is_409(self):
        self.request('POST', '/v2/B/sessions/shared', {},
                     project='B', roles='member')
        resp = self.request('POST', '/v2/A/sessions/shared', {'hold_off': 1})
        self.assertError(409, resp)
        self.assertNotIn('B', resp.json['description'])
        self.assertError(404, self.request('GET', '/v2/A/sessions/shared'))

    def test_malformed_url_ids(self):
        for bad in ('a.b', 'x' * 65, 'sp%20ace'):
            self.assertError(400, self.request(
                'POST', '/v2/A/sessions/' + bad, {}), 'session_id')
            for method in ('GET', 'PATCH', 'DELETE'):
                self.assertError(404, self.request(
                    method, '/v2/A/sessions/' + bad, {}))


class TestWrites(session_helpers.SessionsTestCase):

    def setUp(self):
        super().setUp()
        self.session_id = self.create_session(document={
            'description': 'd', 'hold_off': 10, 'session_tag': 2,
            'schedule': {'schedule_interval': '1 days',
                         'schedule_start_date': '2026-01-01T00:00:00',
                         'event': 'start', 'status': 'scheduled'}})
        self.path = '/v2/A/sessions/' + self.session_id

    def test_patch_merges_the_schedule(self):
        resp = self.request('PATCH', self.path, {
            'schedule': {'schedule_interval': '2 days', 'status': None},
            'hold_off': 0})
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual({'session_id': self.session_id, 'version': 2},
                         resp.json)
        doc = self.show(self.session_id)
        # schedule_* replaced as a set; status removed; event kept.
        self.assertEqual({'schedule_interval': '2 days', 'event': 'start'},
                         doc['schedule'])
        self.assertEqual(('d', 0, 2), (doc['description'], doc['hold_off'],
                                       doc['session_tag']))

    def test_patch_without_schedule_keeps_it_and_bumps_the_version(self):
        before = self.show(self.session_id)
        resp = self.request('PATCH', self.path, {})
        self.assertEqual(200, resp.status_int, resp.body)
        doc = self.show(self.session_id)
        self.assertEqual(before['schedule'], doc['schedule'])
        self.assertEqual(2, doc['_version'])

    def test_r21_unknown_key_or_bad_value_on_patch_is_400(self):
        """R21: 400 naming the key, nothing changed."""
        before = self.show(self.session_id)
        self.assertError(400, self.request('PATCH', self.path,
                                           {'foo': 'bar'}), 'foo')
        self.assertError(400, self.request('PATCH', self.path,
                                           {'hold_off': 'x'}), 'hold_off')
        self.assertEqual(before, self.show(self.session_id))

    def test_server_fields_sent_back_are_ignored(self):
        doc = self.show(self.session_id)
        doc['description'] = 'changed'
        resp = self.request('PATCH', self.path, doc)
        self.assertEqual(200, resp.status_int, resp.body)
        after = self.show(self.session_id)
        self.assertEqual(('changed', 'active', {}, 2),
                         (after['description'], after['status'],
                          after['jobs'], after['_version']))
        resp = self.request('POST', self.path, after)
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual(3, resp.json['version'])

    def test_replace_sets_defaults_and_keeps_tag_and_run_state(self):
        job_id = self.create_job()
        self.add_job(self.session_id, job_id)
        self.assertEqual(('success', 3), self.start(self.session_id, job_id,
                                                    2))
        resp = self.request('POST', self.path, {'description': 'new'})
        self.assertEqual(201, resp.status_int, resp.body)
        doc = self.show(self.session_id)
        self.assertEqual(('new', 30, {}, 3, 'running'),
                         (doc['description'], doc['hold_off'],
                          doc['schedule'], doc['session_tag'],
                          doc['status']))
        self.assertEqual(['running'], [m['status']
                                       for m in doc['jobs'].values()])

    def test_if_match(self):
        self.assertError(412, self.request('PATCH', self.path, {},
                                           headers={'If-Match': '"7"'}))
        resp = self.request('PATCH', self.path, {'hold_off': 1},
                            headers={'If-Match': '"1"'})
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertError(412, self.request('DELETE', self.path,
                                           headers={'If-Match': '"1"'}))
        self.assertError(412, self.request('POST', '/v2/A/sessions/new', {},
                                           headers={'If-Match': '"1"'}))
        self.assertError(404, self.request('GET', '/v2/A/sessions/new'))
        resp = self.request('DELETE', self.path, headers={'If-Match': 'W/"2"'})
        self.assertEqual(204, resp.status_int, resp.body)

    def test_delete(self):
        resp = self.request('DELETE', self.path)
        self.assertEqual(204, resp.status_int, resp.body)
        self.assertEqual(b'', resp.body)
        self.assertError(404, self.request('GET', self.path))
        self.assertError(404, self.request('DELETE', self.path))
        self.assertEqual([], self.listed())


class TestListing(session_helpers.SessionsTestCase):

    def test_order_paging_and_marker(self):
        ids = [self.create_session(document={'hold_off': i})
               for i in range(5)]
        self.assertEqual(ids, self.listed())
        self.assertEqual(ids[1:3], self.listed(query='?limit=2&offset=1'))
        self.assertEqual(ids[3:], self.listed(query='?marker=' + ids[2]))
        self.assertError(400, self.request('GET',
                                           '/v2/A/sessions?marker=nope'))
        self.assertError(400, self.request('GET', '/v2/A/sessions?limit=0'))
        self.assertEqual(ids, self.listed(query='/'))

    def test_search_sees_the_document_and_the_jobs_map(self):
        plain = self.create_session(document={'description': 'plain'})
        session_id, [job_id] = self.session_with_jobs(1, document={
            'description': 'Nightly Backup'})
        self.assertEqual([session_id], self.listed(body={'match': [
            {'jobs.%s.client_id' % job_id: session_helpers.CLIENT_ID}]}))
        self.assertEqual([session_id], self.listed(body={'match': [
            {'_all': 'nightly'}]}))
        self.assertEqual([session_id], self.listed(body={'match': [
            {'_all': 'NODE1.example'}]}))
        self.assertEqual([plain], self.listed(body={'match_not': [
            {'client_id': session_helpers.CLIENT_ID}]}))
        self.assertEqual([plain, session_id], self.listed(body={'match': [
            {'status': 'active'}]}))
        self.assertError(400, self.request('GET', '/v2/A/sessions',
                                           {'match': {'a': 1}}))


class TestProjectAccess(session_helpers.SessionsTestCase):

    def setUp(self):
        super().setUp()
        self.session_id, [self.job_id] = self.session_with_jobs(1)
        self.item = '/v2/A/sessions/' + self.session_id

    def test_reader_reads_and_cannot_write(self):
        for path in ('/v2/A/sessions', self.item):
            resp = self.request('GET', path, project='A', roles='reader')
            self.assertEqual(200, resp.status_int, resp.body)
        for method, path, body in (
                ('POST', '/v2/A/sessions', {}), ('PATCH', self.item, {}),
                ('POST', self.item, {}), ('DELETE', self.item, None),
                ('POST', self.item + '/action',
                 {'start': {'job_id': self.job_id, 'current_tag': 0}}),
                ('PUT', self.item + '/jobs/' + self.job_id, None),
                ('DELETE', self.item + '/jobs/' + self.job_id, None)):
            self.assertError(403, self.request(method, path, body,
                                               project='A', roles='reader'))
        self.assertEqual(1, len(self.show(self.session_id)['jobs']))

    def test_other_projects_get_403_and_admins_404_for_foreign_ids(self):
        self.assertError(403, self.request('GET', self.item, project='B',
                                           roles='member'))
        resp = self.request('GET', '/v2/B/sessions/' + self.session_id,
                            project='B', roles='member')
        self.assertError(404, resp)
        resp = self.request('PUT', '/v2/B/sessions/%s/jobs/%s' % (
            self.session_id, self.job_id), project='B', roles='admin')
        self.assertError(404, resp)
        resp = self.request('GET', self.item, project='X', roles='admin')
        self.assertEqual(200, resp.status_int, resp.body)
        resp = self.request('GET', self.item, project='X', roles='service')
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertError(403, self.request('PATCH', self.item, {},
                                           project='X', roles='service'))
        self.assertEqual([], self.listed('B', roles='reader',
                                         headers={'X-Project-Id': 'B'}))
