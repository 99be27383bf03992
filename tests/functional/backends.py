"""The database engines the storage and API tests run on.

Every storage and API test runs once per engine: SQLite (a file per
test), PostgreSQL and MySQL/MariaDB (except the policy and HTTP modules
of :data:`SQLITE_ONLY_MODULES`). The test ids carry the engine, e.g.
``...TestRepository.test_get(postgresql)``, so a run can be narrowed with
``stestr run '\\(mysql\\)'``.

PostgreSQL and MySQL come from ``tools/start-test-databases.sh start``,
which exports an administrative URL per engine (oslo.db's opportunistic
convention: user, password and database ``openstack_citest``):

* ``FREEZER_TEST_POSTGRESQL_URL``
* ``FREEZER_TEST_MYSQL_URL``

Each test process creates its own database on each engine the first time
a test needs it (``CREATE DATABASE`` plus the real migration chain), and
every test starts on emptied tables; the databases are dropped when the
process ends. Creating a database per test would cost a second or more
each on PostgreSQL and MySQL and multiply the suite's time for nothing:
the three tables are all the state there is.

When an URL is missing the engine's tests are skipped, except in CI
(``CI=true``) or with ``FREEZER_TEST_DATABASES_REQUIRED=1``, where they
fail: a CI run must never pass without the engines it claims to test.
"""

import atexit
import os
import uuid

import sqlalchemy as sa
import testscenarios
import testtools

from freezer_core.storage import migration

SQLITE = 'sqlite'
POSTGRESQL = 'postgresql'
MYSQL = 'mysql'
#: Every engine, in the order the scenarios run.
ALL = (SQLITE, POSTGRESQL, MYSQL)
#: The server engines (an URL in the environment each).
SERVERS = (POSTGRESQL, MYSQL)

URL_VARIABLES = {
    POSTGRESQL: 'FREEZER_TEST_POSTGRESQL_URL',
    MYSQL: 'FREEZER_TEST_MYSQL_URL',
}

#: API test modules that run on SQLite only: they check policy and HTTP
#: behaviour (routes, personas, status codes, headers, content types,
#: size limits, logs), which no storage engine changes, and running them
#: three times would cost about a minute of CI time for nothing. Every
#: other storage and API module runs on each engine.
SQLITE_ONLY_MODULES = frozenset([
    'test_policy_matrix', 'test_verify_policy', 'test_http',
    'test_access_log'])

# Children first: the index tables reference actions.
_TABLES = ('session_texts', 'session_terms', 'sessions',
           'job_texts', 'job_terms', 'job_actions', 'jobs',
           'backup_texts', 'backup_terms', 'backups',
           'client_texts', 'client_terms', 'clients', 'client_ids',
           'action_texts', 'action_terms', 'actions')


def scenarios(engines=ALL):
    """Build testscenarios scenarios, one per engine.

    :param engines: iterable of engine names from :data:`ALL`.
    :returns: list of ``(name, {'backend': name})`` pairs.
    """
    return [(engine, {'backend': engine}) for engine in engines]


def required():
    """Tell whether a missing engine must fail the tests (CI).

    :returns: bool, True when ``CI`` is ``true`` or
        ``FREEZER_TEST_DATABASES_REQUIRED`` is set to a non-empty value
        other than ``0``.
    """
    return (os.environ.get('CI', '').lower() == 'true'
            or os.environ.get('FREEZER_TEST_DATABASES_REQUIRED', '0')
            not in ('', '0'))


def admin_url(test, engine):
    """Return the administrative URL of a server engine, or end the test.

    :param test: the running :class:`testtools.TestCase`.
    :param engine: :data:`POSTGRESQL` or :data:`MYSQL`.
    :returns: str SQLAlchemy URL of an account allowed to create
        databases.
    :raises testtools.TestCase.failureException: the URL is missing and
        :func:`required` is true.
    :raises testtools.testcase.TestSkipped: the URL is missing otherwise.
    """
    url = os.environ.get(URL_VARIABLES[engine])
    if url:
        return url
    message = ('%s is not set: start the test databases with '
               'tools/start-test-databases.sh start and source the env.sh '
               'it writes' % URL_VARIABLES[engine])
    if required():
        test.fail(message)
    test.skipTest(message)


def with_database(url, name):
    """Return ``url`` pointing at another database.

    :param url: str SQLAlchemy URL.
    :param name: str database name.
    :returns: str URL (password included, for the daemons' configs).
    """
    return sa.engine.make_url(url).set(database=name).render_as_string(
        hide_password=False)


