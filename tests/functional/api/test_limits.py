"""Request limits through the whole stack: each ``[api]`` limit (and
``[oslo_middleware] max_request_body_size``) is answered with the spec's
status (413 body, 753 depth, 400 the others) and a JSON error body that
names the limit, and nothing is written."""

import json
import urllib.parse

from tests.functional.api import base


class LimitsTestCase(base.ActionsTestCase):
    """Small limits, so that the tests send small bodies."""

    max_request_body_size = 4096

    def setUp(self):
        super().setUp()
        for name, value in (('max_json_depth', 6),
                            ('max_string_length', 32),
                            ('max_action_keys', 10),
                            ('max_search_terms', 3)):
            self.conf.set_override(name, value, group='api')
        self.action_id = self.create()
        self.item = '/v2/A/actions/%s' % self.action_id

    def assertUnchanged(self):
        resp = self.request('GET', self.item)
        self.assertEqual(200, resp.status_int)
        self.assertEqual(1, resp.json['_version'])
        listing = self.request('GET', '/v2/A/actions')
        self.assertEqual([self.action_id],
                         [a['action_id'] for a in listing.json['actions']])

    def writes(self, body):
        """The three writes of a client document, each with ``body``."""
        return (('POST', '/v2/A/actions', body),
                ('POST', self.item, body),
                ('PATCH', self.item, body))

    def test_body_size_is_413_naming_the_option(self):
        body = base.agent(path='x' * 5000)
        for method, path, sent in self.writes(body):
            resp = self.request(method, path, sent)
            self.assertError(413, resp,
                             '[oslo_middleware] max_request_body_size')
        self.assertUnchanged()

    def test_json_depth_is_753_naming_the_option(self):
        deep = base.agent(nested=[[[[[[1]]]]]])
        for method, path, sent in self.writes(deep):
            resp = self.request(method, path, sent)
            body = self.assertError(753, resp, 'max_json_depth')
            self.assertEqual('Malformed JSON', body['title'])
        self.assertUnchanged()

    def test_json_depth_at_the_limit_is_stored(self):
        resp = self.request('POST', '/v2/A/actions',
                            base.agent(nested=[[[[1]]]]))
        self.assertEqual(201, resp.status_int, resp.body)

    def test_depth_of_a_search_is_753_in_the_body(self):
        search = {'match': [{'k': [[[[[1]]]]]}]}
        resp = self.request('GET', '/v2/A/actions', search)
        self.assertError(753, resp, 'max_json_depth')

    def test_depth_of_a_search_parameter_is_400(self):
        search = json.dumps({'match': [{'k': [[[[[1]]]]]}]})
        resp = self.request('GET', '/v2/A/actions?search=' +
                            urllib.parse.quote(search))
        body = self.assertError(400, resp, 'max_json_depth')
        self.assertIn('"search"', body['description'])

    def test_string_length_is_400_naming_the_option(self):
        for method, path, sent in self.writes(
                base.agent(path_to_backup='p' * 33)):
            resp = self.request(method, path, sent)
            self.assertError(400, resp, 'max_string_length')
        self.assertUnchanged()

    def test_string_at_the_length_limit_is_stored(self):
        resp = self.request('PATCH', self.item,
                            {'freezer_action': {'path_to_backup': 'p' * 32}})
        self.assertEqual(200, resp.status_int, resp.body)

    def test_action_keys_is_400_naming_the_option(self):
        keys = {'k%d' % n: n for n in range(10)}
        for method, path, sent in self.writes(base.agent(**keys)):
            resp = self.request(method, path, sent)
            self.assertError(400, resp, 'max_action_keys')
        self.assertUnchanged()

    def test_search_terms_is_400_naming_the_option(self):
        search = {'match': [{'a': 1}, {'b': 2}],
                  'match_not': [{'c': 3}, {'d': 4}]}
        resp = self.request('GET', '/v2/A/actions', search)
        self.assertError(400, resp, 'max_search_terms')
        resp = self.request('GET', '/v2/A/actions?search=' +
                            urllib.parse.quote(json.dumps(search)))
        self.assertError(400, resp, 'max_search_terms')

    def test_search_at_the_terms_limit_answers(self):
        search = {'match': [{'backup_name': 'etc-backup'}, {'mode': 'fs'}],
                  'match_not': [{'mode': 'mysql'}]}
        resp = self.request('GET', '/v2/A/actions', search)
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual([self.action_id],
                         [a['action_id'] for a in resp.json['actions']])


class TestDefaultLimits(base.ActionsTestCase):
    """The default limits refuse no valid document the body limit lets
    through (spec, "Errors"; issue 20: an 80 KB string was a 400)."""

    def test_a_100_kib_string_in_a_110_kib_body_round_trips(self):
        value = 'é' * 1024 + 'x' * (100 * 1024 - 1024)
        keys = {'k%03d' % n: n for n in range(300)}
        body = base.agent(backup_name=value, **keys)
        raw = json.dumps(body, ensure_ascii=False).encode()
        self.assertLess(len(raw), 110 * 1024)
        self.assertGreater(len(raw), 100 * 1024)
        for method, path in (('POST', '/v2/A/actions'),
                             ('POST', '/v2/A/actions/big-one')):
            resp = self.request(method, path, raw)
            self.assertEqual(201, resp.status_int, resp.body[:300])
            shown = self.request('GET', '/v2/A/actions/%s'
                                 % resp.json['action_id'])
            self.assertEqual(body['freezer_action'],
                             shown.json['freezer_action'])
        resp = self.request('PATCH', '/v2/A/actions/big-one', raw)
        self.assertEqual(200, resp.status_int, resp.body[:300])
