"""Rules of the client document: registration, re-registration, views.

A client is a registered freezer-scheduler (spec ``clients.md``). The
JSON Schema is :data:`freezer_core.schemas.client.CLIENT_SCHEMA`, checked
by :mod:`freezer_core.documents`.

A *client part* is what the scheduler owns, the ``client`` object of the
wire document: ``client_id``, ``hostname``, ``description``, ``uuid``,
``is_central``, ``supported_actions``, ``supported_modes``,
``supported_storages``, ``supported_engines`` and any extra keys. A
*record* is what the server returns: ``{"project_id", "user_id",
"client": <client part>, "_version", "created_at", "updated_at"}``.
"""

import copy

from freezer_core import documents
from freezer_core import jsondoc
from freezer_core import limits as limits_mod
from freezer_core.schemas import client as client_schema

#: Keys of a record, in the order they are rendered.
RECORD_KEYS = ('project_id', 'user_id', 'client', '_version',
               'created_at', 'updated_at')

#: Where each capability of an agent action is checked against the
#: client (spec ``jobs.md``, "Capability check"), in checking order.
CAPABILITIES = (('action', 'supported_actions'),
                ('mode', 'supported_modes'),
                ('storage', 'supported_storages'),
                ('engine', 'supported_engines'),
                ('engine_name', 'supported_engines'))

_WHAT = 'client document'


def _fold(body):
    """Fold the flat and ``{"client": {...}}`` shapes into one object.

    :returns: ``(info, prefix)``: the client part as sent (server fields
        removed) and the path prefix its errors are reported under.
    """
    top = documents.without(body, client_schema.SERVER_FIELDS + ('client',))
    if 'client' not in body:
        return top, ''
    nested = body['client']
    if not isinstance(nested, dict):
        raise documents.error(
            'client', 'must be an object holding the client info, not %s'
            % documents.json_type(nested), 'type')
    nested = documents.without(nested, client_schema.SERVER_FIELDS)
    for key, value in top.items():
        if key in nested and (jsondoc.canonical(nested[key])
                              != jsondoc.canonical(value)):
            raise documents.error(
                key, '%s differs from client.%s; send the client info '
                'once, or equal in both places' % (
                    documents.shown(value), key), 'agree')
    info = dict(top)
    info.update(nested)
    return info, '' if top else 'client.'


def _ordered(info):
    """The client part with its known keys first, in :data:`KEYS` order."""
    known = [k for k in client_schema.KEYS if k in info]
    extra = [k for k in info if k not in client_schema.KEYS]
    return {k: info[k] for k in known + extra}


def parse_registration(body, limits=limits_mod.DEFAULT):
    """Validate a registration body and fill the defaults.

    Spec ``clients.md``, "The client document": the body is the client
    info flat, or the GET shape ``{"client": {...}, ...}``; when both a
    ``client`` object and top-level info keys are sent, keys given in both
    places must be JSON-equal (rule ``agree``) and the two are joined.
    Server fields (``project_id``, ``user_id``, ``_version``,
    ``created_at``, ``updated_at``) are ignored at both levels. No NUL
    character, no string longer than ``limits.max_string_length``
    (:func:`freezer_core.documents.check`).

    :param body: the decoded request body (any JSON value).
    :param limits: :class:`freezer_core.limits.Limits`.
    :returns: dict, the client part: ``client_id`` (str), ``hostname``
        (str or None, default None), ``description`` (str or None, default
        None), ``uuid`` (str, only when sent), ``is_central`` (bool,
        default False), ``supported_actions|modes|storages|engines``
        (lists of str, default the whole enum), then extra keys as sent.
    :raises freezer_core.errors.ValidationError: not an object;
        ``client`` not an object (path ``client``, rule ``type``); a key
        disagreeing between the two shapes (path: the key, rule
        ``agree``); ``client_id``
        missing (``required``), not matching
        :data:`~freezer_core.schemas.client.CLIENT_ID_PATTERN`
        (``pattern``) or over 255 characters (``maxLength``);
        ``hostname`` not 1-253 of ``[A-Za-z0-9._-]`` (``pattern``);
        ``description`` over 255 characters; ``uuid`` not 1-64 of
        ``[A-Za-z0-9_-]``; ``is_central`` not a boolean (``type``); an
        unknown value in a ``supported_*`` list (path e.g.
        ``supported_modes[2]``, rule ``enum``); a NUL character
        (``no-nul``) or an over-long string (``maxLength``). Paths are
        prefixed ``client.`` when only the GET shape was sent.
    """
    documents.require_object(body, _WHAT)
    info, prefix = _fold(body)
    documents.raise_first(documents.check(
        client_schema.CLIENT_SCHEMA, info, limits, prefix))
    result = dict(client_schema.DEFAULTS)
    for name, values in client_schema.SUPPORTED.items():
        result[name] = list(values)
    result.update(copy.deepcopy(info))
    return _ordered(result)


