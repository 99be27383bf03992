"""One validator for every resource: JSON Schema errors as path + rule.

Each resource (actions, clients, jobs, sessions, backups) describes its
document as a JSON Schema (``freezer_core.schemas``) and checks it here,
so that every 400 a document earns reads the same way (spec
``actions.md``, "Errors": the description names the field and the rule)::

    $.freezer_action.mode: 'tape' is not one of fs, ..., null (rule: enum).

and carries the same facts as attributes
(:class:`freezer_core.errors.ValidationError`): ``path``
(``'freezer_action.mode'``, without the ``$``), ``rule`` (``'enum'``) and
``detail`` (the sentence alone). :func:`errors` lists every fault of a
document (the offline linter prints them all); :func:`validate` raises the
first (the API answers with one).

The rules every resource shares live here too (spec ``actions.md``, "The
action document" and "Errors"): a document is a JSON object
(:func:`require_object`); server fields are ignored when sent
(:func:`without`); no string or key holds a NUL character
(:func:`nul_errors`); no string or key is longer than
``limits.max_string_length`` (:func:`length_errors`); an unknown top-level
key is refused by naming it (``additionalProperties: false`` in a schema,
worded with the schema's ``title``). :func:`check` runs all of them.
"""

import uuid

import jsonschema

from freezer_core import errors as errors_mod
from freezer_core import limits as limits_mod

# Longest repr of a value quoted in a message.
_MAX_SHOWN = 120

# Compiled validators by id(schema); the schema is kept with its
# validator so that its id cannot be reused by another dict.
_VALIDATORS = {}


def new_id():
    """Generate a server id: 32 lowercase hex characters (uuid4).

    The form of every generated id (``action_id``, a client's ``uuid``,
    ``backup_id``; spec ``actions.md``, ``clients.md``, ``backups.md``).

    :returns: str.
    """
    return uuid.uuid4().hex


def join(prefix, parts=()):
    """Build the ``path`` of a value: a JSON path without the ``$``.

    :param prefix: str, the path of the checked document inside a larger
        one, with or without a trailing dot (``'job_actions[2].'``), or
        ``''``.
    :param parts: iterable of keys (str) and list indexes (int) below the
        checked document.
    :returns: str such as ``'job_actions[2].freezer_action.mode'``, or None
        for the whole (outermost) document.
    """
    path = prefix.rstrip('.')
    for part in parts:
        if isinstance(part, int):
            path += '[%d]' % part
        else:
            path += ('.' if path else '') + str(part)
    return path or None


def label(path):
    """Show a path as the API writes it in descriptions.

    :param path: str or None, as :func:`join` returns.
    :returns: str: ``'$'`` for None, ``'$.a.b'``, or ``'$[1].a'``.
    """
    if not path:
        return '$'
    return '$' + path if path.startswith('[') else '$.' + path


def error(path, detail, rule, show_path=True, limit=None):
    """Build a document error.

    :param path: str or None (see :func:`join`).
    :param detail: str, the sentence without path and rule, e.g.
        ``"'tape' is not one of fs, swift"``.
    :param rule: str, the failed rule (JSON Schema keyword or domain
        rule name).
    :param show_path: bool; False leaves the path out of the description
        (the whole-document sentences that name the document instead).
    :param limit: str or None, the :class:`freezer_core.limits.Limits`
        field (also the ``[api]`` option) that refused the value.
    :returns: :class:`freezer_core.errors.ValidationError` with the
        description ``'$.PATH: DETAIL (rule: RULE).'``, or ``'... (rule:
        RULE; limit: LIMIT).'``.
    """
    if limit is None:
        text = '%s (rule: %s).' % (detail, rule)
    else:
        text = '%s (rule: %s; limit: %s).' % (detail, rule, limit)
    if show_path:
        text = '%s: %s' % (label(path), text)
    return errors_mod.ValidationError(text, path=path, rule=rule,
                                      detail=detail)


def shown(value):
    """Quote a value for a message: its repr, cut after 120 characters.

    :param value: any decoded JSON value.
    :returns: str.
    """
    text = repr(value)
    if len(text) > _MAX_SHOWN:
        text = text[:_MAX_SHOWN] + '...'
    return text


