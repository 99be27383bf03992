"""The search document: parsing, index entries and the in-memory matcher.

Semantics (spec ``actions.md``, "Listing, search and pagination"):

* ``{"match": [{key: value, ...}, ...], "match_not": [...]}``; every pair
  in ``match`` must hold (AND); an item is dropped when any pair in
  ``match_not`` holds;
* a plain key holds when a field of that name, at any depth of the
  :func:`freezer_core.actions.search_view` (lists of objects included),
  JSON-equals the value (:func:`freezer_core.jsondoc.canonical`);
* a dotted key (``freezer_action.mode``) names one exact path of object
  keys from the top of the view; list levels on the way are crossed
  without an index, so any element may hold it;
* ``_all`` holds a string: a JSON list of objects adds its pairs to the
  same side (``match`` or ``match_not``); any other string (a JSON object
  included) is free text, a substring, after Unicode case folding
  (:func:`fold_text`), of any string value of the view but those of the
  owner fields :data:`OWNER_FIELDS`.

The SQL answer (:mod:`freezer_core.storage`) is computed from the same
:func:`index_entries` and :func:`text_values`, and a property test checks
that it equals :func:`matches` for generated documents and searches.
"""

import collections
import json

from freezer_core import errors
from freezer_core import jsondoc
from freezer_core import limits

#: One condition: ``kind`` is ``'key'``, ``'path'`` or ``'text'``;
#: ``name`` the key or dotted path (None for text); ``value`` the
#: canonical JSON text of the value, or the lower-cased free text.
Term = collections.namedtuple('Term', ['kind', 'name', 'value'])


class Search(collections.namedtuple('Search', ['match', 'match_not'])):
    """A parsed search: two tuples of :class:`Term`.

    ``match`` terms must all hold; an item is excluded when any
    ``match_not`` term holds. An empty search filters nothing.
    """

    __slots__ = ()

    def __bool__(self):
        return bool(self.match or self.match_not)


#: The search that filters nothing.
EMPTY = Search((), ())

_SIDES = ('match', 'match_not')


#: Top-level fields of the view that free text does not search: every
#: item of a project shares them, so a project's name or a user's id
#: would match everything (spec, "Rules every resource shares"). Key
#: and path terms still match them.
OWNER_FIELDS = frozenset(['project_id', 'user_id'])


def fold_text(text):
    """Case-fold a string for free-text matching.

    :param text: str.
    :returns: str, folded with :meth:`str.casefold` (Unicode case
        folding: ``'Straße'`` and ``'STRASSE'`` both give
        ``'strasse'``); the one folding used for both the stored values
        and the searched text.
    """
    return text.casefold()


def _all_pairs(text):
    """Return the pairs of ``_all`` when it is a JSON list of objects."""
    try:
        value = jsondoc.loads(text)
    except errors.MalformedJSON:
        return None
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return [pair for obj in value for pair in obj.items()]
    return None


