"""Search (spec ``actions.md``, "Listing, search and pagination").

Every pair of ``match`` must hold, any pair of ``match_not`` excludes; a
key matches at any depth (any occurrence), a dotted key one exact path;
equality is JSON equality; ``_all`` is a JSON list of pairs or free text;
the search comes in the GET body or the ``search`` query parameter; any
other shape is 400; paging counts matches only.
"""

import json
import urllib.parse

from tests.functional.api import base


def param(document):
    """The ``search`` query parameter for a search document."""
    return '?search=' + urllib.parse.quote(json.dumps(document))


class SearchTestCase(base.ActionsTestCase):

    def setUp(self):
        super().setUp()
        self.ids = {}
        for name, body in self.documents():
            body = dict(body, action_id=name)
            self.ids[name] = self.create(document=body)

    def documents(self):
        """(action_id, create body) pairs stored in project A."""
        return (
            ('fs1', {'freezer_action': {
                'action': 'backup', 'mode': 'fs', 'backup_name': 'etc-backup',
                'depth': 10, 'flag': True, 'container': 'Alpha',
                'tags': ['daily', 'etc'],
                'meta': {'owner': 'ops', 'level': 1, 'mode': 'mysql'},
                'hosts': [{'name': 'h1', 'port': 22}, {'name': 'h2'}]},
                'max_retries': 3}),
            ('fs2', {'freezer_action': {
                'action': 'backup', 'mode': 'fs', 'backup_name': 'home',
                'depth': '10', 'flag': 1, 'container': 'beta',
                'tags': ['etc', 'daily'], 'meta': {'owner': 'ops'}},
                'mandatory': True}),
            ('sql1', {'freezer_action': {
                'action': 'restore', 'mode': 'mysql', 'backup_name': 'db',
                'depth': 10.0, 'container': 'ALPHA-2',
                'meta': {'owner': 'dba', 'level': 1.0}},
                'max_retries': 10}),
            ('info1', {'freezer_action': {
                'action': 'info', 'backup_name': None,
                'note': 'Été 50%_off \\ path',
                'hosts': [{'name': 'h2', 'port': 2222}]}}),
        )

    def search(self, document, query=''):
        """Search through the body; returns the sorted matching ids."""
        return sorted(self.listed(query=query or '?limit=1000',
                                  body=document))

    def assertFinds(self, expected, document):
        """Body and query-parameter searches both find exactly
        ``expected``."""
        self.assertEqual(sorted(expected), self.search(document), document)
        self.assertEqual(sorted(expected),
                         sorted(self.listed(query=param(document))),
                         document)


class TestMatch(SearchTestCase):

    def test_single_pair_at_the_agent_level(self):
        """A key of ``freezer_action`` matches its value."""
        self.assertFinds(['fs1', 'fs2'], {'match': [{'mode': 'fs'}]})
        self.assertFinds(['sql1'], {'match': [{'action': 'restore'}]})
        self.assertFinds([], {'match': [{'mode': 'nova'}]})

    def test_top_level_fields_match(self):
        """Top-level fields and the id are searchable."""
        self.assertFinds(['fs1'], {'match': [{'max_retries': 3}]})
        self.assertFinds(['fs2'], {'match': [{'mandatory': True}]})
        self.assertFinds(['sql1'], {'match': [{'action_id': 'sql1'}]})
        self.assertFinds(sorted(self.ids),
                         {'match': [{'project_id': 'A'}]})

    def test_pairs_are_anded_within_and_across_objects(self):
        """Every pair must hold, whether in one object or several."""
        self.assertFinds(['fs1'], {'match': [{'mode': 'fs',
                                              'max_retries': 3}]})
        self.assertFinds(['fs1'], {'match': [{'mode': 'fs'},
                                             {'max_retries': 3}]})
        self.assertFinds([], {'match': [{'mode': 'fs'},
                                        {'action': 'restore'}]})
        self.assertFinds(['fs1', 'fs2'], {'match': [
            {'mode': 'fs'}, {'action': 'backup'}, {'owner': 'ops'}]})

    def test_match_not_excludes_when_any_pair_holds(self):
        """An item is dropped when any ``match_not`` pair holds."""
        self.assertFinds(['info1', 'sql1'],
                         {'match_not': [{'mode': 'fs'}]})
        self.assertFinds(['info1'], {'match_not': [{'mode': 'fs'},
                                                   {'action': 'restore'}]})
        self.assertFinds(['fs2'], {'match': [{'mode': 'fs'}],
                                   'match_not': [{'max_retries': 3}]})
        self.assertFinds([], {'match': [{'mode': 'fs'}],
                              'match_not': [{'action': 'backup'}]})

    def test_empty_search_means_no_filter(self):
        """``{}``, empty lists, an empty or blank body: every action."""
        everything = sorted(self.ids)
        for document in ({}, {'match': []}, {'match_not': []},
                         {'match': [], 'match_not': []}, {'match': [{}]},
                         '', '  \n'):
            self.assertEqual(everything, self.search(document), document)
        self.assertEqual(everything, sorted(self.listed(
            query='?limit=1000&search=%7B%7D')))


