"""The job repository: jobs, their ordered action references, events.

Rules: spec ``jobs.md``; the domain rules are :mod:`freezer_core.jobs`,
:mod:`freezer_core.job_actions` and :mod:`freezer_core.job_events`.

Storage shape (:class:`freezer_core.storage.models.Job`): the
``job_actions`` link rows are the references (``position`` keeps the
order); the job's ``document`` JSON holds ``description``,
``job_schedule``, ``session_tag``, ``user_credentials`` and a copy of each
referenced action as ``GET /actions/{id}`` shows it, so that GET, lists
and the search index need no join. The copy is kept in step in the
transaction that changes the action:
:class:`freezer_core.storage.job_links.ActionWatcher` is called by the
actions repository when an action is rewritten or deleted, and rewrites
every job referencing it (``_version`` + 1, index refreshed). The link
rows are written by :func:`freezer_core.storage.job_links.link`.

Every write is one transaction: inline actions, the job, its references,
the client check and the trust (:meth:`JobRepository.create` takes a
``delegate`` callable that asks Keystone before the commit; if it raises,
nothing is written).

For the sessions repository (a session start/end rewrites its member
jobs inside its own transaction)::

    with database.writer() as connection:
        row = repositories.jobs.locked(connection, project_id, job_id)
        record = repositories.jobs.rewrite_job(
            connection, row, {'session_id': sid, 'session_tag': 3,
                              'job_schedule': {...}})

and, when a job is deleted, :meth:`JobRepository.delete` calls
``self.sessions.forget_job(connection, project_id, session_id, job_id)``
in the same transaction when ``self.sessions`` is set and the job has a
``session_id`` (:class:`freezer_core.storage.Repositories` sets it).
"""

import datetime
import json

import sqlalchemy as sa
from oslo_db import exception as db_exc

from freezer_core import errors
from freezer_core import job_actions
from freezer_core import job_events
from freezer_core import jobs as domain
from freezer_core import jsondoc
from freezer_core.storage import database
from freezer_core.storage import job_links
from freezer_core.storage import job_pids
from freezer_core.storage import job_trusts
from freezer_core.storage import models
from freezer_core.storage import repository

_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%f'
#: The ``project_id`` of :meth:`JobRepository.list` for every project.
ALL_PROJECTS = None
#: Keys of the ``document`` column.
_DOCUMENT_KEYS = ('description', 'job_schedule', 'session_tag',
                  'user_credentials', 'job_actions')


def _action_copy(record):
    """An action record as the job's document stores it (JSON-safe)."""
    copy = dict(record)
    for key in ('created_at', 'updated_at'):
        copy[key] = record[key].strftime(_TIME_FORMAT)
    return copy


def _action_record(stored):
    record = dict(stored)
    for key in ('created_at', 'updated_at'):
        record[key] = datetime.datetime.strptime(stored[key], _TIME_FORMAT)
    return record


def stored_document(record):
    """The stored part of a job record (what :meth:`rewrite` takes).

    :param record: dict, a job record.
    :returns: dict with ``client_id``, ``session_id`` and the
        ``document`` keys (``job_actions`` as action records).
    """
    stored = {key: record.get(key) for key in _DOCUMENT_KEYS}
    stored.update(client_id=record['client_id'],
                  session_id=record['session_id'])
    return stored


def _insert(repo, connection, prepared):
    """Insert a prepared row of ``repo``; returns ``(pk, record)``."""
    values, record, rows = prepared
    pk = connection.execute(repo._insert, values).inserted_primary_key[0]
    repo._index.insert(connection, [(pk, rows)])
    return pk, record


