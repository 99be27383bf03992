"""The generic repository: what storing a project's documents means for
every resource.

:class:`Repository` holds the queries every resource shares: create, get,
list (search and keyset paging in ``created_at, <id>`` order, from
:class:`freezer_core.storage.listing.Listing`), update (read, transform,
write, from :class:`freezer_core.storage.rewriting.Rewriting`),
replace-or-create and delete, each one transaction of the shared
:class:`freezer_core.storage.database.Database`,
with ``_version`` and ``If-Match`` checks and the search index written in
the same transaction (:class:`freezer_core.storage.search_index.IndexWriter`).

A resource module (:mod:`freezer_core.storage.actions`) subclasses it and
sets the class attributes below and :meth:`Repository.content_columns` /
:meth:`Repository.content`: its table, id column, row <-> record mapping,
search view and id generator. Records are domain records: the server's
fields (``<id>``, ``project_id``, ``user_id``, ``_version``, naive UTC
``created_at`` / ``updated_at`` datetimes) and the resource's content;
the API renders them (:func:`api.render.record`).
"""

from oslo_db import exception as db_exc
import sqlalchemy as sa

from freezer_core import errors
from freezer_core import limits
from freezer_core.storage import database
from freezer_core.storage import listing
from freezer_core.storage import rewriting
from freezer_core.storage import search_index
from freezer_core.storage import search_sql

#: Attempts of a replace-or-create that lost a race to create the same
#: id: the second attempt finds the row the winner created and replaces
#: it (issue 20: concurrent creates of one new id all answer 201).
REPLACE_ATTEMPTS = 3


