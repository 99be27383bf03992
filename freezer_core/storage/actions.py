"""The action repository: every query on actions, in SQL.

Each public method is one database transaction through oslo.db's
enginefacade; the search index tables are written in the same transaction
as the document, so a reader never sees one without the other. Lists and
searches are answered by indexed SQL in the stable order
``created_at, action_id`` (spec, "Listing, search and pagination"); no
method loads a whole project.
"""

import contextlib
import datetime
import fcntl
import functools
import json
import os

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_db.sqlalchemy import exc_filters
import sqlalchemy as sa

from freezer_core import actions as domain
from freezer_core import errors
from freezer_core import jsondoc
from freezer_core import search as search_mod
from freezer_core.storage import models
from freezer_core.storage import search_sql

_A = models.Action.__table__
_T = models.ActionTerm.__table__
_X = models.ActionText.__table__

# Built once: SQLAlchemy computes per statement object work (dialect
# options, compiled form cache keys) that a new object per request repeats.
_INSERT_ACTION = _A.insert()
_INSERT_TERM = _T.insert()
_INSERT_TEXT = _X.insert()
_UPDATE_ACTION = _A.update().where(_A.c.id == sa.bindparam('w_id'),
                                   _A.c.version == sa.bindparam('w_version'))
_DELETE_TERM = _T.delete().where(_T.c.project_id == sa.bindparam('t_project'),
                                 _T.c.name == sa.bindparam('t_name'),
                                 _T.c.value == sa.bindparam('t_value'),
                                 _T.c.action_pk == sa.bindparam('t_pk'))
_DELETE_TEXT = _X.delete().where(_X.c.action_pk == sa.bindparam('x_pk'),
                                 _X.c.text == sa.bindparam('x_text'))

#: Retries of one repository call after a deadlock or a lost connection.
RETRIES = 5
#: First and longest pause between retries, in seconds: 0.1 + 0.2 + 0.4 +
#: 0.8 + 1 = 2.5 s at most in all, so an unreachable database is a quick
#: 503 rather than a request hanging for oslo.db's default 1 + 2 + 4 + 8
#: + 10 s; a deadlock (two writers on one PostgreSQL or MySQL) usually
#: clears on the first retry.
RETRY_INTERVAL = 0.1
MAX_RETRY_INTERVAL = 1


@exc_filters.filters('postgresql', sa.exc.OperationalError,
                     r'.*connection to server (?:at|on) .* failed')
def _postgresql_connect_failure(error, match, engine_name, is_disconnect):
    """A PostgreSQL that cannot be reached is a DBConnectionError.

    oslo.db recognises libpq's connect failures by the words "could not
    connect to server", which libpq 14 and later no longer use ("connection
    to server at ... failed: Connection refused"); unrecognised, a stopped
    server would surface as an unexpected 500 instead of being retried and
    answered 503. Registered with oslo.db's own exception filters.
    """
    raise db_exc.DBConnectionError(error)


@exc_filters.filters('sqlite', sa.exc.OperationalError,
                     r'.*database is locked')
def _sqlite_locked(error, match, engine_name, is_disconnect):
    """SQLite's ``database is locked`` is retried like a deadlock.

    Writers queue on a file lock and then take SQLite's write lock first
    (:meth:`ActionRepository._writer`), so this should not happen; should
    a lock still outlast the busy timeout (a checkpoint, another process
    on the file), it is retried and, if it persists, answered 503, never
    an unexpected 500 (issue 8). oslo.db has no filter for it.
    """
    raise db_exc.DBDeadlock(error)


