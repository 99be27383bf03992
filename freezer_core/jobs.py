"""Rules of the job document: validation, merges, events and views.

Rules: spec ``jobs.md`` (with the common rules of ``actions.md``). The
JSON Schemas are in :mod:`freezer_core.schemas.job`, the schedule rules
in :mod:`freezer_core.schedule`, the ``job_actions`` entries in
:mod:`freezer_core.job_actions`.

A *client document* is what clients own: ``client_id``, ``description``,
``job_schedule``, ``session_tag`` and the ``job_actions`` list. A
*record* is what the storage hands back and GET shows:

``{"job_id", "project_id", "user_id", "client_id", "description",
"job_schedule", "job_actions": [action record, ...], "session_id",
"session_tag", "user_credentials"`` (only with a trust) ``, "_version",
"created_at", "updated_at"}``, each action record as
``GET /actions/{id}`` shows it.

A write is described by a :class:`JobWrite`: the document to store and
what the storage must still do in the same transaction (resolve the
entries, check the client, get a trust). Events are in
:mod:`freezer_core.job_events`.
"""

import collections
import copy

from freezer_core import actions
from freezer_core import documents
from freezer_core import errors
from freezer_core import job_actions
from freezer_core import jsondoc
from freezer_core import limits as limits_mod
from freezer_core import schedule
from freezer_core.schemas import job as job_schema
from freezer_core.schemas import schedule as schedule_schema

#: Keys of a record, in the order GET renders them.
RECORD_KEYS = ('job_id', 'project_id', 'user_id', 'client_id',
               'description', 'job_schedule', 'job_actions', 'session_id',
               'session_tag', 'user_credentials', '_version', 'created_at',
               'updated_at')

#: Top-level keys of the freezer-scheduler's status update PATCH
#: (spec, "Writes").
STATUS_UPDATE_KEYS = frozenset(('job_schedule', 'session_id',
                                'session_tag'))

_BOOKKEEPING = ('_version', 'created_at', 'updated_at')


class JobWrite(collections.namedtuple('JobWrite', [
        'document', 'entries', 'check_client', 'may_create_trust'])):
    """A validated job write and what the storage must do to finish it.

    :ivar document: dict, the job's client fields to store: ``client_id``
        (str), ``description`` (str or None), ``job_schedule`` (dict),
        ``session_tag`` (int), and ``job_id`` (str) on a create whose body
        named one. Never ``job_actions``, ``session_id`` or
        ``user_credentials``.
    :ivar entries: tuple of :class:`freezer_core.job_actions.Entry` (the
        new ``job_actions``, in order: look up each reference, 422 from
        :func:`freezer_core.job_actions.missing_action` when it is not an
        action of the URL project, then
        :func:`freezer_core.job_actions.check_reference`; create each
        inline action), or None: keep the current references untouched.
    :ivar check_client: bool; True: ``document['client_id']`` must name
        a client of the URL project or a central client (else 422 from
        :func:`missing_client`), and
        :func:`freezer_core.job_actions.check_capabilities` must pass for
        the job's actions after resolution (the new entries, or the
        current actions when ``entries`` is None).
    :ivar may_create_trust: bool; True: the write may get a Keystone
        trust for a central client (spec, "Trusts"); a PATCH changing
        neither ``client_id`` nor ``job_actions`` never does.
    """

    __slots__ = ()


def new_job_id():
    """Generate a job id: 32 lowercase hex characters (uuid4, spec).

    :returns: str.
    """
    return documents.new_id()


def missing_client(client_id):
    """The error of a ``client_id`` naming no usable client.

    Rules: spec ``jobs.md``, "The job document": after the pattern, the
    id must name a client of the URL project or a central client.

    :param client_id: str.
    :returns: :class:`freezer_core.errors.Unprocessable` (status 422),
        ``'client_id: Client not found: <client_id>'``.
    """
    return errors.Unprocessable(
        'client_id: Client not found: %s' % client_id)


