"""Rules shared by a job's ``job_schedule`` and a session's ``schedule``.

The value rules are the JSON Schema :data:`SCHEDULE_SCHEMA
<freezer_core.schemas.schedule.SCHEDULE_SCHEMA>`, plus the calendar check
of :func:`check_dates`; this module holds what a schema cannot say: the
PATCH merge with the ``schedule_*`` keys as one unit (spec ``jobs.md``,
"Writes"; ``sessions.md``, "Writes") and the copy of a session's
``schedule_*`` keys into a member job (``sessions.md``, "Membership").
"""

import copy
import datetime

from freezer_core import documents
from freezer_core.schemas import schedule as schedule_schema

#: Re-exported: the keys merged and copied as one unit.
SCHEDULE_KEYS = schedule_schema.SCHEDULE_KEYS

_FORMATS = ('%Y-%m-%d', '%Y-%m-%dT%H:%M:%S')


def _is_calendar_date(text):
    # The pattern has fixed the shape; strptime checks month, day (leap
    # years included), hour, minute and second ranges on the part before
    # any fraction or zone, which APScheduler hands to datetime() too.
    head = text[:19]
    for fmt in _FORMATS:
        try:
            datetime.datetime.strptime(head, fmt)
            return True
        except ValueError:
            continue
    return False


def check_dates(schedule, prefix):
    """Refuse a date string that matches its pattern but no calendar day.

    Rules: spec ``jobs.md``, "job_schedule" (``schedule_date``,
    ``schedule_start_date``, ``schedule_end_date`` must be parsable by the
    scheduler, which builds a ``datetime`` from them).

    :param schedule: dict, a schedule whose values passed the schema
        (strings or None).
    :param prefix: str, path of the schedule, e.g. ``'job_schedule'``.
    :raises errors.ValidationError: e.g. ``2026-02-30`` or ``T24:00:00``
        (rule ``format``), naming ``<prefix>.<key>``.
    """
    for key in schedule_schema.DATE_KEYS:
        value = schedule.get(key)
        if isinstance(value, str) and not _is_calendar_date(value):
            raise documents.error(documents.join(prefix, (key,)),
                                  '%r is not a date of the calendar'
                                  % value, 'format')


def without_nulls(schedule):
    """Drop the keys whose value is ``null`` (null means absent).

    :param schedule: dict.
    :returns: a new dict (values deep-copied).
    """
    return {k: copy.deepcopy(v) for k, v in schedule.items()
            if v is not None}


def schedule_part(schedule):
    """The ``schedule_*`` keys of a schedule (when a job or session runs).

    :param schedule: dict, a stored schedule.
    :returns: a new dict with only the :data:`SCHEDULE_KEYS` present.
    """
    return {k: copy.deepcopy(v) for k, v in schedule.items()
            if k in SCHEDULE_KEYS}


def merge(current, patch):
    """Merge a PATCH's schedule into a stored one.

    Rules: spec ``jobs.md``, "Writes", and ``sessions.md``, "Writes": if
    the patch names any ``schedule_*`` key, the stored ``schedule_*`` set
    is replaced by the patch's (a client clears a field by leaving it
    out); every other key merges one by one; a ``null`` value removes its
    key. Special values (a job's ``event: null``) are the caller's to
    translate before the merge.

    :param current: dict, the stored schedule (not modified).
    :param patch: dict, the schedule sent, already validated.
    :returns: dict, the new schedule.
    """
    merged = copy.deepcopy(current)
    if any(key in SCHEDULE_KEYS for key in patch):
        merged = {k: v for k, v in merged.items() if k not in SCHEDULE_KEYS}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def with_schedule_of(schedule, source):
    """Replace the ``schedule_*`` keys of a schedule by another's.

    Rules: spec ``sessions.md``, "Membership": a job joining a session
    gets the session's ``schedule_*`` keys; its ``event``, ``status``,
    ``result``, ``time_*`` and ``current_pid`` are kept.

    :param schedule: dict, the job's ``job_schedule`` (not modified).
    :param source: dict, the session's ``schedule``.
    :returns: dict, the job's new ``job_schedule``.
    """
    kept = {k: copy.deepcopy(v) for k, v in schedule.items()
            if k not in SCHEDULE_KEYS}
    kept.update(schedule_part(source))
    return kept
