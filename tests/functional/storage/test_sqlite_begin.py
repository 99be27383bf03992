"""SQLite transactions are opened by one driver-level ``BEGIN`` (issue 18):
oslo.db's listener, which sent it through SQLAlchemy's statement
machinery, is replaced by :func:`freezer_core.storage.database.
_begin_sqlite`; every transaction still starts, commits and rolls back."""

import sqlalchemy as sa

from freezer_core import errors
from freezer_core.storage import database
from tests.functional import backends
from tests.functional.storage import base


class TestSqliteBegin(base.RepositoryTestCase):

    scenarios = backends.scenarios((backends.SQLITE,))

    def setUp(self):
        super().setUp()
        self.engine = self.repository.database.engine
        self.driver = []
        self.statements = []
        sa.event.listen(self.engine, 'connect', self._trace)
        sa.event.listen(self.engine, 'before_execute', self._executed)
        self.addCleanup(sa.event.remove, self.engine, 'before_execute',
                        self._executed)
        self.engine.dispose()

    def _trace(self, dbapi_connection, record):
        dbapi_connection.set_trace_callback(self.driver.append)

    def _executed(self, connection, clause, *args):
        self.statements.append(str(clause))

    def test_oslo_dbs_listener_is_replaced(self):
        names = [listener.__name__ for listener in self.engine.dispatch.begin]
        self.assertIn('_begin_sqlite', names)
        self.assertNotIn(database._OSLO_SQLITE_BEGIN, names)

    def test_a_read_is_begin_select_rollback_on_the_driver(self):
        created = self.repository.create('A', 'u', base.document('a-1'))
        del self.driver[:], self.statements[:]
        self.repository.get('A', 'a-1')
        self.assertEqual(['BEGIN', 'SELECT', 'ROLLBACK'],
                         [sql.split()[0] for sql in self.driver])
        # Only the SELECT went through SQLAlchemy.
        self.assertEqual(1, len(self.statements))
        self.assertTrue(self.statements[0].startswith('SELECT'))
        self.assertEqual(created['_version'],
                         self.repository.get('A', 'a-1')['_version'])

    def test_a_failed_write_is_rolled_back_whole(self):
        self.repository.create('A', 'u', base.document('a-1'))

        def fail(current):
            raise errors.InvalidParameter('no', 'x')

        del self.driver[:]
        self.assertRaises(errors.InvalidParameter, self.repository.update,
                          'A', 'a-1', fail)
        verbs = [sql.split()[0] for sql in self.driver]
        self.assertEqual('BEGIN', verbs[0])
        self.assertEqual('ROLLBACK', verbs[-1])
        self.assertEqual(1, verbs.count('BEGIN'))
        self.assertEqual(1, self.repository.get('A', 'a-1')['_version'])

    def test_without_oslo_dbs_listener_the_engine_is_left_alone(self):
        engine = sa.create_engine('sqlite://')
        self.assertFalse(database._cheap_sqlite_begin(engine))
        self.assertEqual([], list(engine.dispatch.begin))