class TestAnyDepth(SearchTestCase):

    def test_key_matches_in_nested_objects(self):
        """A key inside a nested object matches."""
        self.assertFinds(['fs1', 'fs2'], {'match': [{'owner': 'ops'}]})
        self.assertFinds(['fs1', 'sql1'], {'match': [{'level': 1}]})

    def test_key_matches_inside_lists_of_objects(self):
        """Objects inside lists are searched too."""
        self.assertFinds(['fs1', 'info1'], {'match': [{'name': 'h2'}]})
        self.assertFinds(['fs1'], {'match': [{'port': 22}]})

    def test_any_occurrence_holds(self):
        """``mode`` is ``fs`` at the agent level and ``mysql`` under
        ``meta`` in fs1: both values find it."""
        self.assertFinds(['fs1', 'sql1'], {'match': [{'mode': 'mysql'}]})
        self.assertFinds(['fs1'], {'match': [{'mode': 'fs'},
                                             {'mode': 'mysql'}]})
        self.assertFinds(['info1', 'sql1'],
                         {'match_not': [{'mode': 'fs'}]})

    def test_dotted_key_names_one_exact_path(self):
        """``freezer_action.mode`` is the agent's mode only; a nested
        ``mode`` does not answer it, and a deeper path is its own."""
        self.assertFinds(['sql1'],
                         {'match': [{'freezer_action.mode': 'mysql'}]})
        self.assertFinds(['fs1'],
                         {'match': [{'freezer_action.meta.mode': 'mysql'}]})
        self.assertFinds([], {'match': [{'meta.mode': 'mysql'}]})
        self.assertFinds([], {'match': [{'freezer_action.owner': 'ops'}]})
        self.assertFinds(['fs1', 'fs2'], {'match': [
            {'freezer_action.meta.owner': 'ops'}]})
        self.assertFinds(['fs1', 'info1'], {'match': [
            {'freezer_action.hosts.name': 'h2'}]})
        self.assertFinds(['fs1', 'fs2'], {'match_not': [
            {'freezer_action.mode': 'mysql'},
            {'freezer_action.action': 'info'}]})

    def test_dotted_key_reaches_top_level_objects_only_by_path(self):
        """A path must start at the top of the document."""
        self.assertFinds([], {'match': [{'action.mode': 'fs'}]})
        self.assertFinds([], {'match': [{'freezer_action.': 'fs'}]})


