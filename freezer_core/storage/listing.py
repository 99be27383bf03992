"""The list half of the generic repository: search and keyset paging.

:class:`Listing` is a base of :class:`freezer_core.storage.repository.
Repository`; it reads the attributes the repository sets (``table``,
``index``, ``id_name``, ``noun``, ``_id``, ``_order``, ``database``,
``_driver_limit``) and its :meth:`scopes` and :meth:`record`. A list is
one indexed query per visibility key of the project
(:func:`freezer_core.storage.search_sql.conditions`), paged over the order
index ``(created_at, <id>)`` and only then joined to the rows, so its
cost follows the page, not the collection (spec ``actions.md``,
"Listing, search and pagination").

What one page costs in memory is bounded too (issue 20: a page of 1000
documents of 110 KB each is about 110 MB). The query that finds a page
also measures each document's stored size and reads the documents only
up to ``batch_size`` bytes in page order (a running sum); the others'
rows are read later by :class:`PageRows`, in batches of at most
``batch_size`` bytes, so that a caller rendering batch by batch
(:mod:`api.pages`) holds one batch at a time. A page within the size,
the common case, is still one query.
"""

import collections

import sqlalchemy as sa

from freezer_core import errors
from freezer_core import pagination
from freezer_core.storage import database
from freezer_core.storage import search_sql

#: Bytes counted for a row besides its document columns (its ids, owner
#: and timestamps as rendered): what a batch of small documents costs is
#: not only their text.
ROW_OVERHEAD = 256

Entry = collections.namedtuple(
    'Entry', ['pk', 'identifier', 'size', 'record'])
Entry.__doc__ = """A document of a page.

:param pk: int, the row's primary key.
:param identifier: str, its id (``action_id``, ...).
:param size: int, its stored size in bytes (characters on SQLite), the
    document columns plus :data:`ROW_OVERHEAD`.
:param record: its record, when the query that found the page read it
    (:meth:`Listing.page_entries`), else None.
"""


def batches_of(entries, batch_size):
    """Cut a page into consecutive batches of at most ``batch_size``
    stored bytes each.

    :param entries: list of :class:`Entry`, in page order.
    :param batch_size: int bytes.
    :returns: list of lists of :class:`Entry`; a document larger than
        ``batch_size`` is a batch of its own (a batch is never empty).
    """
    batches, current, size = [], [], 0
    for entry in entries:
        if current and size + entry.size > batch_size:
            batches.append(current)
            current, size = [], 0
        current.append(entry)
        size += entry.size
    if current:
        batches.append(current)
    return batches


class PageRows(object):
    """The records of one page, read batch by batch.

    Built by :meth:`Listing.page`. A page of at most ``batch_size``
    stored bytes was read whole by the query that found it: it is one
    snapshot, as a single query, and :attr:`records` holds it. A larger
    page came with its first ``batch_size`` bytes of records; the rest
    is read one batch per transaction as :meth:`batches` is iterated:
    each batch is a short read by primary key, so a document deleted
    after the page was found is left out (the page is then shorter than
    it would have been) and one changed meanwhile is given as its batch
    read it. No transaction is held between batches.

    :param listing: the :class:`Listing` that found the page.
    :param entries: list of :class:`Entry`, in page order.
    :param batch_size: int bytes, or None when every entry was read.
    """

    def __init__(self, listing, entries, batch_size):
        self._listing = listing
        self._entries = entries
        self.batch_size = batch_size
        #: The page's records when it was read whole, else None.
        self.records = None
        if all(entry.record is not None for entry in entries):
            self.records = [entry.record for entry in entries]

    def batches(self):
        """Yield the page's records, one list per batch, in page order.

        Each batch is released once the caller moves to the next.

        :returns: iterator of non-empty lists of records.
        :raises errors.StorageUnavailable: a batch could not be read.
        """
        if self.records is not None:
            if self.records:
                yield self.records
            return
        batches = batches_of(self._entries, self.batch_size)
        self._entries = None
        while batches:
            batch = batches.pop(0)
            missing = [entry.pk for entry in batch if entry.record is None]
            found = self._listing.read_rows(missing) if missing else {}
            records = [entry.record if entry.record is not None
                       else found.get(entry.pk) for entry in batch]
            batch = found = None
            records = [record for record in records if record is not None]
            if records:
                yield records
            records = None