def _retry(method):
    """Retry a repository call on deadlocks and dropped connections.

    Deadlocks, serialization failures and lost connections are retried
    inside the service so that they never reach a client (multi-node
    backends); a database still unreachable, deadlocked or locked (SQLite)
    after the retries, or missing (a moved SQLite file), raises
    :class:`errors.StorageUnavailable` (503), not an unexpected 500.

    :param method: the repository method (one transaction per call).
    :returns: the wrapped method.
    """
    retried = oslo_db_api.wrap_db_retry(
        max_retries=RETRIES, retry_interval=RETRY_INTERVAL,
        inc_retry_interval=True, max_retry_interval=MAX_RETRY_INTERVAL,
        retry_on_deadlock=True, retry_on_disconnect=True)(method)

    @functools.wraps(method)
    def call(*args, **kwargs):
        try:
            return retried(*args, **kwargs)
        except db_exc.DBConnectionError as exc:
            raise errors.StorageUnavailable(
                'The database cannot be reached; retry later.') from exc
        except db_exc.DBDeadlock as exc:
            # Still locked after the retries: busy, not broken.
            raise errors.StorageUnavailable(
                'The database is busy; retry later.') from exc
        except (db_exc.DBNonExistentDatabase,
                db_exc.DBNonExistentTable) as exc:
            # The SQLite file (or a table) went away under the running
            # service: unavailable until it is back, as /healthcheck says.
            raise errors.StorageUnavailable(
                'The database is not available; retry later.') from exc
    return call


# A write statement that changes nothing: on SQLite it takes the database's
# write lock at the start of a transaction, waiting on the busy timeout.
# Not on action_texts: its FTS5 triggers open the virtual table (a read)
# first, and a read-then-write fails at once instead of waiting.
_LOCK_STATEMENT = sa.text('DELETE FROM action_terms WHERE 0 = 1')


def _sqlite_lock_path(connection):
    """The file whose lock queues SQLite writers, or None."""
    url = sa.engine.make_url(connection)
    if url.get_backend_name() != 'sqlite' or url.database in (
            None, '', ':memory:'):
        return None
    return url.database + '-writers.lock'


@contextlib.contextmanager
def _file_lock(path):
    """Hold an exclusive ``flock`` on ``path`` (no-op for None).

    SQLite's own busy handler polls with growing sleeps, so writers from
    several worker processes wait in bursts and their latency tail grows
    to hundreds of milliseconds. Waiting on a kernel file lock first
    queues them and wakes the next one as soon as the lock is released.
    """
    if path is None:
        yield
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        # The database's directory is gone or unwritable.
        raise errors.StorageUnavailable(
            'The database is not available; retry later.') from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


#: SQLite connections kept per worker process: one per thread (cheroot's
#: request threads and a few others).
SQLITE_CONNECTIONS_PER_PROCESS = 64


def _keep_sqlite_connections(engine):
    """Keep one SQLite connection per thread instead of one per transaction.

    oslo.db gives SQLite file databases a NullPool: every transaction
    opens a new connection, whose page cache starts empty, so each write
    reads the upper levels of every index it touches again (2.7 ms a write
    at a million actions, against 0.9 ms on a connection kept open). A
    SingletonThreadPool keeps each thread's connection, and its cache;
    a connection is still only ever used by the thread that opened it, as
    pysqlite requires. The pool reuses the engine's connection factory and
    its event listeners (oslo.db's pragmas and process guards), as
    SQLAlchemy's own ``Pool.recreate()`` does.

    :param engine: the SQLite engine oslo.db created.
    :returns: None
    """
    old = engine.pool
    engine.pool = sa.pool.SingletonThreadPool(
        old._creator, pool_size=SQLITE_CONNECTIONS_PER_PROCESS,
        recycle=old._recycle, pre_ping=old._pre_ping,
        reset_on_return=old._reset_on_return, _dispatch=old.dispatch,
        dialect=old._dialect)
    old.dispose()


def _tune_sqlite_connection(dbapi_connection, connection_record):
    """Use ``synchronous = NORMAL`` on SQLite's WAL journal.

    In WAL mode NORMAL keeps the database consistent after any crash and
    loses no committed write when only the process dies; after an OS
    crash or power loss the last commits may be rolled back. FULL would
    fsync on every commit, which caps writes at the disk's fsync rate.
    ``[database] sqlite_synchronous = False`` (OFF) is left as it is.
    """
    cursor = dbapi_connection.cursor()
    try:
        level = cursor.execute('PRAGMA synchronous').fetchone()[0]
        if level > 1:
            cursor.execute('PRAGMA synchronous = NORMAL')
    finally:
        cursor.close()


