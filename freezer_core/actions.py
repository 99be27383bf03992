"""Rules of the action document: validation, defaults, merge and views.

The rules come from the spec ``actions.md`` ("The action document" and
"Writes"); the JSON Schema part is in :mod:`freezer_core.action_schema`.
A *client document* is what clients own: ``freezer_action``,
``max_retries``, ``max_retries_interval``, ``mandatory`` (and optionally
``action_id`` on create). A *record* is what the server returns: the
client document plus ``action_id``, ``project_id``, ``user_id``,
``_version``, ``created_at`` and ``updated_at``.
"""

import copy
import uuid

import jsonschema

from freezer_core import action_schema
from freezer_core import errors
from freezer_core import limits as limits_mod

_VALIDATOR = jsonschema.Draft202012Validator(action_schema.ACTION_SCHEMA)

#: Keys of a record, in the order they are rendered.
RECORD_KEYS = ('action_id', 'project_id', 'user_id', 'freezer_action',
               'max_retries', 'max_retries_interval', 'mandatory',
               '_version', 'created_at', 'updated_at')

_MAX_SHOWN = 120


def new_action_id():
    """Generate an action id: 32 lowercase hex characters (uuid4, spec).

    :returns: str.
    """
    return uuid.uuid4().hex


def _json_path(parts):
    path = '$'
    for part in parts:
        if isinstance(part, int):
            path += '[%d]' % part
        else:
            path += '.' + str(part)
    return path


def _shown(value):
    text = repr(value)
    if len(text) > _MAX_SHOWN:
        text = text[:_MAX_SHOWN] + '...'
    return text


def _find_nul(value, parts=()):
    """Return the path parts of the first string (or key) holding NUL."""
    if isinstance(value, str):
        return parts if '\x00' in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if '\x00' in key:
                return parts + (key,)
            found = _find_nul(item, parts + (key,))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_nul(item, parts + (index,))
            if found is not None:
                return found
    return None


def _schema_error(error):
    path = _json_path(error.absolute_path)
    if error.validator == 'additionalProperties':
        allowed = set(error.schema.get('properties', {}))
        unknown = sorted(k for k in error.instance if k not in allowed)
        return errors.ValidationError(
            'Unknown field %s in the action document (rule: '
            'additionalProperties).' % ', '.join(
                repr(k) for k in unknown), path)
    if error.validator == 'required':
        return errors.ValidationError(
            '%s: %s (rule: required).' % (path, error.message), path)
    if error.validator == 'enum':
        return errors.ValidationError(
            '%s: %s is not one of %s (rule: enum).' % (
                path, _shown(error.instance),
                ', '.join('null' if v is None else v
                          for v in error.validator_value)), path)
    if error.validator == 'type':
        types = error.validator_value
        if isinstance(types, str):
            types = [types]
        return errors.ValidationError(
            '%s: %s is not of type %s (rule: type).' % (
                path, _shown(error.instance), ' or '.join(types)), path)
    return errors.ValidationError(
        '%s: %s does not satisfy %s %s (rule: %s).' % (
            path, _shown(error.instance), error.validator,
            _shown(error.validator_value), error.validator), path)


def _find_long(value, max_length, parts=()):
    """Return the path parts of the first string (or key) too long."""
    # Iterative, like jsondoc's walk: the depth is bounded by then, but a
    # wide document should not cost a frame per value either.
    stack = [(value, parts)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            if len(node) > max_length:
                return where
        elif isinstance(node, dict):
            for key, item in node.items():
                if len(key) > max_length:
                    return where + (key[:40] + '...',)
                stack.append((item, where + (key,)))
        elif isinstance(node, list):
            stack.extend((item, where + (index,))
                         for index, item in enumerate(node))
    return None


def _check_limits(document, limits):
    long_at = _find_long(document, limits.max_string_length)
    if long_at is not None:
        path = _json_path(long_at)
        raise errors.ValidationError(
            '%s: strings and keys may hold at most %d characters (rule: '
            'maxLength; limit: max_string_length).' % (
                path, limits.max_string_length), path)
    agent = document.get('freezer_action')
    if isinstance(agent, dict) and len(agent) > limits.max_action_keys:
        raise errors.ValidationError(
            '$.freezer_action: %d keys, more than the %d allowed (rule: '
            'maxProperties; limit: max_action_keys).' % (
                len(agent), limits.max_action_keys), '$.freezer_action')


def _check(document, limits):
    nul = _find_nul(document)
    if nul is not None:
        path = _json_path(nul)
        raise errors.ValidationError(
            '%s: strings must not contain the NUL character (rule: '
            'no-nul).' % path, path)
    _check_limits(document, limits)
    error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(document))
    if error is not None:
        raise _schema_error(error)


def _require_object(body):
    if not isinstance(body, dict):
        raise errors.ValidationError(
            'The action document must be a JSON object, not %s '
            '(rule: type).' % _json_type(body), '$')


def _json_type(value):
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


def _without_server_fields(body, drop_action_id):
    drop = set(action_schema.SERVER_FIELDS)
    if drop_action_id:
        drop.add('action_id')
    return {k: v for k, v in body.items() if k not in drop}