class TestJsonEquality(SearchTestCase):

    def test_string_and_number_differ(self):
        """``"10"`` != ``10``: fs2 stores the string, fs1 and sql1
        numbers."""
        self.assertFinds(['fs2'], {'match': [{'depth': '10'}]})
        self.assertFinds(['fs1', 'sql1'], {'match': [{'depth': 10}]})

    def test_integer_and_float_of_the_same_value_are_equal(self):
        """``1`` = ``1.0`` and ``10`` = ``10.0`` in both directions."""
        self.assertFinds(['fs1', 'sql1'], {'match': [{'depth': 10.0}]})
        self.assertFinds(['fs1', 'sql1'], {'match': [{'level': 1.0}]})
        self.assertFinds([], {'match': [{'level': 1.5}]})

    def test_boolean_and_number_differ(self):
        """``true`` != ``1``: fs1 stores true, fs2 stores 1."""
        self.assertFinds(['fs1'], {'match': [{'flag': True}]})
        self.assertFinds(['fs2'], {'match': [{'flag': 1}]})
        self.assertFinds([], {'match': [{'flag': 'true'}]})
        self.assertFinds([], {'match': [{'flag': False}]})

    def test_null_matches_a_stored_null_only(self):
        """``null`` matches a key present with null, not an absent
        key."""
        self.assertFinds(['info1'], {'match': [{'backup_name': None}]})
        self.assertFinds([], {'match': [{'never_stored': None}]})

    def test_strings_compare_exactly(self):
        """Equality is case- and whitespace-sensitive."""
        self.assertFinds(['fs1'], {'match': [{'container': 'Alpha'}]})
        self.assertFinds([], {'match': [{'container': 'alpha'}]})
        self.assertFinds([], {'match': [{'container': 'Alpha '}]})
        self.assertFinds([], {'match': [{'container': 'Alp'}]})

    def test_case_accents_and_trailing_spaces_matter(self):
        """Case, accents and trailing spaces matter in equality."""
        self.create(document=dict(base.agent(container='Été'),
                                  action_id='accent'))
        for value in ('été', 'Ete', 'Été ', 'ÉTÉ', 'Eté'):
            self.assertFinds([], {'match': [{'container': value}]})
        self.assertFinds(['accent'], {'match': [{'container': 'Été'}]})
        self.assertFinds(['accent', 'info1'], {'match': [{'_all': 'été'}]})

    def test_lists_compare_whole_and_in_order(self):
        """A list value equals the same list only; an element alone does
        not match."""
        self.assertFinds(['fs1'], {'match': [{'tags': ['daily', 'etc']}]})
        self.assertFinds(['fs2'], {'match': [{'tags': ['etc', 'daily']}]})
        self.assertFinds([], {'match': [{'tags': 'etc'}]})
        self.assertFinds([], {'match': [{'tags': ['etc']}]})

    def test_objects_compare_whole_in_any_key_order(self):
        """An object value equals an object with the same members only."""
        self.assertFinds(['fs2'], {'match': [{'meta': {'owner': 'ops'}}]})
        self.assertFinds(['fs1'], {'match': [{'meta': {
            'mode': 'mysql', 'level': 1, 'owner': 'ops'}}]})
        self.assertFinds(['fs1'], {'match': [{'meta': {
            'mode': 'mysql', 'level': 1.0, 'owner': 'ops'}}]})
        self.assertFinds([], {'match': [{'meta': {'owner': 'dba',
                                                  'level': 1, 'x': 2}}]})
        self.assertFinds([], {'match': [{'hosts': {'name': 'h2'}}]})
        whole = self.show('fs2')['freezer_action']
        self.assertFinds(['fs2'], {'match': [{'freezer_action': whole}]})
        whole.pop('container')
        self.assertFinds([], {'match': [{'freezer_action': whole}]})
        self.assertFinds(['info1'], {'match': [{'hosts': [
            {'port': 2222, 'name': 'h2'}]}]})

    def test_long_values_are_compared_exactly(self):
        """Values longer than any index column: equal finds, a value
        that differs only at the end does not."""
        long_a = 'L' * 500 + 'a'
        long_b = 'L' * 500 + 'b'
        self.create(document=dict(base.agent(backup_name=long_a),
                                  action_id='long1'))
        self.assertFinds(['long1'], {'match': [{'backup_name': long_a}]})
        self.assertFinds([], {'match': [{'backup_name': long_b}]})
        self.assertFinds(['long1'], {'match': [{'_all': 'l' * 300 + 'a'}]})
        self.assertFinds([], {'match': [{'_all': 'l' * 300 + 'b'}]})
        key = 'k' * 300
        self.create(document=dict(base.agent(**{key: 1}),
                                  action_id='long2'))
        self.assertFinds(['long2'], {'match': [{key: 1}]})
        self.assertFinds(['long2'], {'match': [{'freezer_action.' + key: 1}]})
        self.assertFinds([], {'match': [{key + 'x': 1}]})

    def test_free_text_beyond_sqlites_like_limit_is_found(self):
        """Free text over SQLite's 50,000-byte LIKE pattern limit, with
        LIKE wildcards in it, is answered (not a 500) while the
        document's texts still wait for the FTS5 batch (migration
        0009)."""
        long_text = 'Ab%_' * 15000
        self.create(document=dict(base.agent(backup_name=long_text + '!'),
                                  action_id='long3'))
        self.assertFinds(['long3'], {'match': [{'_all': long_text}]})
        self.assertFinds([], {'match': [{'_all': long_text + '?'}]})
        self.assertFinds(['long3'], {'match': [{'_all': 'ab%_!'}]})

    def test_unicode_values_are_found(self):
        """A 4-byte character value is found by equality and free
        text."""
        self.create(document=dict(base.agent(backup_name='バックアップ😀'),
                                  action_id='uni1'))
        self.assertFinds(['uni1'], {'match': [{'backup_name':
                                               'バックアップ😀'}]})
        self.assertFinds(['uni1'], {'match': [{'_all': 'アップ😀'}]})
        self.assertFinds(['uni1'], {'match': [{'_all': '😀'}]})