def _prepare(body, drop, schedule_drop):
    """Drop ignored fields and a null job_schedule before validation."""
    documents.require_object(body, 'job document')
    document = documents.without(body, drop)
    sent_schedule = document.get('job_schedule', {})
    if sent_schedule is None:
        del document['job_schedule']
    elif isinstance(sent_schedule, dict):
        document['job_schedule'] = documents.without(sent_schedule,
                                                     schedule_drop)
    return document


def _validate(schema, document, limits):
    # The entries of job_actions get the shared string rules from
    # job_actions.parse (inline ones as action documents); a PATCH's
    # unchanged references are not judged at all.
    outer = documents.without(document, ('job_actions',))
    documents.raise_first(
        documents.nul_errors(outer)
        + documents.length_errors(outer, limits.max_string_length)
        + documents.errors(schema, document))
    schedule.check_dates(document.get('job_schedule', {}), 'job_schedule')


def is_pid(value):
    """Whether a ``current_pid`` value is one the scheduler can use.

    :param value: any decoded JSON value.
    :returns: bool: an integer (``true`` is not one).
    """
    return isinstance(value, int) and not isinstance(value, bool)


def _check_abort(job_schedule):
    if (job_schedule.get('event') == 'abort'
            and not is_pid(job_schedule.get('current_pid'))):
        raise documents.error(
            'job_schedule.event',
            "'abort' needs an integer current_pid in the job_schedule "
            "(the scheduler reads it as the process to stop)",
            'abort-needs-current_pid')


def _sent_schedule(sent):
    """A sent job_schedule with ``event: null`` read as ``""``."""
    sent = dict(sent)
    if 'event' in sent and sent['event'] is None:
        sent['event'] = ''
    return sent


def _new_schedule(sent, time_created, times=None):
    job_schedule = schedule.without_nulls(_sent_schedule(sent))
    job_schedule.setdefault('event', '')
    job_schedule['time_created'] = time_created
    for key in ('time_started', 'time_ended'):
        if times is None or key not in job_schedule:
            job_schedule[key] = -1
    _check_abort(job_schedule)
    return job_schedule


def _entries(document, limits):
    return job_actions.parse(document['job_actions'],
                             document.get('action_defaults'), limits)


def validate_create(body, now, limits=limits_mod.DEFAULT):
    """Validate a create body (``POST .../jobs``, or a replace that creates).

    Rules: spec ``jobs.md``, "The job document" and "job_schedule":
    ``client_id`` (pattern first: 400 before any existence check) and
    ``job_actions`` required; ``description`` defaults to ``""`` and
    ``session_tag`` to 0; server fields ignored; ``job_schedule`` absent
    or null is ``{}``, gets ``time_created`` = ``now`` and
    ``time_started``/``time_ended`` = -1 whatever was sent, ``event``
    ``""`` when absent or null; ``status``, ``result``, ``event`` and
    ``current_pid`` are kept as sent; ``abort`` needs an integer
    ``current_pid``.

    :param body: the decoded request body.
    :param now: int, epoch seconds.
    :param limits: :class:`freezer_core.limits.Limits` (inline actions).
    :returns: :class:`JobWrite` with ``entries`` set, ``check_client``
        and ``may_create_trust`` True.
    :raises freezer_core.errors.ValidationError: not an object, an unknown key
        (naming it, e.g. ``job_schedule.colour``), a missing or invalid
        value (e.g. ``job_schedule.schedule_interval``, rule
        ``pattern``), an invalid entry (``job_actions[i]...``).
    """
    document = _prepare(body, job_schema.SERVER_FIELDS, ('time_created',
                                                         'time_started',
                                                         'time_ended'))
    _validate(job_schema.JOB_SCHEMA, document, limits)
    entries = _entries(document, limits)
    result = {'client_id': document['client_id'],
              'description': document.get('description', ''),
              'job_schedule': _new_schedule(
                  document.get('job_schedule', {}), now),
              'session_tag': document.get('session_tag', 0)}
    if 'job_id' in document:
        result['job_id'] = document['job_id']
    return JobWrite(result, entries, True, True)


