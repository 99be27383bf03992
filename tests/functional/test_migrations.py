"""The migration chain on every engine (SQLite, PostgreSQL, MySQL).

Each test gets a new, empty database (on the server engines a uniquely
named one, dropped afterwards): the chain upgrades it from nothing, the
models and the migrated schema agree (alembic's autogenerate comparison,
the engine-only search structures of 0002 aside), ``freezer-manage db
sync`` is idempotent, and 0003 keeps the rows of a database migrated
before it.
"""

import contextlib
import datetime

from alembic import autogenerate
from alembic import migration as alembic_migration
import fixtures
import sqlalchemy as sa
import testscenarios
import testtools

from freezer_core import pagination
from freezer_core import search
from freezer_core.storage import actions as action_storage
from freezer_core.storage import database
from freezer_core.storage import migration
from freezer_core.storage import models
from tests import base as script_base
from tests.functional import backends
from tests.functional.storage import widgets

load_tests = testscenarios.load_tests_apply_scenarios


class EmptyDatabase(fixtures.Fixture):
    """A new database with no table at all.

    :param test: the running test (to skip or fail without a server).
    :param engine: one of :data:`tests.functional.backends.ALL`.

    After setUp: ``url`` (str).
    """

    def __init__(self, test, engine):
        super().__init__()
        self.test = test
        self.engine = engine

    def _setUp(self):
        if self.engine == backends.SQLITE:
            directory = self.useFixture(fixtures.TempDir()).path
            self.url = 'sqlite:///%s/freezer.sqlite' % directory
            return
        admin = backends.admin_url(self.test, self.engine)
        self.url = backends.create_database(admin)
        self.addCleanup(backends.drop_database, admin, self.url)


def schema_differences(url, metadata=models.Base.metadata):
    """Compare the models with the database's schema.

    :param url: str SQLAlchemy URL.
    :param metadata: the models to compare with (default the service's).
    :returns: list of alembic diff tuples; empty when they agree.
    """
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            context = alembic_migration.MigrationContext.configure(
                connection, opts={
                    'compare_type': True,
                    'include_object': migration.include_object})
            return autogenerate.compare_metadata(context, metadata)
    finally:
        engine.dispose()


