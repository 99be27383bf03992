"""The client repository: registrations, central visibility, lookups.

The rules are those of spec ``clients.md`` (the domain part is
:mod:`freezer_core.clients`); paging, search, versions and the index
are the generic :class:`freezer_core.storage.repository.Repository`'s.

How central clients are visible without a scan: every row has a
``scope`` (:class:`freezer_core.storage.models.Client`), its owner's
``project_id`` or :data:`freezer_core.storage.models.CENTRAL_SCOPE`, and
the search index rows carry that scope. A project's list reads two
keys (:meth:`ClientRepository.scopes`), each one indexed query, and
pages over their union.

Registrations of one ``client_id`` lock its row of ``client_ids`` first
(:class:`freezer_core.storage.models.ClientId`), so they run one at a
time across projects: the "a central id has no other holder" rule holds
when a central and a plain registration of a new id race.

For other resources (jobs name the client that runs them)::

    ClientRepository.find(project_id, client_id, connection=None)
        -> record or None

looks up what ``GET /v2/{project_id}/clients/{client_id}`` shows: the
project's own client, else a central client of any project. Given the
``connection`` of an open ``database.writer()`` (or reader) it runs in
that transaction; without one it opens a reader. The record::

    {"client_id": str, "project_id": str (the owner's), "user_id": str,
     "client": {"client_id", "hostname", "description", "uuid",
                "is_central", "supported_actions", "supported_modes",
                "supported_storages", "supported_engines", ...extra keys},
     "_version": int, "created_at": datetime, "updated_at": datetime}

(naive UTC datetimes; ``client_id`` is also at the top, for the
repository; the wire document, :data:`freezer_core.clients.RECORD_KEYS`,
leaves it out).
"""

import json

from oslo_db import exception as db_exc
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite

from freezer_core import clients as domain
from freezer_core import errors
from freezer_core import jsondoc
from freezer_core.storage import database
from freezer_core.storage import models
from freezer_core.storage import repository

#: The unique constraint that a first registration racing another one of
#: the same id in the same project breaks (the loser tries again).
_SAME_PROJECT = {'project_id', 'client_id'}


