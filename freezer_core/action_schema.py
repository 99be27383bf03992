"""Former home of the action schema, now :mod:`freezer_core.schemas.action`.

Kept only so that ``api/`` and ``freezer_core.storage``, which other
branches are reworking, still import; new code imports
:mod:`freezer_core.schemas.action`. Remove once no importer is left
(``grep -rn action_schema``).
"""

from freezer_core.schemas import action

ACTIONS = action.ACTIONS
MODES = action.MODES
STORAGES = action.STORAGES
ACTION_ID_PATTERN = action.ACTION_ID_PATTERN
MAX_ID_LENGTH = action.MAX_ID_LENGTH
MAX_INT32 = action.MAX_INT32
ACTION_SCHEMA = action.ACTION_SCHEMA
DEFAULTS = action.DEFAULTS
SERVER_FIELDS = action.SERVER_FIELDS
