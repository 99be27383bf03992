"""The session run protocol (``POST .../sessions/{session_id}/action``).

Rules: spec ``sessions.md``, "Run protocol". Schedulers call ``start``
before running a member job and ``end`` after; the session's
``session_tag`` counts the runs so that every member joins the same one.
Everything here is pure: the storage serialises the calls per session
(row lock or writer lock), hands the locked record and the time to
:func:`run_action` and writes what it returns.

A session *state* is the part of a record these functions change:
``session_tag``, ``status``, ``result``, ``time_start``, ``time_end`` and
the ``jobs`` map (see :mod:`freezer_core.sessions`).
"""

import copy

from freezer_core import documents
from freezer_core import errors
from freezer_core import sessions
from freezer_core.schemas import session as session_schema

#: Keys of a record that the protocol may change.
STATE_KEYS = ('session_tag', 'status', 'result', 'time_start', 'time_end',
              'jobs')


def _state(record):
    state = {k: copy.deepcopy(record[k]) for k in STATE_KEYS}
    state['jobs'] = state['jobs'] or {}
    return state


def parse_action(body):
    """Check the shape of a protocol body before the session is read.

    Rules: spec ``sessions.md``, "Run protocol": exactly one key,
    ``start`` (``job_id``, ``current_tag``) or ``end`` (``job_id``,
    ``result``); spec ``actions.md``, "Error precedence": a bad body
    (400) is answered before a missing session (404).

    :param body: the decoded request body.
    :returns: tuple ``(name, params)``: ``'start'`` or ``'end'`` and its
        parameters (dict).
    :raises freezer_core.errors.ValidationError: another shape, a missing
        or invalid parameter (named, e.g. ``start.current_tag``).
    """
    documents.require_object(body, 'session action')
    unknown = sorted(k for k in body if k not in ('start', 'end'))
    if unknown:
        raise documents.error(unknown[0], 'unknown session action; one of '
                              'start, end', 'additionalProperties')
    documents.raise_first(documents.check(session_schema.ACTION_SCHEMA,
                                          body))
    (name, params), = body.items()
    return name, params


def _member(record, job_id):
    jobs = record.get('jobs') or {}
    if job_id not in jobs:
        raise errors.Unprocessable(
            'job_id: job %s is not a member of session %s'
            % (job_id, record['session_id']))


def _start(record, params, now):
    current_tag = int(params['current_tag'])
    session_tag = record['session_tag']
    job_id = params['job_id']
    if current_tag > session_tag:
        raise documents.error(
            'start.current_tag', 'tag too high: %d is above the session '
            'tag %d' % (current_tag, session_tag), 'tag-too-high')
    in_hold_off = now - record['time_start'] <= record['hold_off']
    if current_tag == session_tag and in_hold_off:
        return None, {}, 'hold-off'
    if current_tag < session_tag and not in_hold_off:
        return None, {}, 'out-of-sync'
    state = _state(record)
    changed = [job_id]
    if current_tag == session_tag:
        # A new run: every other member starts it afresh.
        state.update(session_tag=session_tag + 1, time_start=now,
                     status='running', result='')
        for member in state['jobs'].values():
            member.update(status='', result='')
        changed = list(state['jobs'])
    state['jobs'][job_id].update(status='running', result='',
                                 time_started=now)
    return state, {k: state['jobs'][k] for k in changed}, 'success'


def completion(state, now):
    """Complete a running session whose members are all completed.

    Rules: spec ``sessions.md``, "Run protocol", ``end``: when every
    member is ``completed`` the session becomes ``completed`` with
    ``time_end`` = now and ``result`` ``success`` if every member
    succeeded, else ``fail``; applied again whenever a member leaves, so
    a session never waits for a job it no longer has. Only a ``running``
    session completes: an ``active`` one has no run to finish, and a
    ``completed`` one is left alone.

    :param state: dict with the :data:`STATE_KEYS` (or a whole record).
    :param now: int, epoch seconds.
    :returns: a new dict, ``state`` with the completion applied (or an
        unchanged copy).
    """
    state = copy.deepcopy(state)
    members = (state.get('jobs') or {}).values()
    if state['status'] != 'running' or any(
            member.get('status') != 'completed' for member in members):
        return state
    success = all(member.get('result') == 'success' for member in members)
    state.update(status='completed', time_end=now,
                 result='success' if success else 'fail')
    return state


def _end(record, params, now):
    state = _state(record)
    state['jobs'][params['job_id']].update(
        status='completed', result=params['result'], time_ended=now)
    state = completion(state, now)
    return state, {params['job_id']: state['jobs'][params['job_id']]}, \
        'success'


def run_action(record, body, now):
    """Run one protocol call (``start`` or ``end``) on a locked session.

    Rules: spec ``sessions.md``, "Run protocol". The body holds exactly
    one key. ``start`` needs ``job_id`` and ``current_tag`` (an integer
    or a string of decimal digits); ``end`` needs ``job_id`` and
    ``result`` (``success``, ``fail`` or ``aborted``; ``current_tag`` is
    ignored). The job must be a member (checked before any tag rule).
    With ``since = now - time_start``:

    ============================================  =======================
    condition                                     outcome
    ============================================  =======================
    ``current_tag > session_tag``                 400 ``tag too high``
    ``since <= hold_off``, tag < session's        member running, success
    ``since <= hold_off``, tag = session's        ``hold-off``
    ``since > hold_off``, tag = session's         new run, ``success``
    ``since > hold_off``, tag < session's         ``out-of-sync``
    ============================================  =======================

    ``end`` marks the member ``completed`` with its result and
    ``time_ended`` = now, then applies :func:`completion`; the result is
    ``success``.

    :param record: dict, the session record (at least ``session_id``,
        ``hold_off`` and the :data:`STATE_KEYS`), read under the
        session's lock.
    :param body: the decoded request body.
    :param now: int, epoch seconds.
    :returns: tuple ``(new_state, job_changes, result, session_tag)``:
        ``new_state`` a dict with the :data:`STATE_KEYS` to write, or
        None when nothing changes (no version bump); ``job_changes`` a
        dict ``{job_id: member}`` of the ``jobs`` map entries that
        changed (empty when nothing changes); ``result`` the str of the
        202 body (``success``, ``hold-off``, ``out-of-sync``);
        ``session_tag`` the int tag after the call, also for the body.
    :raises freezer_core.errors.ValidationError: another body shape, a
        missing or invalid parameter (named, e.g. ``start.current_tag``,
        ``end.result``), or ``tag too high`` (rule ``tag-too-high``).
    :raises errors.Unprocessable: ``job_id`` is not a member (422).
    """
    name, params = parse_action(body)
    _member(record, params['job_id'])
    if name == 'start':
        state, changes, result = _start(record, params, now)
    else:
        state, changes, result = _end(record, params, now)
    tag = record['session_tag'] if state is None else state['session_tag']
    return state, changes, result, tag


def without_member(record, job_id, now):
    """The session state after a member leaves (membership or job DELETE).

    Rules: spec ``sessions.md``, "Membership" (the entry leaves the
    ``jobs`` map) and "Run protocol" (:func:`completion` applies again).

    :param record: dict, the session record.
    :param job_id: str, a member's id.
    :param now: int, epoch seconds.
    :returns: dict with the :data:`STATE_KEYS` to write.
    :raises freezer_core.errors.NotFound: the job is not a member (404).
    """
    state = _state(record)
    if job_id not in state['jobs']:
        raise sessions.not_member(record['session_id'], job_id)
    del state['jobs'][job_id]
    return completion(state, now)
