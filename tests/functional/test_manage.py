"""``freezer-manage db sync`` and ``db version``, run as installed scripts."""

import os
import sqlite3

import testtools

from freezer_core.storage import migration
from tests import base


class TestDbCommands(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.config = self.useFixture(base.ServiceConfig())

    def _manage(self, *args):
        return self.config.run_script('freezer-manage', *args)

    def _tables(self):
        with sqlite3.connect(self.config.database) as connection:
            rows = connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")
            return {name for (name,) in rows}

    def test_version_of_a_new_deployment_is_none(self):
        result = self._manage('db', 'version')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual('None', result.stdout.strip())
        # Asking must not create the database as a side effect.
        self.assertFalse(os.path.exists(self.config.database))

    def test_sync_creates_state_path_and_schema_at_head(self):
        result = self._manage('db', 'sync')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertTrue(os.path.isfile(self.config.database))
        self.assertIn('actions', self._tables())
        self.assertIn('alembic_version', self._tables())
        version = self._manage('db', 'version')
        self.assertEqual(0, version.returncode, version.stderr)
        self.assertEqual(migration.head(), version.stdout.strip())

    def test_sync_is_idempotent(self):
        first = self._manage('db', 'sync')
        self.assertEqual(0, first.returncode, first.stderr)
        # Data written between the two runs must survive the second one:
        # a sync at head changes nothing.
        with sqlite3.connect(self.config.database) as connection:
            connection.execute('CREATE TABLE probe (value INTEGER)')
            connection.execute('INSERT INTO probe VALUES (42)')
        tables = self._tables()
        second = self._manage('db', 'sync')
        self.assertEqual(0, second.returncode, second.stderr)
        self.assertEqual(tables, self._tables())
        with sqlite3.connect(self.config.database) as connection:
            rows = connection.execute('SELECT value FROM probe').fetchall()
        self.assertEqual([(42,)], rows)
        version = self._manage('db', 'version')
        self.assertEqual(migration.head(), version.stdout.strip())

    def test_db_without_action_is_a_usage_error(self):
        result = self._manage('db')
        self.assertEqual(2, result.returncode)
        self.assertIn('sync', result.stderr)

    def test_unknown_command_is_a_usage_error(self):
        result = self._manage('frobnicate')
        self.assertEqual(2, result.returncode)

    def test_sync_fails_with_status_1_when_state_path_cannot_be_made(self):
        # A regular file where the state directory's parent should be.
        blocker = os.path.dirname(self.config.state_path)
        with open(blocker, 'w'):
            pass
        result = self._manage('db', 'sync')
        self.assertEqual(1, result.returncode)
        self.assertIn('state_path', result.stderr)
