"""The database: one object owning everything about talking to it.

:class:`Database` owns oslo.db's engine facade and what makes it behave
the same on every engine: SQLite's writer file lock, kept connections and
pragmas, MySQL's character set, the exception filters oslo.db lacks, and
the retry policy (:func:`retry`). It is built by the composition root
(:mod:`freezer_daemon.wiring`) and shared by every resource's repository;
each repository call is one :meth:`Database.reader` or
:meth:`Database.writer` transaction.
"""

import contextlib
import fcntl
import functools
import os

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_db.sqlalchemy import exc_filters
import sqlalchemy as sa

from freezer_core import errors

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
    (:meth:`Database.writer`), so this should not happen; should
    a lock still outlast the busy timeout (a checkpoint, another process
    on the file), it is retried and, if it persists, answered 503, never
    an unexpected 500 (issue 8). oslo.db has no filter for it.
    """
    raise db_exc.DBDeadlock(error)


def retry(method):
    """Retry a repository call on deadlocks and dropped connections.

    Deadlocks, serialization failures and lost connections are retried
    inside the service so that they never reach a client (multi-node
    backends); a database still unreachable, deadlocked or locked (SQLite)
    after the retries, or missing (a moved SQLite file), raises
    :class:`errors.StorageUnavailable` (503), not an unexpected 500.

    Every public repository method that opens a transaction is wrapped
    with it; a wrapped call must not run inside another one's transaction
    (the retry re-runs the whole transaction).

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
# On alembic's version table, which every migrated database has and which
# has no triggers (a table with FTS5 triggers opens the virtual table, a
# read, first, and a read-then-write fails at once instead of waiting).
_LOCK_STATEMENT = sa.text('DELETE FROM alembic_version WHERE 0 = 1')


def _sqlite_lock_path(connection):
    """The file whose lock queues SQLite writers, or None."""
    url = sa.engine.make_url(connection)
    if url.get_backend_name() != 'sqlite' or url.database in (
            None, '', ':memory:'):
        return None
    return url.database + '-writers.lock'


@contextlib.contextmanager
def _file_lock(path):
    """Open the file whose exclusive ``flock`` queues SQLite writers.

    SQLite's own busy handler polls with growing sleeps, so writers from
    several worker processes wait in bursts and their latency tail grows
    to hundreds of milliseconds. Waiting on a kernel file lock first
    queues them and wakes the next one as soon as the lock is released.

    The lock is taken when the yielded callable is called, not on entry,
    so that a writer can set up its transaction before it joins the
    queue; it is released when the block ends (the file is closed).

    :param path: str, the lock file, or None (the callable does nothing).
    :returns: a context manager yielding a callable of no arguments that
        blocks until this writer holds the lock.
    :raises errors.StorageUnavailable: the file cannot be opened (the
        database's directory is gone or unwritable).
    """
    if path is None:
        yield lambda: None
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise errors.StorageUnavailable(
            'The database is not available; retry later.') from exc
    try:
        yield functools.partial(fcntl.flock, fd, fcntl.LOCK_EX)
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


#: The name of oslo.db's SQLite ``begin`` listener
#: (``oslo_db.sqlalchemy.engines._init_events``).
_OSLO_SQLITE_BEGIN = '_sqlite_emit_begin'


def _begin_sqlite(connection):
    """Open a SQLite transaction with one statement on the driver.

    oslo.db turns pysqlite's own transaction handling off and opens each
    transaction itself, from a ``begin`` listener that sends ``BEGIN``
    through SQLAlchemy's whole statement machinery and marks the
    connection ``info['in_transaction']`` (its commit and rollback
    listeners clear the mark). That was about a tenth of a small read's
    CPU (issue 18). This listener, which :func:`_cheap_sqlite_begin`
    puts in its place, does the same with the ``BEGIN`` sent straight to
    the sqlite3 connection.

    :param connection: the SQLAlchemy Connection beginning a transaction.
    :returns: None
    """
    if 'in_transaction' not in connection.info:
        connection.connection.driver_connection.execute('BEGIN')
        connection.info['in_transaction'] = True


def _cheap_sqlite_begin(engine):
    """Replace oslo.db's SQLite ``begin`` listener by :func:`_begin_sqlite`.

    oslo.db's listener is found by its name; when a later oslo.db has no
    listener of that name, the engine is left as it is (the transactions
    are then opened the slower way, never left unopened).

    :param engine: the SQLite :class:`sqlalchemy.engine.Engine` oslo.db
        created.
    :returns: bool, True when the listener was replaced.
    """
    for listener in list(engine.dispatch.begin):
        if getattr(listener, '__name__', None) == _OSLO_SQLITE_BEGIN:
            sa.event.remove(engine, 'begin', listener)
            sa.event.listen(engine, 'begin', _begin_sqlite)
            return True
    return False