def validate_replace(body, record, now, limits=limits_mod.DEFAULT):
    """Validate a replace body (``POST .../jobs/{job_id}``).

    Rules: spec ``jobs.md``, "Writes", Replace: the whole client part is
    set (absent ``description`` -> ``""``, ``job_schedule`` -> ``{}``),
    ``client_id`` and ``job_actions`` required; ``job_id`` in the body is
    ignored (the URL's wins); ``session_tag`` absent -> the stored value;
    ``time_created`` is kept, ``time_started``/``time_ended`` take the
    values sent (-1 when absent). ``session_id`` and ``user_credentials``
    stay as stored (the storage keeps them). When ``record`` is None the
    replace creates, exactly as :func:`validate_create` (minus the id).

    :param body: the decoded request body.
    :param record: dict, the stored record, or None when the id is new.
    :param now: int, epoch seconds.
    :param limits: :class:`freezer_core.limits.Limits`.
    :returns: :class:`JobWrite` (no ``job_id`` in ``document``;
        ``entries`` set, ``check_client`` and ``may_create_trust`` True).
    :raises freezer_core.errors.ValidationError: as :func:`validate_create`.
    """
    drop = job_schema.SERVER_FIELDS + ('job_id',)
    if record is None:
        return validate_create(_prepare(body, drop, ()), now, limits)
    document = _prepare(body, drop, ('time_created',))
    _validate(job_schema.JOB_SCHEMA, document, limits)
    entries = _entries(document, limits)
    time_created = record['job_schedule'].get('time_created', now)
    result = {'client_id': document['client_id'],
              'description': document.get('description', ''),
              'job_schedule': _new_schedule(
                  document.get('job_schedule', {}), time_created,
                  times=True),
              'session_tag': document.get('session_tag',
                                          record['session_tag'])}
    return JobWrite(result, entries, True, True)


def _same(record, key, value):
    return key in record and (jsondoc.canonical(record[key])
                              == jsondoc.canonical(value))


def _changes(document, record):
    """The part of a PATCH that changes the record: the part judged.

    A value sent back as stored is not judged again (spec, "Writes"): a
    job imported from the reference may hold values refused today, and
    the whole-copy PATCHes of its scheduler must still land.
    """
    changes = {}
    for key, value in document.items():
        if key == 'job_schedule' and isinstance(value, dict):
            stored = record['job_schedule']
            changes[key] = {k: v for k, v in value.items()
                            if not _same(stored, k, v)}
        elif key == 'job_actions' or not _same(record, key, value):
            changes[key] = value
    return changes


def is_status_update(patch):
    """Whether a PATCH is the freezer-scheduler's status update.

    Rules: spec ``jobs.md``, "Writes": a PATCH whose top-level keys are
    exactly ``job_schedule``, ``session_id`` and ``session_tag``; its
    ``schedule_*`` keys are ignored (a possibly stale local copy).

    :param patch: the decoded PATCH body.
    :returns: bool.
    """
    return isinstance(patch, dict) and set(patch) == STATUS_UPDATE_KEYS