class ClientRepository(repository.Repository):
    """Stores and queries clients (spec ``clients.md``).

    :param database: :class:`freezer_core.storage.database.Database`.
    :param driver_limit: see :class:`repository.Repository`.
    """

    index = models.CLIENT_INDEX
    id_name = 'client_id'
    noun = 'Client'

    # --- the generic repository's mapping -----------------------------

    def content_columns(self, document):
        """The columns of a client part (kept as the JSON sent, key for
        key; ``uuid`` and ``is_central`` also as columns, for their
        rules)."""
        central = domain.needs_central(document)
        return {'client': jsondoc.dumps(document),
                'uuid': document['uuid'], 'is_central': central}

    def content(self, row):
        """The content key of a client record: ``client``."""
        return {'client': json.loads(row.client)}

    def scope_of(self, values):
        """A central client is listed under the key every project reads."""
        if values['is_central']:
            return models.CENTRAL_SCOPE
        return values['project_id']

    def scopes(self, project_id):
        """A project lists its own clients and the central ones."""
        return (project_id, models.CENTRAL_SCOPE)

    def search_view(self, record):
        """:func:`freezer_core.clients.search_view`."""
        return domain.search_view(record)

    def client_document(self, record):
        """The client part of a record (``record["client"]``)."""
        return record['client']

    def new_id(self):
        """Clients have no generated id: ``client_id`` is required."""
        raise errors.ValidationError(
            '$.client_id: a client_id is required (rule: required).',
            'client_id', 'required')

    # --- lookups ------------------------------------------------------

    def _visible_row(self, connection, project_id, client_id):
        # The project's own client first, else a central one: both are
        # unique-index lookups.
        row = self._select_row(connection, project_id, client_id)
        if row is None:
            row = connection.execute(sa.select(self.table).where(
                self.table.c.scope == models.CENTRAL_SCOPE,
                self._id == client_id)).first()
        return row

    def find(self, project_id, client_id, connection=None):
        """Look a client up as a project sees it (spec ``clients.md``,
        "Identity and uniqueness": the URL project's client, else a
        central client of any project).

        Not retried by itself: with a ``connection`` it is part of the
        caller's transaction (and of its retries).

        :param project_id: str, the URL's project.
        :param client_id: str.
        :param connection: an open SQLAlchemy Connection (of
            ``database.writer()`` or ``reader()``), or None to open a
            reader.
        :returns: dict, the record (module docstring), or None.
        """
        if connection is None:
            with self.database.reader() as own:
                return self.find(project_id, client_id, own)
        row = self._visible_row(connection, project_id, client_id)
        return None if row is None else self.record(row)

    @database.retry
    def get(self, project_id, client_id):
        """Show a client: :meth:`find`, or 404.

        :raises errors.NotFound: no such client for this project.
        """
        record = self.find(project_id, client_id)
        if record is None:
            raise self._not_found(client_id)
        return record

    def page_entries(self, connection, project_id, search, page,
                     filters=(), read_bytes=None):
        """The clients of one page of those a project sees, ``_all``
        exact id matches first.

        The project's clients and every central client, in ``created_at,
        client_id`` order (:meth:`repository.Repository.page_entries`),
        except that when the search holds ``_all`` free text, the clients
        whose ``client_id`` equals that text (as folded; client ids are
        ASCII, so this is a case-insensitive equality) come before the
        others (spec ``actions.md``, "Rules every resource shares": the
        web UI takes the first hit). Paging counts in that order:
        ``offset`` through both parts, and a ``marker`` that is an exact
        match continues with the rest.

        :param connection: the read transaction's connection.
        :param project_id: str, the URL's project.
        :param search: :class:`freezer_core.search.Search`.
        :param page: :class:`freezer_core.pagination.Page`.
        :param filters: more SQLAlchemy conditions on the table.
        :param read_bytes: as the generic method's, for each of the two
            parts (the exact matches are few).
        :returns: list of :class:`freezer_core.storage.listing.Entry`,
            at most ``page.limit``.
        :raises errors.InvalidParameter: ``page.marker`` is no client
            the project sees.
        """
        texts = [term.value for term in search.match if term.kind == 'text']
        parent = super().page_entries

        def entries(connection, project_id, search, page, filters):
            return parent(connection, project_id, search, page, filters,
                          read_bytes)
        if not texts:
            return entries(connection, project_id, search, page, filters)
        exact = self._id == texts[0]
        first = entries(connection, project_id, search, page._replace(
            offset=0, marker=None), tuple(filters) + (exact,))
        rest_filters = tuple(filters) + (sa.not_(exact),)
        if not first:
            return entries(connection, project_id, search, page, filters)
        ids = [entry.identifier for entry in first]
        if page.marker in ids:
            first = first[ids.index(page.marker) + 1:]
            page = page._replace(marker=None)
        elif page.marker is not None:
            return entries(connection, project_id, search, page,
                           rest_filters)
        head = first[page.offset:page.offset + page.limit]
        if len(head) == page.limit:
            return head
        return head + entries(connection, project_id, search, page._replace(
            limit=page.limit - len(head),
            offset=max(0, page.offset - len(first))), rest_filters)

    # --- writes -------------------------------------------------------

    @database.retry
    def register(self, project_id, user_id, document, expected_version=None):
        """Register a client, or register it again (create-or-replace).

        Spec ``clients.md``, "Registration is create-or-replace" and
        "Identity and uniqueness". A registration of an id the project
        already holds replaces the client part (``uuid`` and ``user_id``
        kept, :func:`freezer_core.clients.registration`) and writes
        nothing when nothing changes. Concurrent first registrations of
        one id in one project all succeed (the losers re-register).

        :param project_id: str, the URL's project.
        :param user_id: str, the caller; stored only when creating.
        :param document: dict, a :func:`freezer_core.clients.
            parse_registration` result (the caller has checked the policy
            its ``is_central`` needs).
        :param expected_version: None, an int or
            :data:`freezer_core.versions.ANY` (``If-Match``); with no
            current registration any value, ``ANY`` included, answers
            VersionMismatch.
        :returns: ``(record, created)``: the stored record and whether it
            was created (bool).
        :raises errors.Conflict: the id is a central client of another
            project, or is registered as central while another project
            holds it (``Client <id> is registered by another project``);
            the ``uuid`` is taken.
        :raises errors.VersionMismatch: ``expected_version`` differs.
        """
        for _attempt in range(repository.REPLACE_ATTEMPTS):
            try:
                return self._register_once(project_id, user_id, document,
                                           expected_version)
            except db_exc.DBDuplicateEntry as exc:
                columns = set(exc.columns or ())
                if 'uuid' in columns:
                    raise errors.Conflict(
                        'Client uuid %s is already taken.'
                        % document.get('uuid'))
                if columns != _SAME_PROJECT:
                    # (scope, client_id): another project's central
                    # registration of the id won a race.
                    raise self._foreign(document['client_id'])
        raise self._foreign(document['client_id'])

    def _claim(self, connection, client_id):
        """Lock the id's row of ``client_ids`` (inserted when new), so
        that registrations of one id, in any project, run one at a time
        and each sees what the previous one committed."""
        ids = models.ClientId.__table__
        backend = self.database.backend
        if backend == 'mysql':
            insert = mysql.insert(ids).prefix_with('IGNORE')
        else:
            dialect = postgresql if backend == 'postgresql' else sqlite
            insert = dialect.insert(ids).on_conflict_do_nothing()
        connection.execute(insert.values(client_id=client_id))
        connection.execute(sa.select(ids.c.client_id).where(
            ids.c.client_id == client_id).with_for_update())

    def _foreign(self, client_id):
        return errors.Conflict(
            'Client %s is registered by another project.' % client_id)

    def _check_foreign(self, connection, project_id, client_id, central):
        """Refuse an id another project's registration forbids: a central
        one, or any one when registering as central. Locks those rows."""
        holders = connection.execute(
            sa.select(self.table.c.is_central).where(
                self._id == client_id,
                self.table.c.project_id != project_id)
            .with_for_update()).all()
        if any(row.is_central for row in holders) or (central and holders):
            raise self._foreign(client_id)

    def _register_once(self, project_id, user_id, document,
                       expected_version):
        client_id = document['client_id']
        with self.database.writer() as connection:
            self._claim(connection, client_id)
            row = self._select_row(connection, project_id, client_id,
                                   for_update=True)
            self._check_foreign(connection, project_id, client_id,
                                domain.needs_central(document))
            if row is None:
                if expected_version is not None:
                    raise errors.VersionMismatch(
                        'Client %s does not exist.' % client_id)
                client, _changed = domain.registration(None, document)
                prepared = self._prepare_new(project_id, user_id,
                                             client_id, client)
                return self._insert_new(connection, prepared), True
            self._check_version(row, expected_version)
            current = self.record(row)
            client, changed = domain.registration(current['client'],
                                                  document)
            if not changed:
                return current, False
            return self.rewrite(connection, row, client), False

    @database.retry
    def delete(self, project_id, client_id, expected_version=None):
        """Delete a project's client; its jobs are left as they are.

        Spec ``clients.md``, "Delete".

        :param project_id: str, the URL's project.
        :param client_id: str.
        :param expected_version: None, an int or ``versions.ANY``
            (``If-Match``).
        :returns: None
        :raises errors.NotFound: the project sees no such client.
        :raises errors.Forbidden: it is another project's central client.
        :raises errors.VersionMismatch: ``expected_version`` differs.
        """
        with self.database.writer() as connection:
            row = self._visible_row(connection, project_id, client_id)
            if row is None:
                raise self._not_found(client_id)
            if row.project_id != project_id:
                raise errors.Forbidden(
                    'Client %s is a central client of another project; '
                    'its own project deletes it.' % client_id)
            row = self.locked_row(connection, project_id, client_id)
            self._check_version(row, expected_version)
            self._index.drop(connection, row.id)
            connection.execute(self.table.delete().where(
                self.table.c.id == row.id))
