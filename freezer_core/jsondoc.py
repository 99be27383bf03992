"""Strict JSON decoding and JSON equality for request documents.

Python's :mod:`json` is lenient: it accepts ``NaN``, ``Infinity`` and
duplicate keys, and it decodes any text. The spec ("Errors") requires all of
those to be rejected as malformed, so every request body goes through
:func:`loads` here.
"""

import hashlib
import json
import math

from freezer_core import errors

#: Deepest nesting of arrays/objects accepted in a body (spec, "Errors").
MAX_DEPTH = 64


def _reject_constant(name):
    raise errors.MalformedJSON('%s is not a JSON value.' % name)


#: Most digits accepted in a JSON integer (Python's own conversion limit).
MAX_INT_DIGITS = 4300


def _finite_float(text):
    # 1e400 overflows to infinity, the value the spec refuses as Infinity.
    value = float(text)
    if not math.isfinite(value):
        raise errors.MalformedJSON(
            'The number %s is out of range.' % text[:40])
    return value


def _bounded_int(text):
    if len(text.lstrip('-')) > MAX_INT_DIGITS:
        raise errors.MalformedJSON(
            'A number has more than %d digits.' % MAX_INT_DIGITS)
    return int(text)


def _unique_pairs(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise errors.MalformedJSON(
                'Duplicate key %s in a JSON object.' % json.dumps(key))
        obj[key] = value
    return obj


def _has_surrogate(text):
    try:
        text.encode('utf-8')
    except UnicodeEncodeError:
        return True
    return False


def _check_tree(value, max_depth):
    """Refuse nesting deeper than ``max_depth`` and lone surrogates.

    JSON's ``\\ud800`` escapes decode to lone UTF-16 surrogates, which are
    not Unicode text: no database can store them, so the body is refused
    as malformed like invalid UTF-8 bytes are.
    """
    # Iterative walk: a recursive one could itself run out of stack.
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if _has_surrogate(node):
                raise errors.MalformedJSON(
                    'A string holds a lone UTF-16 surrogate escape, which '
                    'is not Unicode text.')
            continue
        if isinstance(node, dict):
            for key in node:
                if _has_surrogate(key):
                    raise errors.MalformedJSON(
                        'A key holds a lone UTF-16 surrogate escape, which '
                        'is not Unicode text.')
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > max_depth:
            raise errors.MalformedJSON(
                'JSON nesting is deeper than %d levels (limit: '
                'max_json_depth).' % max_depth)
        stack.extend((child, depth + 1) for child in children)


def loads(raw, max_depth=MAX_DEPTH):
    """Decode a request body as strict JSON.

    The rules are the spec's (``actions.md``, "Errors": invalid UTF-8,
    duplicate keys, ``NaN``/``Infinity`` and nesting deeper than 64 levels
    are malformed); a byte order mark is refused too, as RFC 8259 forbids
    adding one (section 8.1).

    :param raw: the body as ``bytes`` (must be UTF-8) or ``str``.
    :param max_depth: deepest nesting of objects/arrays allowed (int,
        levels; the outermost object or array is level 1); the API passes
        ``[api] max_json_depth`` (:mod:`freezer_core.limits`).
    :returns: the decoded value (dict, list, str, int, float, bool or None);
        ``None`` is also returned for an empty or all-blank body, which
        callers treat as "no body".
    :raises errors.MalformedJSON: invalid UTF-8, invalid syntax, a
        duplicate key, ``NaN``/``Infinity``/``-Infinity``, a lone UTF-16
        surrogate escape in a string or key, a leading byte order mark,
        or nesting deeper than ``max_depth``; the description says which
        (and names the limit ``max_json_depth`` for the last).
    """
    if isinstance(raw, bytes):
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError:
            raise errors.MalformedJSON('The body is not valid UTF-8.')
    else:
        text = raw
    if text.startswith('\ufeff'):
        raise errors.MalformedJSON('A byte order mark is not allowed.')
    if not text.strip():
        return None
    try:
        value = json.loads(text, object_pairs_hook=_unique_pairs,
                           parse_constant=_reject_constant,
                           parse_float=_finite_float, parse_int=_bounded_int)
    except errors.MalformedJSON:
        raise
    except RecursionError:
        raise errors.MalformedJSON(
            'JSON nesting is deeper than %d levels (limit: '
            'max_json_depth).' % max_depth)
    except ValueError as exc:
        raise errors.MalformedJSON('The body is not valid JSON: %s.' % exc)
    _check_tree(value, max_depth)
    return value


def dumps(value):
    """Encode a value as compact JSON text, keeping key order and unicode.

    This is how the storage keeps ``freezer_action``, so that a document
    round-trips key for key (spec, "The action document").

    :param value: a JSON-compatible value.
    :returns: str, without insignificant whitespace; non-ASCII characters
        are kept as they are, not escaped.
    :raises ValueError: a float is ``NaN`` or infinite.
    :raises TypeError: a value is not JSON-compatible (e.g. a set).
    """
    return json.dumps(value, ensure_ascii=False, separators=(',', ':'),
                      allow_nan=False)


def _normalise(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    raise TypeError('not a JSON value: %r' % type(value))


def canonical(value):
    """Return the canonical text of a JSON value, for JSON equality.

    Two values are JSON-equal (spec: ``"10"`` != ``10``, ``true`` != ``1``,
    ``1`` == ``1.0``, objects and lists compared whole) exactly when their
    canonical texts are equal: object keys are sorted, integral numbers lose
    their fraction, booleans stay ``true``/``false``.

    :param value: a JSON-compatible value (dict, list/tuple, str, int,
        float, bool or None, nested).
    :returns: str; e.g. ``canonical({'b': 1.0, 'a': [True]})`` is
        ``'{"a":[true],"b":1}'``.
    :raises TypeError: a value is not JSON-compatible.
    :raises ValueError: a float is ``NaN`` or infinite.
    """
    return json.dumps(_normalise(value), ensure_ascii=False, sort_keys=True,
                      separators=(',', ':'), allow_nan=False)


#: Longest canonical text kept as is in an index entry; longer ones are
#: replaced by a digest so that index columns stay bounded.
INDEX_TEXT_MAX = 128


def index_key(text):
    """Bound a string for use as an indexed column value.

    Used by the storage's search index (``action_terms`` columns are 130
    characters, :mod:`freezer_core.storage.models`): equality lookups stay
    exact because equal inputs give equal outputs.

    :param text: any str (a canonical value, a key or a dotted path).
    :returns: ``text`` itself when it has at most :data:`INDEX_TEXT_MAX`
        characters and does not start with ``'#'``; else ``'#'`` followed
        by its SHA-256 hex digest (65 characters), so that a digest can
        never equal a kept text.
    """
    if len(text) <= INDEX_TEXT_MAX and not text.startswith('#'):
        return text
    return '#' + hashlib.sha256(text.encode('utf-8')).hexdigest()