def merge_patch(record, patch, limits=limits_mod.DEFAULT):
    """Merge a PATCH body into a stored job.

    Rules: spec ``jobs.md``, "Writes": top-level keys present replace
    their value; ``job_schedule`` merges key by key with the
    ``schedule_*`` keys as one unit and ``null`` removing a key
    (``event: null`` sets ``""``; ``time_created`` is ignored;
    ``"job_schedule": null`` changes nothing); the status update of
    :func:`is_status_update` ignores its ``schedule_*`` keys; a
    ``job_actions`` whose ``action_id``\\ s equal the current references
    in order, with an unchanged ``client_id``, is a no-op (entries not
    compared); ``action_defaults`` needs ``job_actions`` in the same
    PATCH. The value rules apply to the keys the PATCH changes only (a
    value sent back as stored is not judged again).

    :param record: dict, the stored record (see module doc).
    :param patch: the decoded PATCH body.
    :param limits: :class:`freezer_core.limits.Limits`.
    :returns: :class:`JobWrite` whose ``document`` is the whole merged
        client part (``client_id``, ``description``, ``job_schedule``,
        ``session_tag``); ``entries`` None unless ``job_actions`` must be
        re-resolved; ``check_client`` and ``may_create_trust`` True when
        ``client_id`` changes or ``entries`` is set.
    :raises freezer_core.errors.ValidationError: as
        :func:`validate_create`, for the keys changed;
        ``action_defaults`` without ``job_actions`` (rule
        ``dependentRequired``); ``event: abort`` leaving no integer
        ``current_pid`` (rule ``abort-needs-current_pid``).
    """
    schedule_drop = ('time_created',)
    if is_status_update(patch):
        schedule_drop += schedule_schema.SCHEDULE_KEYS
    document = _prepare(patch, job_schema.SERVER_FIELDS + ('job_id',),
                        schedule_drop)
    changes = _changes(document, record)
    _validate(job_schema.JOB_PATCH_SCHEMA, changes, limits)
    if 'action_defaults' in document and 'job_actions' not in document:
        raise documents.error('action_defaults', 'action_defaults needs '
                              'job_actions in the same PATCH',
                              'dependentRequired')
    result = {'client_id': document.get('client_id', record['client_id']),
              'description': document.get('description',
                                          record['description']),
              'job_schedule': copy.deepcopy(record['job_schedule']),
              'session_tag': document.get('session_tag',
                                          record['session_tag'])}
    if 'job_schedule' in document:
        sent = _sent_schedule(document['job_schedule'])
        result['job_schedule'] = schedule.merge(record['job_schedule'],
                                                sent)
        if {'event', 'current_pid'} & set(changes.get('job_schedule', {})):
            _check_abort(result['job_schedule'])
    client_changed = result['client_id'] != record['client_id']
    entries = None
    if 'job_actions' in document and (
            client_changed or not job_actions.is_same_references(
                document['job_actions'],
                job_actions.action_ids(record['job_actions']))):
        entries = _entries(document, limits)
    resolve = client_changed or entries is not None
    return JobWrite(result, entries, resolve, resolve)


def view(record, hide_current_pid=False):
    """The job document GET returns.

    Rules: spec ``jobs.md``, "The job document" and "Listing":
    ``job_schedule.event`` is always present (``""`` when unset: the
    scheduler reads it with ``[]``); ``user_credentials`` only with a
    trust; ``current_pid`` left out when the caller may not see a central
    host's pids (decided by the caller).

    :param record: dict with the :data:`RECORD_KEYS` (``user_credentials``
        may be absent or None).
    :param hide_current_pid: bool.
    :returns: a new dict, keys in :data:`RECORD_KEYS` order.
    """
    shown = {}
    for key in RECORD_KEYS:
        if key == 'user_credentials' and not record.get(key):
            continue
        shown[key] = copy.deepcopy(record[key])
    shown['job_schedule'].setdefault('event', '')
    if hide_current_pid:
        shown['job_schedule'].pop('current_pid', None)
    return shown


def search_view(record, hide_current_pid=False):
    """The part of a record that search keys and free text look at.

    Rules: spec ``jobs.md``, "Listing" (search sees the document GET
    returns, embedded actions included) and ``actions.md``, "Rules every
    resource shares" (a field the GET hides cannot be matched); the
    bookkeeping fields are left out, as for actions.

    :param record: dict, as for :func:`view`.
    :param hide_current_pid: bool, as for :func:`view`.
    :returns: dict: :func:`view` without ``_version``, ``created_at`` and
        ``updated_at``, each action as
        :func:`freezer_core.actions.search_view` shows it.
    """
    shown = view(record, hide_current_pid)
    for key in _BOOKKEEPING:
        shown.pop(key, None)
    shown['job_actions'] = [actions.search_view(action)
                            for action in record['job_actions']]
    return shown


def client_document(record):
    """Extract the client part of a record (what a client may send back).

    :param record: dict with at least the :data:`RECORD_KEYS`.
    :returns: dict with ``client_id``, ``description``, ``job_schedule``,
        ``session_tag`` and ``job_actions`` (each a reference: its
        ``action_id`` and the action's client document).
    """
    document = {k: copy.deepcopy(record[k])
                for k in ('client_id', 'description', 'job_schedule',
                          'session_tag')}
    document['job_actions'] = [
        dict(actions.client_document(action),
             action_id=action['action_id'])
        for action in record['job_actions']]
    return document
