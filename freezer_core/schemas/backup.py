"""JSON Schemas of a backup record's client part: status and metadata.

Sources: spec ``backups.md``, "The backup document" (the statuses and
their default, the server fields), "Validation (POST)" (``backup_name``
required and non-empty; ``container`` and ``hostname`` required unless
the status is ``creating``, ``error`` or ``deleting``; ``job_id`` a string
of at most 255 characters or null; every other key free) and "PATCH"
(the structured shape; only a non-empty ``backup_name`` is kept as a
rule after a merge).

Server fields are removed and the ``status`` split off the metadata
before or while validating (:mod:`freezer_core.backups`).
"""

from freezer_core import schemas

#: Values of ``status`` (spec).
STATUSES = ('creating', 'available', 'restoring', 'error', 'deleting',
            'deleted')

#: ``status`` when a POST gives none.
DEFAULT_STATUS = 'available'

#: Statuses of records that may lack ``container`` and ``hostname``
#: (compat: 19.0.0's rule for pre-created records).
WITHOUT_LOCATION = ('creating', 'error', 'deleting')

#: Longest ``job_id`` (characters; it is indexed).
JOB_ID_MAX_LENGTH = 255

#: Fields owned by the server: ignored when sent and never stored in the
#: metadata (upstream stored a posted ``backup_id`` there).
SERVER_FIELDS = schemas.SERVER_FIELDS + ('backup_id',)

_NAME = {'type': 'string', 'minLength': 1}
_JOB_ID = {'type': ['string', 'null'], 'maxLength': JOB_ID_MAX_LENGTH}
_STATUS = {'enum': list(STATUSES)}

#: A POST body, flat: the metadata plus an optional ``status``. Other keys
#: are free (agent versions differ).
CREATE_SCHEMA = {
    '$schema': 'https://json-schema.org/draft/2020-12/schema',
    'title': 'backup document',
    'type': 'object',
    'properties': {
        'status': _STATUS,
        'backup_name': _NAME,
        'container': {'type': ['string', 'null'], 'minLength': 1},
        'hostname': {'type': ['string', 'null'], 'minLength': 1},
        'job_id': _JOB_ID,
    },
    'required': ['backup_name'],
    # A record that is not being created, failed or deleted says where
    # the backup is.
    'if': {'properties': {'status': {'enum': list(WITHOUT_LOCATION)}},
           'required': ['status']},
    'else': {'properties': {'container': {'type': 'string'},
                            'hostname': {'type': 'string'}},
             'required': ['container', 'hostname']},
}

#: Metadata after a PATCH, or posted with a ``backup_id`` (the scheduler's
#: fallback after a failed PATCH): only a non-empty ``backup_name`` is
#: required; ``job_id`` stays a short string or null (it is indexed).
METADATA_SCHEMA = {
    '$schema': 'https://json-schema.org/draft/2020-12/schema',
    'title': 'backup metadata',
    'type': 'object',
    'properties': {
        'status': _STATUS,
        'backup_name': _NAME,
        'job_id': _JOB_ID,
    },
    'required': ['backup_name'],
}

#: The structured shape of a PATCH body or of a GET body posted again:
#: ``status`` and ``backup_metadata`` only (server fields removed first).
STRUCTURED_SCHEMA = {
    '$schema': 'https://json-schema.org/draft/2020-12/schema',
    'title': 'backup document',
    'type': 'object',
    'properties': {
        'status': _STATUS,
        'backup_metadata': {'type': 'object'},
    },
    'additionalProperties': False,
}