def registration(current, document):
    """Decide what a registration stores (spec ``clients.md``,
    "Registration is create-or-replace").

    A new registration keeps the sent ``uuid`` or generates one (32
    lowercase hex). A registration of an id this project already holds
    replaces the client part with ``document`` but keeps the stored
    ``uuid`` (immutable; a sent one is ignored); the record's ``user_id``
    is the storage's to keep. Keys are compared by JSON equality
    (:func:`freezer_core.jsondoc.canonical`).

    :param current: dict, the stored client part, or None when the
        ``client_id`` is new in this project.
    :param document: dict, a :func:`parse_registration` result (not
        modified).
    :returns: ``(client, changed)``: ``client`` the client part to store
        (dict, known keys first); ``changed`` a sorted tuple of the keys
        whose value differs from ``current`` (added, removed or changed;
        every key of ``client`` when ``current`` is None). An empty
        ``changed`` means nothing changes: write nothing, leave
        ``_version`` alone.
    """
    client = copy.deepcopy(document)
    if current is None:
        client.setdefault('uuid', documents.new_id())
        return _ordered(client), tuple(sorted(client))
    client.pop('uuid', None)
    if 'uuid' in current:
        client['uuid'] = current['uuid']
    client = _ordered(client)
    changed = tuple(sorted(
        key for key in set(current) | set(client)
        if key not in current or key not in client
        or jsondoc.canonical(current[key]) != jsondoc.canonical(client[key])))
    return client, changed


def needs_central(document):
    """Whether a registration needs ``clients:create_central``.

    Spec ``clients.md``, "Routes": after parsing, ``is_central: true``
    needs ``clients:create_central`` and anything else ``clients:create``.

    :param document: dict, a client part (:func:`parse_registration`).
    :returns: bool, True exactly when ``is_central`` is True.
    """
    return document.get('is_central') is True


def validate_client_id(value, path='client_id'):
    """Check a ``client_id`` (a client's, or the one a job names).

    Spec ``jobs.md``, "The job document": ``^([A-Za-z0-9_-]+_)?FQDN$``,
    at most 255 characters; jobs check it before looking the client up
    (400 before 422).

    :param value: the decoded value (any JSON value).
    :param path: str, the value's path for the error (``'client_id'``).
    :returns: None.
    :raises freezer_core.errors.ValidationError: the first fault,
        rule ``type``, ``maxLength`` or ``pattern``, ``path`` as given.
    """
    documents.validate(client_schema.CLIENT_ID, value, prefix=path)


def unsupported(client, freezer_action):
    """Find the first capability of an agent action a client lacks.

    Spec ``jobs.md``, "Capability check": each of ``action``, ``mode``,
    ``storage``, ``engine`` and ``engine_name`` that is present and not
    null must be in the client's matching ``supported_*`` list (both
    engine keys in ``supported_engines``); the agent's own defaults are
    not checked. A list missing from the client part counts as the whole
    enum (the registration default).

    :param client: dict, a client part (``supported_*`` lists).
    :param freezer_action: dict, an action's ``freezer_action``.
    :returns: ``(key, value)`` of the first unsupported capability, in
        :data:`CAPABILITIES` order, e.g. ``('mode', 'nova')``; None when
        the client supports them all. The caller words the 422
        (``job_actions[i].freezer_action.mode: client <id> does not
        support nova``).
    """
    for key, supported in CAPABILITIES:
        value = freezer_action.get(key)
        if value is None:
            continue
        allowed = client.get(supported)
        if allowed is None:
            allowed = client_schema.SUPPORTED[supported]
        if value not in allowed:
            return key, value
    return None


def search_view(record):
    """The part of a record that search keys and free text look at.

    Search sees the caller's GET view (spec ``actions.md``, "Rules every
    resource shares"; ``clients.md``, "Listing": keys match inside
    ``client`` too). The bookkeeping fields (``_version``,
    ``created_at``, ``updated_at``) are left out.

    :param record: dict with at least ``project_id``, ``user_id`` and
        ``client``.
    :returns: dict ``{"project_id", "user_id", "client"}`` (the same
        objects, not copies).
    """
    return {key: record[key] for key in ('project_id', 'user_id', 'client')}
