"""Property tests of the core's edges: whatever a client sends, the core
either accepts it or refuses it with its own error, never anything else
(issue 8; spec ``actions.md``, "Errors": never a 500).

* any JSON value given to ``validate_create``, ``validate_replace`` or
  ``merge_patch`` is accepted or raises :class:`errors.ValidationError`;
* any JSON value given to ``search.parse``, and any text given to
  ``search.parse_param``, parses or raises :class:`errors.SearchError` /
  :class:`errors.InvalidParameter`;
* any bytes given to ``jsondoc.loads`` decode or raise
  :class:`errors.MalformedJSON`.

Accepted results are checked too: a validated document validates again
unchanged, a parsed search can be evaluated, decoded JSON re-encodes.
"""

import json

import hypothesis
from hypothesis import strategies as st
import testtools

from freezer_core import action_schema
from freezer_core import actions
from freezer_core import errors
from freezer_core import jsondoc
from freezer_core import limits
from freezer_core import search

SETTINGS = hypothesis.settings(max_examples=300, deadline=None)

# Keys and values the rules look at, mixed with arbitrary ones, so that
# generated documents reach deep into the schema rather than failing on
# the first unknown key.
KNOWN_KEYS = (sorted(action_schema.ACTION_SCHEMA['properties'])
              + ['action', 'mode', 'storage', 'backup_name', 'max_level',
                 'no_incremental', '_all', 'match', 'match_not',
                 'freezer_action.mode'])
KEYS = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=12))
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(['backup', 'restore', 'fs', 'mysql', 'swift', 'a\x00b',
                     '[{"mode": "fs"}]', '[', '']))
JSON = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(KEYS, children, max_size=5)),
    max_leaves=25)


def _agents():
    """freezer_action objects: valid actions with arbitrary extras."""
    return st.dictionaries(KEYS, JSON, max_size=6).map(
        lambda extra: dict(extra, action=extra.get('action', 'backup')))


DOCUMENTS = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {'freezer_action': st.one_of(_agents(), JSON)},
        optional={'max_retries': JSON, 'max_retries_interval': JSON,
                  'mandatory': JSON, 'action_id': JSON, '_version': JSON,
                  'project_id': JSON}))

SEARCHES = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {}, optional={
            'match': st.one_of(st.lists(st.dictionaries(KEYS, JSON,
                                                        max_size=3),
                                        max_size=4), JSON),
            'match_not': st.one_of(st.lists(st.dictionaries(KEYS, JSON,
                                                            max_size=3),
                                            max_size=4), JSON)}))

SMALL = limits.Limits(max_json_depth=3, max_string_length=8,
                      max_action_keys=2, max_search_terms=2)
LIMITS = st.sampled_from([limits.DEFAULT, SMALL])


def _view(document):
    view = actions.client_document(document)
    view.update(action_id='a', project_id='p', user_id='u')
    return view


class TestDocuments(testtools.TestCase):

    @SETTINGS
    @hypothesis.given(body=DOCUMENTS, limit=LIMITS)
    def test_create_accepts_or_raises_validation_error(self, body, limit):
        try:
            document = actions.validate_create(body, limit)
        except errors.ValidationError as exc:
            self.assertIsInstance(exc.description, str)
            self.assertIn('(rule: ', exc.description)
            return
        self.assertIsInstance(document['freezer_action'], dict)
        # Idempotent: what was accepted is accepted again, unchanged.
        self.assertEqual(document, actions.validate_create(document, limit))

    @SETTINGS
    @hypothesis.given(body=DOCUMENTS, limit=LIMITS)
    def test_replace_accepts_or_raises_validation_error(self, body, limit):
        try:
            document = actions.validate_replace(body, limit)
        except errors.ValidationError:
            return
        self.assertNotIn('action_id', document)

    @SETTINGS
    @hypothesis.given(patch=DOCUMENTS, limit=LIMITS)
    def test_merge_patch_accepts_or_raises_validation_error(self, patch,
                                                            limit):
        current = actions.validate_create(
            {'freezer_action': {'action': 'backup', 'mode': 'fs'}})
        try:
            merged = actions.merge_patch(current, patch, limit)
        except errors.ValidationError:
            return
        # The merged document is a valid document in its own right.
        self.assertEqual(merged, actions.validate_replace(merged, limit))
        self.assertEqual({'action': 'backup', 'mode': 'fs'},
                         current['freezer_action'])


