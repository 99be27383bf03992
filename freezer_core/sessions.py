"""Rules of the session document: validation, merges, membership, views.

Rules: spec ``sessions.md`` (with the common rules of ``actions.md``).
The JSON Schema is in :mod:`freezer_core.schemas.session`; the run
protocol (``start``/``end``) is in :mod:`freezer_core.session_runs`.

A *client document* is what clients own: ``description``, ``hold_off``,
``schedule``, ``session_tag``. The *run state* is the server's:
``status``, ``result``, ``time_start``, ``time_end``, ``time_started``,
``time_ended`` and the ``jobs`` map ``{job_id: member}``, a member being
``{"client_id", "status", "result", "time_started", "time_ended"}``. A
*record* is what the storage hands back and GET shows: ``session_id``,
``project_id``, ``user_id``, the client document, the run state,
``_version``, ``created_at``, ``updated_at``.
"""

import collections
import copy

from freezer_core import documents
from freezer_core import errors
from freezer_core import limits as limits_mod
from freezer_core import schedule
from freezer_core.schemas import session as session_schema

#: Keys of a record, in the order GET renders them.
RECORD_KEYS = ('session_id', 'project_id', 'user_id', 'description',
               'hold_off', 'schedule', 'session_tag', 'status', 'result',
               'time_start', 'time_end', 'time_started', 'time_ended',
               'jobs', '_version', 'created_at', 'updated_at')

#: The client document's keys.
CLIENT_KEYS = ('description', 'hold_off', 'schedule', 'session_tag')

#: Keys of one member of the ``jobs`` map.
MEMBER_KEYS = ('client_id', 'status', 'result', 'time_started',
               'time_ended')

_BOOKKEEPING = ('_version', 'created_at', 'updated_at')
_IGNORED = session_schema.SERVER_FIELDS + session_schema.IGNORED_FIELDS


class SessionWrite(collections.namedtuple('SessionWrite', [
        'document', 'member_tag'])):
    """A validated session write and what it does to the member jobs.

    :ivar document: dict, the fields to store: the client document
        (``description``, ``hold_off``, ``schedule``, ``session_tag``) and,
        on a create, the initial run state (``status``, ``result``,
        ``time_*``, ``jobs``).
    :ivar member_tag: int or None; an int: the body set ``session_tag``,
        so every member job's ``session_tag`` becomes this value in the
        same transaction (spec, "The session document"); None: members
        are left alone.
    """

    __slots__ = ()


def new_session_id():
    """Generate a session id: 32 lowercase hex characters (uuid4, spec).

    :returns: str.
    """
    return documents.new_id()


def _client_part(body, limits):
    """Validate a body; returns the client keys it sends (nulls kept)."""
    documents.require_object(body, 'session document')
    document = documents.without(body, _IGNORED)
    if document.get('schedule', {}) is None:
        del document['schedule']
    documents.raise_first(documents.check(session_schema.SESSION_SCHEMA,
                                          document, limits))
    schedule.check_dates(document.get('schedule', {}), 'schedule')
    return document


def _defaults(document, session_tag):
    return {'description': document.get('description'),
            'hold_off': document.get('hold_off',
                                     session_schema.DEFAULT_HOLD_OFF),
            'schedule': schedule.without_nulls(document.get('schedule', {})),
            'session_tag': document.get('session_tag', session_tag)}


def initial_state():
    """The run state of a new session (spec, "The session document").

    :returns: dict: ``status`` ``'active'``, ``result`` None,
        ``time_start``/``time_end``/``time_started``/``time_ended`` -1,
        ``jobs`` ``{}``.
    """
    return {'status': 'active', 'result': None, 'time_start': -1,
            'time_end': -1, 'time_started': -1, 'time_ended': -1,
            'jobs': {}}


