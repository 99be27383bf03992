"""The action repository: the actions table's row mapping.

Everything else (transactions, search, paging, versions, the index) is
the generic :class:`freezer_core.storage.repository.Repository`; the
domain rules are :mod:`freezer_core.actions`.
"""

import json

from freezer_core import actions as domain
from freezer_core import jsondoc
from freezer_core.storage import models
from freezer_core.storage import repository


class ActionRepository(repository.Repository):
    """Stores and queries actions (spec ``actions.md``).

    :param database: :class:`freezer_core.storage.database.Database`.
    :param driver_limit: see :class:`repository.Repository`.
    """

    index = models.ACTION_INDEX
    id_name = 'action_id'
    noun = 'Action'

    def content_columns(self, document):
        """The columns of a validated action document (the agent
        document kept as the JSON text sent, key for key)."""
        return {
            'freezer_action': jsondoc.dumps(document['freezer_action']),
            'max_retries': document['max_retries'],
            'max_retries_interval': document['max_retries_interval'],
            'mandatory': document['mandatory'],
        }

    def content(self, row):
        """The content keys of an action record."""
        return {
            'freezer_action': json.loads(row.freezer_action),
            'max_retries': row.max_retries,
            'max_retries_interval': row.max_retries_interval,
            'mandatory': bool(row.mandatory),
        }

    def search_view(self, record):
        """:func:`freezer_core.actions.search_view`."""
        return domain.search_view(record)

    def client_document(self, record):
        """:func:`freezer_core.actions.client_document`."""
        return domain.client_document(record)

    def new_id(self):
        """:func:`freezer_core.actions.new_action_id`."""
        return domain.new_action_id()