def _has_nul(value):
    if isinstance(value, str):
        return '\x00' in value
    if isinstance(value, dict):
        return any('\x00' in k or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _terms(side, pairs, expand_all):
    terms = []
    for key, value in pairs:
        if _has_nul(key) or _has_nul(value):
            # No stored string holds NUL (documents refuse it), and
            # PostgreSQL cannot even compare with one.
            raise errors.SearchError(
                '%s: search keys and values must not contain the NUL '
                'character.' % side, side)
        if key == '_all':
            if not isinstance(value, str):
                raise errors.SearchError(
                    '%s: the value of "_all" must be a string, not %s.' % (
                        side, json.dumps(value)[:80]), side)
            inner = _all_pairs(value) if expand_all else None
            if inner is not None:
                terms.extend(_terms(side, inner, expand_all=False))
            else:
                terms.append(Term('text', None, fold_text(value)))
        elif '.' in key:
            terms.append(Term('path', key, jsondoc.canonical(value)))
        else:
            terms.append(Term('key', key, jsondoc.canonical(value)))
    return terms


def parse(document, max_terms=limits.MAX_SEARCH_TERMS):
    """Parse a search document.

    Semantics: the module docstring (spec ``actions.md``, "Listing, search
    and pagination"). For example ``parse({'match': [{'mode': 'mysql'},
    {'_all': 'ETC'}]})`` gives ``match`` terms ``Term('key', 'mode',
    '"mysql"')`` and ``Term('text', None, 'etc')``.

    :param document: the decoded search body: None or ``{}`` (no filter),
        or a dict whose only keys are ``match`` and ``match_not``, each a
        list of objects.
    :param max_terms: int, most terms allowed, both sides together,
        after ``_all`` lists are expanded (``[api] max_search_terms`` in
        the API, :mod:`freezer_core.limits`).
    :returns: :class:`Search`.
    :raises errors.SearchError: any other shape (``match`` not a list, an
        item not an object, an unknown top-level key, a non-string
        ``_all``, a NUL character in a key or value), or more than
        ``max_terms`` terms (the description names the limit
        ``max_search_terms``), naming what is wrong; ``path`` is ``'$'``,
        ``'match'`` or ``'match_not'``.
    """
    if document is None:
        return EMPTY
    if not isinstance(document, dict):
        raise errors.SearchError(
            'The search document must be a JSON object with "match" '
            'and/or "match_not" lists.', '$')
    unknown = sorted(k for k in document if k not in _SIDES)
    if unknown:
        raise errors.SearchError(
            'Unknown key %s in the search document; only "match" and '
            '"match_not" are allowed.' % ', '.join(
                json.dumps(k) for k in unknown), '$')
    sides = {}
    for side in _SIDES:
        items = document.get(side, [])
        if not isinstance(items, list):
            raise errors.SearchError(
                '"%s" must be a list of objects.' % side, side)
        pairs = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise errors.SearchError(
                    '"%s"[%d] must be an object of key/value pairs.' % (
                        side, index), side)
            pairs.extend(item.items())
        sides[side] = tuple(_terms(side, pairs, expand_all=True))
    count = len(sides['match']) + len(sides['match_not'])
    if count > max_terms:
        raise errors.SearchError(
            'The search has %d terms, more than the %d allowed (limit: '
            'max_search_terms).' % (count, max_terms), '$')
    return Search(sides['match'], sides['match_not'])


def load_param(text, max_depth=limits.MAX_JSON_DEPTH):
    """Decode the ``search`` query parameter (a JSON string).

    :param text: str, the parameter's value; empty means no filter.
    :param max_depth: int, deepest nesting of the JSON (as
        :func:`freezer_core.jsondoc.loads`).
    :returns: None for an empty value, else the decoded document, for
        :func:`parse` (backups take their time keys out first:
        :func:`freezer_core.backups.parse_search`).
    :raises errors.InvalidParameter: the value is not strict JSON.
    :raises errors.SearchError: the JSON is ``null`` (only an empty value
        means no filter).
    """
    if not text.strip():
        return None
    try:
        document = jsondoc.loads(text, max_depth=max_depth)
    except errors.MalformedJSON as exc:
        raise errors.InvalidParameter(
            'Query parameter "search" is not valid JSON: %s' %
            exc.description, 'search')
    if document is None:
        raise errors.SearchError(
            'Query parameter "search" must be a JSON object, not null.',
            'search')
    return document


def parse_param(text, max_terms=limits.MAX_SEARCH_TERMS,
                max_depth=limits.MAX_JSON_DEPTH):
    """Parse the ``search`` query parameter (a JSON string).

    :param text: str, the parameter's value; empty means no filter.
    :param max_terms: int, as for :func:`parse`.
    :param max_depth: int, deepest nesting of the JSON (as
        :func:`freezer_core.jsondoc.loads`).
    :returns: :class:`Search`.
    :raises errors.InvalidParameter: the value is not strict JSON.
    :raises errors.SearchError: the JSON is not a valid search document
        (``null`` included: only an empty value means no filter), or has
        more than ``max_terms`` terms.
    """
    return parse(load_param(text, max_depth), max_terms)


_encode_string = json.encoder.encode_basestring


def _number(value):
    """The canonical text of a number, as :func:`jsondoc.canonical`
    writes it (an integral float loses its fraction)."""
    if isinstance(value, float):
        if value.is_integer():
            value = int(value)
        elif value != value or value in (float('inf'), float('-inf')):
            raise ValueError('Out of range float values are not JSON '
                             'compliant: %r' % value)
        else:
            return float.__repr__(value)
    return int.__repr__(value)


def _walk(value, path, entries, texts):
    """Add a value's index entries and folded strings; return its
    canonical text.

    One pass: the canonical text of an object or list is built from its
    members' (equal to :func:`freezer_core.jsondoc.canonical`, which a
    test checks), so each value is encoded once however deep it sits,
    where encoding every member's subtree again cost most of a large
    document's write (issue 20).

    :param texts: the set the folded strings go to, or None (under an
        owner field).
    """
    if isinstance(value, str):
        if texts is not None:
            texts.add(fold_text(value))
        return _encode_string(value)
    if isinstance(value, dict):
        members = []
        for key, item in value.items():
            child = key if path is None else path + '.' + key
            owner = path is None and key in OWNER_FIELDS
            kind = type(item)
            if kind is str:
                # The leaves, most of a large document, without a call.
                if not owner and texts is not None:
                    texts.add(fold_text(item))
                canon = _encode_string(item)
            elif kind is int:
                canon = int.__repr__(item)
            else:
                canon = _walk(item, child, entries,
                              None if owner else texts)
            entries.add(('key', key, canon))
            if path is not None:
                entries.add(('path', child, canon))
            members.append((key, canon))
        # Keys are unique: the sort is by key, as json's sort_keys.
        members.sort()
        return '{%s}' % ','.join(_encode_string(key) + ':' + canon
                                 for key, canon in members)
    if isinstance(value, list):
        return '[%s]' % ','.join([_walk(item, path, entries, texts)
                                  for item in value])
    if value is None:
        return 'null'
    if value is True:
        return 'true'
    if value is False:
        return 'false'
    if isinstance(value, (int, float)):
        return _number(value)
    raise TypeError('not a JSON value: %r' % type(value))


def view_index(view):
    """Everything a document offers to search, in one pass: the union of
    :func:`index_entries` and :func:`text_values`.

    :param view: dict, a :func:`freezer_core.actions.search_view`.
    :returns: ``(entries, texts)``: a set of ``(kind, name, canonical
        value)`` triples and a set of folded str.
    :raises TypeError: a value is not JSON-compatible.
    :raises ValueError: a float is ``NaN`` or infinite.
    """
    entries, texts = set(), set()
    _walk(view, None, entries, texts)
    return entries, texts


def index_entries(view):
    """List what a document offers to key and path terms.

    :param view: dict, a :func:`freezer_core.actions.search_view`.
    :returns: set of ``(kind, name, canonical value)`` triples: a
        ``('key', key, value)`` for every object member at any depth, and a
        ``('path', dotted path, value)`` for every member below the top;
        each value is :func:`freezer_core.jsondoc.canonical` of the
        member's value.
    """
    return view_index(view)[0]


def text_values(view):
    """List the case-folded string values of a document, for free text.

    :param view: dict, a :func:`freezer_core.actions.search_view`.
    :returns: set of str (values only, never keys; list items included;
        not the values of :data:`OWNER_FIELDS`).
    """
    return view_index(view)[1]


def _holds(term, entries, texts):
    if term.kind == 'text':
        return any(term.value in text for text in texts)
    return (term.kind, term.name, term.value) in entries


def matches(search, view):
    """Decide in memory whether a document satisfies a search.

    The reference semantics of search (module docstring; spec, "Listing,
    search and pagination"): the SQL answer of
    :meth:`freezer_core.storage.actions.ActionRepository.list` must equal
    it, which tests/functional/storage/test_search_property.py checks.

    :param search: :class:`Search`.
    :param view: dict, a :func:`freezer_core.actions.search_view` of a
        record.
    :returns: bool, True when every ``match`` term holds and no
        ``match_not`` term does (always True for :data:`EMPTY`).
    """
    entries, texts = view_index(view)
    if not all(_holds(t, entries, texts) for t in search.match):
        return False
    return not any(_holds(t, entries, texts) for t in search.match_not)
