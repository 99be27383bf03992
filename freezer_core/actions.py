"""Rules of the action document: validation, defaults, merge and views.

The rules come from the spec ``actions.md`` ("The action document" and
"Writes"); the JSON Schema part is in :mod:`freezer_core.schemas.action`,
checked by the shared validator :mod:`freezer_core.documents`.
A *client document* is what clients own: ``freezer_action``,
``max_retries``, ``max_retries_interval``, ``mandatory`` (and optionally
``action_id`` on create). A *record* is what the server returns: the
client document plus ``action_id``, ``project_id``, ``user_id``,
``_version``, ``created_at`` and ``updated_at``.
"""

import copy

from freezer_core import documents
from freezer_core import errors
from freezer_core import limits as limits_mod
from freezer_core.schemas import action as action_schema

#: Keys of a record, in the order they are rendered.
RECORD_KEYS = ('action_id', 'project_id', 'user_id', 'freezer_action',
               'max_retries', 'max_retries_interval', 'mandatory',
               '_version', 'created_at', 'updated_at')

#: The client part of a record (what :func:`client_document` returns).
CLIENT_KEYS = ('freezer_action', 'max_retries', 'max_retries_interval',
               'mandatory')

_WHAT = 'action document'


def new_action_id():
    """Generate an action id: 32 lowercase hex characters (uuid4, spec).

    :returns: str.
    """
    return documents.new_id()


def _key_count_errors(document, limits, prefix):
    agent = document.get('freezer_action')
    if isinstance(agent, dict) and len(agent) > limits.max_action_keys:
        return [documents.error(
            documents.join(prefix, ('freezer_action',)),
            '%d keys, more than the %d allowed' % (
                len(agent), limits.max_action_keys),
            'maxProperties', limit='max_action_keys')]
    return []


def check(body, limits=limits_mod.DEFAULT, prefix=''):
    """Every fault of an action document, as :func:`validate_create` sees it.

    All the rules at once (the offline linter prints every fault of a
    file), in the order the API reports the first: not an object, NUL
    characters, over-long strings and keys, too many agent keys, then
    the JSON Schema. Server fields are ignored.

    :param body: the decoded document (any JSON value).
    :param limits: :class:`freezer_core.limits.Limits`.
    :param prefix: str, the document's path inside a larger one
        (``'job_actions[2].'``), prefixed to every error's ``path``.
    :returns: list of :class:`freezer_core.errors.ValidationError`, each
        with ``path`` and ``rule``; empty when the document is valid.
    """
    try:
        documents.require_object(body, _WHAT, prefix)
    except errors.ValidationError as exc:
        return [exc]
    document = documents.without(body, action_schema.SERVER_FIELDS)
    return (documents.nul_errors(document, prefix)
            + documents.length_errors(document, limits.max_string_length,
                                      prefix)
            + _key_count_errors(document, limits, prefix)
            + documents.errors(action_schema.ACTION_SCHEMA, document,
                               prefix))


def validate_create(body, limits=limits_mod.DEFAULT):
    """Validate a create or replace body and fill the defaults.

    Rules: spec ``actions.md``, "The action document", as the JSON Schema
    :data:`freezer_core.schemas.action.ACTION_SCHEMA`, plus no NUL
    character in any string or key (spec, "Errors") and the size limits.
    When several rules fail, the first of :func:`check` is raised (one
    error per call; shallowest path first, as jsonschema ranks them).

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
        limit); ``path`` and ``rule`` hold the same, e.g.
        ``validate_create({'freezer_action': {'action': 'backup', 'mode':
        'tape'}})`` raises with path ``'freezer_action.mode'``, rule
        ``'enum'``.
    """
    documents.raise_first(check(body, limits))
    result = dict(action_schema.DEFAULTS)
    result.update(copy.deepcopy(
        documents.without(body, action_schema.SERVER_FIELDS)))
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
    documents.require_object(body, _WHAT)
    return validate_create(documents.without(body, ('action_id',)), limits)


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
        ``freezer_action`` is not an object (path ``freezer_action``,
        rule ``type``), or the merged document breaks a rule or a limit
        (as :func:`validate_create`); nothing is to be written then.
    """
    documents.require_object(patch, _WHAT)
    changes = documents.without(
        patch, action_schema.SERVER_FIELDS + ('action_id',))
    merged = copy.deepcopy(client_document(current))
    for key, value in changes.items():
        if key != 'freezer_action':
            merged[key] = copy.deepcopy(value)
            continue
        if not isinstance(value, dict):
            raise documents.error(
                'freezer_action', 'a PATCH must give an object to merge, '
                'not %s' % documents.json_type(value), 'type')
        for agent_key, agent_value in value.items():
            if agent_value is None:
                merged['freezer_action'].pop(agent_key, None)
            else:
                merged['freezer_action'][agent_key] = copy.deepcopy(
                    agent_value)
    documents.raise_first(check(merged, limits))
    return merged


def client_document(record):
    """Extract the client part of a record.

    What a client may send back unchanged (spec, "The action document").

    :param record: dict with at least the :data:`RECORD_KEYS`.
    :returns: dict with ``freezer_action``, ``max_retries``,
        ``max_retries_interval`` and ``mandatory`` (the same objects, not
        copies).
    """
    return {k: record[k] for k in CLIENT_KEYS}


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
