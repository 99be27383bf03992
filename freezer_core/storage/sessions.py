"""The session repository: the sessions table, membership and the run
protocol, each one transaction.

The domain rules are :mod:`freezer_core.sessions` (documents, merges,
membership) and :mod:`freezer_core.session_runs` (``start``/``end``).
This module writes what they decide, atomically:

* every write locks the session row first (``SELECT ... FOR UPDATE`` on
  PostgreSQL and MySQL; on SQLite the writer lock of
  :meth:`freezer_core.storage.database.Database.writer` serialises every
  write), so two protocol calls on one session never interleave and no
  ``end`` loses another's result (spec ``sessions.md``, "Run protocol");
* a write touching member jobs (membership, a client-set
  ``session_tag``, a session DELETE) locks and rewrites them in the same
  transaction, through the job repository's membership methods
  (:meth:`freezer_core.storage.jobs.JobRepository.locked` and
  :meth:`~freezer_core.storage.jobs.JobRepository.rewrite_job`);
* :meth:`SessionRepository.forget_job` is what a job DELETE calls,
  inside its own transaction, so that the session never waits for a job
  it no longer has.

Locks are taken session first, then jobs in id order; a job DELETE locks
its job first and then the session, and the deadlock that order can meet
on PostgreSQL/MySQL is retried by :func:`freezer_core.storage.database.
retry` (the whole transaction runs again).
"""

import json
import time

from oslo_db import exception as db_exc

from freezer_core import errors
from freezer_core import jsondoc
from freezer_core import session_runs
from freezer_core import sessions as domain
from freezer_core.storage import database
from freezer_core.storage import models
from freezer_core.storage import repository

#: Keys of the stored ``document`` column (client document and run
#: state). ``time_started``/``time_ended`` are not stored: always -1
#: (spec: compat fields).
STORED_KEYS = ('description', 'hold_off', 'schedule', 'session_tag',
               'status', 'result', 'time_start', 'time_end', 'jobs')


def _differs(record, fields):
    """Whether writing ``fields`` would change ``record``."""
    return any(record[key] != value for key, value in fields.items())


def epoch_now():
    """The current time in whole epoch seconds (the protocol's clock)."""
    return int(time.time())


