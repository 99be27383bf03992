"""The search document: shape, semantics and the in-memory matcher
(spec, "Listing, search and pagination"; case C07)."""

import json

import testtools

from freezer_core import errors
from freezer_core import search


def _view(**agent):
    agent.setdefault('action', 'backup')
    return {'action_id': 'id1', 'project_id': 'p', 'user_id': 'u',
            'freezer_action': agent, 'max_retries': 5,
            'max_retries_interval': 6, 'mandatory': False}


def _hits(document, view):
    return search.matches(search.parse(document), view)


class TestShape(testtools.TestCase):

    def test_empty_means_no_filter(self):
        for document in (None, {}, {'match': []}, {'match_not': []},
                         {'match': [{}]}):
            parsed = search.parse(document)
            self.assertFalse(parsed)
            self.assertTrue(search.matches(parsed, _view()))

    def test_other_shapes_are_refused(self):
        for document in ({'match': {'backup_name': 'b1'}},
                         [{'backup_name': 'b1'}],
                         {'match': ['abc']},
                         {'match_not': 'x'},
                         {'match': [{'a': 1}], 'extra': 1},
                         {'match': None},
                         {'match': [[{'a': 1}]]},
                         'text', 5,
                         {'match': [{'_all': 5}]},
                         {'match': [{'_all': None}]},
                         {'match': [{'_all': 'a\x00'}]},
                         {'match': [{'a\x00': 1}]},
                         {'match_not': [{'name': 'a\x00b'}]},
                         {'match': [{'name': {'x': ['\x00']}}]},
                         {'match': [{'name': {'k\x00': 1}}]}):
            self.assertRaises(errors.SearchError, search.parse, document)

    def test_search_parameter(self):
        parsed = search.parse_param('{"match": [{"mode": "fs"}]}')
        self.assertEqual((search.Term('key', 'mode', '"fs"'),),
                         parsed.match)
        exc = self.assertRaises(errors.InvalidParameter, search.parse_param,
                                '{"match": [')
        self.assertEqual('search', exc.path)
        self.assertRaises(errors.SearchError, search.parse_param, '[1]')
        # Only an empty value means no filter; null is not a search.
        self.assertRaises(errors.SearchError, search.parse_param, 'null')
        self.assertFalse(search.parse_param(''))
        self.assertFalse(search.parse_param('{}'))


class TestSemantics(testtools.TestCase):

    def test_match_is_an_and(self):
        view = _view(mode='fs', backup_name='b1')
        self.assertTrue(_hits(
            {'match': [{'mode': 'fs'}, {'backup_name': 'b1'}]}, view))
        self.assertTrue(_hits({'match': [{'mode': 'fs',
                                          'backup_name': 'b1'}]}, view))
        self.assertFalse(_hits(
            {'match': [{'mode': 'fs'}, {'backup_name': 'b2'}]}, view))

    def test_match_not_drops_when_any_pair_holds(self):
        view = _view(mode='fs', backup_name='b1')
        self.assertFalse(_hits({'match_not': [{'mode': 'nova'},
                                              {'backup_name': 'b1'}]}, view))
        self.assertTrue(_hits({'match_not': [{'mode': 'nova'}]}, view))

    def test_keys_at_any_depth_any_occurrence(self):
        view = _view(options={'name': 'x', 'more': [{'name': 'y'},
                                                    {'name': 'z'}]})
        for value in ('x', 'y', 'z'):
            self.assertTrue(_hits({'match': [{'name': value}]}, view))
        self.assertFalse(_hits({'match': [{'name': 'w'}]}, view))
        self.assertTrue(_hits({'match': [{'max_retries': 5}]}, view))
        self.assertTrue(_hits({'match': [{'action_id': 'id1'}]}, view))

    def test_dotted_key_is_one_exact_path(self):
        view = _view(mode='fs', nested={'mode': 'nova'})
        self.assertTrue(_hits({'match': [{'freezer_action.mode': 'fs'}]},
                              view))
        self.assertFalse(_hits({'match': [{'freezer_action.mode': 'nova'}]},
                               view))
        self.assertTrue(_hits(
            {'match': [{'freezer_action.nested.mode': 'nova'}]}, view))
        self.assertFalse(_hits({'match': [{'nested.mode': 'nova'}]}, view))

    def test_strict_json_equality(self):
        view = _view(level=10, flag=True, ratio=1.0, tags=['a', 'b'],
                     opts={'x': 1})
        cases = [({'level': 10}, True), ({'level': '10'}, False),
                 ({'level': 10.0}, True), ({'flag': True}, True),
                 ({'flag': 1}, False), ({'ratio': 1}, True),
                 ({'tags': ['a', 'b']}, True), ({'tags': 'a'}, False),
                 ({'tags': ['b', 'a']}, False), ({'opts': {'x': 1.0}}, True),
                 ({'opts': {}}, False), ({'level': None}, False)]
        for pair, expected in cases:
            self.assertEqual(expected, _hits({'match': [pair]}, view), pair)

    def test_all_as_json_list_joins_the_terms(self):
        view = _view(mode='fs', backup_name='b1')
        text = json.dumps([{'mode': 'fs'}, {'backup_name': 'b1'}])
        parsed = search.parse({'match': [{'_all': text}]})
        self.assertEqual({('key', 'mode'), ('key', 'backup_name')},
                         {(t.kind, t.name) for t in parsed.match})
        self.assertTrue(search.matches(parsed, view))
        self.assertFalse(_hits({'match': [{'_all': text},
                                          {'mode': 'nova'}]}, view))
        self.assertFalse(_hits({'match_not': [{'_all': text}]}, view))

    def test_all_as_free_text_is_a_case_insensitive_substring(self):
        view = _view(backup_name='Nightly-ETC', path_to_backup='/etc',
                     label='バックアップ😀')
        for text in ('nightly', 'ETC', 'ly-e', '/et', 'アップ😀', ''):
            self.assertTrue(_hits({'match': [{'_all': text}]}, view), text)
        for text in ('weekly', 'nightly etc', 'backup_name'):
            self.assertFalse(_hits({'match': [{'_all': text}]}, view), text)

    def test_all_free_text_folds_with_casefold(self):
        view = _view(backup_name='Straße')
        for text in ('STRASSE', 'strasse', 'straße', 'STRAẞE'):
            self.assertTrue(_hits({'match': [{'_all': text}]}, view), text)
        self.assertEqual('strasse', search.fold_text('STRASSE'))

    def test_all_free_text_skips_the_owner_fields(self):
        view = dict(_view(backup_name='b1'), project_id='zeta',
                    user_id='omega')
        for text in ('zeta', 'omega'):
            self.assertFalse(_hits({'match': [{'_all': text}]}, view), text)
        self.assertEqual({'id1', 'backup', 'b1'}, search.text_values(view))
        # Key terms still see them.
        self.assertTrue(_hits({'match': [{'project_id': 'zeta'}]}, view))
        self.assertTrue(_hits({'match': [{'user_id': 'omega'}]}, view))

    def test_all_never_drops_other_terms(self):
        view = _view(backup_name='b1', mode='fs')
        self.assertFalse(_hits({'match': [{'_all': 'b1', 'mode': 'nova'}]},
                               view))
        self.assertTrue(_hits({'match': [{'_all': 'b1', 'mode': 'fs'}]},
                              view))

    def test_all_that_is_json_but_not_a_list_of_objects_is_text(self):
        view = _view(note='[1, 2]', n=5)
        self.assertTrue(_hits({'match': [{'_all': '[1, 2]'}]}, view))
        self.assertFalse(_hits({'match': [{'_all': '5'}]}, view))
