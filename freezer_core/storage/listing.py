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
"""

import sqlalchemy as sa

from freezer_core import errors
from freezer_core import pagination
from freezer_core.storage import database
from freezer_core.storage import search_sql


class Listing(object):
    """List and search the documents a project sees (a mixin of
    :class:`freezer_core.storage.repository.Repository`)."""

    @database.retry
    def list(self, project_id, search, page, filters=()):
        """Return one page of a project's documents matching a search.

        The project's documents are those of its visibility keys
        (:meth:`scopes`: its own, and for clients the central ones), each
        key one indexed query; with several, the page comes from their
        union (:meth:`_page_ids`).

        :param project_id: str, the URL's project.
        :param search: :class:`freezer_core.search.Search`.
        :param page: :class:`freezer_core.pagination.Page`; ``limit``,
            ``offset`` and ``marker`` count matching documents only.
        :param filters: SQLAlchemy boolean clauses on the resource's
            table, ANDed with the search (a resource's own indexed
            filters, e.g. the backups' time range).
        :returns: list of records, in ``created_at, <id>`` order, at most
            ``page.limit`` long.
        :raises errors.InvalidParameter: ``page.marker`` is not a
            document of this project.
        """
        table = self.table
        scopes = self.scopes(project_id)
        if (not search and not filters and page.marker is None
                and len(scopes) == 1):
            # The everyday list (a UI page view, ``freezer action-list``):
            # one statement built once (:meth:`_plain_page`).
            with self.database.reader() as connection:
                rows = connection.execute(self._plain_page(), {
                    'l_scope': scopes[0], 'l_limit': page.limit,
                    'l_offset': page.offset}).all()
            return [self.record(row) for row in rows]
        with self.database.reader() as connection:
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
            # One indexed query per visibility key (one for most
            # resources; a project's own and the central key for
            # clients), paged together by _page_ids.
            branches = []
            for scope in scopes:
                conditions = search_sql.conditions(
                    connection, self.index, self.database.backend, scope,
                    search, self._driver_limit)
                conditions.extend(filters)
                conditions.extend(after)
                branches.append(conditions)
            # Page over the ordering index alone, then fetch the page's
            # rows: a deep offset skips index entries, not whole rows.
            # (A join, not IN: MySQL refuses LIMIT inside IN.)
            ids = self._page_ids(branches, page).subquery()
            rows = connection.execute(
                sa.select(table).join(ids, table.c.id == ids.c.id)
                .order_by(*self._order)).all()
        return [self.record(row) for row in rows]

    def _plain_page(self):
        """The statement of a page of one visibility key with no search,
        filter or marker, built on first use and kept.

        The same shape as the general query (ids off the order index,
        then the rows joined), with the key, ``limit`` and ``offset`` as
        bound parameters (``l_scope``, ``l_limit``, ``l_offset``): a kept
        statement object is compiled and its cache key computed once, not
        on every request (issue 18: building and keying the joined query
        was a fifth of a list's CPU).

        :returns: a SQLAlchemy Select.
        """
        query = getattr(self, '_plain_page_query', None)
        if query is None:
            table = self.table
            ids = (sa.select(table.c.id)
                   .where(self.index.scope == sa.bindparam('l_scope'))
                   .order_by(*self._order)
                   .limit(sa.bindparam('l_limit', type_=sa.Integer))
                   .offset(sa.bindparam('l_offset', type_=sa.Integer))
                   .subquery())
            query = self._plain_page_query = (
                sa.select(table).join(ids, table.c.id == ids.c.id)
                .order_by(*self._order))
        return query

    def _page_ids(self, branches, page):
        """The query of a page's ``id`` s, from one list of conditions
        per visibility key.

        One key: the page straight off the order index. Several: each
        branch is cut to ``offset + limit`` rows in the order (its own
        index range, stopped early) and the page is taken from their
        union, so the cost follows the page, not the keys' sizes.
        """
        table = self.table
        if len(branches) == 1:
            return (sa.select(table.c.id).where(*branches[0])
                    .order_by(*self._order)
                    .limit(page.limit).offset(page.offset))
        # Each member is wrapped in a subquery: SQLite refuses ORDER BY
        # and LIMIT on a compound select's members.
        cut = [sa.select(sa.select(table.c.id, *self._order)
                         .where(*conditions).order_by(*self._order)
                         # Bounded: offset and limit are each valid
                         # 64-bit integers, their sum may not be.
                         .limit(min(page.offset + page.limit,
                                    pagination.MAX_INTEGER)).subquery())
               for conditions in branches]
        union = sa.union_all(*cut).subquery()
        return (sa.select(union.c.id)
                .order_by(union.c.created_at, union.c[self.id_name])
                .limit(page.limit).offset(page.offset))
