"""JSON Schema of the client part of an action document.

Sources of each rule:

* top-level shape, defaults of ``max_retries`` (5), ``max_retries_interval``
  (6 s) and ``mandatory`` (false), the ``action``/``mode``/``storage``
  enums and the ``action_id`` pattern: spec ``actions.md``, "The action
  document";
* the known agent keys and their types: the freezer agent's command line
  options (``freezer/common/config.py`` upstream), widened where deployed
  clients send another type: ``hostname``, ``max_cpu_priority``,
  ``no_incremental`` are sent as booleans by freezer-tempest-plugin and
  python-freezerclient examples, so they accept booleans too.

Unknown agent keys are allowed and kept as sent. Server fields are removed
before validation (see :mod:`freezer_core.actions`), so they never reach
this schema. The ``action``, ``mode`` and ``storage`` enums are also the
values of a client's ``supported_*`` lists (spec ``clients.md``), which
:mod:`freezer_core.schemas.client` takes from here.
"""

from freezer_core import schemas

#: Values of ``freezer_action.action``.
ACTIONS = ('backup', 'restore', 'info', 'admin', 'exec')
#: Values of ``freezer_action.mode`` (null also allowed).
MODES = ('fs', 'mongo', 'mysql', 'sqlserver', 'cinder', 'glance',
         'cindernative', 'nova')
#: Values of ``freezer_action.storage`` (null also allowed).
STORAGES = ('local', 'swift', 'ssh', 's3', 'ftp', 'ftps')

#: ``action_id``: 1-64 characters of ``[A-Za-z0-9_-]``.
ACTION_ID_PATTERN = schemas.SHORT_ID_PATTERN

#: Longest project or user id (see :data:`freezer_core.schemas.
#: MAX_ID_LENGTH`).
MAX_ID_LENGTH = schemas.MAX_ID_LENGTH

#: Largest integer of ``max_retries`` and ``max_retries_interval``.
MAX_INT32 = schemas.MAX_INT32

_STRING = {'type': ['string', 'null']}
_INTEGER = {'type': ['integer', 'null']}
_NUMBER = {'type': ['number', 'null']}
_BOOLEAN = {'type': ['boolean', 'null']}
_STRING_OR_BOOLEAN = {'type': ['string', 'boolean', 'null']}

_STRING_KEYS = (
    'backup_name', 'container', 'path_to_backup', 'src_file',
    'restore_abs_path', 'restore_from_date', 'remove_from_date',
    'log_file', 'log_level', 'encrypt_pass_file', 'command', 'mysql_conf',
    'sql_server_conf', 'cinder_vol_id', 'cindernative_vol_id',
    'nova_inst_id', 'glance_image_id', 'ssh_key', 'ssh_username',
    'ssh_host', 'exclude', 'compression', 'lvm_auto_snap', 'lvm_srcvol',
    'lvm_snapname', 'lvm_snapsize', 'lvm_dirmount', 'lvm_volgroup',
    'metadata_out', 'dereference_symlink', 'proxy', 'shadow',
    'shadow_path', 'windows_volume', 'endpoint', 'access_key',
    'secret_key', 'region_name', 'engine_name', 'project_id',
    'consistency_checksum',
)
_INTEGER_KEYS = (
    'max_level', 'always_level', 'max_backup_level', 'always_backup_level',
    'max_segment_size', 'upload_limit', 'download_limit', 'ssh_port',
    'timeout',
)
_NUMBER_KEYS = ('restart_always_level', 'remove_older_than')
_BOOLEAN_KEYS = ('quiet', 'insecure', 'dry_run', 'overwrite',
                 'consistency_check')
_STRING_OR_BOOLEAN_KEYS = ('hostname', 'no_incremental',
                           'max_cpu_priority', 'max_priority', 'snapshot')


def _agent_properties():
    props = {}
    for names, schema in ((_STRING_KEYS, _STRING),
                          (_INTEGER_KEYS, _INTEGER),
                          (_NUMBER_KEYS, _NUMBER),
                          (_BOOLEAN_KEYS, _BOOLEAN),
                          (_STRING_OR_BOOLEAN_KEYS, _STRING_OR_BOOLEAN)):
        for name in names:
            props[name] = dict(schema)
    props['action'] = {'type': 'string', 'enum': list(ACTIONS)}
    props['mode'] = {'enum': list(MODES) + [None]}
    # null: the spec allows null for every optional known key ("null
    # allowed for optional ones"); only ``action`` is required.
    props['storage'] = {'enum': list(STORAGES) + [None]}
    return props


#: Schema of what a client sends on create and replace, after server
#: fields were removed (Draft 2020-12).
ACTION_SCHEMA = {
    '$schema': 'https://json-schema.org/draft/2020-12/schema',
    # The title names the document in "Unknown field" errors.
    'title': 'action document',
    'type': 'object',
    'properties': {
        'action_id': {'type': 'string', 'pattern': ACTION_ID_PATTERN},
        'freezer_action': {
            'type': 'object',
            'properties': _agent_properties(),
            'required': ['action'],
            'additionalProperties': True,
        },
        'max_retries': {'type': 'integer', 'minimum': 0,
                        'maximum': MAX_INT32},
        'max_retries_interval': {'type': 'integer', 'minimum': 0,
                                 'maximum': MAX_INT32},
        'mandatory': {'type': 'boolean'},
    },
    'required': ['freezer_action'],
    'additionalProperties': False,
}

#: Defaults of the optional top-level fields (spec).
DEFAULTS = {'max_retries': 5, 'max_retries_interval': 6, 'mandatory': False}

#: Fields owned by the server: ignored when a client sends them.
SERVER_FIELDS = schemas.SERVER_FIELDS