class TestAll(SearchTestCase):

    def test_json_list_of_objects_joins_the_match_terms(self):
        """``_all`` holding a JSON list of objects adds its pairs to
        ``match`` (AND), and to ``match_not`` on that side."""
        inner = json.dumps([{'mode': 'fs'}, {'max_retries': 3}])
        self.assertFinds(['fs1'], {'match': [{'_all': inner}]})
        self.assertFinds(['fs1', 'fs2'], {'match': [
            {'_all': json.dumps([{'mode': 'fs'}])}]})
        self.assertFinds(['info1', 'sql1'], {'match_not': [
            {'_all': json.dumps([{'mode': 'fs'}])}]})

    def test_all_never_replaces_or_drops_other_terms(self):
        """Other pairs next to ``_all`` still hold, in the same object or
        another."""
        inner = json.dumps([{'mode': 'fs'}])
        self.assertFinds(['fs2'], {'match': [{'_all': inner,
                                              'mandatory': True}]})
        self.assertFinds(['fs2'], {'match': [{'mandatory': True},
                                             {'_all': inner}]})
        self.assertFinds([], {'match': [{'_all': inner},
                                        {'action': 'restore'}]})
        self.assertFinds(['fs2'], {'match': [{'_all': 'home'},
                                             {'mode': 'fs'}]})
        self.assertFinds([], {'match': [{'_all': 'home'},
                                        {'max_retries': 3}]})

    def test_free_text_is_a_case_insensitive_substring_of_any_string(self):
        """Other ``_all`` strings match any string value, in any case,
        at any depth, list items included."""
        self.assertFinds(['fs1'], {'match': [{'_all': 'ETC-B'}]})
        self.assertFinds(['fs1', 'sql1'], {'match': [{'_all': 'alpha'}]})
        self.assertFinds(['fs1', 'fs2'], {'match': [{'_all': 'DAIL'}]})
        self.assertFinds(['fs1', 'info1'], {'match': [{'_all': 'h2'}]})
        self.assertFinds(['info1'], {'match': [{'_all': 'éTÉ'}]})
        self.assertFinds(['info1', 'sql1'], {'match_not': [
            {'_all': 'daily'}]})

    def test_free_text_does_not_match_keys_numbers_or_booleans(self):
        """Only string values are searched as text."""
        self.assertFinds([], {'match': [{'_all': 'backup_name'}]})
        self.assertFinds([], {'match': [{'_all': '2222'}]})
        self.assertFinds([], {'match': [{'_all': 'true'}]})

    def test_free_text_wildcards_are_literal(self):
        """``%``, ``_`` and ``\\`` are plain characters."""
        self.assertFinds(['info1'], {'match': [{'_all': '50%_off'}]})
        self.assertFinds([], {'match': [{'_all': '5%off'}]})
        self.assertFinds(['info1'], {'match': [{'_all': '%'}]})
        self.assertFinds(['info1'], {'match': [{'_all': ' \\ '}]})
        self.assertFinds(['fs1'], {'match': [{'_all': 'etc-'}]})
        self.assertFinds([], {'match': [{'_all': 'etc_backup'}]})

    def test_json_that_is_not_a_list_of_objects_is_free_text(self):
        """``_all`` of ``"[1]"``, ``"{}"`` or a JSON string is text."""
        for text in ('[1]', '{"mode": "fs"}', '"fs"', '[{"mode": "fs"}, 1]'):
            self.assertFinds([], {'match': [{'_all': text}]})

    def test_all_must_be_a_string(self):
        """A non-string ``_all``: 400."""
        for value in (1, None, True, [{'mode': 'fs'}], {'mode': 'fs'}):
            resp = self.request('GET', '/v2/A/actions',
                                {'match': [{'_all': value}]})
            self.assertError(400, resp, '_all')


