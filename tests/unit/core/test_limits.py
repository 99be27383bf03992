"""Request limits in the core (freezer_core.limits): each limit refuses
one past it with the domain's error naming the limit, and accepts the
value at it."""

import json

import testtools

from freezer_core import actions
from freezer_core import errors
from freezer_core import jsondoc
from freezer_core import limits
from freezer_core import search

# 24 characters: the longest top-level key, max_retries_interval (20),
# is a key like any other.
SMALL = limits.Limits(max_json_depth=4, max_string_length=24,
                      max_action_keys=3, max_search_terms=2)


def _agent(**keys):
    keys.setdefault('action', 'backup')
    return {'freezer_action': keys}


def _nested(levels):
    """A JSON text of ``levels`` nested arrays."""
    return '[' * levels + ']' * levels


class TestDefaults(testtools.TestCase):

    def test_defaults_are_the_documented_values(self):
        self.assertEqual(limits.Limits(64, limits.NO_LIMIT,
                                       limits.NO_LIMIT, 32), limits.DEFAULT)
        self.assertEqual(jsondoc.MAX_DEPTH, limits.DEFAULT.max_json_depth)


class TestJsonDepth(testtools.TestCase):

    def test_depth_at_the_limit_is_read(self):
        self.assertEqual([[[[]]]], jsondoc.loads(_nested(4), max_depth=4))

    def test_one_level_deeper_is_malformed_naming_the_limit(self):
        error = self.assertRaises(errors.MalformedJSON, jsondoc.loads,
                                  _nested(5), max_depth=4)
        self.assertIn('deeper than 4 levels', error.description)
        self.assertIn('max_json_depth', error.description)

    def test_default_depth_is_64(self):
        jsondoc.loads(_nested(64))
        self.assertRaises(errors.MalformedJSON, jsondoc.loads, _nested(65))

    def test_search_parameter_depth_follows_the_limit(self):
        text = json.dumps({'match': [{'a': [[[1]]]}]})
        self.assertEqual(1, len(search.parse_param(text).match))
        error = self.assertRaises(errors.InvalidParameter,
                                  search.parse_param, text, max_depth=4)
        self.assertIn('max_json_depth', error.description)


class TestStringLength(testtools.TestCase):

    def test_value_at_the_limit_is_valid(self):
        document = actions.validate_create(_agent(path='x' * 24), SMALL)
        self.assertEqual('x' * 24, document['freezer_action']['path'])

    def test_longer_value_is_refused_with_its_path(self):
        error = self.assertRaises(errors.ValidationError,
                                  actions.validate_create,
                                  _agent(tags=['ok', 'y' * 25]), SMALL)
        self.assertEqual('freezer_action.tags[1]', error.path)
        self.assertIn('max_string_length', error.description)
        self.assertIn('at most 24 characters', error.description)

    def test_longer_key_is_refused(self):
        body = _agent()
        body['freezer_action']['k' * 25] = 1
        error = self.assertRaises(errors.ValidationError,
                                  actions.validate_create, body, SMALL)
        self.assertIn('max_string_length', error.description)

    def test_default_sets_no_length(self):
        # The body size bounds strings by default (spec, "Errors").
        created = actions.validate_create(_agent(path='x' * (200 * 1024)))
        self.assertEqual(200 * 1024, len(created['freezer_action']['path']))

    def test_replace_and_patch_apply_it(self):
        self.assertRaises(errors.ValidationError, actions.validate_replace,
                          _agent(path='x' * 25), SMALL)
        current = actions.validate_create(_agent())
        error = self.assertRaises(errors.ValidationError,
                                  actions.merge_patch, current,
                                  {'freezer_action': {'path': 'x' * 25}},
                                  SMALL)
        self.assertEqual('freezer_action.path', error.path)


class TestActionKeys(testtools.TestCase):

    def test_keys_at_the_limit_are_valid(self):
        document = actions.validate_create(_agent(a=1, b=2), SMALL)
        self.assertEqual(3, len(document['freezer_action']))

    def test_more_keys_are_refused_naming_the_limit(self):
        error = self.assertRaises(errors.ValidationError,
                                  actions.validate_create,
                                  _agent(a=1, b=2, c=3), SMALL)
        self.assertEqual('freezer_action', error.path)
        self.assertIn('4 keys, more than the 3 allowed',
                      error.description)
        self.assertIn('max_action_keys', error.description)

    def test_patch_counts_the_merged_keys(self):
        current = actions.validate_create(_agent(a=1, b=2), SMALL)
        self.assertRaises(errors.ValidationError, actions.merge_patch,
                          current, {'freezer_action': {'c': 3}}, SMALL)
        # Removing one key while adding another stays within the limit.
        merged = actions.merge_patch(
            current, {'freezer_action': {'a': None, 'c': 3}}, SMALL)
        self.assertEqual({'action': 'backup', 'b': 2, 'c': 3},
                         merged['freezer_action'])

    def test_default_sets_no_count(self):
        keys = {'k%d' % n: n for n in range(5000)}
        created = actions.validate_create(_agent(**keys))
        self.assertEqual(5001, len(created['freezer_action']))


class TestSearchTerms(testtools.TestCase):

    def test_terms_at_the_limit_parse(self):
        parsed = search.parse({'match': [{'a': 1}], 'match_not': [{'b': 2}]},
                              max_terms=2)
        self.assertEqual(2, len(parsed.match) + len(parsed.match_not))

    def test_more_terms_are_refused_naming_the_limit(self):
        error = self.assertRaises(
            errors.SearchError, search.parse,
            {'match': [{'a': 1, 'b': 2}], 'match_not': [{'c': 3}]},
            max_terms=2)
        self.assertIn('3 terms, more than the 2 allowed', error.description)
        self.assertIn('max_search_terms', error.description)

    def test_expanded_all_lists_count(self):
        text = json.dumps([{'a': 1}, {'b': 2}, {'c': 3}])
        self.assertRaises(errors.SearchError, search.parse,
                          {'match': [{'_all': text}]}, max_terms=2)

    def test_parameter_form_applies_it(self):
        text = json.dumps({'match': [{'a': 1}, {'b': 2}, {'c': 3}]})
        self.assertRaises(errors.SearchError, search.parse_param, text,
                          max_terms=2)

    def test_default_allows_32_terms(self):
        pairs = [{'k%d' % n: n} for n in range(32)]
        self.assertEqual(32, len(search.parse({'match': pairs}).match))
        self.assertRaises(errors.SearchError, search.parse,
                          {'match': pairs + [{'x': 1}]})
