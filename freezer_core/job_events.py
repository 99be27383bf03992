"""Job events: ``POST .../jobs/{job_id}/event`` (spec ``jobs.md``, "Events").

Users start, stop and abort jobs by setting ``job_schedule.event``; the
job's scheduler reads it on its next poll. Only values the scheduler can
handle are ever stored.
"""

import copy

from freezer_core import documents
from freezer_core import errors
from freezer_core import jobs

#: Bodies of ``POST .../jobs/{job_id}/event``.
EVENTS = ('start', 'stop', 'abort')


def apply_event(job_schedule, body):
    """Apply an event (``POST .../jobs/{job_id}/event``) to a schedule.

    Rules: spec ``jobs.md``, "Events": the body is an object with exactly
    one key, ``start``, ``stop`` or ``abort`` (its value ignored). If
    ``event`` differs it is set (``start`` also sets ``status`` and
    ``result`` to ``""``) and the result is ``success``; otherwise nothing
    is to be written and the result is ``'<event> already requested'``.
    ``abort`` on a job with no integer ``current_pid`` is a conflict.

    :param job_schedule: dict, the stored ``job_schedule`` (not modified).
    :param body: the decoded request body.
    :returns: tuple ``(new_schedule, result)``: ``new_schedule`` the dict
        to store, or None when nothing is to be written (no version
        bump); ``result`` the str for the 202 body.
    :raises errors.ValidationError: another body (rule ``type``,
        ``maxProperties``/``minProperties`` or ``enum``).
    :raises errors.Conflict: ``abort`` with no ``current_pid`` (409).
    """
    documents.require_object(body, 'event body')
    if len(body) != 1:
        raise documents.error(
            None, 'An event body holds exactly one of %s'
            % ', '.join(EVENTS),
            'maxProperties' if body else 'minProperties', show_path=False)
    event = next(iter(body))
    if event not in EVENTS:
        raise documents.error(event, 'unknown event; one of %s'
                              % ', '.join(EVENTS), 'enum')
    if event == 'abort' and not jobs.is_pid(job_schedule.get('current_pid')):
        raise errors.Conflict('job_schedule.current_pid: the job has no '
                              'running process to abort')
    if job_schedule.get('event', '') == event:
        return None, '%s already requested' % event
    new_schedule = copy.deepcopy(job_schedule)
    new_schedule['event'] = event
    if event == 'start':
        new_schedule['status'] = ''
        new_schedule['result'] = ''
    return new_schedule, 'success'