class TestSearches(testtools.TestCase):

    @SETTINGS
    @hypothesis.given(document=SEARCHES, max_terms=st.sampled_from([2, 32]))
    def test_parse_accepts_or_raises_search_error(self, document,
                                                  max_terms):
        try:
            parsed = search.parse(document, max_terms=max_terms)
        except errors.SearchError as exc:
            self.assertIsInstance(exc.description, str)
            return
        self.assertLessEqual(len(parsed.match) + len(parsed.match_not),
                             max_terms)
        # A parsed search can always be evaluated.
        view = _view(actions.validate_create(
            {'freezer_action': {'action': 'backup'}}))
        self.assertIsInstance(search.matches(parsed, view), bool)

    @SETTINGS
    @hypothesis.given(text=st.one_of(
        st.text(max_size=60),
        SEARCHES.map(lambda d: json.dumps(d, allow_nan=False))))
    def test_parse_param_accepts_or_raises_search_or_parameter_error(
            self, text):
        try:
            search.parse_param(text, max_terms=32, max_depth=3)
        except (errors.SearchError, errors.InvalidParameter) as exc:
            self.assertIsInstance(exc.description, str)


class TestJsonBytes(testtools.TestCase):

    @SETTINGS
    @hypothesis.given(raw=st.one_of(
        st.binary(max_size=80),
        st.text(max_size=60).map(lambda t: t.encode('utf-8', 'replace')),
        JSON.map(lambda v: json.dumps(v).encode('utf-8')),
        # Near misses of JSON: one byte of a valid document changed.
        st.tuples(JSON.map(lambda v: json.dumps(v).encode('utf-8')),
                  st.integers(min_value=0), st.integers(0, 255)).map(
            lambda t: (t[0][:t[1] % (len(t[0]) + 1)] + bytes([t[2]])
                       + t[0][t[1] % (len(t[0]) + 1) + 1:]))),
        max_depth=st.sampled_from([1, 3, 64]))
    def test_loads_decodes_or_raises_malformed_json(self, raw, max_depth):
        try:
            value = jsondoc.loads(raw, max_depth=max_depth)
        except errors.MalformedJSON as exc:
            self.assertIsInstance(exc.description, str)
            return
        # What was decoded is plain JSON: it encodes and compares again.
        self.assertEqual(jsondoc.canonical(value),
                         jsondoc.canonical(json.loads(jsondoc.dumps(value))))


def _members(value, path=None):
    """Every object member below a value, as ``(key, dotted path, value)``
    (the definition of the index entries, written out the slow way)."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = key if path is None else path + '.' + key
            yield key, child, path is not None, item
            yield from _members(item, child)
    elif isinstance(value, list):
        for item in value:
            yield from _members(item, path)


def _strings(value):
    """Every string value below a value (not the keys)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


class TestIndexEntries(testtools.TestCase):
    """The single-pass index (issue 20 item 7) builds each member's
    canonical text from its children's; it must equal
    :func:`jsondoc.canonical` of the member, or a stored entry would no
    longer match the term a search computes from the same value."""

    @SETTINGS
    @hypothesis.given(value=JSON, key=KEYS)
    def test_entries_hold_the_canonical_text_of_every_member(self, value,
                                                             key):
        view = {'v': {key: value}, 'project_id': value, key: [value]}
        expected = set()
        for name, path, below, item in _members(view):
            expected.add(('key', name, jsondoc.canonical(item)))
            if below:
                expected.add(('path', path, jsondoc.canonical(item)))
        entries, texts = search.view_index(view)
        self.assertEqual(expected, entries)
        self.assertEqual(search.index_entries(view), entries)
        # Every string but those under the owner fields, folded.
        searched = {k: v for k, v in view.items()
                    if k not in search.OWNER_FIELDS}
        self.assertEqual({search.fold_text(text)
                          for text in _strings(searched)}, texts)
        self.assertEqual(search.text_values(view), texts)

    def test_numbers_are_written_as_canonical_writes_them(self):
        view = {'a': [1.0, -0.0, 1e300, 2.5, 10 ** 30, True, None, 'é"\n']}
        entries = search.index_entries(view)
        self.assertEqual(
            {('key', 'a', '[1,0,%d,2.5,%d,true,null,"é\\"\\n"]' % (
                int(1e300), 10 ** 30))}, entries)
        self.assertEqual(jsondoc.canonical(view['a']),
                         next(iter(entries))[2])
