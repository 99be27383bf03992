"""The backup repository: the backups table's row mapping and the time
range filter.

Everything else (transactions, search, paging, versions, the index) is
the generic :class:`freezer_core.storage.repository.Repository`; the
domain rules are :mod:`freezer_core.backups`.
"""

import json

from freezer_core import backups as domain
from freezer_core import jsondoc
from freezer_core.storage import models
from freezer_core.storage import repository


class BackupRepository(repository.Repository):
    """Stores and queries backup records (spec ``backups.md``).

    A client document is ``{"status": str, "backup_metadata": dict}``
    (what :func:`freezer_core.backups.parse_create` and
    :func:`freezer_core.backups.merge_patch` return, as a dict).

    :param database: :class:`freezer_core.storage.database.Database`.
    :param driver_limit: see :class:`repository.Repository`.
    """

    index = models.BACKUP_INDEX
    id_name = 'backup_id'
    noun = 'Backup'

    def content_columns(self, document):
        """The columns of a client document: the metadata as the JSON
        text sent, and the indexed ``status``, ``job_id`` (a string, else
        NULL) and ``time_stamp`` (:func:`freezer_core.backups.time_stamp`).
        """
        metadata = document['backup_metadata']
        job_id = metadata.get('job_id')
        return {
            'status': document['status'],
            'job_id': job_id if isinstance(job_id, str) else None,
            'time_stamp': domain.time_stamp(metadata),
            'backup_metadata': jsondoc.dumps(metadata),
        }

    def content(self, row):
        """The content keys of a backup record."""
        return {'status': row.status,
                'backup_metadata': json.loads(row.backup_metadata)}

    def search_view(self, record):
        """:func:`freezer_core.backups.search_view`."""
        return domain.search_view(record)

    def client_document(self, record):
        """:func:`freezer_core.backups.client_document` of a record."""
        return domain.client_document(record['status'],
                                      record['backup_metadata'])

    def new_id(self):
        """:func:`freezer_core.backups.new_backup_id`."""
        return domain.new_backup_id()

    def search(self, project_id, search, page, time_range=domain.ANY_TIME):
        """Return one page of a project's records matching a search and a
        time range, read whole (:meth:`search_page`).

        :returns: list of records, as :meth:`repository.Repository.list`.
        :raises errors.InvalidParameter: an unknown marker.
        """
        return self.search_page(project_id, search, page, time_range).records

    def search_page(self, project_id, search, page,
                    time_range=domain.ANY_TIME, batch_size=None):
        """Find one page of a project's records matching a search and a
        time range.

        The range is answered by the ``(project_id, time_stamp)`` index:
        a record without an integer ``time_stamp`` has NULL there and is
        in no range, as :meth:`freezer_core.backups.TimeRange.holds`.

        :param project_id: str, the URL's project.
        :param search: :class:`freezer_core.search.Search`.
        :param page: :class:`freezer_core.pagination.Page`.
        :param time_range: :class:`freezer_core.backups.TimeRange`.
        :param batch_size: int bytes or None, as
            :meth:`repository.Repository.page`.
        :returns: :class:`freezer_core.storage.listing.PageRows`.
        :raises errors.InvalidParameter: an unknown marker.
        """
        stamp = self.table.c.time_stamp
        filters = []
        if time_range.after is not None:
            filters.append(stamp >= time_range.after)
        if time_range.before is not None:
            filters.append(stamp <= time_range.before)
        return self.page(project_id, search, page, filters, batch_size)