def create_database(url):
    """Create a new, empty database beside the one ``url`` names.

    :param url: str administrative SQLAlchemy URL (PostgreSQL or MySQL).
    :returns: str URL of the new database, named ``freezer_t_<hex>``.
    """
    name = 'freezer_t_%s' % uuid.uuid4().hex[:12]
    engine = sa.create_engine(url, isolation_level='AUTOCOMMIT',
                              poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == POSTGRESQL:
                # template0: nothing pre-installed (pg_trgm included), so
                # the migrations prove they create what they need.
                connection.exec_driver_sql(
                    "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'"
                    % name)
            else:
                # No CHARACTER SET: the server's default (latin1 on the
                # test server) must not matter, the tables name utf8mb4.
                connection.exec_driver_sql('CREATE DATABASE %s' % name)
    finally:
        engine.dispose()
    return with_database(url, name)


def drop_database(admin, url):
    """Drop a database made by :func:`create_database`.

    :param admin: str administrative URL of the same server.
    :param url: str URL of the database to drop.
    :returns: None
    """
    name = sa.engine.make_url(url).database
    engine = sa.create_engine(admin, isolation_level='AUTOCOMMIT',
                              poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == POSTGRESQL:
                # FORCE: a daemon killed by a failed test may leave a
                # session behind.
                connection.exec_driver_sql(
                    'DROP DATABASE IF EXISTS %s WITH (FORCE)' % name)
            else:
                connection.exec_driver_sql('DROP DATABASE IF EXISTS %s'
                                           % name)
    finally:
        engine.dispose()


class _ProcessDatabases(object):
    """One migrated database per server engine for this test process."""

    def __init__(self):
        self._urls = {}
        self._engines = {}
        self._admins = {}
        atexit.register(self.drop_all)

    def get(self, engine, admin):
        """Return the URL of this process's database on ``engine``,
        creating and migrating it on first use, with empty tables.

        :param engine: :data:`POSTGRESQL` or :data:`MYSQL`.
        :param admin: its administrative URL.
        :returns: str URL.
        """
        if engine not in self._urls:
            url = create_database(admin)
            self._admins[engine] = admin
            self._urls[engine] = url
            migration.upgrade(url)
            # Pooled: one connection kept for emptying the tables before
            # each test.
            self._engines[engine] = sa.create_engine(url, pool_size=1)
        with self._engines[engine].begin() as connection:
            for table in _TABLES:
                connection.exec_driver_sql('DELETE FROM %s' % table)
        return self._urls[engine]

    def drop_all(self):
        """Drop every database this process created (at exit)."""
        for engine, url in self._urls.items():
            self._engines[engine].dispose()
            try:
                drop_database(self._admins[engine], url)
            except sa.exc.SQLAlchemyError:
                # The server may already be stopped at exit; the
                # database then goes with the test server's data dir.
                pass
        self._urls.clear()


_PROCESS_DATABASES = _ProcessDatabases()


def database_url(test, engine, directory):
    """Return the URL of a migrated database with no action in it.

    :param test: the running :class:`testtools.TestCase`.
    :param engine: one of :data:`ALL`.
    :param directory: str temporary directory of the test (SQLite file).
    :returns: str SQLAlchemy URL; on SQLite a new file migrated for this
        test, on the server engines this process's database, emptied.
    """
    if engine == SQLITE:
        url = 'sqlite:///' + os.path.join(directory, 'freezer.sqlite')
        migration.upgrade(url)
        return url
    return _PROCESS_DATABASES.get(engine, admin_url(test, engine))


def load_package_tests(init_file, loader, standard_tests, pattern):
    """The ``load_tests`` of a test package whose tests run per engine.

    unittest hands a package's discovery to the ``load_tests`` of its
    ``__init__``; this discovers the package as usual and applies the
    ``scenarios`` of each test (testscenarios), giving ids such as
    ``test_get(mysql)``.

    :param init_file: the package's ``__init__.py`` path (``__file__``).
    :param loader: the :class:`unittest.TestLoader`.
    :param standard_tests: the suite found in ``__init__`` itself.
    :param pattern: the discovery pattern.
    :returns: :class:`unittest.TestSuite`.
    """
    top = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(init_file)))))
    package_tests = loader.discover(
        start_dir=os.path.dirname(os.path.abspath(init_file)),
        pattern=pattern or 'test*.py', top_level_dir=top)
    standard_tests.addTests(package_tests)
    for test in testtools.iterate_tests(standard_tests):
        module = type(test).__module__.rsplit('.', 1)[-1]
        if module in SQLITE_ONLY_MODULES and getattr(test, 'scenarios',
                                                     None):
            test.scenarios = [scenario for scenario in test.scenarios
                              if scenario[0] == SQLITE]
    result = loader.suiteClass()
    result.addTests(testscenarios.generate_scenarios(standard_tests))
    return result