class Repository(listing.Listing, rewriting.Rewriting):
    """Stores and queries one resource's documents, project by project.

    Subclasses set:

    * ``index``: the resource's :class:`freezer_core.storage.models.
      SearchIndex` (its ``documents`` table has ``id``, the id column,
      ``project_id``, ``user_id``, ``version``, ``created_at``,
      ``updated_at`` and the content columns);
    * ``id_name``: str, the id column and record key (``'action_id'``);
    * ``noun``: str, the resource in messages (``'Action'``);

    and define :meth:`content_columns`, :meth:`content`,
    :meth:`search_view`, :meth:`client_document` and :meth:`new_id`.

    :param database: :class:`freezer_core.storage.database.Database`.
    :param driver_limit: int, see
        :func:`freezer_core.storage.search_sql.conditions`.
    :param max_document_terms: int, most search index entries of one
        document (``[api] max_document_terms``,
        :data:`freezer_core.limits.MAX_DOCUMENT_TERMS`); a write over it
        raises :class:`errors.ValidationError` and writes nothing.
    :param text_batch: int, texts SQLite's FTS5 index is left behind by
        before a write indexes them
        (:data:`freezer_core.storage.search_index.TEXT_BATCH`).
    """

    index = None
    id_name = None
    noun = None

    def __init__(self, database, driver_limit=search_sql.DRIVER_LIMIT,
                 max_document_terms=limits.MAX_DOCUMENT_TERMS,
                 text_batch=search_index.TEXT_BATCH):
        self.database = database
        self._driver_limit = driver_limit
        #: Objects told of each rewrite and delete inside its
        #: transaction: ``changed(connection, pk, record)`` and
        #: ``deleted(connection, pk, identifier)`` (the jobs that embed
        #: actions, :class:`freezer_core.storage.jobs.ActionWatcher`).
        self.watchers = []
        table = self.table = self.index.documents
        self._id = table.c[self.id_name]
        self._order = (table.c.created_at, self._id)
        self._index = search_index.IndexWriter(
            self.index, self.search_view, self.noun, max_document_terms,
            text_batch)
        self._insert = table.insert()
        # A row version is (pk, version, created_at, id, project): SQLite
        # gives a deleted last row's pk to the next insert, and every new
        # document starts at version 1, so pk and version alone could
        # name another document created since the row was read.
        self._update = table.update().where(
            table.c.id == sa.bindparam('w_id'),
            table.c.version == sa.bindparam('w_version'),
            table.c.created_at == sa.bindparam('w_created_at'),
            self._id == sa.bindparam('w_identifier'),
            table.c.project_id == sa.bindparam('w_project_id'))
        # Built once: a statement object is compiled and its cache key
        # computed once, not on every read (issue 18).
        self._row = sa.select(table).where(
            table.c.project_id == sa.bindparam('r_project_id'),
            self._id == sa.bindparam('r_identifier'))
        self._row_for_update = self._row.with_for_update()

    # --- what a resource defines --------------------------------------

    def content_columns(self, document):
        """The content columns of a validated client document.

        :param document: dict, a validated client document.
        :returns: dict column name -> value.
        """
        raise NotImplementedError()

    def content(self, row):
        """The content part of a record, from a row.

        :param row: a Row (or a
            :class:`freezer_core.storage.rewriting.RowView`) of the table.
        :returns: dict record key -> value.
        """
        raise NotImplementedError()

    def search_view(self, record):
        """What search looks at in a record (the domain's search view)."""
        raise NotImplementedError()

    def client_document(self, record):
        """The client part of a record, as PATCH transforms it."""
        raise NotImplementedError()

    def new_id(self):
        """A new generated id (str)."""
        raise NotImplementedError()

    def scope_of(self, values):
        """The visibility key a document is listed and indexed under.

        :param values: mapping of the row's column values.
        :returns: str, its ``project_id`` here; a resource whose
            documents other projects see (central clients) overrides it
            with its ``index.scope`` column's value.
        """
        return values['project_id']

    def scopes(self, project_id):
        """The visibility keys a project's list reads, each one answered
        by its own indexed query.

        :param project_id: str, the URL's project.
        :returns: tuple of str, ``(project_id,)`` here.
        """
        return (project_id,)

    # --- rows and records ---------------------------------------------

    def record(self, row):
        """The domain record of a row.

        :returns: dict: the id, ``project_id``, ``user_id``, the content,
            ``_version``, ``created_at`` and ``updated_at`` (datetimes).
        """
        record = {self.id_name: getattr(row, self.id_name),
                  'project_id': row.project_id, 'user_id': row.user_id}
        record.update(self.content(row))
        record.update(_version=row.version, created_at=row.created_at,
                      updated_at=row.updated_at)
        return record

    def _not_found(self, identifier):
        return errors.NotFound('%s %s not found.' % (self.noun, identifier))

    def _taken(self, identifier):
        return errors.Conflict('%s id %s is already taken.' % (
            self.noun, identifier))

    def _select_row(self, connection, project_id, identifier,
                    for_update=False):
        query = self._row_for_update if for_update else self._row
        return connection.execute(query, {
            'r_project_id': project_id, 'r_identifier': identifier}).first()

    # --- reads ---------------------------------------------------------

    @database.retry
    def get(self, project_id, identifier):
        """Return one document of a project.

        :param project_id: str, the URL's project.
        :param identifier: str, the document's id.
        :returns: dict, the record.
        :raises errors.NotFound: no such id in this project (including an
            id that exists in another project).
        """
        with self.database.reader() as connection:
            row = self._select_row(connection, project_id, identifier)
        if row is None:
            raise self._not_found(identifier)
        return self.record(row)

    # --- writes --------------------------------------------------------

    def _prepare_new(self, project_id, user_id, identifier, document,
                     now=None):
        """Everything a new document's rows need, computed before the
        write lock is taken (JSON encoding, index entries): the lock is
        then held only for the statements.

        :param now: naive UTC datetime for ``created_at``/``updated_at``;
            the current time when None.
        :returns: ``(values, record, index rows)``.
        """
        now = now or rewriting.utcnow()
        values = self.content_columns(document)
        values.update({self.id_name: identifier}, project_id=project_id,
                      user_id=user_id, version=1, created_at=now,
                      updated_at=now)
        scope = values[self.index.scope.name] = self.scope_of(values)
        record = self.record(rewriting.RowView(values))
        return values, record, self._index.rows(scope, record)

    def _insert_new(self, connection, prepared):
        values, record, rows = prepared
        pk = connection.execute(self._insert, values).inserted_primary_key[0]
        self._index.insert(connection, [(pk, rows)])
        return record

    @database.retry
    def create(self, project_id, user_id, document):
        """Store a new document.

        :param project_id: str, the URL's project.
        :param user_id: str, the creator (from the token).
        :param document: dict, a validated create document; its id key,
            when present, is used, else one is generated.
        :returns: dict, the stored record (``_version`` 1).
        :raises errors.Conflict: the id is taken in any project.
        """
        identifier = document.get(self.id_name) or self.new_id()
        prepared = self._prepare_new(project_id, user_id, identifier,
                                     document)
        try:
            with self.database.writer(first_statement_writes=True) as conn:
                return self._insert_new(conn, prepared)
        except db_exc.DBDuplicateEntry:
            raise self._taken(identifier)

    @database.retry
    def create_many(self, project_id, user_id, documents):
        """Store many new documents of one project in one transaction.

        For imports and benchmarks: the same rows and index entries as
        :meth:`create`, written with batched statements. One import is
        one instant: its documents share ``created_at`` and are ordered
        by id.

        :param project_id: str, the project of every document.
        :param user_id: str, the creator of every document.
        :param documents: list of validated create documents; each without
            an id gets a generated one.
        :returns: list of the ids (str), in the order given.
        :raises errors.Conflict: an id is taken; nothing is stored.
        """
        now = rewriting.utcnow()
        prepared = [self._prepare_new(
            project_id, user_id,
            document.get(self.id_name) or self.new_id(), document, now=now)
            for document in documents]
        if not prepared:
            return []
        ids = [values[self.id_name] for values, _, _ in prepared]
        try:
            with self.database.writer(first_statement_writes=True) as conn:
                conn.execute(self._insert,
                             [values for values, _, _ in prepared])
                pks = dict(conn.execute(
                    sa.select(self._id, self.table.c.id).where(
                        self._id.in_(ids))).all())
                self._index.insert(conn, [
                    (pks[values[self.id_name]], rows)
                    for values, _, rows in prepared])
        except db_exc.DBDuplicateEntry:
            raise errors.Conflict('An %s id is already taken.'
                                  % self.noun.lower())
        return ids

    @database.retry
    def replace(self, project_id, user_id, identifier, document,
                expected_version=None):
        """Replace a document's client part, or create it (compat).

        Concurrent replace-or-creates of one new id in one project all
        succeed: one creates, and each other one, whose insert lost the
        race, is tried again and replaces (issue 20). Only an id held by
        another project is a conflict.

        :param project_id: str, the URL's project.
        :param user_id: str, the caller; used only when creating (the
            creator never changes).
        :param identifier: str, from the URL.
        :param document: dict, a validated replace document.
        :param expected_version: int or None (``If-Match``); when given
            and the document does not exist, answers VersionMismatch.
        :returns: ``(record, created)``: the stored record (dict) and
            whether it was created (bool).
        :raises errors.Conflict: the id belongs to another project.
        :raises errors.VersionMismatch: ``expected_version`` differs.
        """
        for attempt in range(REPLACE_ATTEMPTS):
            try:
                return self._replace_once(project_id, user_id, identifier,
                                          document, expected_version)
            except db_exc.DBDuplicateEntry:
                # Another project holds the id, or a concurrent request
                # of this project created it first: look again.
                continue
        raise self._taken(identifier)

    def _replace_once(self, project_id, user_id, identifier, document,
                      expected_version):
        with self.database.writer() as connection:
            row = self._select_row(connection, project_id, identifier,
                                   for_update=True)
            if row is None:
                if expected_version is not None:
                    raise errors.VersionMismatch(
                        '%s %s does not exist.' % (self.noun, identifier))
                prepared = self._prepare_new(project_id, user_id,
                                             identifier, document)
                return self._insert_new(connection, prepared), True
            self._check_version(row, expected_version)
            return self.rewrite(connection, row, document), False

    @database.retry
    def delete(self, project_id, identifier, expected_version=None):
        """Delete a document and its index entries.

        :param project_id: str, the URL's project.
        :param identifier: str, the document's id.
        :param expected_version: int or None (``If-Match``).
        :returns: None
        :raises errors.NotFound: no such id in this project; nothing is
            deleted.
        :raises errors.VersionMismatch: ``expected_version`` differs.
        """
        with self.database.writer() as connection:
            row = self.locked_row(connection, project_id, identifier)
            self._check_version(row, expected_version)
            for watcher in self.watchers:
                watcher.deleted(connection, row.id, identifier)
            self._index.drop(connection, row.id)
            connection.execute(self.table.delete().where(
                self.table.c.id == row.id))