def validate_create(body, limits=limits_mod.DEFAULT):
    """Validate a create body (``POST .../sessions``, or a replace that
    creates).

    Rules: spec ``sessions.md``, "The session document": ``description``
    default null (<= 255 characters), ``hold_off`` integer >= 0 default 30,
    ``session_tag`` integer >= 0 default 0, ``schedule`` default ``{}``
    with a job schedule's value rules and nothing server-set (a null key
    means absent); server fields (``session_id`` included: the caller
    picks the id) and ``interval_unit``, ``interval_value``,
    ``last_start`` are ignored; any other key is refused.

    :param body: the decoded request body.
    :param limits: :class:`freezer_core.limits.Limits` (its
        ``max_string_length`` applies).
    :returns: :class:`SessionWrite`: ``document`` = client document plus
        :func:`initial_state`; ``member_tag`` None (no members yet).
    :raises errors.ValidationError: not an object, an unknown key (named),
        an invalid value (e.g. ``hold_off``, rule ``type``;
        ``schedule.schedule_interval``, rule ``pattern``).
    """
    document = _defaults(_client_part(body, limits), 0)
    document.update(initial_state())
    return SessionWrite(document, None)


def validate_replace(body, record, limits=limits_mod.DEFAULT):
    """Validate a replace body (``POST .../sessions/{session_id}``).

    Rules: spec ``sessions.md``, "Writes", Replace: ``description``,
    ``hold_off`` and ``schedule`` take the body's values or their
    defaults; ``session_tag`` absent -> kept; membership and run state
    are kept. When ``record`` is None the replace creates, exactly as
    :func:`validate_create`.

    :param body: the decoded request body.
    :param record: dict, the stored record, or None.
    :param limits: :class:`freezer_core.limits.Limits`.
    :returns: :class:`SessionWrite`; ``document`` holds the client
        document only (plus the initial state when creating);
        ``member_tag`` is the sent ``session_tag`` or None.
    :raises errors.ValidationError: as :func:`validate_create`.
    """
    if record is None:
        return validate_create(body, limits)
    sent = _client_part(body, limits)
    return SessionWrite(_defaults(sent, record['session_tag']),
                        sent.get('session_tag'))


def merge_patch(record, patch, limits=limits_mod.DEFAULT):
    """Merge a PATCH body into a stored session.

    Rules: spec ``sessions.md``, "Writes": top-level keys present replace
    their value; ``schedule`` merges like a job's ``job_schedule`` (a
    patch naming any ``schedule_*`` key replaces the stored set, other
    keys merge one by one, ``null`` removes; ``"schedule": null`` changes
    nothing); ignored fields as on create; the value rules apply to the
    keys sent.

    :param record: dict, the stored record.
    :param patch: the decoded PATCH body.
    :param limits: :class:`freezer_core.limits.Limits`.
    :returns: :class:`SessionWrite` whose ``document`` is the whole merged
        client document; ``member_tag`` is the sent ``session_tag`` or
        None.
    :raises errors.ValidationError: as :func:`validate_create`.
    """
    sent = _client_part(patch, limits)
    document = {k: copy.deepcopy(record[k]) for k in CLIENT_KEYS}
    for key, value in sent.items():
        if key == 'schedule':
            document[key] = schedule.merge(record['schedule'], value)
        else:
            document[key] = copy.deepcopy(value)
    return SessionWrite(document, sent.get('session_tag'))


def member_snapshot(job_record):
    """The ``jobs`` map entry of a job joining a session.

    Rules: spec ``sessions.md``, "Membership": ``client_id`` and the
    job's ``status``, ``result``, ``time_started``, ``time_ended`` as
    they are (``""``/-1 when unset).

    :param job_record: dict, a job record (``client_id``,
        ``job_schedule``).
    :returns: dict with the :data:`MEMBER_KEYS`.
    """
    job_schedule = job_record.get('job_schedule') or {}
    return {'client_id': job_record['client_id'],
            'status': job_schedule.get('status', ''),
            'result': job_schedule.get('result', ''),
            'time_started': job_schedule.get('time_started', -1),
            'time_ended': job_schedule.get('time_ended', -1)}


