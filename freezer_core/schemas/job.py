"""JSON Schema of the client part of a job document.

Sources: spec ``jobs.md``, "The job document" (``job_id``, ``client_id``
as :data:`freezer_core.schemas.client.CLIENT_ID`,
``description``, ``session_tag``, the server fields ignored when sent, an
unknown top-level key refused), "job_schedule" (the table, as
:data:`freezer_core.schemas.schedule.SCHEDULE_SCHEMA`) and "job_actions"
(entries are objects; what an entry may hold depends on whether it is a
reference or inline, decided in :mod:`freezer_core.job_actions`).

Server fields are removed before validation (:mod:`freezer_core.jobs`),
so they never reach these schemas.
"""

from freezer_core import schemas
from freezer_core.schemas import client
from freezer_core.schemas import schedule

#: ``job_id``: 1-64 characters of ``[A-Za-z0-9_-]`` (spec), as an action id.
JOB_ID_PATTERN = schemas.SHORT_ID_PATTERN

#: Longest ``description`` (characters).
DESCRIPTION_MAX_LENGTH = 255

#: Largest ``session_tag`` (a signed 32-bit column on every engine).
MAX_SESSION_TAG = schemas.MAX_INT32

#: Fields owned by the server, ignored when a client sends them (spec:
#: a GET body can be sent back; ``session_name`` is upstream's, never
#: stored; ``user_credentials`` is set only by the trust code).
SERVER_FIELDS = schemas.SERVER_FIELDS + ('session_id', 'session_name',
                                         'user_credentials')

#: Top-level keys of a job entry in ``job_actions`` other than the action
#: document's own: ``exit_status`` is accepted and ignored (tempest).
ENTRY_IGNORED = ('exit_status',)


def _properties():
    return {
        'job_id': {'type': 'string', 'pattern': JOB_ID_PATTERN},
        'client_id': client.CLIENT_ID,
        'description': {'type': ['string', 'null'],
                        'maxLength': DESCRIPTION_MAX_LENGTH},
        'session_tag': {'type': 'integer', 'minimum': 0,
                        'maximum': MAX_SESSION_TAG},
        # A null job_schedule is dropped before validation (read as {}
        # on create, as no change on PATCH).
        'job_schedule': dict(schedule.SCHEDULE_SCHEMA, title='job_schedule'),
        'job_actions': {'type': 'array', 'items': {'type': 'object'}},
        'action_defaults': {'type': 'object'},
    }


#: Schema of a create or replace body (``client_id`` and ``job_actions``
#: required: spec, "The job document" and "Writes", Replace).
JOB_SCHEMA = {
    # The title names the document in "Unknown field" errors.
    'title': 'job document',
    'type': 'object',
    'properties': _properties(),
    'required': ['client_id', 'job_actions'],
    'additionalProperties': False,
}

#: Schema of a PATCH body: any subset, same value rules.
JOB_PATCH_SCHEMA = {
    'title': 'job document',
    'type': 'object',
    'properties': _properties(),
    'additionalProperties': False,
}