class SessionRepository(repository.Repository):
    """Stores sessions, their membership and their runs (spec
    ``sessions.md``).

    :param database: :class:`freezer_core.storage.database.Database`.
    :param jobs: the job repository (:class:`freezer_core.storage.jobs.
        JobRepository`): its ``locked``, ``record`` and ``rewrite_job``
        are used inside this repository's transactions; None only for
        the storage tests that never touch members.
    :param clock: callable returning int epoch seconds (``now`` of the
        run protocol); :func:`epoch_now` by default, a fake in tests.
    :param driver_limit: see :class:`repository.Repository`.
    """

    index = models.SESSION_INDEX
    id_name = 'session_id'
    noun = 'Session'

    def __init__(self, database, jobs=None, clock=epoch_now, **kwargs):
        super().__init__(database, **kwargs)
        self.jobs = jobs
        self.clock = clock

    # --- row mapping ---------------------------------------------------

    def content_columns(self, document):
        """The ``document`` column: the :data:`STORED_KEYS` as JSON.

        :param document: dict holding every key of :data:`STORED_KEYS`
            (a create's document, or :meth:`client_document` changed).
        """
        return {'document': jsondoc.dumps(
            {key: document[key] for key in STORED_KEYS})}

    def content(self, row):
        """The content keys of a session record (``time_started`` and
        ``time_ended`` are -1)."""
        content = json.loads(row.document)
        content.update(time_started=-1, time_ended=-1)
        return content

    def search_view(self, record):
        """:func:`freezer_core.sessions.search_view`."""
        return domain.search_view(record)

    def client_document(self, record):
        """Everything stored of a record (client document and run
        state): what :meth:`update`'s transform receives and returns."""
        return {key: record[key] for key in STORED_KEYS}

    def new_id(self):
        """:func:`freezer_core.sessions.new_session_id`."""
        return domain.new_session_id()

    # --- session writes ------------------------------------------------

    def _store(self, connection, row, record, changes):
        """Rewrite a locked session with some stored keys changed."""
        stored = self.client_document(record)
        stored.update(changes)
        return self.rewrite(connection, row, stored)

    def _tag_members(self, connection, record, tag):
        """Give every member job the session's tag (a client set it)."""
        if tag is None:
            return
        for job_id in sorted(record['jobs']):
            self._rewrite_member(connection, record, job_id,
                                 lambda job: {'session_tag': tag})

    def _rewrite_member(self, connection, session, job_id, change):
        """Apply ``change(job record) -> fields`` to a job that is still
        this session's member; a job gone or moved is left alone."""
        try:
            job_row = self.jobs.locked(connection, session['project_id'],
                                       job_id)
        except errors.NotFound:
            return
        job = self.jobs.record(job_row)
        if job['session_id'] != session['session_id']:
            return
        fields = change(job)
        if _differs(job, fields):
            self.jobs.rewrite_job(connection, job_row, fields)

    @database.retry
    def update_session(self, project_id, session_id, validate,
                       expected_version=None):
        """PATCH a session, in one transaction with its members' tags.

        :param project_id: str, the URL's project.
        :param session_id: str.
        :param validate: callable taking the stored record (dict) and
            returning a :class:`freezer_core.sessions.SessionWrite` whose
            ``document`` is the whole new client document
            (:func:`freezer_core.sessions.merge_patch`); it may raise
            :class:`errors.ValidationError` (nothing is written).
        :param expected_version: None, an int or ``versions.ANY``
            (``If-Match``).
        :returns: dict, the new record (``_version`` one higher); a
            ``member_tag`` is also written to every member job.
        :raises errors.NotFound: no such session in this project.
        :raises errors.VersionMismatch: ``expected_version`` differs.
        """
        with self.database.writer() as connection:
            row = self.locked_row(connection, project_id, session_id)
            record = self.record(row)
            write = validate(record)
            self._check_version(row, expected_version)
            new = self._store(connection, row, record, write.document)
            self._tag_members(connection, new, write.member_tag)
            return new

    @database.retry
    def replace_session(self, project_id, user_id, session_id, validate,
                        expected_version=None):
        """Replace a session's client document, or create it (compat).

        Membership and run state are kept; concurrent creates of one new
        id in one project all succeed (one creates, the others replace),
        as :meth:`repository.Repository.replace`.

        :param project_id: str, the URL's project.
        :param user_id: str, the caller (the creator, when creating).
        :param session_id: str, from the URL.
        :param validate: callable taking the stored record, or None when
            the session does not exist, and returning a
            :class:`freezer_core.sessions.SessionWrite`
            (:func:`freezer_core.sessions.validate_replace`).
        :param expected_version: None, an int or ``versions.ANY``
            (``If-Match``); any value refuses a create.
        :returns: ``(record, created)``.
        :raises errors.Conflict: the id belongs to another project.
        :raises errors.VersionMismatch: ``expected_version`` differs.
        """
        for _attempt in range(repository.REPLACE_ATTEMPTS):
            try:
                return self._replace_once(project_id, user_id, session_id,
                                          validate, expected_version)
            except db_exc.DBDuplicateEntry:
                continue
        raise self._taken(session_id)

    def _replace_once(self, project_id, user_id, session_id, validate,
                      expected_version):
        with self.database.writer() as connection:
            row = self._select_row(connection, project_id, session_id,
                                   for_update=True)
            if row is None:
                write = validate(None)
                if expected_version is not None:
                    raise errors.VersionMismatch(
                        'Session %s does not exist.' % session_id)
                prepared = self._prepare_new(project_id, user_id,
                                             session_id, write.document)
                return self._insert_new(connection, prepared), True
            record = self.record(row)
            write = validate(record)
            self._check_version(row, expected_version)
            new = self._store(connection, row, record, write.document)
            self._tag_members(connection, new, write.member_tag)
            return new, False

    @database.retry
    def delete(self, project_id, session_id, expected_version=None):
        """Delete a session, detaching its member jobs in the same
        transaction (``session_id`` ``""``, ``session_tag`` 0, their
        ``_version`` one higher; spec "Writes", DELETE).

        :param project_id: str, the URL's project.
        :param session_id: str.
        :param expected_version: None, an int or ``versions.ANY``
            (``If-Match``).
        :raises errors.NotFound: no such session in this project.
        :raises errors.VersionMismatch: ``expected_version`` differs.
        """
        with self.database.writer() as connection:
            row = self.locked_row(connection, project_id, session_id)
            self._check_version(row, expected_version)
            record = self.record(row)
            for job_id in sorted(record['jobs']):
                self._rewrite_member(connection, record, job_id,
                                     lambda job: domain.detached_job())
            self._index.drop(connection, row.id)
            connection.execute(self.table.delete().where(
                self.table.c.id == row.id))

    # --- membership ----------------------------------------------------

    def _locked_pair(self, connection, project_id, session_id, job_id,
                     expected_version):
        """Lock the session, then the job; check ``If-Match``."""
        row = self.locked_row(connection, project_id, session_id)
        job_row = self.jobs.locked(connection, project_id, job_id)
        self._check_version(row, expected_version)
        return row, self.record(row), job_row, self.jobs.record(job_row)

    @database.retry
    def add_job(self, project_id, session_id, job_id,
                expected_version=None):
        """Add a job to a session, or move it there (``PUT .../jobs/{id}``).

        One transaction: the session's ``jobs`` map gets the job's
        snapshot, the job gets the session's id, tag and ``schedule_*``
        keys (:func:`freezer_core.sessions.joined_job`), and the session
        it leaves, if any, loses it (with the completion rule). A
        document that does not change keeps its ``_version`` (re-adding
        is idempotent).

        :param project_id: str, the URL's project (of both documents).
        :param session_id: str.
        :param job_id: str.
        :param expected_version: int or None: the session's (``If-Match``).
        :returns: None
        :raises errors.NotFound: the session, or the job, is missing
            (the message names which).
        :raises errors.VersionMismatch: ``expected_version`` differs.
        """
        with self.database.writer() as connection:
            row, record, job_row, job = self._locked_pair(
                connection, project_id, session_id, job_id,
                expected_version)
            previous = job['session_id']
            if previous and previous != session_id:
                self.forget_job(connection, project_id, previous, job_id)
            members = {'jobs': domain.with_member(record, job)}
            if _differs(record, members):
                record = self._store(connection, row, record, members)
            fields = domain.joined_job(job, record)
            if _differs(job, fields):
                self.jobs.rewrite_job(connection, job_row, fields)

    @database.retry
    def remove_job(self, project_id, session_id, job_id,
                   expected_version=None):
        """Remove a member job (``DELETE .../jobs/{id}``), stopping it.

        One transaction: the entry leaves the ``jobs`` map and the
        completion rule applies again
        (:func:`freezer_core.session_runs.without_member`); the job gets
        :func:`freezer_core.sessions.removed_job` (``event: stop``,
        ``session_id`` ``""``, ``session_tag`` 0). Both versions rise.

        :param project_id: str, the URL's project.
        :param session_id: str.
        :param job_id: str.
        :param expected_version: int or None: the session's (``If-Match``).
        :returns: None
        :raises errors.NotFound: the session or the job is missing, or
            the job is not a member.
        :raises errors.VersionMismatch: ``expected_version`` differs.
        """
        with self.database.writer() as connection:
            row, record, job_row, job = self._locked_pair(
                connection, project_id, session_id, job_id,
                expected_version)
            state = session_runs.without_member(record, job_id,
                                                self.clock())
            self._store(connection, row, record, state)
            self.jobs.rewrite_job(connection, job_row,
                                  domain.removed_job(job))

    def forget_job(self, connection, project_id, session_id, job_id):
        """Take a job out of a session's ``jobs`` map, inside the
        caller's transaction (the completion rule applies again, the
        session's ``_version`` rises); a missing session, or one that
        does not list the job, is left alone.

        What a job DELETE calls (:meth:`freezer_core.storage.jobs.
        JobRepository.delete`; spec ``jobs.md``, "Writes", DELETE: else
        the session waits for the job forever), and a move of a job to
        another session (:meth:`add_job`).

        :param connection: the Connection of the caller's
            ``database.writer()`` transaction (the job's row locked).
        :param project_id: str.
        :param session_id: str.
        :param job_id: str.
        :returns: dict, the session's record (changed or not), or None
            when there is no such session.
        """
        try:
            row = self.locked_row(connection, project_id, session_id)
        except errors.NotFound:
            return None
        record = self.record(row)
        if job_id not in record['jobs']:
            return record
        state = session_runs.without_member(record, job_id, self.clock())
        return self._store(connection, row, record, state)

    # --- run protocol --------------------------------------------------

    @database.retry
    def run_action(self, project_id, session_id, body,
                   expected_version=None):
        """Run one ``start`` or ``end`` call, atomically per session.

        The session row is locked before it is read, so concurrent calls
        on one session run one after the other, each on the state the
        previous one wrote (spec ``sessions.md``, "Run protocol"). A call
        that changes nothing writes nothing (no version bump).

        :param project_id: str, the URL's project.
        :param session_id: str.
        :param body: the decoded request body
            (:func:`freezer_core.session_runs.run_action`).
        :param expected_version: None, an int or ``versions.ANY``
            (``If-Match``).
        :returns: ``(result, session_tag)``: str and int, the 202 body.
        :raises errors.NotFound: no such session in this project.
        :raises errors.ValidationError: a bad body, or ``tag too high``.
        :raises errors.Unprocessable: the job is not a member.
        :raises errors.VersionMismatch: ``expected_version`` differs.
        """
        with self.database.writer() as connection:
            row = self.locked_row(connection, project_id, session_id)
            record = self.record(row)
            state, _changes, result, tag = session_runs.run_action(
                record, body, self.clock())
            self._check_version(row, expected_version)
            if state is not None:
                self._store(connection, row, record, state)
            return result, tag