def json_type(value):
    """Name the JSON type of a value for a message.

    :param value: any decoded JSON value.
    :returns: str: ``'null'``, ``'a boolean'``, ``'a number'``,
        ``'a string'``, ``'an array'`` or ``'an object'``.
    """
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'a boolean'
    if isinstance(value, (int, float)):
        return 'a number'
    if isinstance(value, str):
        return 'a string'
    if isinstance(value, list):
        return 'an array'
    return 'an object'


def _enum_value(value):
    if value is None:
        return 'null'
    return value if isinstance(value, str) else repr(value)


def _validator(schema):
    entry = _VALIDATORS.get(id(schema))
    if entry is None or entry[0] is not schema:
        cls = jsonschema.validators.validator_for(
            schema, default=jsonschema.Draft202012Validator)
        cls.check_schema(schema)
        entry = (schema, cls(schema))
        _VALIDATORS[id(schema)] = entry
    return entry[1]


def _resolved(failure):
    if failure.context:
        # anyOf/oneOf: the branch jsonschema finds most relevant says more
        # than "not valid under any of the given schemas".
        return jsonschema.exceptions.best_match([failure])
    return failure


def _from_schema(failure, prefix):
    path = join(prefix, failure.absolute_path)
    rule = failure.validator
    if rule == 'additionalProperties':
        allowed = set(failure.schema.get('properties', {}))
        unknown = sorted(k for k in failure.instance if k not in allowed)
        title = failure.schema.get('title', 'object')
        return error(path, 'Unknown field %s in the %s' % (
            ', '.join(repr(k) for k in unknown), title), rule,
            show_path=path is not None)
    if rule == 'required':
        return error(path, failure.message, rule)
    if rule == 'enum':
        return error(path, '%s is not one of %s' % (
            shown(failure.instance),
            ', '.join(_enum_value(v) for v in failure.validator_value)),
            rule)
    if rule == 'type':
        types = failure.validator_value
        if isinstance(types, str):
            types = [types]
        return error(path, '%s is not of type %s' % (
            shown(failure.instance), ' or '.join(types)), rule)
    return error(path, '%s does not satisfy %s %s' % (
        shown(failure.instance), rule, shown(failure.validator_value)),
        rule)


def _order(found):
    """Sort ``(parts, error)`` pairs; return the errors.

    Shallower first (as jsonschema's best_match prefers, so the first
    error stays the one the API always answered with), then by path;
    the sort is stable, so faults at one path keep their order.
    """
    def key(pair):
        parts = pair[0]
        return len(parts), [(isinstance(p, str), p) for p in parts]
    return [problem for _, problem in sorted(found, key=key)]


def errors(schema, document, prefix=''):
    """Every JSON Schema fault of a document, as validation errors.

    :param schema: dict, a JSON Schema (Draft 2020-12 unless it names
        another ``$schema``); compiled once and cached.
    :param document: the decoded JSON value to check.
    :param prefix: str, the path of ``document`` inside a larger document
        (``'job_actions[2].'``), prefixed to every ``path``.
    :returns: list of :class:`freezer_core.errors.ValidationError`, empty
        when the document is valid; sorted by path, shallower paths first
        (faults at the same path: jsonschema's most relevant first). Each
        has ``path``, ``rule`` (the JSON Schema keyword) and a description
        of the API's form, ``$.PATH: DETAIL (rule: RULE).``; an unknown
        key reads ``Unknown field 'k' in the TITLE (rule:
        additionalProperties).``, TITLE being the schema's ``title``
        (the ``$.PATH:`` part only below the top).
    :raises jsonschema.exceptions.SchemaError: the schema itself is
        invalid (a programming error).
    """
    found = map(_resolved, _validator(schema).iter_errors(document))
    relevant = sorted(found, key=jsonschema.exceptions.relevance,
                      reverse=True)
    return _order((tuple(failure.absolute_path),
                   _from_schema(failure, prefix)) for failure in relevant)


def validate(schema, document, prefix=''):
    """Check a document against a schema; raise its first fault.

    :param schema: dict, a JSON Schema.
    :param document: the decoded JSON value.
    :param prefix: str, as in :func:`errors`.
    :returns: None.
    :raises freezer_core.errors.ValidationError: the first of
        :func:`errors`.
    """
    raise_first(errors(schema, document, prefix))


