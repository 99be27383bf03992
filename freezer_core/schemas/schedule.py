"""JSON Schema of a schedule (a job's ``job_schedule``, a session's
``schedule``).

Sources of each rule: spec ``jobs.md``, "job_schedule" (the table), which
``sessions.md`` ("The session document") reuses for ``schedule``. The
patterns are what the schedulers that read the values can parse:

* ``schedule_date``: what APScheduler's date trigger (the 19.x scheduler
  hands it the string) parses; a real calendar date is also checked in
  :mod:`freezer_core.schedule`, since a pattern cannot;
* ``schedule_interval``: ``continuous`` or ``<N> <unit>``; the scheduler
  splits on one space and builds ``timedelta(unit=N)``. N has at most 8
  digits so that even ``weeks`` stays inside ``timedelta``'s range
  (999,999,999 days), where a larger N would crash the scheduler;
* ``schedule_start_date``/``schedule_end_date``: exactly the
  ``%Y-%m-%dT%H:%M:%S`` that freezer <= 18 schedulers ``strptime``.

Every key also accepts ``null``: a null value means "absent" (on PATCH,
"remove"), except a job's ``event``, where it means ``""``
(:mod:`freezer_core.jobs`).
A ``$`` in a pattern is followed by ``(?!\\n)``: jsonschema searches with
Python's ``re``, whose ``$`` also matches before a final newline.
"""

#: Values of ``event`` (``""`` = no event).
EVENTS = ('', 'start', 'stop', 'abort')
#: Values of ``status``.
STATUSES = ('', 'completed', 'stop', 'scheduled', 'running', 'aborting',
            'removed')
#: Values of ``result``.
RESULTS = ('', 'success', 'fail', 'aborted')

#: The keys that describe when a job runs; a PATCH naming any of them
#: replaces the whole set, and only they are copied from a session into
#: its member jobs (spec ``jobs.md``, "Writes"; ``sessions.md``,
#: "Membership").
SCHEDULE_KEYS = ('schedule_date', 'schedule_interval', 'schedule_start_date',
                 'schedule_end_date', 'schedule_year', 'schedule_month',
                 'schedule_day', 'schedule_week', 'schedule_day_of_week',
                 'schedule_hour', 'schedule_minute', 'schedule_second')

#: Cron-style fields: a string of at most 64 characters.
CRON_KEYS = ('schedule_month', 'schedule_day', 'schedule_week',
             'schedule_day_of_week', 'schedule_hour', 'schedule_minute',
             'schedule_second')

#: Keys holding a date string checked against the calendar after the
#: pattern (see :func:`freezer_core.schedule.check_dates`).
DATE_KEYS = ('schedule_date', 'schedule_start_date', 'schedule_end_date')

#: Largest integer of a time or pid (a signed 64-bit value, as every
#: integer the API accepts: spec ``actions.md``, "Numbers").
MAX_INT64 = 2 ** 63 - 1

_END = '$(?!\\n)'
DATE_PATTERN = ('^[0-9]{4}-[0-9]{2}-[0-9]{2}'
                '(T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?'
                '(Z|[+-][0-9]{2}:[0-9]{2})?)?' + _END)
EXACT_DATE_PATTERN = ('^[0-9]{4}-[0-9]{2}-[0-9]{2}'
                      'T[0-9]{2}:[0-9]{2}:[0-9]{2}' + _END)
INTERVAL_PATTERN = ('^(continuous|0*[1-9][0-9]{0,7} '
                    '(weeks|days|hours|minutes|seconds))' + _END)
YEAR_PATTERN = '^[0-9]{4}' + _END


def _nullable(schema):
    schema = dict(schema)
    if 'enum' in schema:
        schema['enum'] = list(schema['enum']) + [None]
    else:
        schema['type'] = [schema['type'], 'null']
    return schema


def _time():
    return {'type': 'integer', 'minimum': -1, 'maximum': MAX_INT64}


def _properties():
    props = {
        'time_created': _time(),
        'time_started': _time(),
        'time_ended': _time(),
        'event': {'enum': list(EVENTS)},
        'status': {'enum': list(STATUSES)},
        'result': {'enum': list(RESULTS)},
        'current_pid': {'type': 'integer', 'minimum': 0,
                        'maximum': MAX_INT64},
        'schedule_date': {'type': 'string', 'pattern': DATE_PATTERN},
        'schedule_interval': {'type': 'string',
                              'pattern': INTERVAL_PATTERN},
        'schedule_start_date': {'type': 'string',
                                'pattern': EXACT_DATE_PATTERN},
        'schedule_end_date': {'type': 'string',
                              'pattern': EXACT_DATE_PATTERN},
        'schedule_year': {'type': 'string', 'pattern': YEAR_PATTERN},
    }
    for key in CRON_KEYS:
        props[key] = {'type': 'string', 'maxLength': 64}
    return {key: _nullable(schema) for key, schema in props.items()}


#: Schema of a schedule object as a client sends it (Draft 2020-12).
#: Every key is optional and nullable; any other key is refused.
SCHEDULE_SCHEMA = {
    'title': 'schedule',
    'type': 'object',
    'properties': _properties(),
    'additionalProperties': False,
}