class Listing(object):
    """List and search the documents a project sees (a mixin of
    :class:`freezer_core.storage.repository.Repository`)."""

    def list(self, project_id, search, page, filters=()):
        """Return one page of a project's documents matching a search,
        read whole (:meth:`page` without a batch size).

        :returns: list of records, in ``created_at, <id>`` order, at most
            ``page.limit`` long.
        :raises errors.InvalidParameter: as :meth:`page`.
        """
        return self.page(project_id, search, page, filters).records

    @database.retry
    def page(self, project_id, search, page, filters=(), batch_size=None):
        """Find one page of a project's documents matching a search.

        The project's documents are those of its visibility keys
        (:meth:`scopes`: its own, and for clients the central ones), each
        key one indexed query; with several, the page comes from their
        union (:meth:`_page_ids`). The same query reads the page's
        documents up to ``batch_size`` stored bytes (all of them when
        ``batch_size`` is None); the rest are read later, batch by batch
        (:class:`PageRows`).

        :param project_id: str, the URL's project.
        :param search: :class:`freezer_core.search.Search`.
        :param page: :class:`freezer_core.pagination.Page`; ``limit``,
            ``offset`` and ``marker`` count matching documents only.
        :param filters: SQLAlchemy boolean clauses on the resource's
            table, ANDed with the search (a resource's own indexed
            filters, e.g. the backups' time range).
        :param batch_size: int, most stored bytes read at a time, or
            None to read the page whole now.
        :returns: :class:`PageRows`, in ``created_at, <id>`` order, at
            most ``page.limit`` documents.
        :raises errors.InvalidParameter: ``page.marker`` is not a
            document of this project.
        """
        with self.database.reader() as connection:
            entries = self.page_entries(connection, project_id, search,
                                        page, filters, batch_size)
        return PageRows(self, entries, batch_size)

    @database.retry
    def read_rows(self, pks):
        """Read documents by primary key, in one short transaction.

        :param pks: list of int.
        :returns: dict pk -> record; a document no longer stored is
            missing.
        """
        table = self.table
        with self.database.reader() as connection:
            return {row.id: self.record(row) for row in connection.execute(
                sa.select(table).where(table.c.id.in_(pks)))}

    def page_entries(self, connection, project_id, search, page,
                     filters=(), read_bytes=None):
        """The documents of a page, read up to a size.

        :param connection: the read transaction's connection.
        :param project_id: str, the URL's project.
        :param search: :class:`freezer_core.search.Search`.
        :param page: :class:`freezer_core.pagination.Page`.
        :param filters: more SQLAlchemy conditions on the table.
        :param read_bytes: int, the stored bytes of documents to read:
            the records of the page's first documents up to that size
            come with their entries, the others' (:attr:`Entry.record`
            None) are not read; None reads every record.
        :returns: list of :class:`Entry`, in ``created_at, <id>`` order.
        :raises errors.InvalidParameter: an unknown marker.
        """
        scopes = self.scopes(project_id)
        if (not search and not filters and page.marker is None
                and len(scopes) == 1):
            # The everyday list (a UI page view, ``freezer action-list``):
            # the same query, built once with bound parameters
            # (:meth:`_plain_page`).
            query = self._plain_page(read_bytes is not None)
            rows = connection.execute(query, {
                'l_scope': scopes[0], 'l_limit': page.limit,
                'l_offset': page.offset, 'l_read_bytes': read_bytes}).all()
            return self._entries_of(rows)
        after = []
        if page.marker is not None:
            marker = connection.execute(
                sa.select(*self._order).where(
                    self.index.scope.in_(scopes),
                    self._id == page.marker)
                .order_by(*self._order)).first()
            if marker is None:
                raise errors.InvalidParameter(
                    'Query parameter "marker": no %s %s in this '
                    'project.' % (self.noun.lower(), page.marker),
                    'marker')
            # A row-value comparison: every engine answers it as one
            # range of the order index (keyset paging).
            after.append(sa.tuple_(*self._order) > sa.tuple_(*marker))
        # One indexed query per visibility key (one for most resources;
        # a project's own and the central key for clients), paged
        # together by _page_ids.
        branches = []
        for scope in scopes:
            conditions = search_sql.conditions(
                connection, self.index, self.database.backend, scope,
                search, self._driver_limit)
            conditions.extend(filters)
            conditions.extend(after)
            branches.append(conditions)
        ids = self._page_ids(branches, page.limit, page.offset).subquery()
        rows = connection.execute(self._page_query(ids, read_bytes)).all()
        return self._entries_of(rows)

    def _page_query(self, ids, read_bytes):
        """The query reading a page's rows and sizes.

        The page is taken over the ordering index alone, then its rows
        are joined: a deep offset skips index entries, not whole rows.
        (A join, not IN: MySQL refuses LIMIT inside IN.)

        :param ids: the subquery of the page's ``id`` s
            (:meth:`_page_ids`).
        :param read_bytes: int or a bound parameter: the stored bytes of
            documents to read; None reads every document.
        :returns: a SQLAlchemy Select of the table's columns and the
            stored size, in page order.
        """
        table = self.table
        size = self._stored_size() + ROW_OVERHEAD
        measures = [size.label('size')]
        if read_bytes is not None:
            # The page's running size, in page order, measured apart
            # from the documents: the window's rows carry no text.
            measures.append(sa.func.sum(size).over(
                order_by=self._order).label('running'))
        measured = (sa.select(table.c.id, *measures)
                    .join(ids, table.c.id == ids.c.id).subquery())
        columns = list(table.c)
        if read_bytes is not None:
            # One query still: the text columns of the documents past
            # read_bytes are not read (NULL; they are NOT NULL stored).
            columns = [sa.case((measured.c.running <= read_bytes,
                                column)).label(column.name)
                       if isinstance(column.type, sa.Text) else column
                       for column in columns]
        return (sa.select(*columns, measured.c.size)
                .join(measured, table.c.id == measured.c.id)
                .order_by(*self._order))

    def _plain_page(self, measured):
        """The :meth:`_page_query` of one visibility key with no search,
        filter or marker, built on first use and kept.

        Its key, ``limit``, ``offset`` and read size are bound parameters
        (``l_scope``, ``l_limit``, ``l_offset``, ``l_read_bytes``): a kept
        statement is compiled and its cache key computed once, not on
        every request (issue 18: building and keying the joined query was
        a fifth of a list's CPU).

        :param measured: bool, whether the read size applies.
        :returns: a SQLAlchemy Select.
        """
        kept = self.__dict__.setdefault('_plain_pages', {})
        query = kept.get(measured)
        if query is None:
            ids = self._page_ids(
                [[self.index.scope == sa.bindparam('l_scope')]],
                sa.bindparam('l_limit', type_=sa.Integer),
                sa.bindparam('l_offset', type_=sa.Integer)).subquery()
            query = kept[measured] = self._page_query(
                ids, sa.bindparam('l_read_bytes', type_=sa.Integer)
                if measured else None)
        return query

    def _entries_of(self, rows):
        """The :class:`Entry` s of the rows of a :meth:`_page_query`."""
        table = self.table
        # Positions, not names: this runs for every row of every page.
        names = [column.name for column in table.c]
        pk, identifier = names.index('id'), names.index(self.id_name)
        text = next(i for i, column in enumerate(table.c)
                    if isinstance(column.type, sa.Text))
        record = self.record
        return [Entry(row[pk], row[identifier], int(row[-1]),
                      None if row[text] is None else record(row))
                for row in rows]

    def _stored_size(self):
        """The SQL expression of a row's document columns' size: bytes
        on PostgreSQL (``octet_length`` reads only a TOASTed value's
        header) and MySQL, characters on SQLite (whose ``length`` of
        text counts them; the budget is approximate there)."""
        measure = (sa.func.length if self.database.backend == 'sqlite'
                   else sa.func.octet_length)
        return sum((measure(column) for column in self.table.c
                    if isinstance(column.type, sa.Text)), sa.literal(0))

    def _page_ids(self, branches, limit, offset):
        """The query of a page's ``id`` s, from one list of conditions
        per visibility key.

        :param branches: list of lists of SQLAlchemy conditions.
        :param limit: int or a bound parameter, the page's ``limit``.
        :param offset: int or a bound parameter, its ``offset``.

        One key: the page straight off the order index. Several: each
        branch is cut to ``offset + limit`` rows in the order (its own
        index range, stopped early) and the page is taken from their
        union, so the cost follows the page, not the keys' sizes.
        """
        table = self.table
        if len(branches) == 1:
            return (sa.select(table.c.id).where(*branches[0])
                    .order_by(*self._order).limit(limit).offset(offset))
        # Each member is wrapped in a subquery: SQLite refuses ORDER BY
        # and LIMIT on a compound select's members.
        cut = [sa.select(sa.select(table.c.id, *self._order)
                         .where(*conditions).order_by(*self._order)
                         # Bounded: offset and limit are each valid
                         # 64-bit integers, their sum may not be.
                         .limit(min(offset + limit,
                                    pagination.MAX_INTEGER)).subquery())
               for conditions in branches]
        union = sa.union_all(*cut).subquery()
        return (sa.select(union.c.id)
                .order_by(union.c.created_at, union.c[self.id_name])
                .limit(limit).offset(offset))
