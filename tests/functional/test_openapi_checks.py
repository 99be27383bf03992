"""The exceptions the schemathesis checks make
(:mod:`tests.functional.openapi_checks`) are exactly the ones they state:
a read that is valid as sent, a registration refused for a key beside
``client``."""

import json
import urllib.parse

import requests
import testtools

from tests.functional import openapi_checks

CLIENTS = '/v2/{project_id}/clients'
BASE = 'http://127.0.0.1:1/v2/%F0%9F%8F%BB/clients'


def _sent(url, method='HEAD', body=None):
    return requests.Request(method, url, data=body).prepare()


def _search(document):
    return 'search=' + urllib.parse.quote(json.dumps(document))


class TestSentReadIsValid(testtools.TestCase):

    def assertValid(self, expected, query, template=CLIENTS, url=BASE,
                    method='HEAD', body=None):
        self.assertEqual(expected, openapi_checks._sent_read_is_valid(
            template, _sent(url + query, method, body)), query)

    def test_what_schemathesis_sent_for_a_null_limit_is_valid(self):
        # CI at 699656e: a generated null limit went out as ``limit=``
        # (absent, spec actions.md), with a valid search.
        self.assertValid(True, '?limit=&' + _search(
            {'match': [{'_all': ''}], 'match_not': [{}]}))

    def test_valid_queries(self):
        for query in ('', '?limit=5&offset=0', '?offset=', '?unknown=1',
                      '?' + _search({'match': [{'mode': 'fs'}]})):
            self.assertValid(True, query)

    def test_invalid_queries(self):
        for query in ('?limit=0', '?limit=abc', '?offset=-1',
                      '?limit=1&limit=2', '?search=notjson',
                      '?' + _search({'match': {}}),
                      '?' + _search({'other': []}),
                      '?' + _search({'match': ['x']})):
            self.assertValid(False, query)

    def test_invalid_path_parameter(self):
        self.assertValid(False, '', url='http://127.0.0.1:1/v2/p%00x/clients')

    def test_only_reads_without_a_body(self):
        self.assertValid(False, '', method='POST', body='{}')
        self.assertValid(True, '?limit=3', method='GET')

    def test_other_templates(self):
        self.assertValid(True, '', template='/v2/{project_id}/actions/'
                         '{action_id}', url='http://127.0.0.1:1/v2/p1/'
                         'actions/abc', method='GET')
        self.assertValid(False, '', template='/v2/{project_id}/actions',
                         url='http://127.0.0.1:1/v2/p1/jobs')


class TestRefusedBesideClient(testtools.TestCase):

    body = {'client': {'client_id': 'n1', 'hostname': 'h1'},
            'hostname': 'bad host', '': 1}

    def refused(self, body, description):
        return openapi_checks._refused_beside_client(body, description)

    def test_a_key_beside_client_breaking_its_rule(self):
        self.assertTrue(self.refused(
            self.body, "$.hostname: 'bad host' does not match (rule: "
            "pattern)."))

    def test_any_agree_refusal(self):
        # The empty key's path is ``$`` (CI at 4e1093c).
        self.assertTrue(self.refused(
            self.body, '$: 1 differs from client.; send the client info '
            'once, or equal in both places (rule: agree).'))

    def test_other_refusals_are_not_excused(self):
        self.assertFalse(self.refused(
            self.body, "$.client_id: 'x' does not match (rule: pattern)."))
        self.assertFalse(self.refused(
            {'client_id': 'n1', 'hostname': 'bad host'},
            "$.hostname: 'bad host' does not match (rule: pattern)."))
        self.assertFalse(self.refused(
            {'client': {'client_id': 'n1'}},
            '$: 1 differs (rule: agree).'))
