"""The body is read by the strict JSON parser only, whatever its
Content-Type: the framework never parses it first (found by a hostile
client: Pecan decoded application/json bodies while routing, so deep
nesting was a 500 and invalid UTF-8 a generic 400)."""

from tests.functional.api import base

CONTENT_TYPES = (None, 'application/json', 'application/javascript',
                 'application/json; charset=utf-8', 'text/plain',
                 'application/x-www-form-urlencoded')
DEEP = (b'{"freezer_action": {"action": "backup", "x": ' + b'[' * 950
        + b']' * 950 + b'}}')
BAD_UTF8 = b'\xff\xfe{}'


class TestBodyIsOnlyReadAsStrictJson(base.ApiTestCase):

    def _writes(self):
        action_id = self.create()
        return (('POST', '/v2/A/actions'),
                ('PATCH', '/v2/A/actions/%s' % action_id),
                ('POST', '/v2/A/actions/%s' % action_id),
                ('GET', '/v2/A/actions')), action_id

    def test_deep_nesting_and_bad_utf8_are_753_for_every_content_type(self):
        routes, action_id = self._writes()
        before = self.request('GET', '/v2/A/actions/%s' % action_id).json
        for content_type in CONTENT_TYPES:
            headers = {} if content_type is None else {
                'Content-Type': content_type}
            for method, path in routes:
                for body in (DEEP, BAD_UTF8):
                    resp = self.request(method, path, body, headers=headers)
                    self.assertError(753, resp)
        self.assertEqual(
            before, self.request('GET', '/v2/A/actions/%s' % action_id).json)
        self.assertEqual(1, len(self.request('GET', '/v2/A/actions').json[
            'actions']))

    def test_forbidden_still_wins_over_a_malformed_json_body(self):
        for content_type in CONTENT_TYPES[1:3]:
            resp = self.request('POST', '/v2/A/actions', DEEP,
                                headers={'Content-Type': content_type},
                                project='B', roles='member')
            self.assertError(403, resp)
