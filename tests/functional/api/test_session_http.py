"""The classes of ``cases/actions.md`` on the sessions routes: malformed
and lenient JSON, content types, client URL styles, NUL and unicode,
ids across projects, round trips (spec ``actions.md``, "Rules every
resource shares")."""

from tests.functional.api import session_helpers


class TestSessionHttp(session_helpers.SessionsTestCase):

    def test_malformed_and_lenient_json_is_753_everywhere(self):
        session_id, [job_id] = self.session_with_jobs(1)
        before = self.show(session_id)
        item = '/v2/A/sessions/' + session_id
        for raw in (b'{"hold_off":', b'\xff\xfe\x7b\x7d',
                    b'{"hold_off": 1, "hold_off": 2}', b'{"hold_off": NaN}'):
            for method, path in (('POST', '/v2/A/sessions'),
                                 ('PATCH', item), ('POST', item),
                                 ('POST', item + '/action'),
                                 ('GET', '/v2/A/sessions')):
                body = self.assertError(753, self.request(method, path, raw))
                self.assertEqual('Malformed JSON', body['title'])
        self.assertEqual(before, self.show(session_id))
        self.assertEqual([session_id], self.listed())

    def test_content_types_and_accept(self):
        for content_type in (None, 'text/plain'):
            headers = {'Content-Type': content_type} if content_type else {}
            resp = self.request('POST', '/v2/A/sessions',
                                '{"hold_off": 3}', headers=headers)
            self.assertEqual(201, resp.status_int, resp.body)
        resp = self.request('GET', '/v2/A/sessions',
                            headers={'Accept': 'text/html'})
        self.assertIn(resp.status_int, (200, 406))
        self.assertEqual('application/json', resp.content_type)
        self.assertError(404, self.request('GET', '/v2/A/sessions.json'))

    def test_client_url_styles(self):
        session_id = self.create_session()
        resp = self.request('POST', '//v2/A/sessions/', {})
        self.assertEqual(201, resp.status_int, resp.body)
        other = resp.json['session_id']
        self.assertEqual([session_id], self.listed(
            query='/?limit=10&offset=0',
            body={'match_not': [{'session_id': other}]}))
        self.assertEqual([session_id, other], self.listed(query='?limit='))
        resp = self.request('GET', '/v2/A/sessions/%s/' % session_id)
        self.assertEqual(200, resp.status_int, resp.body)
        resp = self.request('HEAD', '/v2/A/sessions/' + session_id)
        self.assertEqual((200, b'', '"1"'), (resp.status_int, resp.body,
                                             resp.headers['ETag']))
        resp = self.request('GET', '/v2/A/sessions/%s/action' % session_id)
        self.assertError(405, resp)
        self.assertEqual('POST', resp.headers['Allow'])

    def test_nul_and_unicode(self):
        self.assertError(404, self.request('GET', '/v2/A/sessions/%00'))
        self.assertError(400, self.request('GET', '/v2/A/sessions?limit=%00'))
        text = 'バックアップ😀 Straße'
        session_id = self.create_session(document={
            'description': text, 'schedule': {'schedule_day': 'Mö'}})
        doc = self.show(session_id)
        self.assertEqual((text, {'schedule_day': 'Mö'}),
                         (doc['description'], doc['schedule']))
        self.assertEqual([session_id], self.listed(body={'match': [
            {'_all': 'STRASSE'}]}))
        self.assertEqual([session_id], self.listed(body={'match': [
            {'description': text}]}))

    def test_lengths_and_ids_across_projects(self):
        project = 'p' * 64
        resp = self.request('POST', '/v2/%s/sessions/%s' % (project, 'x' * 64),
                            {}, project=project, roles='member',
                            user='u' * 64)
        self.assertEqual(201, resp.status_int, resp.body)
        doc = self.show('x' * 64, project)
        self.assertEqual((project, 'u' * 64), (doc['project_id'],
                                               doc['user_id']))
        self.assertError(400, self.request('POST', '/v2/A/sessions/' + 'x'
                                           * 300, {}))
        self.assertError(400, self.request('POST', '/v2/A/sessions/bad.id',
                                           {}))
        # A slash, even percent-encoded, splits the path: no such route.
        self.assertError(404, self.request('POST', '/v2/A/sessions/bad%2Fid',
                                           {}))
        # B cannot replace, patch, delete or drive A's session.
        for method, path, body in (
                ('POST', '/v2/B/sessions/%s' % ('x' * 64), {}),
                ('PATCH', '/v2/B/sessions/%s' % ('x' * 64), {}),
                ('DELETE', '/v2/B/sessions/%s' % ('x' * 64), None),
                ('POST', '/v2/B/sessions/%s/action' % ('x' * 64),
                 {'start': {'job_id': 'j', 'current_tag': 0}})):
            resp = self.request(method, path, body, project='B',
                                roles='member')
            self.assertIn(resp.status_int, (404, 409), path)
            self.assertNoInternals(resp)
        self.assertEqual(doc, self.show('x' * 64, project))

    def test_get_replace_round_trip(self):
        session_id, _ = self.session_with_jobs(1, document={
            'description': 'd', 'hold_off': 7, 'session_tag': 2,
            'schedule': {'schedule_interval': '1 days'}})
        before = self.show(session_id)
        resp = self.request('POST', '/v2/A/sessions/' + session_id, before)
        self.assertEqual(201, resp.status_int, resp.body)
        after = self.show(session_id)
        for key in ('_version', 'updated_at'):
            del before[key], after[key]
        self.assertEqual(before, after)

    def assertNoInternals(self, resp):
        text = resp.body.decode('utf-8').lower()
        for fragment in ('traceback', 'sqlalchemy', 'select ', 'sessions.',
                         'integrityerror'):
            self.assertNotIn(fragment, text)