def validate_create(body, limits=limits_mod.DEFAULT):
    """Validate a create or replace body and fill the defaults.

    Rules: spec ``actions.md``, "The action document", as the JSON Schema
    :data:`freezer_core.action_schema.ACTION_SCHEMA`, plus no NUL character
    in any string or key (spec, "Errors"). When several rules fail, the
    one jsonschema ranks best is reported (one error per call).

    Server fields (``project_id``, ``user_id``, ``_version``,
    ``created_at``, ``updated_at``) are dropped so that a GET answer can be
    sent back unchanged (spec). Absent optional fields take their defaults.

    :param body: the decoded request body (any JSON value).
    :param limits: :class:`freezer_core.limits.Limits`; its
        ``max_string_length`` and ``max_action_keys`` apply here.
    :returns: dict with ``freezer_action`` (dict, as sent), ``max_retries``
        (int), ``max_retries_interval`` (int, seconds), ``mandatory``
        (bool), and ``action_id`` (str) when the body had one.
    :raises errors.ValidationError: not an object, an unknown top-level
        key, a missing/invalid field, a NUL character in a string, a
        string or key longer than ``limits.max_string_length`` (rule
        ``maxLength``) or more than ``limits.max_action_keys`` keys in
        ``freezer_action`` (rule ``maxProperties``); the description names
        the JSON path and ends with ``(rule: NAME).`` (the JSON Schema
        keyword, or ``no-nul``; ``(rule: NAME; limit: LIMIT).`` for a
        limit), and ``path`` holds the
        JSON path, e.g. ``validate_create({'freezer_action': {'action':
        'backup', 'mode': 'tape'}})`` raises with path
        ``'$.freezer_action.mode'`` and rule ``enum``.
    """
    _require_object(body)
    document = _without_server_fields(body, drop_action_id=False)
    _check(document, limits)
    result = dict(action_schema.DEFAULTS)
    result.update(copy.deepcopy(document))
    return result


def validate_replace(body, limits=limits_mod.DEFAULT):
    """Validate a replace body (``POST .../actions/{action_id}``).

    Like :func:`validate_create`, but any ``action_id`` in the body is
    ignored: the id comes from the URL (spec, "The action document").

    :param body: the decoded request body.
    :param limits: :class:`freezer_core.limits.Limits`.
    :returns: dict, the client document without ``action_id``.
    :raises errors.ValidationError: as :func:`validate_create`.
    """
    _require_object(body)
    document = validate_create(
        _without_server_fields(body, drop_action_id=True), limits)
    return document


def merge_patch(current, patch, limits=limits_mod.DEFAULT):
    """Merge a PATCH body into a client document (spec, "Writes").

    Top-level keys present in ``patch`` replace their value;
    ``freezer_action`` is merged key by key, a ``null`` removing that agent
    key; absent keys stay. Server fields and ``action_id`` in the patch are
    ignored. The merged document is validated as a whole.

    :param current: the stored client document (dict, not modified).
    :param patch: the decoded PATCH body.
    :param limits: :class:`freezer_core.limits.Limits`, applied to the
        merged document.
    :returns: dict, the new client document (without ``action_id``).
    :raises errors.ValidationError: the patch is not an object, its
        ``freezer_action`` is not an object, or the merged document breaks
        a rule or a limit (as :func:`validate_create`); nothing is to be
        written then.
    """
    _require_object(patch)
    changes = _without_server_fields(patch, drop_action_id=True)
    merged = {k: copy.deepcopy(current[k])
              for k in ('freezer_action', 'max_retries',
                        'max_retries_interval', 'mandatory')}
    for key, value in changes.items():
        if key == 'freezer_action':
            if not isinstance(value, dict):
                raise errors.ValidationError(
                    '$.freezer_action: a PATCH must give an object to merge, '
                    'not %s (rule: type).' % _json_type(value),
                    '$.freezer_action')
            for agent_key, agent_value in value.items():
                if agent_value is None:
                    merged['freezer_action'].pop(agent_key, None)
                else:
                    merged['freezer_action'][agent_key] = copy.deepcopy(
                        agent_value)
        else:
            merged[key] = copy.deepcopy(value)
    _check(merged, limits)
    return merged


def client_document(record):
    """Extract the client part of a record.

    What a client may send back unchanged (spec, "The action document").

    :param record: dict with at least the :data:`RECORD_KEYS`.
    :returns: dict with ``freezer_action``, ``max_retries``,
        ``max_retries_interval`` and ``mandatory``.
    """
    return {k: record[k] for k in ('freezer_action', 'max_retries',
                                   'max_retries_interval', 'mandatory')}


def search_view(record):
    """The part of a record that search keys and free text look at.

    Search (spec) looks at the top-level fields and at any depth inside
    ``freezer_action``. The server's bookkeeping fields (``_version``,
    ``created_at``, ``updated_at``) are left out: they are not part of the
    document a client wrote.

    :param record: dict with at least the :data:`RECORD_KEYS`.
    :returns: dict with ``action_id``, ``project_id``, ``user_id``,
        ``freezer_action``, ``max_retries``, ``max_retries_interval``,
        ``mandatory``.
    """
    view = client_document(record)
    for key in ('action_id', 'project_id', 'user_id'):
        view[key] = record[key]
    return view