class TestMigrations(testtools.TestCase):

    scenarios = backends.scenarios()
    backend = backends.SQLITE

    def setUp(self):
        super().setUp()
        if self.backend != backends.SQLITE:
            # Skip (or fail in CI) here, not inside the fixture: a skip
            # raised in a fixture's setUp surfaces as a SetupError.
            backends.admin_url(self, self.backend)
        self.url = self.useFixture(EmptyDatabase(self, self.backend)).url

    def test_upgrade_from_empty_reaches_head(self):
        self.assertIsNone(migration.current(self.url))
        migration.upgrade(self.url)
        self.assertEqual(migration.head(), migration.current(self.url))
        self.assertTrue(migration.is_current(self.url))
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        self.addCleanup(engine.dispose)
        tables = set(sa.inspect(engine).get_table_names())
        self.assertTrue({'actions', 'action_terms', 'action_texts',
                         'alembic_version'} <= tables, tables)

    def test_models_and_migrations_agree(self):
        migration.upgrade(self.url)
        self.assertEqual([], schema_differences(self.url))

    def test_a_new_resource_migration_gets_the_declared_search_index(self):
        """search_tables.create (what a new resource's migration calls)
        creates exactly the tables models.search_index declares, with the
        engine's substring index searched by the generic SQL."""
        migration.upgrade(self.url)
        widgets.create_schema(self.url)
        both = sa.MetaData()
        for metadata in (models.Base.metadata, widgets.METADATA):
            for table in metadata.sorted_tables:
                table.to_metadata(both)
        self.assertEqual([], schema_differences(self.url, both))
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        self.addCleanup(engine.dispose)
        inspector = sa.inspect(engine)
        if self.backend == backends.SQLITE:
            self.assertIn('widget_texts_fts', inspector.get_table_names())
            self.assertIn('widget_texts_fts_mark',
                          inspector.get_table_names())
        if self.backend == backends.POSTGRESQL:
            self.assertIn('ix_widget_texts_trgm', {
                index['name']
                for index in inspector.get_indexes('widget_texts')})
        repository = widgets.WidgetRepository(database.Database(self.url))
        repository.create('P', 'u', {'body': {'name': 'Nightly-Etc'}})
        repository.create('P', 'u', {'body': {'name': 'weekly'}})
        found = repository.list('P', search.parse(
            {'match': [{'_all': 'ightly-e'}]}), pagination.Page(10, 0, None))
        self.assertEqual([{'name': 'Nightly-Etc'}],
                         [record['body'] for record in found])

    def test_the_comparison_sees_a_missing_index(self):
        """The check above can fail: drop one index and it is reported."""
        migration.upgrade(self.url)
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        self.addCleanup(engine.dispose)
        index = sa.Index('ix_action_terms_action',
                         models.ACTION_INDEX.term_pk)
        with engine.begin() as connection:
            if engine.dialect.name == backends.MYSQL:
                # MySQL needs an index on a foreign key column: keep one.
                connection.exec_driver_sql(
                    'CREATE INDEX ix_keep ON action_terms (action_pk)')
            index.drop(connection)
        differences = schema_differences(self.url)
        self.assertIn(('add_index', 'ix_action_terms_action'),
                      [(d[0], d[1].name) for d in differences
                       if d[0] == 'add_index'])

    def test_upgrade_twice_changes_nothing(self):
        migration.upgrade(self.url)
        migration.upgrade(self.url)
        self.assertEqual(migration.head(), migration.current(self.url))
        self.assertEqual([], schema_differences(self.url))

    def test_freezer_manage_db_sync_is_idempotent(self):
        config = self.useFixture(script_base.ServiceConfig(
            connection=self.url))
        for _ in range(2):
            result = config.run_script('freezer-manage', 'db', 'sync')
            self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(migration.head(), migration.current(self.url))

    @contextlib.contextmanager
    def rows_at(self, revision):
        """Upgrade the database to ``revision`` and yield a connection to
        write rows the way that revision stored them (one transaction;
        utf8mb4 on MySQL)."""
        migration.upgrade(self.url, revision)
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        self.addCleanup(engine.dispose)
        with engine.begin() as connection:
            if engine.dialect.name == backends.MYSQL:
                connection.exec_driver_sql('SET NAMES utf8mb4')
            yield connection

    def test_0003_keeps_the_rows_of_an_older_database(self):
        """Rows written at 0002 read back unchanged after 0003 (MySQL turns
        them into bytes, PostgreSQL changes their collation)."""
        with self.rows_at('0002_text_search') as connection:
            connection.exec_driver_sql(
                "INSERT INTO actions (action_id, project_id, user_id, "
                "freezer_action, max_retries, max_retries_interval, "
                "mandatory, version, created_at, updated_at) VALUES "
                "('Old-Id_1', 'Prøject-😀', 'üser', "
                "'{\"action\": \"backup\"}', 1, 2, true, 3, "
                "'2026-01-01 00:00:00.000001', '2026-01-02 00:00:00')")
        migration.upgrade(self.url)
        repository = action_storage.ActionRepository(
            database.Database(self.url))
        record = repository.get('Prøject-😀', 'Old-Id_1')
        self.assertEqual(('Old-Id_1', 'Prøject-😀', 'üser', 3,
                          {'action': 'backup'},
                          datetime.datetime(2026, 1, 1, 0, 0, 0, 1)),
                         (record['action_id'], record['project_id'],
                          record['user_id'], record['_version'],
                          record['freezer_action'], record['created_at']))

    def test_0008_refolds_the_free_text_of_older_actions(self):
        """Texts indexed before 0008 (lower-cased, owner fields included)
        are rebuilt: casefold finds "Straße" from "STRASSE", and the
        project's own name no longer finds the action."""
        with self.rows_at('0007_backups') as connection:
            connection.exec_driver_sql(
                "INSERT INTO actions (action_id, project_id, user_id, "
                "freezer_action, max_retries, max_retries_interval, "
                "mandatory, version, created_at, updated_at) VALUES "
                "('old-1', 'nightly-project', 'alice', "
                "'{\"action\": \"backup\", \"backup_name\": "
                "\"Straße\"}', 1, 2, false, 1, "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')")
            pk = connection.exec_driver_sql(
                "SELECT id FROM actions WHERE project_id = "
                "'nightly-project'").scalar()
            for text in ('old-1', 'backup', 'straße', 'nightly-project',
                         'alice'):
                connection.exec_driver_sql(
                    "INSERT INTO action_texts (action_pk, project_id, "
                    "text) VALUES (%d, 'nightly-project', '%s')"
                    % (pk, text))
        migration.upgrade(self.url)
        repository = action_storage.ActionRepository(
            database.Database(self.url))

        def found(text):
            return [record['action_id'] for record in repository.list(
                'nightly-project', search.parse({'match': [{'_all': text}]}),
                pagination.Page(10, 0, None))]

        self.assertEqual(['old-1'], found('STRASSE'))
        self.assertEqual(['old-1'], found('old-1'))
        self.assertEqual([], found('nightly-project'))
        self.assertEqual([], found('alice'))

    def test_0009_lets_the_free_text_index_of_every_resource_batch(self):
        """On SQLite each resource's FTS5 table gets a mark at its highest
        text id (every text stored before is indexed), an older text is
        still found, and FTS5 finds its index equal to the texts; the
        other engines get nothing."""
        with self.rows_at('0008_refold_action_texts') as connection:
            connection.exec_driver_sql(
                "INSERT INTO actions (action_id, project_id, user_id, "
                "freezer_action, max_retries, max_retries_interval, "
                "mandatory, version, created_at, updated_at) VALUES "
                "('old-1', 'p', 'u', '{\"action\": \"backup\"}', 1, 2, "
                "false, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')")
            pk = connection.exec_driver_sql(
                "SELECT id FROM actions WHERE action_id = 'old-1'").scalar()
            for text in ('old-1', 'backup'):
                connection.exec_driver_sql(
                    "INSERT INTO action_texts (action_pk, project_id, "
                    "text) VALUES (%d, 'p', '%s')" % (pk, text))
        migration.upgrade(self.url)
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        self.addCleanup(engine.dispose)
        tables = sa.inspect(engine).get_table_names()
        marks = sorted(name for name in tables if name.endswith('_fts_mark'))
        if self.backend != backends.SQLITE:
            self.assertEqual([], marks)
            return
        self.assertEqual(sorted('%s_texts_fts_mark' % stem for stem in (
            'action', 'backup', 'client', 'job', 'session')), marks)
        with engine.begin() as connection:
            top = connection.exec_driver_sql(
                'SELECT max(id) FROM action_texts').scalar()
            # Only actions have texts here; an empty table's mark is 0.
            self.assertEqual(
                {mark: top if mark.startswith('action_') else 0
                 for mark in marks},
                {mark: connection.exec_driver_sql(
                    'SELECT indexed_upto FROM %s' % mark).scalar()
                 for mark in marks})
        repository = action_storage.ActionRepository(
            database.Database(self.url))
        self.assertEqual(['old-1'], [
            record['action_id'] for record in repository.list(
                'p', search.parse({'match': [{'_all': 'ackup'}]}),
                pagination.Page(10, 0, None))])
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO action_texts_fts(action_texts_fts, rank) "
                "VALUES ('integrity-check', 1)")
