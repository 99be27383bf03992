"""The five operations of the seed, end to end through the WSGI stack."""

from tests.functional.api import base


class TestActionLifecycle(base.ApiTestCase):

    def test_create_show_list_patch_replace_delete(self):
        action_id = self.create()
        resp = self.request('GET', '/v2/A/actions/%s' % action_id)
        self.assertEqual(200, resp.status_int)
        self.assertEqual('"1"', resp.headers['ETag'])
        doc = resp.json
        self.assertEqual(base.ACTION['freezer_action'], doc['freezer_action'])
        self.assertEqual(('A', 'noauth', 1),
                         (doc['project_id'], doc['user_id'], doc['_version']))

        resp = self.request('GET', '/v2/A/actions/')
        self.assertEqual([action_id],
                         [a['action_id'] for a in resp.json['actions']])

        resp = self.request('PATCH', '/v2/A/actions/%s' % action_id,
                            {'max_retries': 1})
        self.assertEqual(200, resp.status_int)
        self.assertEqual({'action_id': action_id, 'version': 2}, resp.json)

        resp = self.request('POST', '/v2/A/actions/%s' % action_id,
                            {'freezer_action': {'action': 'info'}})
        self.assertEqual(201, resp.status_int)
        self.assertEqual({'action_id': action_id, 'version': 3}, resp.json)
        doc = self.request('GET', '/v2/A/actions/%s' % action_id).json
        self.assertEqual({'action': 'info'}, doc['freezer_action'])
        self.assertEqual(5, doc['max_retries'])

        resp = self.request('DELETE', '/v2/A/actions/%s' % action_id)
        self.assertEqual(204, resp.status_int)
        self.assertEqual(b'', resp.body)
        self.assertError(404, self.request(
            'GET', '/v2/A/actions/%s' % action_id))


class TestAcceptJson(base.ApiTestCase):
    """Clients send ``Accept: application/json``; it must be served."""

    def test_every_route_serves_accept_json(self):
        action_id = self.create()
        headers = {'Accept': 'application/json'}
        for method, path in (('GET', '/'), ('GET', '/v2'),
                             ('GET', '/v2/A/actions'),
                             ('GET', '/v2/A/actions/%s' % action_id),
                             ('HEAD', '/v2/A/actions/%s' % action_id)):
            resp = self.request(method, path, headers=headers)
            self.assertEqual(200, resp.status_int, (method, path))
            # /v2 is JSON-home, which is JSON (spec, "Media types").
            self.assertEqual('application/json-home' if path == '/v2'
                             else 'application/json', resp.content_type)
        resp = self.request('PATCH', '/v2/A/actions/%s' % action_id,
                            {'mandatory': False}, headers=headers)
        self.assertEqual(200, resp.status_int)
        resp = self.request('DELETE', '/v2/A/actions/%s' % action_id,
                            headers=headers)
        self.assertEqual(204, resp.status_int)
