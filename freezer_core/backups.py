"""Rules of the backup record: create, PATCH, the wire document, search.

A backup record is the metadata a freezer agent reports (spec
``backups.md``). The JSON Schemas are in
:mod:`freezer_core.schemas.backup`, checked by
:mod:`freezer_core.documents`.

The *client part* of a record is ``(status, backup_metadata)``: a status
string and the metadata object as the agent sent it, minus ``status`` and
the server fields. A *record* is what the storage holds: ``backup_id``,
``project_id``, ``user_id``, ``status``, ``backup_metadata``, and its
``_version``, ``created_at``, ``updated_at``; the wire document has the
first five keys only (:func:`wire_document`).
"""

import collections
import copy
import re

from freezer_core import documents
from freezer_core import errors
from freezer_core import limits as limits_mod
from freezer_core import search
from freezer_core.schemas import backup as backup_schema

#: Keys of the wire document, in the order they are rendered (spec:
#: exactly these five; the version travels in ``ETag`` only).
DOCUMENT_KEYS = ('backup_id', 'project_id', 'user_id', 'status',
                 'backup_metadata')

#: The backups-only top-level search keys (spec, "Listing and search").
TIME_KEYS = ('time_after', 'time_before')

_WHAT = 'backup document'
_INT64 = 2 ** 63 - 1
_ID_PATTERN = r'[A-Za-z0-9_-]{1,64}'


def new_backup_id():
    """Generate a backup id: 32 lowercase hex characters (spec: always
    generated, never client-chosen).

    :returns: str.
    """
    return documents.new_id()


def _not_empty(body, what):
    if not body:
        raise documents.error(None, 'The %s must not be empty' % what,
                              'minProperties', show_path=False)


def _status_inside(metadata, prefix):
    # The status is top-level in both directions (spec); one inside the
    # structured metadata would otherwise be stored or dropped silently.
    if 'status' in metadata:
        raise documents.error(
            documents.join(prefix, ('status',)), 'the status is given '
            'next to backup_metadata, not inside it',
            'additionalProperties')


def _structured(body):
    """Check the ``{"status"?, "backup_metadata": {...}}`` shape.

    :returns: ``(status or None, metadata without server fields)``.
    """
    documents.validate(backup_schema.STRUCTURED_SCHEMA, body)
    metadata = documents.without(body['backup_metadata'],
                                 backup_schema.SERVER_FIELDS)
    _status_inside(metadata, 'backup_metadata')
    return body.get('status'), metadata


def parse_create(body, limits=limits_mod.DEFAULT):
    """Validate a POST body: the client part of a new record.

    Spec ``backups.md``, "The backup document" and "Validation (POST)":

    * flat (the agent's metadata with an optional ``status``), or the GET
      shape when ``backup_metadata`` is present (only ``status`` beside
      it, server fields aside);
    * server fields (``backup_id``, ``project_id``, ``user_id``,
      ``_version``, ``created_at``, ``updated_at``) are dropped and never
      stored in the metadata;
    * ``backup_name`` a non-empty string; ``container`` and ``hostname``
      non-empty strings, but absent or null allowed when ``status`` is
      ``creating``, ``error`` or ``deleting``; ``job_id`` a string of at
      most 255 characters or null; ``status`` one of the six statuses;
    * a body carrying ``backup_id`` (freezer 19's fallback POST after a
      failed PATCH) is held to the PATCH rule: only a non-empty
      ``backup_name`` (and the ``job_id`` and ``status`` rules);
    * no NUL character, no string over ``limits.max_string_length``.

    :param body: the decoded request body (any JSON value).
    :param limits: :class:`freezer_core.limits.Limits`.
    :returns: ``(status, backup_metadata)``: str (default
        ``'available'``) and dict (a deep copy, key order as sent).
    :raises freezer_core.errors.ValidationError: not an object (rule
        ``type``); ``{}`` (rule ``minProperties``); a key beside
        ``backup_metadata`` (``additionalProperties``) or a ``status``
        inside it; a missing field (``required``), a wrong type
        (``type``), an empty string (``minLength``), a long ``job_id``
        (``maxLength``), an unknown status (``enum``), a NUL
        (``no-nul``), an over-long string (``maxLength``); ``path`` names
        the field (``backup_metadata.container`` in the GET shape).
    """
    documents.require_object(body, _WHAT)
    _not_empty(body, _WHAT)
    fields = documents.without(body, backup_schema.SERVER_FIELDS)
    prefix = ''
    if 'backup_metadata' in fields:
        status, metadata = _structured(fields)
        fields = dict(metadata)
        if status is not None:
            fields['status'] = status
        prefix = 'backup_metadata.'
    schema = (backup_schema.METADATA_SCHEMA if 'backup_id' in body
              else backup_schema.CREATE_SCHEMA)
    documents.raise_first(documents.check(schema, fields, limits, prefix))
    status = fields.get('status', backup_schema.DEFAULT_STATUS)
    return status, copy.deepcopy(documents.without(fields, ('status',)))