class TestSearchParameter(SearchTestCase):

    def test_search_parameter_equals_the_body(self):
        """``?search=<JSON>`` answers as the same GET body."""
        document = {'match': [{'mode': 'fs'}],
                    'match_not': [{'mandatory': True}]}
        self.assertEqual(['fs1'], self.listed(query=param(document)))

    def test_search_parameter_with_paging(self):
        """``search`` combines with limit and offset."""
        document = {'match': [{'action': 'backup'}]}
        self.assertEqual(['fs2'], self.listed(
            query=param(document) + '&limit=1&offset=1'))

    def test_bad_search_parameter_is_400_naming_search(self):
        """Invalid JSON (also NaN, duplicate keys), a repeated parameter,
        or a parameter and a body together: 400 naming ``search``."""
        for value in ('{', 'abc', '{"match": NaN}',
                      '{"match": [], "match": []}', "{'match': []}"):
            resp = self.request('GET', '/v2/A/actions?search=' +
                                urllib.parse.quote(value))
            self.assertError(400, resp, 'search')
        resp = self.request('GET', '/v2/A/actions' + param({}) + '&' +
                            param({})[1:])
        self.assertError(400, resp, 'search')
        resp = self.request('GET', '/v2/A/actions' + param({}),
                            {'match': [{'mode': 'fs'}]})
        self.assertError(400, resp, 'search')

    def test_bad_shapes_in_the_parameter_are_400(self):
        """The shape rules of the body hold for the parameter."""
        for document in ({'match': {'mode': 'fs'}}, [{'mode': 'fs'}],
                         {'match': ['abc']}, {'match_not': 'x'},
                         {'other': []}):
            resp = self.request('GET', '/v2/A/actions' + param(document))
            self.assertError(400, resp)


