"""JSON Schemas of the session document and of the run protocol bodies.

Sources: spec ``sessions.md``, "The session document" (``description``,
``hold_off``, ``session_tag``, ``schedule`` with the value rules of a
job's ``job_schedule``, server fields and web UI form fields ignored, any
other key refused) and "Run protocol" (``start``/``end`` parameters).
Ignored fields are removed before validation (:mod:`freezer_core.sessions`).
"""

from freezer_core import schemas
from freezer_core.schemas import job
from freezer_core.schemas import schedule

#: Default ``hold_off`` (seconds).
DEFAULT_HOLD_OFF = 30

#: Largest ``hold_off`` and ``session_tag`` (a signed 32-bit column).
MAX_INT32 = schemas.MAX_INT32

#: Fields owned by the server, ignored when sent (so a GET body can be
#: sent back; tempest sends ``jobs`` as a list).
SERVER_FIELDS = schemas.SERVER_FIELDS + (
    'session_id', 'status', 'result', 'time_start', 'time_end',
    'time_started', 'time_ended', 'jobs')

#: freezer-web-ui form fields and freezerclient's display field: accepted
#: and ignored.
IGNORED_FIELDS = ('interval_unit', 'interval_value', 'last_start')

#: Values of an ``end``'s ``result``.
END_RESULTS = ('success', 'fail', 'aborted')

#: ``current_tag``: an integer, or a string of decimal digits (the CLI's
#: ``session-start --job-tag`` sends a string).
TAG_PATTERN = '^[0-9]{1,10}$(?!\\n)'


def _properties():
    return {
        'description': {'type': ['string', 'null'],
                        'maxLength': job.DESCRIPTION_MAX_LENGTH},
        'hold_off': {'type': 'integer', 'minimum': 0,
                     'maximum': MAX_INT32},
        'session_tag': {'type': 'integer', 'minimum': 0,
                        'maximum': MAX_INT32},
        # A null schedule is dropped before validation.
        'schedule': schedule.SCHEDULE_SCHEMA,
    }


#: Schema of a create, replace or PATCH body (every key optional).
SESSION_SCHEMA = {
    # The title names the document in "Unknown field" errors.
    'title': 'session document',
    'type': 'object',
    'properties': _properties(),
    'additionalProperties': False,
}

_JOB_ID = {'type': 'string', 'minLength': 1}
_TAG = {'anyOf': [{'type': 'integer', 'minimum': 0,
                   'maximum': MAX_INT32},
                  {'type': 'string', 'pattern': TAG_PATTERN}]}

#: Schema of the run protocol body: exactly one of ``start`` or ``end``.
ACTION_SCHEMA = {
    'title': 'session action',
    'type': 'object',
    'properties': {
        'start': {
            'type': 'object',
            'properties': {'job_id': _JOB_ID, 'current_tag': _TAG},
            'required': ['job_id', 'current_tag'],
            'additionalProperties': False,
        },
        'end': {
            'type': 'object',
            'properties': {'job_id': _JOB_ID,
                           'result': {'enum': list(END_RESULTS)},
                           'current_tag': {}},
            'required': ['job_id', 'result'],
            'additionalProperties': False,
        },
    },
    'additionalProperties': False,
    'minProperties': 1,
    'maxProperties': 1,
}