#: Pages in SQLite's write-ahead log before a commit checkpoints it
#: (SQLite's default is 1,000, about 4 MB). A create writes 60 to 80
#: pages at a million actions (the index entries land on scattered
#: pages), so the default checkpointed every 15 writes or so, each time
#: copying the pages back and syncing the database file while the
#: writers' lock is held. At 8,000 (about 32 MB of log) pages written
#: again between checkpoints are copied once; creates and PATCHes were
#: about a tenth faster (``docs/performance.rst``).
WAL_AUTOCHECKPOINT_PAGES = 8000


def _tune_sqlite_connection(dbapi_connection, connection_record):
    """Use ``synchronous = NORMAL`` on SQLite's WAL journal, and
    checkpoint it every :data:`WAL_AUTOCHECKPOINT_PAGES` pages.

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
        cursor.execute('PRAGMA wal_autocheckpoint = %d'
                       % WAL_AUTOCHECKPOINT_PAGES)
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


class Database(object):
    """One SQL database, shared by the repositories of every resource.

    :param connection: SQLAlchemy database URL (``[database]
        connection``).
    :param engine_options: optional dict of extra
        ``enginefacade.transaction_context.configure`` options (pool size,
        timeouts, ...; :func:`freezer_daemon.wiring.engine_options`).
    """

    def __init__(self, connection, engine_options=None):
        connection = _with_mysql_charset(connection)
        self._facade = enginefacade.transaction_context()
        # thread_checkin (oslo.db's default True) adds a time.sleep(0) to
        # every connection checkin, a yield meant for eventlet's green
        # threads. Under real threads it hands the interpreter lock to
        # another thread at the end of every transaction and then waits to
        # get it back: a dozen futex calls a request in a daemon worker
        # (issue 18). This service runs no eventlet.
        options = {'connection': connection, 'sqlite_fk': True,
                   'thread_checkin': False}
        options.update(engine_options or {})
        self._facade.configure(**options)
        #: The engine's backend name: ``'sqlite'``, ``'postgresql'`` or
        #: ``'mysql'``.
        self.backend = sa.engine.make_url(connection).get_backend_name()
        self._keeper = None
        self._keeper_pid = None
        self._write_lock_path = _sqlite_lock_path(connection)
        if self.backend == 'sqlite':
            engine = self._facade.writer.get_engine()
            sa.event.listen(engine, 'connect', _tune_sqlite_connection)
            _cheap_sqlite_begin(engine)
            if self._write_lock_path is not None:
                _keep_sqlite_connections(engine)

    @property
    def engine(self):
        """The writer :class:`sqlalchemy.engine.Engine` (tests, tools)."""
        return self._facade.writer.get_engine()

    def _keep_sqlite_open(self):
        """Hold one SQLite connection open per process.

        When the last connection to a WAL database closes, SQLite
        checkpoints the WAL and fsyncs; with oslo.db's connection per
        transaction that happened after nearly every request. Since file
        databases keep one connection per thread
        (:func:`_keep_sqlite_connections`) this is probably redundant (the
        pool keeps the same connection open), but it has not been proven
        so and is kept. Opened lazily, so that a forked worker never
        shares its parent's.
        """
        if self.backend != 'sqlite' or self._keeper_pid == os.getpid():
            return
        self._keeper = self._facade.writer.get_engine().raw_connection()
        self._keeper_pid = os.getpid()

    def reader(self):
        """A read transaction.

        :returns: a context manager yielding a SQLAlchemy Connection.
        """
        self._keep_sqlite_open()
        return self._facade.reader.connection.using(_Scope())

    @contextlib.contextmanager
    def writer(self, first_statement_writes=False):
        """A write transaction, queued behind other writers on SQLite.

        :param first_statement_writes: True when the transaction's first
            statement is an INSERT/UPDATE without triggers, which takes
            SQLite's write lock by itself (one round trip less).
        :returns: a context manager yielding a SQLAlchemy Connection;
            committed when the block ends without an exception.
        :raises errors.StorageUnavailable: the SQLite file's directory is
            gone.
        """
        self._keep_sqlite_open()
        # The connection is checked out before this writer queues, and the
        # commit happens before the file lock is let go (the inner block
        # ends first): only the statements and the commit are serialised.
        # pysqlite begins its transaction at the first write statement, so
        # checking out early takes no SQLite lock.
        with _file_lock(self._write_lock_path) as queue, \
                self._facade.writer.connection.using(_Scope()) as connection:
            queue()
            if self.backend == 'sqlite' and not first_statement_writes:
                # Take the write lock first, as BEGIN IMMEDIATE would: a
                # transaction that reads and then writes could otherwise
                # fail at once with SQLITE_BUSY when another worker wrote
                # in between, instead of waiting on the busy timeout.
                connection.execute(_LOCK_STATEMENT)
            yield connection