class TestSearchShape(SearchTestCase):

    SHAPES = ({'match': {'mode': 'fs'}}, [{'mode': 'fs'}], {'match': ['abc']},
              {'match_not': 'x'}, {'match': [1]}, {'match': [['mode']]},
              {'match': [None]}, {'match': None}, {'match_not': {}},
              {'match': [], 'extra': 1}, {'Match': []}, {'_all': 'fs'},
              {'mode': 'fs'}, 'str', 1, [], True)

    def test_other_shapes_are_400_never_an_ignored_filter(self):
        """Each bad shape of the body: 400 JSON error, on GET and HEAD."""
        for document in self.SHAPES:
            raw = json.dumps(document)
            resp = self.request('GET', '/v2/A/actions', raw)
            self.assertError(400, resp)
            self.assertNoInternals(resp)
            resp = self.request('HEAD', '/v2/A/actions', raw)
            self.assertEqual((400, b''), (resp.status_int, resp.body))

    def test_null_body_is_400(self):
        """A JSON ``null`` body is not an empty body: 400."""
        self.assertError(400, self.request('GET', '/v2/A/actions', 'null'))

    def test_malformed_search_body_is_753(self):
        """Invalid UTF-8, cut-off JSON, duplicate keys, NaN and deep
        nesting in a search body: 753 Malformed JSON."""
        for raw in (b'\xff\xfe{}', b'{"match": [', b'{"match": [], '
                    b'"match": []}', b'{"match": [{"a": NaN}]}',
                    b'{"match": [{"a": -Infinity}]}',
                    b'{"match": [{"a": ' + b'[' * 70 + b']' * 70 + b'}]}'):
            resp = self.request('GET', '/v2/A/actions', raw)
            body = self.assertError(753, resp)
            self.assertEqual('Malformed JSON', body['title'])

    def test_nul_in_search_is_refused(self):
        """A NUL in a search key, value or free text: 400 (spec
        "Errors"), never a wrong answer or an engine error."""
        for document in ({'match': [{'_all': 'a\x00'}]},
                         {'match': [{'a\x00': 1}]},
                         {'match': [{'backup_name': 'a\x00b'}]},
                         {'match_not': [{'_all': 'a\x00'}]}):
            resp = self.request('GET', '/v2/A/actions', document)
            self.assertError(400, resp, 'NUL')

    def test_lone_surrogate_in_search_is_refused(self):
        """``\\ud800`` in a search body or parameter: 753 or 400, never
        a 500."""
        for raw in ('{"match": [{"backup_name": "\\ud800"}]}',
                    '{"match": [{"_all": "\\ud800"}]}',
                    '{"match": [{"\\ud800": 1}]}'):
            resp = self.request('GET', '/v2/A/actions', raw)
            self.assertIn(resp.status_int, (400, 753), resp.body)
            self.assertError(resp.status_int, resp)
            resp = self.request('GET', '/v2/A/actions?search=' +
                                urllib.parse.quote(raw))
            self.assertIn(resp.status_int, (400, 753), resp.body)
            self.assertError(resp.status_int, resp)

    def test_null_search_is_refused(self):
        """``search=null`` is not an empty search: 400 naming search."""
        self.assertError(400, self.request('GET',
                                           '/v2/A/actions?search=null'),
                         'search')

    def test_too_many_terms_are_400_naming_the_limit_never_500(self):
        """More terms than ``[api] max_search_terms`` (match, one object,
        match_not, or an ``_all`` list; 1001 used to break SQLite): 400
        naming the limit; exactly the limit is answered."""
        limit = self.conf.api.max_search_terms
        pairs = [{'k%d' % i: i} for i in range(1001)]
        merged = {k: v for pair in pairs for k, v in pair.items()}
        for document in ({'match': pairs}, {'match': [merged]},
                         {'match_not': pairs},
                         {'match': [{'_all': json.dumps(pairs)}]},
                         {'match': pairs[:limit],
                          'match_not': pairs[limit:limit + 1]}):
            resp = self.request('GET', '/v2/A/actions', document)
            self.assertError(400, resp, 'max_search_terms')
        resp = self.request('GET', '/v2/A/actions',
                            {'match_not': pairs[:limit]})
        self.assertEqual(sorted(self.ids), sorted(
            a['action_id'] for a in resp.json['actions']))
        resp = self.request('GET', '/v2/A/actions',
                            {'match': pairs[:limit]})
        self.assertEqual({'actions': []}, resp.json)


class TestSearchPaging(SearchTestCase):

    def documents(self):
        docs = []
        for i in range(17):
            name = 'pgname' if i % 3 == 1 else 'other%d' % i
            docs.append(('p%02d' % i, base.agent(backup_name=name)))
        return docs

    def test_limit_offset_and_marker_count_matches_only(self):
        """Pages of a search hold matching items only, in the stable
        order, never overlapping, together exactly the matches."""
        matches = ['p%02d' % i for i in range(17) if i % 3 == 1]
        document = {'match': [{'backup_name': 'pgname'}]}
        self.assertEqual(matches, self.listed(body=document,
                                              query='?limit=100'))
        pages = [self.listed(body=document,
                             query='?limit=2&offset=%d' % offset)
                 for offset in range(0, 8, 2)]
        self.assertEqual([matches[0:2], matches[2:4], matches[4:6], []],
                         pages)
        self.assertEqual(matches[2:4], self.listed(
            body=document, query='?limit=2&marker=%s' % matches[1]))
        # A marker that is not itself a match still positions the page.
        self.assertEqual(matches[1:3], self.listed(
            body=document, query='?limit=2&marker=p02'))
        self.assertEqual(matches[:5], self.listed(body=document,
                                                  query='?limit=5'))

    def test_default_limit_applies_to_matches(self):
        """Without ``limit``, 10 matching items."""
        document = {'match_not': [{'backup_name': 'pgname'}]}
        expected = ['p%02d' % i for i in range(17) if i % 3 != 1][:10]
        self.assertEqual(expected, self.listed(body=document))


