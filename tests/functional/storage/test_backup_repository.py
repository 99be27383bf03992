"""The backup repository on every engine: the indexed time range answers
what :meth:`freezer_core.backups.TimeRange.holds` answers, and the
indexed columns follow the metadata through writes."""

import sqlalchemy as sa

from freezer_core import backups
from freezer_core import search
from freezer_core.storage import backups as backup_storage
from freezer_core.storage import database
from tests.functional import backends
from tests.functional.storage import base

#: ``time_stamp`` values of every kind an agent or a client may send.
STAMPS = (100, 200, 300, -5, 0, 2 ** 62, '200', 200.0, 200.5, True,
          None, [200], {'t': 200}, 'absent')
RANGES = [backups.TimeRange(after, before)
          for after in (None, 0, 100, 150, 200, 301, -2 ** 63 + 1)
          for before in (None, -1, 100, 200, 250, 2 ** 62)]
NO_TERMS = search.parse(None)


def document(**keys):
    """A validated client document holding ``keys`` in its metadata."""
    keys.update(backup_name='b', container='c', hostname='h')
    return backups.client_document(*backups.parse_create(keys))


class TestBackupRepository(base.RepositoryTestCase):

    def setUp(self):
        super().setUp()
        self.repository = backup_storage.BackupRepository(
            database.Database(self.url))

    def stamped(self):
        records = []
        for stamp in STAMPS:
            keys = {} if stamp == 'absent' else {'time_stamp': stamp}
            records.append(self.repository.create('p', 'u',
                                                  document(**keys)))
        return records

    def test_the_sql_range_equals_the_in_memory_range(self):
        records = self.stamped()
        self.repository.create('other', 'u', document(time_stamp=200))
        for time_range in RANGES:
            expected = [r['backup_id'] for r in records
                        if time_range.holds(r['backup_metadata'])]
            got = [r['backup_id'] for r in self.repository.search(
                'p', NO_TERMS, base.ALL, time_range)]
            self.assertEqual(expected, got, time_range)

    def test_columns_follow_the_metadata(self):
        record = self.repository.create('p', 'u', document(
            time_stamp=7, job_id='j'))
        identifier = record['backup_id']

        def columns():
            table = self.repository.table
            with self.repository.database.reader() as connection:
                return tuple(connection.execute(
                    sa.select(table.c.status, table.c.job_id,
                              table.c.time_stamp)
                    .where(table.c.backup_id == identifier)).one())

        self.assertEqual(('available', 'j', 7), columns())
        self.repository.update('p', identifier, lambda current: {
            'status': 'error', 'backup_metadata': {'backup_name': 'b',
                                                   'time_stamp': '7',
                                                   'job_id': None}})
        self.assertEqual(('error', None, None), columns())

    def test_a_time_range_on_sqlite_is_read_from_its_index(self):
        """The list query of a time range is answered from
        ``(project_id, time_stamp)`` (SQLite's plan, read with EXPLAIN
        QUERY PLAN on the statement the repository sends)."""
        if self.backend != backends.SQLITE:
            self.skipTest('the plan is checked on SQLite')
        self.stamped()
        engine = self.repository.database.engine
        sent = []

        def capture(conn, cursor, statement, params, context, many):
            if 'time_stamp >=' in statement:
                sent.append((statement, params))

        sa.event.listen(engine, 'before_cursor_execute', capture)
        self.addCleanup(sa.event.remove, engine, 'before_cursor_execute',
                        capture)
        self.repository.search('p', NO_TERMS, base.ALL,
                               backups.TimeRange(150, None))
        (statement, params), = sent
        with engine.connect() as connection:
            plan = ' '.join(str(row[-1]) for row in
                            connection.exec_driver_sql(
                                'EXPLAIN QUERY PLAN ' + statement, params))
        self.assertIn('USING INDEX ix_backups_project_time', plan)