def raise_first(problems):
    """Raise the first of a list of validation errors, if any.

    :param problems: list of :class:`freezer_core.errors.ValidationError`.
    :returns: None when the list is empty.
    :raises freezer_core.errors.ValidationError: ``problems[0]``.
    """
    if problems:
        raise problems[0]


def _walk(value, parts=()):
    """Yield ``(parts, kind, text)`` for every string value and key.

    ``kind`` is ``'value'`` or ``'key'``; iterative, so a wide document
    costs no frame per value (the depth is bounded by jsondoc already).
    """
    stack = [(value, parts)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            yield where, 'value', node
        elif isinstance(node, dict):
            for key, item in node.items():
                yield where + (key,), 'key', key
                stack.append((item, where + (key,)))
        elif isinstance(node, list):
            stack.extend((item, where + (index,))
                         for index, item in enumerate(node))


def nul_errors(document, prefix=''):
    """Every string or key holding a NUL character (spec, "Errors":
    PostgreSQL cannot store them).

    :param document: the decoded JSON value.
    :param prefix: str, as in :func:`errors`.
    :returns: list of :class:`freezer_core.errors.ValidationError` with
        rule ``no-nul``, sorted as :func:`errors`; a key at fault is the
        last part of its path.
    """
    return _order(
        (parts, error(join(prefix, parts), 'strings must not contain the '
                      'NUL character', 'no-nul'))
        for parts, _, text in _walk(document) if '\x00' in text)


def length_errors(document, max_length, prefix=''):
    """Every string or key longer than ``max_length`` characters.

    :param document: the decoded JSON value.
    :param max_length: int, characters (``limits.max_string_length``).
    :param prefix: str, as in :func:`errors`.
    :returns: list of :class:`freezer_core.errors.ValidationError` with
        rule ``maxLength``, sorted as :func:`errors`; a key at fault is
        shown cut to 40 characters in its path.
    """
    found = []
    if max_length >= limits_mod.NO_LIMIT:
        # No string can be longer (the default): skip the walk.
        return found
    for parts, kind, text in _walk(document):
        if len(text) <= max_length:
            continue
        if kind == 'key':
            parts = parts[:-1] + (text[:40] + '...',)
        found.append((parts, error(
            join(prefix, parts),
            'strings and keys may hold at most %d characters' % max_length,
            'maxLength', limit='max_string_length')))
    return _order(found)


def check(schema, document, limits=limits_mod.DEFAULT, prefix=''):
    """Every fault of a document under the rules all resources share.

    In the order the API reports them: NUL characters
    (:func:`nul_errors`), then over-long strings (:func:`length_errors`),
    then the schema (:func:`errors`).

    :param schema: dict, the resource's JSON Schema.
    :param document: the decoded JSON value (server fields already
        removed).
    :param limits: :class:`freezer_core.limits.Limits`; its
        ``max_string_length`` applies.
    :param prefix: str, as in :func:`errors`.
    :returns: list of :class:`freezer_core.errors.ValidationError`.
    """
    return (nul_errors(document, prefix)
            + length_errors(document, limits.max_string_length, prefix)
            + errors(schema, document, prefix))


def require_object(body, what, prefix=''):
    """Refuse a document that is not a JSON object.

    :param body: the decoded JSON value.
    :param what: str naming the document, e.g. ``'action document'``.
    :param prefix: str, as in :func:`errors`.
    :returns: None.
    :raises freezer_core.errors.ValidationError: rule ``type``, e.g.
        ``'The action document must be a JSON object, not a number (rule:
        type).'`` (prefixed with its ``$.PATH: `` when ``prefix`` is
        given).
    """
    if not isinstance(body, dict):
        path = join(prefix)
        raise error(path, 'The %s must be a JSON object, not %s' % (
            what, json_type(body)), 'type', show_path=path is not None)


def without(body, keys):
    """A copy of an object without some keys (server fields are ignored
    when a client sends them, so a GET answer can be sent back; spec
    ``actions.md``, "The action document").

    :param body: dict.
    :param keys: iterable of str.
    :returns: dict, a shallow copy of ``body`` minus ``keys``, key order
        kept.
    """
    drop = set(keys)
    return {k: v for k, v in body.items() if k not in drop}