class TestSearchFollowsWrites(SearchTestCase):

    def test_patch_replace_and_delete_update_the_answer(self):
        """Search sees the current document, never an old value."""
        self.request('PATCH', '/v2/A/actions/fs1',
                     {'freezer_action': {'backup_name': 'renamed'}})
        self.assertFinds([], {'match': [{'backup_name': 'etc-backup'}]})
        self.assertFinds(['fs1'], {'match': [{'backup_name': 'renamed'}]})
        self.assertFinds([], {'match': [{'_all': 'etc-backup'}]})
        self.request('POST', '/v2/A/actions/fs1', base.agent(mode='nova'))
        self.assertFinds([], {'match': [{'backup_name': 'renamed'}]})
        self.assertFinds(['fs1'], {'match': [{'mode': 'nova'}]})
        self.assertFinds(['fs2'], {'match': [{'owner': 'ops'}]})
        self.request('DELETE', '/v2/A/actions/fs1')
        self.assertFinds([], {'match': [{'mode': 'nova'}]})

    def test_search_stays_in_the_url_project(self):
        """Another project's matching actions are never found."""
        self.create(project='B', document=base.agent(mode='fs'))
        self.assertFinds(['fs1', 'fs2'], {'match': [{'mode': 'fs'}]})
        self.assertEqual(1, len(self.listed(
            project='B', body={'match': [{'mode': 'fs'}]})))


class TestFreeTextScope(base.ActionsTestCase):
    """``_all`` searches what the client wrote and the id, folded with
    Unicode case folding; never the owner fields (issue 20: searching a
    project's name returned the whole project, and ``STRASSE`` missed
    ``Straße``)."""

    PROJECT = 'Zeta-Project'
    USER = 'omega-user'

    def setUp(self):
        super().setUp()
        headers = {'X-Project-Id': self.PROJECT, 'X-User-Id': self.USER,
                   'X-Roles': 'member,reader'}
        self.headers = headers
        for action_id, name in (('street', 'Hauptstraße 5'),
                                ('plain', 'nightly')):
            self.create(self.PROJECT, headers=headers, document={
                'action_id': action_id,
                'freezer_action': {'action': 'backup', 'backup_name': name}})

    def find(self, document):
        return sorted(self.listed(self.PROJECT, '?limit=1000', document,
                                  headers=self.headers))

    def test_owner_fields_are_not_free_text(self):
        for text in ('zeta', 'ZETA-PROJECT', 'omega', 'omega-user'):
            self.assertEqual([], self.find({'match': [{'_all': text}]}),
                             text)
        # Key terms still match them, and the id is free text.
        self.assertEqual(['plain', 'street'], self.find(
            {'match': [{'project_id': self.PROJECT}]}))
        self.assertEqual(['plain', 'street'], self.find(
            {'match': [{'user_id': self.USER}]}))
        self.assertEqual(['street'], self.find({'match': [{'_all': 'STRE'}]}))

    def test_free_text_folds_case_the_unicode_way(self):
        for text in ('STRASSE', 'strasse', 'Straße', 'HAUPTSTRASSE 5'):
            self.assertEqual(['street'],
                             self.find({'match': [{'_all': text}]}), text)
        self.assertEqual(['plain'], self.find(
            {'match_not': [{'_all': 'STRASSE'}]}))
