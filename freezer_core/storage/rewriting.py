"""The half of the generic repository that changes stored documents:
read-and-lock, rewrite, and the update that prepares its write before the
writers' lock.

:class:`Rewriting` is a base of :class:`freezer_core.storage.repository.
Repository`; it reads the attributes and methods the repository sets
(``table``, ``index``, ``id_name``, ``noun``, ``database``, ``watchers``,
``_update``, ``_index``, :meth:`record`, :meth:`content_columns`,
:meth:`client_document`, :meth:`scope_of`, :meth:`_select_row`,
:meth:`_not_found`). Every rewrite bumps ``_version`` and writes its
``UPDATE`` conditional on the version read, so a write never lands on a
version it did not see; the index rows that changed are written in the
same transaction (:class:`freezer_core.storage.search_index.IndexWriter`).
"""

import datetime

from freezer_core import errors
from freezer_core import versions
from freezer_core.storage import database


def utcnow():
    """The current instant as a naive UTC datetime (how rows store it)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class RowView(object):
    """Attribute access over a dict of column values, like a Row."""

    def __init__(self, values):
        self.__dict__.update(values)


class Rewriting(object):
    """Changes to stored documents (a mixin of the repository, see the
    module docstring)."""

    def _check_version(self, row, expected_version):
        """Refuse a write whose ``If-Match`` names another version.

        :raises errors.VersionMismatch: ``expected_version`` (int, None
            or ``versions.ANY``) does not match ``row.version``.
        """
        if not versions.matches(row.version, expected_version):
            raise errors.VersionMismatch(
                '%s %s is at version %d, not %d.' % (
                    self.noun, getattr(row, self.id_name), row.version,
                    expected_version))

    def locked_row(self, connection, project_id, identifier):
        """Read and lock a document's row inside a write transaction.

        With :meth:`rewrite`, the building block of a write that spans
        documents or resources (a session's job membership, a job event):
        open one ``self.database.writer()``, lock every row first, then
        rewrite them, so the whole change is one transaction.

        :param connection: the Connection of ``database.writer()``.
        :param project_id: str, the URL's project.
        :param identifier: str, the document's id.
        :returns: the Row (``self.record(row)`` gives the record).
        :raises errors.NotFound: no such id in this project.
        """
        row = self._select_row(connection, project_id, identifier,
                               for_update=True)
        if row is None:
            raise self._not_found(identifier)
        return row

    def rewrite(self, connection, row, document):
        """Store a new client document over a locked row (version + 1)
        and update its index entries, inside the caller's transaction.

        :param connection: the Connection of ``database.writer()``.
        :param row: the Row from :meth:`locked_row`.
        :param document: dict, the validated new client document.
        :returns: dict, the new record.
        :raises errors.VersionMismatch: a concurrent writer won.
        :raises errors.ValidationError: the new version has too many
            index entries.
        """
        change = self._change(row, document)
        if not self._apply(connection, row, change):
            # Another writer got in between the read and the write.
            raise errors.VersionMismatch(
                '%s %s was changed concurrently.' % (
                    self.noun, getattr(row, self.id_name)))
        return change[1]

    def _change(self, row, document):
        """Everything a rewrite writes, computed without a connection:
        ``(column values, new record, index change)``.

        :raises errors.ValidationError: the new version has too many
            index entries.
        """
        values = self.content_columns(document)
        values.update(version=row.version + 1, updated_at=utcnow())
        old_scope = self.scope_of(row._mapping)
        scope = self.scope_of(dict(row._mapping, **values))
        if scope != old_scope:
            values[self.index.scope.name] = scope
        merged = dict(row._mapping)
        merged.update(values)
        record = self.record(RowView(merged))
        if scope == old_scope:
            index_change = self._index.changes(row.id, scope, record,
                                               old=self.record(row))
        else:
            # Its visibility changed (a client became central): every
            # entry moves to the new key.
            index_change = [], [], [(row.id, self._index.rows(scope,
                                                              record))]
        return values, record, index_change, scope != old_scope

    def _apply(self, connection, row, change):
        """Write a :meth:`_change` if the row is still at ``row``'s
        version (one conditional UPDATE, then the index and watchers).

        :returns: bool, False when the row was changed or deleted since
            ``row`` was read (nothing written).
        """
        values, record, index_change, moved = change
        result = connection.execute(
            self._update, dict(
                values, w_id=row.id, w_version=row.version,
                w_created_at=row.created_at,
                w_identifier=getattr(row, self.id_name),
                w_project_id=row.project_id))
        if result.rowcount != 1:
            return False
        if moved:
            self._index.drop(connection, row.id)
        self._index.apply(connection, index_change)
        for watcher in self.watchers:
            watcher.changed(connection, row.id, record)
        return True

    @database.retry
    def update(self, project_id, identifier, transform,
               expected_version=None):
        """Change a document in one transaction (read, transform, write).

        The document is read and transformed, and its new rows computed,
        before the write lock is taken; the write is one UPDATE
        conditional on the version read. When another writer got in
        between, it is read and transformed again under the lock, so the
        outcome is as if the whole change ran under it.

        :param project_id: str, the URL's project.
        :param identifier: str, the document's id.
        :param transform: callable taking the stored client document
            (dict) and returning the new one; it may raise
            :class:`errors.ValidationError`, and then nothing is written.
            It may be called twice, so it must not have side effects.
        :param expected_version: int or None; when given, the write is
            done only if the stored ``_version`` equals it (``If-Match``).
        :returns: dict, the new record (``_version`` one higher).
        :raises errors.NotFound: no such id in this project.
        :raises errors.VersionMismatch: ``expected_version`` differs, or
            a concurrent writer won.
        :raises errors.ValidationError: from ``transform``; checked before
            the version, so invalid input is a 400 even with a stale
            ``If-Match``.
        """
        with self.database.reader() as connection:
            row = self._select_row(connection, project_id, identifier)
        if row is None:
            raise self._not_found(identifier)
        document = transform(self.client_document(self.record(row)))
        self._check_version(row, expected_version)
        change = self._change(row, document)
        # The UPDATE is the first statement: on SQLite it takes the
        # database's write lock itself (the documents table has no
        # triggers).
        with self.database.writer(first_statement_writes=True) as connection:
            if self._apply(connection, row, change):
                return change[1]
            row = self.locked_row(connection, project_id, identifier)
            document = transform(self.client_document(self.record(row)))
            self._check_version(row, expected_version)
            return self.rewrite(connection, row, document)