def merge_patch(status, metadata, body, limits=limits_mod.DEFAULT):
    """Apply a PATCH body to a record's client part.

    Spec ``backups.md``, "PATCH". Two shapes: structured
    (``{"status"?, "backup_metadata"?: {...}}``, no other key) and flat
    (no ``backup_metadata`` key: ``status`` is the status, every other
    key merges into the metadata; freezer 19's scheduler). Server fields
    are ignored at both levels (so a flat PATCH carrying ``backup_id``
    stores no ``backup_id``). The metadata merges key by key at its top:
    a present key replaces, ``null`` removes, absent keys stay, nested
    objects are replaced whole. Any status transition is allowed. The
    merged metadata must keep a non-empty ``backup_name`` and a valid
    ``job_id``; the create-time ``container``/``hostname`` rule is not
    re-imposed.

    :param status: str, the stored status.
    :param metadata: dict, the stored metadata (not modified).
    :param body: the decoded PATCH body.
    :param limits: :class:`freezer_core.limits.Limits`, applied to the
        sent values.
    :returns: ``(status, backup_metadata)``, the new client part (str,
        dict).
    :raises freezer_core.errors.ValidationError: not an object; nothing
        but server fields, or ``{}`` (rule ``minProperties``); a key
        beside ``backup_metadata`` (``additionalProperties``, naming
        it); ``backup_metadata`` not an object, or holding ``status``;
        an unknown or null status (``enum``); a NUL or over-long string;
        a merged ``backup_name`` missing or empty (``required``,
        ``minLength``, ``type``); nothing is to be written then.
    """
    documents.require_object(body, 'backup PATCH')
    changes = documents.without(body, backup_schema.SERVER_FIELDS)
    _not_empty(changes, 'backup PATCH')
    if 'backup_metadata' in changes:
        new_status, sent = _structured(changes)
        prefix = 'backup_metadata.'
    else:
        new_status = changes.get('status')
        sent = documents.without(changes, ('status',))
        prefix = ''
        if 'status' in changes:
            documents.validate(backup_schema.STRUCTURED_SCHEMA,
                               {'status': new_status})
    documents.raise_first(
        documents.nul_errors(sent, prefix)
        + documents.length_errors(sent, limits.max_string_length, prefix))
    merged = copy.deepcopy(metadata)
    for key, value in sent.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = copy.deepcopy(value)
    documents.validate(backup_schema.METADATA_SCHEMA, merged, prefix)
    return (status if new_status is None else new_status), merged


def client_document(status, metadata):
    """The client part of a record as a dict: what the storage stores
    and a PATCH transforms.

    :param status: str, one of the statuses.
    :param metadata: dict, the ``backup_metadata``.
    :returns: dict ``{"status": status, "backup_metadata": metadata}``
        (the same objects).
    """
    return {'status': status, 'backup_metadata': metadata}


def wire_document(record):
    """The document GET, list items and PATCH return: exactly five keys.

    Spec ``backups.md``, "The backup document" (compat: tempest compares
    list items key for key; no ``_version`` or timestamps).

    :param record: dict with at least the :data:`DOCUMENT_KEYS`.
    :returns: dict ``{"backup_id", "project_id", "user_id", "status",
        "backup_metadata"}`` in that order (the same objects, not copies).
    """
    return {key: record[key] for key in DOCUMENT_KEYS}


def search_view(record):
    """The part of a record that search keys and free text look at.

    Search sees the returned document (spec, "Listing and search":
    ``backup_id``, ``status``, ``job_id`` and any metadata key at any
    depth).

    :param record: dict with at least the :data:`DOCUMENT_KEYS`.
    :returns: dict, :func:`wire_document` of the record.
    """
    return wire_document(record)


def time_stamp(metadata):
    """The time of a record that ``time_after``/``time_before`` compare.

    Spec ``backups.md``, "Listing and search": only an integer
    ``backup_metadata.time_stamp`` is in any range (booleans and floats
    are not integers here); the storage keeps this value in an indexed
    column.

    :param metadata: dict, a record's ``backup_metadata``.
    :returns: int (epoch seconds) or None; None too for an integer
        beyond +-(2^63-1), which no 64-bit column holds.
    """
    stamp = metadata.get('time_stamp')
    if (not isinstance(stamp, int) or isinstance(stamp, bool)
            or abs(stamp) > _INT64):
        return None
    return stamp