def joined_job(job_record, session_record):
    """What a job becomes when added to a session (``PUT .../jobs/{id}``).

    Rules: spec ``sessions.md``, "Membership": ``session_id`` and
    ``session_tag`` are the session's; the job's ``schedule_*`` keys are
    replaced by the session's ``schedule_*`` keys; its ``event``,
    ``status``, ``result``, ``time_*`` and ``current_pid`` are kept.
    Re-adding gives the same answer (idempotent).

    :param job_record: dict, the job record.
    :param session_record: dict, the session record.
    :returns: dict of the job fields to write: ``session_id`` (str),
        ``session_tag`` (int), ``job_schedule`` (dict).
    """
    return {'session_id': session_record['session_id'],
            'session_tag': session_record['session_tag'],
            'job_schedule': schedule.with_schedule_of(
                job_record['job_schedule'], session_record['schedule'])}


def detached_job():
    """What a member job becomes when its session is deleted.

    Rules: spec ``sessions.md``, "Writes", DELETE (members are not
    stopped: they go on running on their own schedules).

    :returns: dict ``{'session_id': '', 'session_tag': 0}``.
    """
    return {'session_id': '', 'session_tag': 0}


def removed_job(job_record):
    """What a job becomes when removed from a session
    (``DELETE .../jobs/{id}``).

    Rules: spec ``sessions.md``, "Membership": ``session_id`` ``""``,
    ``session_tag`` 0 and ``job_schedule.event`` ``stop``; the other
    schedule keys are kept.

    :param job_record: dict, the job record.
    :returns: dict of the job fields to write: ``session_id``,
        ``session_tag``, ``job_schedule``.
    """
    job_schedule = copy.deepcopy(job_record['job_schedule'])
    job_schedule['event'] = 'stop'
    return dict(detached_job(), job_schedule=job_schedule)


def with_member(session_record, job_record):
    """The ``jobs`` map after adding (or re-adding) a job.

    :param session_record: dict, the session record.
    :param job_record: dict, the job record (``job_id``, ``client_id``,
        ``job_schedule``).
    :returns: dict, the new ``jobs`` map (the record is not modified).
    """
    jobs = copy.deepcopy(session_record.get('jobs') or {})
    jobs[job_record['job_id']] = member_snapshot(job_record)
    return jobs


def not_member(session_id, job_id):
    """The error of a job that is not a member of a session.

    :param session_id: str.
    :param job_id: str.
    :returns: :class:`freezer_core.errors.NotFound` (404 on membership
        DELETE, spec "Membership").
    """
    return errors.NotFound('Job %s is not a member of session %s'
                           % (job_id, session_id))


def view(record):
    """The session document GET returns.

    Rules: spec ``sessions.md``, "The session document": ``jobs`` is
    always an object, ``{}`` when empty (freezer-web-ui calls
    ``.keys()`` on it).

    :param record: dict with the :data:`RECORD_KEYS`.
    :returns: a new dict, keys in :data:`RECORD_KEYS` order.
    """
    shown = {key: copy.deepcopy(record.get(key)) for key in RECORD_KEYS}
    if not shown['jobs']:
        shown['jobs'] = {}
    if shown['schedule'] is None:
        shown['schedule'] = {}
    return shown


def search_view(record):
    """The part of a record that search keys and free text look at.

    Rules: spec ``sessions.md``, "Listing" (search sees the returned
    document, ``jobs`` map included); the bookkeeping fields are left
    out, as for actions.

    :param record: dict, as for :func:`view`.
    :returns: dict: :func:`view` without ``_version``, ``created_at`` and
        ``updated_at``.
    """
    shown = view(record)
    for key in _BOOKKEEPING:
        del shown[key]
    return shown


def client_document(record):
    """Extract the client part of a record (what a client may send back).

    :param record: dict with at least the :data:`CLIENT_KEYS`.
    :returns: dict with ``description``, ``hold_off``, ``schedule`` and
        ``session_tag``.
    """
    return {k: copy.deepcopy(record[k]) for k in CLIENT_KEYS}