class JobRepository(repository.Repository):
    """Stores and queries jobs (spec ``jobs.md``).

    :param database: :class:`freezer_core.storage.database.Database`.
    :param actions: :class:`freezer_core.storage.actions.ActionRepository`
        (references are resolved and inline actions created through it).
    :param clients: the clients repository, or None; its
        ``find(project_id, client_id, connection)`` returns the client
        record a job of ``project_id`` may name (``{"project_id",
        "client": {...}}``: the project's own client or a central one),
        or None.
    """

    index = models.JOB_INDEX
    id_name = 'job_id'
    noun = 'Job'
    #: The sessions repository (``forget_job``), set by the wiring.
    sessions = None

    def __init__(self, database, actions, clients=None, **kwargs):
        super().__init__(database, **kwargs)
        self.actions = actions
        self.clients = clients

    # --- row mapping ---------------------------------------------------

    def content_columns(self, document):
        """The columns of a stored document (:func:`stored_document`)."""
        stored = {key: document.get(key) for key in _DOCUMENT_KEYS}
        stored['job_actions'] = [_action_copy(action)
                                 for action in document['job_actions']]
        return {
            'client_id': document['client_id'],
            'session_id': document.get('session_id') or '',
            'status': document['job_schedule'].get('status') or '',
            'document': jsondoc.dumps(stored),
        }

    def content(self, row):
        """The content keys of a job record."""
        stored = json.loads(row.document)
        stored['job_actions'] = [_action_record(action)
                                 for action in stored['job_actions']]
        stored.update(client_id=row.client_id, session_id=row.session_id)
        return stored

    def search_view(self, record):
        """:func:`freezer_core.jobs.search_view`."""
        return domain.search_view(record)

    def client_document(self, record):
        """:func:`freezer_core.jobs.client_document`."""
        return domain.client_document(record)

    def new_id(self):
        """:func:`freezer_core.jobs.new_job_id`."""
        return domain.new_job_id()

    def scopes(self, project_id):
        """The projects a list reads: the URL's, or every project holding
        a job when ``project_id`` is :data:`ALL_PROJECTS` (spec
        ``jobs.md``, "Listing", ``all_projects``; one indexed query per
        project, paged together by the generic list).

        :param project_id: str, or None for every project.
        :returns: tuple of str (never empty).
        """
        if project_id is not ALL_PROJECTS:
            return (project_id,)
        with self.database.reader() as connection:
            projects = connection.execute(
                sa.select(self.table.c.project_id).distinct()).scalars()
            # No project id is empty: a query that finds nothing.
            return tuple(projects) or ('',)

    def list(self, project_id, search, page, filters=(),
             sees_central_pids=False):
        """One page of jobs matching a search, read whole, as the caller
        sees them (:meth:`page` without a batch size).

        :returns: list of job records, at most ``page.limit``.
        :raises errors.InvalidParameter: as :meth:`page`.
        """
        return self.page(project_id, search, page, filters,
                         sees_central_pids=sees_central_pids).records

    def page(self, project_id, search, page, filters=(), batch_size=None,
             sees_central_pids=False):
        """One page of jobs matching a search, as the caller sees them.

        :meth:`freezer_core.storage.listing.Listing.page`, except that a
        caller who does not see other projects' central pids (see
        :mod:`freezer_core.storage.job_pids`, which explains why this is
        decided at query time) cannot match them.

        :param project_id: str, or :data:`ALL_PROJECTS`.
        :param search: :class:`freezer_core.search.Search`.
        :param page: :class:`freezer_core.pagination.Page`.
        :param filters: more SQLAlchemy conditions on the jobs table.
        :param batch_size: int, most stored bytes read at a time, or None
            to read the page whole now.
        :param sees_central_pids: bool, True when the caller passes
            ``jobs:get_all_projects``; False, the default, hides them
            (not read for :data:`ALL_PROJECTS`, which only such a caller
            lists).
        :returns: :class:`freezer_core.storage.listing.PageRows`, at most
            ``page.limit`` jobs.
        :raises errors.InvalidParameter: ``page.marker`` names no job of
            the project.
        """
        if not sees_central_pids and project_id is not ALL_PROJECTS:
            search, hiding = job_pids.hiding(self.index, project_id, search)
            filters = tuple(filters) + hiding
        return super().page(project_id, search, page, filters, batch_size)

    # --- resolving a write --------------------------------------------

    def _entries(self, connection, project_id, user_id, entries):
        """Resolve entries: ``(action pks, action records)``."""
        pks, records = [], []
        for entry in entries:
            if entry.is_reference:
                row = self.actions._select_row(connection, project_id,
                                               entry.action_id)
                if row is None:
                    raise job_actions.missing_action(entry)
                record = self.actions.record(row)
                job_actions.check_reference(entry, record)
                pk = row.id
            else:
                pk, record = _insert(self.actions, connection,
                                     self.actions._prepare_new(
                                         project_id, user_id,
                                         self.actions.new_id(),
                                         entry.document))
            pks.append(pk)
            records.append(record)
        return pks, records

    def _finish(self, connection, project_id, user_id, write, current,
                delegate):
        """The stored document of a write, its references resolved.

        :returns: ``(stored document, action pks or None)``; None: the
            references stay as they are.
        """
        stored = dict(write.document)
        stored.pop('job_id', None)
        stored.setdefault('session_id', current['session_id']
                          if current else '')
        stored['user_credentials'] = (current or {}).get('user_credentials')
        pks = None
        if write.entries is None:
            stored['job_actions'] = current['job_actions']
        else:
            pks, stored['job_actions'] = self._entries(
                connection, project_id, user_id, write.entries)
        if write.check_client:
            client = self._client(connection, project_id,
                                  stored['client_id'])
            job_actions.check_capabilities(
                client['client'], [action['freezer_action']
                                   for action in stored['job_actions']])
            if (write.may_create_trust and delegate is not None
                    and not stored['user_credentials']):
                stored['user_credentials'] = delegate(client)
        return stored, pks

    def _client(self, connection, project_id, client_id):
        found = None
        if self.clients is not None:
            found = self.clients.find(project_id, client_id, connection)
        if found is None:
            raise domain.missing_client(client_id)
        return found

    # --- writes --------------------------------------------------------

    def _create_in(self, connection, project_id, user_id, identifier,
                   write, delegate):
        stored, pks = self._finish(connection, project_id, user_id, write,
                                   None, delegate)
        pk, record = _insert(self, connection, self._prepare_new(
            project_id, user_id, identifier, stored))
        job_links.link(connection, pk, pks)
        return record

    @database.retry
    def create(self, project_id, user_id, write, delegate=None):
        """Store a new job and its inline actions in one transaction.

        :param project_id: str, the URL's project.
        :param user_id: str, the caller.
        :param write: :class:`freezer_core.jobs.JobWrite` of
            :func:`freezer_core.jobs.validate_create`.
        :param delegate: callable ``(client record) -> user_credentials
            dict or None``, called before the commit when the write may
            get a trust; what it raises aborts the write.
        :returns: dict, the stored record (``_version`` 1).
        :raises errors.Conflict: the id is taken in any project.
        :raises errors.Unprocessable: a reference to no action of the
            project, a disagreeing reference, no usable client, a
            capability the client lacks.
        """
        identifier = write.document.get('job_id') or self.new_id()
        try:
            with self.database.writer() as connection:
                return self._create_in(connection, project_id, user_id,
                                       identifier, write, delegate)
        except db_exc.DBDuplicateEntry:
            raise self._taken(identifier)

    @database.retry
    def update(self, project_id, user_id, identifier, merge,
               expected_version=None, delegate=None):
        """Merge a PATCH into a job in one transaction.

        :param project_id: str, the URL's project.
        :param user_id: str, the caller (owner of new inline actions).
        :param identifier: str, the job id.
        :param merge: callable ``(record) -> JobWrite``
            (:func:`freezer_core.jobs.merge_patch`); may raise a
            validation error, and then nothing is written.
        :param expected_version: None, an int or ``versions.ANY``
            (``If-Match``).
        :param delegate: as for :meth:`create`.
        :returns: dict, the new record.
        :raises errors.NotFound: no such job in this project.
        :raises errors.VersionMismatch: ``If-Match`` differs.
        :raises errors.Unprocessable: as for :meth:`create`.
        """
        with self.database.writer() as connection:
            row = self.locked_row(connection, project_id, identifier)
            current = self.record(row)
            write = merge(current)
            self._check_version(row, expected_version)
            stored, pks = self._finish(connection, project_id, user_id,
                                       write, current, delegate)
            record = self.rewrite(connection, row, stored)
            if pks is not None:
                job_links.link(connection, row.id, pks)
            return record

    @database.retry
    def replace(self, project_id, user_id, identifier, validate,
                expected_version=None, delegate=None):
        """Replace a job's client part, or create it (compat).

        :param validate: callable ``(record or None) -> JobWrite``
            (:func:`freezer_core.jobs.validate_replace`).
        :returns: ``(record, created)``.
        :raises errors.Conflict: the id belongs to another project.
        :raises errors.VersionMismatch: ``If-Match`` differs, or given
            for a job that does not exist.
        """
        try:
            with self.database.writer() as connection:
                row = self._select_row(connection, project_id, identifier,
                                       for_update=True)
                current = None if row is None else self.record(row)
                write = validate(current)
                if row is None:
                    if expected_version is not None:
                        raise errors.VersionMismatch(
                            'Job %s does not exist.' % identifier)
                    return self._create_in(connection, project_id, user_id,
                                           identifier, write,
                                           delegate), True
                self._check_version(row, expected_version)
                stored, pks = self._finish(connection, project_id, user_id,
                                           write, current, delegate)
                record = self.rewrite(connection, row, stored)
                job_links.link(connection, row.id, pks)
                return record, False
        except db_exc.DBDuplicateEntry:
            raise self._taken(identifier)

    @database.retry
    def event(self, project_id, identifier, body, expected_version=None):
        """Apply an event (``POST .../jobs/{job_id}/event``).

        :param body: the decoded request body
            (:func:`freezer_core.job_events.apply_event`).
        :returns: ``(record, result)``: the record as now stored (not
            rewritten when the event was already requested) and the
            result text.
        :raises errors.NotFound: no such job in this project.
        :raises errors.ValidationError: a bad body.
        :raises errors.Conflict: ``abort`` with no ``current_pid``.
        :raises errors.VersionMismatch: ``If-Match`` differs.
        """
        with self.database.writer() as connection:
            row = self.locked_row(connection, project_id, identifier)
            current = self.record(row)
            new_schedule, result = job_events.apply_event(
                current['job_schedule'], body)
            self._check_version(row, expected_version)
            if new_schedule is None:
                return current, result
            return self.rewrite_job(connection, row,
                                    {'job_schedule': new_schedule}), result

    @database.retry
    def delete(self, project_id, identifier, expected_version=None):
        """Delete a job, its references and its session membership.

        The actions stay in ``/actions`` (spec, "Writes", DELETE).

        :returns: str or None: the job's trust id when no job left in
            its project runs under it (the caller deletes the trust, spec
            "Writes", DELETE; :mod:`freezer_core.storage.job_trusts`).
        :raises errors.NotFound: no such job in this project.
        :raises errors.VersionMismatch: ``If-Match`` differs.
        """
        with self.database.writer() as connection:
            row = self.locked_row(connection, project_id, identifier)
            self._check_version(row, expected_version)
            if row.session_id and self.sessions is not None:
                self.sessions.forget_job(connection, row.project_id,
                                         row.session_id, row.job_id)
            job_links.link(connection, row.id, ())
            self._index.drop(connection, row.id)
            connection.execute(self.table.delete().where(
                self.table.c.id == row.id))
            return job_trusts.unused_trust(connection, self.table,
                                           row.project_id, self.record(row))

    # --- for the sessions repository and the action watcher ------------

    def locked(self, connection, project_id, identifier):
        """Lock a job's row in the caller's write transaction.

        :returns: the Row (give it to :meth:`rewrite_job`).
        :raises errors.NotFound: no such job in this project.
        """
        return self.locked_row(connection, project_id, identifier)

    def rewrite_job(self, connection, row, changes):
        """Rewrite a locked job with some keys changed (version + 1).

        :param connection: the caller's ``database.writer()`` Connection.
        :param row: the Row of :meth:`locked`.
        :param changes: dict of stored keys to set: ``session_id``,
            ``session_tag``, ``job_schedule`` (whole), ``job_actions``
            (action records; the link rows are the caller's business).
        :returns: dict, the new record.
        """
        stored = stored_document(self.record(row))
        stored.update(changes)
        return self.rewrite(connection, row, stored)

    def foreign_central_clients(self, project_id, records):
        """The client ids among ``records`` that name another project's
        central client (their ``current_pid`` is hidden, spec "Listing").

        :returns: set of str.
        """
        if self.clients is None:
            return set()
        hidden = set()
        with self.database.reader() as connection:
            for client_id in {r['client_id'] for r in records}:
                found = self.clients.find(project_id, client_id, connection)
                if (found is not None and found['client'].get('is_central')
                        and found['project_id'] != project_id):
                    hidden.add(client_id)
        return hidden