def _with_mysql_charset(connection):
    """Ask MySQL for utf8mb4 unless the URL names a character set.

    oslo.db asks for ``utf8`` (MySQL's 3-byte utf8mb3) when the URL has no
    ``charset``, which cannot carry 4-byte characters such as emoji; the
    tables are utf8mb4 (migration 0001).
    """
    url = sa.engine.make_url(connection)
    if url.get_backend_name() != 'mysql' or 'charset' in url.query:
        return connection
    return url.update_query_dict({'charset': 'utf8mb4'}).render_as_string(
        hide_password=False)


class _Scope(object):
    """A fresh object to hang one enginefacade transaction on."""


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _iso(value):
    return value.strftime('%Y-%m-%dT%H:%M:%S.%fZ')


def _record(row):
    return {
        'action_id': row.action_id,
        'project_id': row.project_id,
        'user_id': row.user_id,
        'freezer_action': json.loads(row.freezer_action),
        'max_retries': row.max_retries,
        'max_retries_interval': row.max_retries_interval,
        'mandatory': bool(row.mandatory),
        '_version': row.version,
        'created_at': _iso(row.created_at),
        'updated_at': _iso(row.updated_at),
    }


class ActionRepository(object):
    """Stores and queries actions in one SQL database.

    :param connection: SQLAlchemy database URL (``[database]
        connection``).
    :param engine_options: optional dict of extra
        ``enginefacade.transaction_context.configure`` options (pool size,
        timeouts, ...).
    :param driver_limit: int, see
        :func:`freezer_core.storage.search_sql.conditions`.
    """

    def __init__(self, connection, engine_options=None,
                 driver_limit=search_sql.DRIVER_LIMIT):
        self._driver_limit = driver_limit
        connection = _with_mysql_charset(connection)
        self._facade = enginefacade.transaction_context()
        options = {'connection': connection, 'sqlite_fk': True}
        options.update(engine_options or {})
        self._facade.configure(**options)
        self._backend = sa.engine.make_url(connection).get_backend_name()
        self._keeper = None
        self._keeper_pid = None
        self._write_lock_path = _sqlite_lock_path(connection)
        if self._backend == 'sqlite':
            engine = self._facade.writer.get_engine()
            sa.event.listen(engine, 'connect', _tune_sqlite_connection)
            if self._write_lock_path is not None:
                _keep_sqlite_connections(engine)

    def _keep_sqlite_open(self):
        """Hold one idle SQLite connection per process.

        oslo.db opens a new SQLite connection per transaction; when the
        last connection to a WAL database closes, SQLite checkpoints the
        WAL and fsyncs, which would happen after nearly every request.
        An idle connection that stays open prevents that; it is opened
        lazily so that a forked worker never shares its parent's.
        """
        if self._backend != 'sqlite' or self._keeper_pid == os.getpid():
            return
        self._keeper = self._facade.writer.get_engine().raw_connection()
        self._keeper_pid = os.getpid()

    def _reader(self):
        self._keep_sqlite_open()
        return self._facade.reader.connection.using(_Scope())

    @contextlib.contextmanager
    def _writer(self, first_statement_writes=False):
        """A write transaction, queued behind other writers on SQLite.

        :param first_statement_writes: True when the transaction's first
            statement is an INSERT/UPDATE without triggers, which takes
            SQLite's write lock by itself (one round trip less).
        """
        self._keep_sqlite_open()
        with _file_lock(self._write_lock_path), \
                self._facade.writer.connection.using(_Scope()) as connection:
            if self._backend == 'sqlite' and not first_statement_writes:
                # Take the write lock first, as BEGIN IMMEDIATE would: a
                # transaction that reads and then writes could otherwise
                # fail at once with SQLITE_BUSY when another worker wrote
                # in between, instead of waiting on the busy timeout.
                connection.execute(_LOCK_STATEMENT)
            yield connection

    # --- reads ---------------------------------------------------------

    @staticmethod
    def _select_row(connection, project_id, action_id, for_update=False):
        query = sa.select(_A).where(_A.c.project_id == project_id,
                                    _A.c.action_id == action_id)
        if for_update:
            query = query.with_for_update()
        return connection.execute(query).first()

    @_retry
    def get(self, project_id, action_id):
        """Return one action of a project.

        :param project_id: str, the URL's project.
        :param action_id: str.
        :returns: dict, the record (keys :data:`domain.RECORD_KEYS`).
        :raises errors.NotFound: no such id in this project (including an
            id that exists in another project).
        """
        with self._reader() as connection:
            row = self._select_row(connection, project_id, action_id)
        if row is None:
            raise errors.NotFound('Action %s not found.' % action_id)
        return _record(row)

    @_retry
    def list(self, project_id, search, page):
        """Return one page of a project's actions matching a search.

        :param project_id: str, the URL's project.
        :param search: :class:`freezer_core.search.Search`.
        :param page: :class:`freezer_core.pagination.Page`; ``limit``,
            ``offset`` and ``marker`` count matching actions only.
        :returns: list of records (dicts), in ``created_at, action_id``
            order, at most ``page.limit`` long.
        :raises errors.InvalidParameter: ``page.marker`` is not an action
            of this project.
        """
        with self._reader() as connection:
            conditions = search_sql.conditions(
                connection, self._backend, project_id, search,
                self._driver_limit)
            if page.marker is not None:
                marker = connection.execute(
                    sa.select(_A.c.created_at, _A.c.action_id).where(
                        _A.c.project_id == project_id,
                        _A.c.action_id == page.marker)).first()
                if marker is None:
                    raise errors.InvalidParameter(
                        'Query parameter "marker": no action %s in this '
                        'project.' % page.marker, 'marker')
                # A row-value comparison: every engine answers it as one
                # range of the order index (keyset paging).
                conditions.append(
                    sa.tuple_(_A.c.created_at, _A.c.action_id)
                    > sa.tuple_(marker.created_at, marker.action_id))
            # Page over the ordering index alone, then fetch the page's
            # rows: a deep offset skips index entries, not whole rows.
            # (A join, not IN: MySQL refuses LIMIT inside IN.)
            ids = (sa.select(_A.c.id).where(*conditions)
                   .order_by(_A.c.created_at, _A.c.action_id)
                   .limit(page.limit).offset(page.offset)).subquery()
            rows = connection.execute(
                sa.select(_A).join(ids, _A.c.id == ids.c.id)
                .order_by(_A.c.created_at, _A.c.action_id)).all()
        return [_record(row) for row in rows]

    # --- writes --------------------------------------------------------

    @staticmethod
    def _index_rows(record):
        """The index entries of a record: (term rows, texts), as sets."""
        view = domain.search_view(record)
        terms = {search_sql.term_row(kind, name, value)
                 for kind, name, value in search_mod.index_entries(view)}
        return terms, search_mod.text_values(view)

    @classmethod
    def _write_index(cls, connection, pk, project_id, record, old=None):
        """Write a record's index entries, or only what changed.

        :param old: the record before the write, or None for a new
            action; only entries that differ from ``old``'s are deleted
            and inserted, so a PATCH of one key rewrites a few rows.
        """
        terms, texts = cls._index_rows(record)
        old_terms, old_texts = (cls._index_rows(old) if old is not None
                                else (set(), set()))
        gone = old_terms - terms
        if gone:
            connection.execute(
                _DELETE_TERM,
                [{'t_project': project_id, 't_name': name, 't_value': value,
                  't_pk': pk} for name, value in sorted(gone)])
        gone = old_texts - texts
        if gone:
            connection.execute(
                _DELETE_TEXT,
                [{'x_pk': pk, 'x_text': text} for text in sorted(gone)])
        new = terms - old_terms
        if new:
            connection.execute(_INSERT_TERM, [
                {'action_pk': pk, 'project_id': project_id, 'name': name,
                 'value': value} for name, value in sorted(new)])
        new = texts - old_texts
        if new:
            connection.execute(_INSERT_TEXT, [
                {'action_pk': pk, 'project_id': project_id, 'text': text}
                for text in sorted(new)])

    @staticmethod
    def _drop_index(connection, pk):
        connection.execute(_T.delete().where(_T.c.action_pk == pk))
        connection.execute(_X.delete().where(_X.c.action_pk == pk))

    @staticmethod
    def _columns(document):
        return {
            'freezer_action': jsondoc.dumps(document['freezer_action']),
            'max_retries': document['max_retries'],
            'max_retries_interval': document['max_retries_interval'],
            'mandatory': document['mandatory'],
        }

    def _prepare_new(self, project_id, user_id, action_id, document,
                     now=None):
        """Everything a new action's rows need, computed before the write
        lock is taken (JSON encoding, index entries): the lock is then
        held only for the statements.

        :param now: naive UTC datetime for ``created_at``/``updated_at``;
            the current time when None.
        :returns: ``(values, record, terms, texts)``: the ``actions`` row
            (dict), the record it becomes, and the index rows (lists of
            dicts without ``action_pk``).
        """
        now = now or _utcnow()
        values = self._columns(document)
        values.update(action_id=action_id, project_id=project_id,
                      user_id=user_id, version=1, created_at=now,
                      updated_at=now)
        record = _record(_RowView(values))
        term_rows, text_rows = self._index_rows(record)
        terms = [{'project_id': project_id, 'name': name, 'value': value}
                 for name, value in sorted(term_rows)]
        texts = [{'project_id': project_id, 'text': text}
                 for text in sorted(text_rows)]
        return values, record, terms, texts

    @staticmethod
    def _insert(connection, prepared):
        """Insert a new action prepared by :meth:`_prepare_new`.

        :returns: dict, the record.
        """
        values, record, terms, texts = prepared
        result = connection.execute(_INSERT_ACTION, values)
        pk = result.inserted_primary_key[0]
        if terms:
            connection.execute(_INSERT_TERM,
                               [dict(row, action_pk=pk) for row in terms])
        if texts:
            connection.execute(_INSERT_TEXT,
                               [dict(row, action_pk=pk) for row in texts])
        return record

    @_retry
    def create(self, project_id, user_id, document):
        """Store a new action.

        :param project_id: str, the URL's project.
        :param user_id: str, the creator (from the token).
        :param document: dict from :func:`domain.validate_create`; its
            ``action_id``, when present, is used, else one is generated.
        :returns: dict, the stored record (``_version`` 1).
        :raises errors.Conflict: the id is taken in any project.
        """
        action_id = document.get('action_id') or domain.new_action_id()
        try:
            prepared = self._prepare_new(project_id, user_id, action_id,
                                         document)
            with self._writer(first_statement_writes=True) as connection:
                return self._insert(connection, prepared)
        except db_exc.DBDuplicateEntry:
            raise errors.Conflict('Action id %s is already taken.'
                                  % action_id)

    @_retry
    def create_many(self, project_id, user_id, documents):
        """Store many new actions of one project in one transaction.

        For imports and benchmarks: the same rows and index entries as
        :meth:`create`, written with batched statements.

        :param project_id: str, the project of every action.
        :param user_id: str, the creator of every action.
        :param documents: list of dicts from :func:`domain.validate_create`;
            each without ``action_id`` gets a generated one.
        :returns: list of the action ids (str), in the order given.
        :raises errors.Conflict: an id is taken; nothing is stored.
        """
        # The same preparation as create(); one import is one instant, so
        # its actions share created_at and are ordered by action_id.
        now = _utcnow()
        prepared = [self._prepare_new(
            project_id, user_id,
            document.get('action_id') or domain.new_action_id(), document,
            now=now)
            for document in documents]
        if not prepared:
            return []
        ids = [values['action_id'] for values, _, _, _ in prepared]
        try:
            with self._writer(first_statement_writes=True) as connection:
                connection.execute(_INSERT_ACTION,
                                   [values for values, _, _, _ in prepared])
                pks = dict(connection.execute(
                    sa.select(_A.c.action_id, _A.c.id).where(
                        _A.c.action_id.in_(ids))).all())
                terms, texts = [], []
                for values, _, term_rows, text_rows in prepared:
                    pk = pks[values['action_id']]
                    terms.extend(dict(row, action_pk=pk) for row in term_rows)
                    texts.extend(dict(row, action_pk=pk) for row in text_rows)
                connection.execute(_INSERT_TERM, terms)
                if texts:
                    connection.execute(_INSERT_TEXT, texts)
        except db_exc.DBDuplicateEntry:
            raise errors.Conflict('An action id is already taken.')
        return ids

    def _locked(self, connection, project_id, action_id, expected_version):
        row = self._select_row(connection, project_id, action_id,
                               for_update=True)
        if row is None:
            raise errors.NotFound('Action %s not found.' % action_id)
        self._check_version(row, expected_version)
        return row

    @staticmethod
    def _check_version(row, expected_version):
        if expected_version is not None and row.version != expected_version:
            raise errors.VersionMismatch(
                'Action %s is at version %d, not %d.' % (
                    row.action_id, row.version, expected_version))

    def _rewrite(self, connection, row, document):
        values = self._columns(document)
        values.update(version=row.version + 1, updated_at=_utcnow())
        result = connection.execute(
            _UPDATE_ACTION, dict(values, w_id=row.id, w_version=row.version))
        if result.rowcount != 1:
            # Another writer got in between the read and the write.
            raise errors.VersionMismatch(
                'Action %s was changed concurrently.' % row.action_id)
        merged = dict(row._mapping)
        merged.update(values)
        record = _record(_RowView(merged))
        self._write_index(connection, row.id, row.project_id, record,
                          old=_record(row))
        return record

    @_retry
    def update(self, project_id, action_id, transform,
               expected_version=None):
        """Change an action in one transaction (read, transform, write).

        :param project_id: str, the URL's project.
        :param action_id: str.
        :param transform: callable taking the stored client document
            (dict) and returning the new one; it may raise
            :class:`errors.ValidationError`, and then nothing is written.
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
        with self._writer() as connection:
            row = self._locked(connection, project_id, action_id, None)
            # Invalid input is answered as such (400) whatever the
            # version; only a valid change can lose on If-Match (412).
            document = transform(domain.client_document(_record(row)))
            self._check_version(row, expected_version)
            return self._rewrite(connection, row, document)

    @_retry
    def replace(self, project_id, user_id, action_id, document,
                expected_version=None):
        """Replace an action's client document, or create it (compat).

        :param project_id: str, the URL's project.
        :param user_id: str, the caller; used only when creating (the
            creator never changes).
        :param action_id: str, from the URL.
        :param document: dict from :func:`domain.validate_replace`.
        :param expected_version: int or None (``If-Match``); when given
            and the action does not exist, answers VersionMismatch.
        :returns: ``(record, created)``: the stored record (dict) and
            whether it was created (bool).
        :raises errors.Conflict: the id belongs to another project.
        :raises errors.VersionMismatch: ``expected_version`` differs.
        """
        try:
            with self._writer() as connection:
                row = self._select_row(connection, project_id, action_id,
                                       for_update=True)
                if row is None:
                    if expected_version is not None:
                        raise errors.VersionMismatch(
                            'Action %s does not exist.' % action_id)
                    prepared = self._prepare_new(project_id, user_id,
                                                 action_id, document)
                    return self._insert(connection, prepared), True
                if (expected_version is not None
                        and row.version != expected_version):
                    raise errors.VersionMismatch(
                        'Action %s is at version %d, not %d.' % (
                            action_id, row.version, expected_version))
                return self._rewrite(connection, row, document), False
        except db_exc.DBDuplicateEntry:
            raise errors.Conflict('Action id %s is already taken.'
                                  % action_id)

    @_retry
    def delete(self, project_id, action_id, expected_version=None):
        """Delete an action and its index entries.

        :param project_id: str, the URL's project.
        :param action_id: str.
        :param expected_version: int or None (``If-Match``).
        :returns: None
        :raises errors.NotFound: no such id in this project; nothing is
            deleted.
        :raises errors.VersionMismatch: ``expected_version`` differs.
        """
        with self._writer() as connection:
            row = self._locked(connection, project_id, action_id,
                               expected_version)
            self._drop_index(connection, row.id)
            connection.execute(_A.delete().where(_A.c.id == row.id))


class _RowView(object):
    """Attribute access over a dict of column values, like a Row."""

    def __init__(self, values):
        self.__dict__.update(values)