def is_backup_id(value):
    """Whether a URL's ``{backup_id}`` can name a stored record.

    Ids are generated (32 hex characters) or imported (at most 64 of
    ``[A-Za-z0-9_-]``); anything else, a NUL or an overlong value
    included, names no record and must not reach the database (spec
    ``actions.md``, "Errors": the same answer on every engine).

    :param value: str, the percent-decoded path segment.
    :returns: bool.
    """
    return re.fullmatch(_ID_PATTERN, value) is not None


class TimeRange(collections.namedtuple('TimeRange', ['after', 'before'])):
    """The backups-only time filter of a search (spec ``backups.md``,
    "Listing and search").

    :ivar after: int or None, epoch seconds: keep records whose
        ``backup_metadata.time_stamp`` is an integer >= it.
    :ivar before: int or None, epoch seconds: ... an integer <= it.
    """

    __slots__ = ()

    def __bool__(self):
        return self.after is not None or self.before is not None

    def holds(self, metadata):
        """Decide in memory whether a record's metadata is in the range
        (the reference the storage's indexed query must equal).

        :param metadata: dict, a record's ``backup_metadata``.
        :returns: bool; always True for an empty range; otherwise False
            when ``time_stamp`` is absent or not an integer (booleans and
            floats are not).
        """
        if not self:
            return True
        stamp = time_stamp(metadata)
        if stamp is None:
            return False
        return ((self.after is None or stamp >= self.after)
                and (self.before is None or stamp <= self.before))


#: The range that filters nothing.
ANY_TIME = TimeRange(None, None)


def split_time_range(document):
    """Take ``time_after``/``time_before`` out of a search document.

    Only backups have them: other resources pass their search document
    to :func:`freezer_core.search.parse` unchanged, which refuses the two
    keys as unknown (400).

    :param document: the decoded search document (None, a dict, or any
        other value, which :func:`freezer_core.search.parse` refuses).
    :returns: ``(rest, TimeRange)``: the document without the two keys
        (a new dict; ``document`` itself when not a dict) and the range.
    :raises freezer_core.errors.SearchError: a value that is not an
        integer (booleans, floats and strings are not) or is beyond
        +-(2^63-1); ``path`` is the key, rule ``type`` or ``maximum``.
    """
    if not isinstance(document, dict):
        return document, ANY_TIME
    values = {}
    for key in TIME_KEYS:
        value = document.get(key)
        if key not in document:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            raise errors.SearchError(
                '"%s" must be an integer (epoch seconds), not %s (rule: '
                'type).' % (key, documents.json_type(value)),
                path=key, rule='type')
        if abs(value) > _INT64:
            raise errors.SearchError(
                '"%s" must be within +-(2^63-1) (rule: maximum).' % key,
                path=key, rule='maximum')
        values[key] = value
    rest = documents.without(document, TIME_KEYS)
    return rest, TimeRange(values.get('time_after'),
                           values.get('time_before'))


def parse_search(document, max_terms=limits_mod.MAX_SEARCH_TERMS):
    """Parse a backups search document: the common terms and the range.

    :param document: the decoded search document (None or ``{}``: no
        filter).
    :param max_terms: int, as :func:`freezer_core.search.parse`.
    :returns: ``(freezer_core.search.Search, TimeRange)``.
    :raises freezer_core.errors.SearchError: as
        :func:`split_time_range`, then as
        :func:`freezer_core.search.parse`.
    """
    rest, time_range = split_time_range(document)
    return search.parse(rest, max_terms), time_range


def parse_search_param(text, max_terms=limits_mod.MAX_SEARCH_TERMS,
                       max_depth=limits_mod.MAX_JSON_DEPTH):
    """Parse a backups ``search`` query parameter (a JSON string).

    :param text: str; empty means no filter.
    :param max_terms: int, as :func:`freezer_core.search.parse`.
    :param max_depth: int, as :func:`freezer_core.search.load_param`.
    :returns: ``(freezer_core.search.Search, TimeRange)``.
    :raises freezer_core.errors.InvalidParameter: not strict JSON.
    :raises freezer_core.errors.SearchError: as :func:`parse_search`,
        or ``null``.
    """
    return parse_search(search.load_param(text, max_depth), max_terms)
