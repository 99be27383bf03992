"""The action repository on real databases (each engine, see
:mod:`tests.functional.backends`)."""

import sqlalchemy as sa

from freezer_core import actions
from freezer_core import errors
from freezer_core import pagination
from freezer_core import search
from freezer_core.storage import models
from tests.functional import backends
from tests.functional.storage import base

ALL = base.ALL


_doc = base.document


class TestRepository(base.RepositoryTestCase):

    def _count(self, table, **where):
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                query = sa.select(sa.func.count()).select_from(table)
                for column, value in where.items():
                    query = query.where(table.c[column] == value)
                return conn.execute(query).scalar()
        finally:
            engine.dispose()

    def test_create_and_get_round_trip(self):
        document = _doc(backup_name='バックアップ😀', extra={'a': [1, 2.5]})
        record = self.repository.create('A', 'u1', document)
        self.assertRegex(record['action_id'], '^[0-9a-f]{32}$')
        fetched = self.repository.get('A', record['action_id'])
        self.assertEqual(record, fetched)
        self.assertEqual(document['freezer_action'],
                         fetched['freezer_action'])
        self.assertEqual(1, fetched['_version'])
        self.assertEqual(fetched['created_at'], fetched['updated_at'])

    def test_get_from_another_project_is_not_found(self):
        record = self.repository.create('A', 'u1', _doc())
        self.assertRaises(errors.NotFound, self.repository.get, 'B',
                          record['action_id'])

    def test_ids_are_unique_across_projects(self):
        self.repository.create('A', 'u1', _doc('sharedid1'))
        self.assertRaises(errors.Conflict, self.repository.create, 'B',
                          'u2', _doc('sharedid1'))
        self.assertRaises(errors.Conflict, self.repository.replace, 'B',
                          'u2', 'sharedid1', _doc())
        self.assertEqual('A', self.repository.get('A',
                                                  'sharedid1')['project_id'])
        self.assertEqual(1, self._count(models.Action.__table__))

    def test_list_is_ordered_and_pages_never_overlap(self):
        ids = [self.repository.create('A', 'u', _doc())['action_id']
               for _ in range(7)]
        self.repository.create('B', 'u', _doc())
        listed = [r['action_id'] for r in
                  self.repository.list('A', search.EMPTY, ALL)]
        self.assertEqual(ids, listed)
        by_offset = []
        for offset in range(0, 9, 2):
            page = self.repository.list(
                'A', search.EMPTY, pagination.Page(2, offset, None))
            by_offset.extend(r['action_id'] for r in page)
        self.assertEqual(ids, by_offset)
        by_marker, marker = [], None
        while True:
            page = self.repository.list(
                'A', search.EMPTY, pagination.Page(3, 0, marker))
            if not page:
                break
            by_marker.extend(r['action_id'] for r in page)
            marker = page[-1]['action_id']
        self.assertEqual(ids, by_marker)

    def test_unknown_or_foreign_marker_is_refused(self):
        other = self.repository.create('B', 'u', _doc())['action_id']
        for marker in ('nosuchid', other):
            exc = self.assertRaises(
                errors.InvalidParameter, self.repository.list, 'A',
                search.EMPTY, pagination.Page(10, 0, marker))
            self.assertEqual('marker', exc.path)

    def test_update_bumps_version_and_reindexes(self):
        record = self.repository.create('A', 'u', _doc(backup_name='old'))
        aid = record['action_id']
        new = self.repository.update(
            'A', aid, lambda cur: actions.merge_patch(
                cur, {'freezer_action': {'backup_name': 'new'}}))
        self.assertEqual(2, new['_version'])
        self.assertEqual(new, self.repository.get('A', aid))
        find = search.parse({'match': [{'backup_name': 'new'}]})
        self.assertEqual([aid], [r['action_id'] for r in
                                 self.repository.list('A', find, ALL)])
        gone = search.parse({'match': [{'_all': 'old'}]})
        self.assertEqual([], self.repository.list('A', gone, ALL))

    def test_invalid_change_is_refused_before_a_stale_version(self):
        aid = self.repository.create('A', 'u', _doc())['action_id']
        self.assertRaises(
            errors.ValidationError, self.repository.update, 'A', aid,
            lambda cur: actions.merge_patch(cur, {'max_retries': -1}),
            expected_version=7)
        self.assertEqual(1, self.repository.get('A', aid)['_version'])

    def test_failed_transform_writes_nothing(self):
        record = self.repository.create('A', 'u', _doc(backup_name='keep'))
        aid = record['action_id']
        self.assertRaises(
            errors.ValidationError, self.repository.update, 'A', aid,
            lambda cur: actions.merge_patch(cur, {'max_retries': -1}))
        self.assertEqual(record, self.repository.get('A', aid))

    def test_expected_version_is_checked(self):
        aid = self.repository.create('A', 'u', _doc())['action_id']
        keep = lambda cur: cur  # noqa: E731
        self.assertRaises(errors.VersionMismatch, self.repository.update,
                          'A', aid, keep, expected_version=2)
        self.assertRaises(errors.VersionMismatch, self.repository.replace,
                          'A', 'u', aid, _doc(), expected_version=5)
        self.assertRaises(errors.VersionMismatch, self.repository.delete,
                          'A', aid, expected_version=0)
        self.assertEqual(1, self.repository.get('A', aid)['_version'])
        self.assertEqual(2, self.repository.update(
            'A', aid, keep, expected_version=1)['_version'])

    def _interleaved(self, aid, between):
        """A transform that runs ``between`` (another writer) in a thread
        the first time it is called, as if that writer had committed
        after this update read the document, then sets backup_name."""
        import threading

        calls = []

        def transform(current):
            calls.append(current['freezer_action'].get('backup_name'))
            if len(calls) == 1:
                other = threading.Thread(target=between)
                other.start()
                # A lock held while transforming would block it.
                other.join(10)
                self.assertFalse(other.is_alive(), 'the writer was blocked')
            return actions.merge_patch(
                current, {'freezer_action': {'backup_name': 'mine'}})
        return transform, calls

    def _patched_between(self, change):
        """A new action (backup_name 'old') and a transform of
        :meth:`_interleaved` whose other writer PATCHes ``change`` in."""
        aid = self.repository.create('A', 'u', _doc(backup_name='old'))[
            'action_id']
        transform, calls = self._interleaved(
            aid, lambda: self.repository.update(
                'A', aid, lambda cur: actions.merge_patch(cur, change)))
        return aid, transform, calls

    def test_a_write_between_read_and_write_is_kept(self):
        aid, transform, calls = self._patched_between(
            {'max_retries': 3, 'freezer_action': {'backup_name': 'theirs'}})
        record = self.repository.update('A', aid, transform)
        # Transformed again from the version the other writer left.
        self.assertEqual(['old', 'theirs'], calls)
        self.assertEqual((3, 3, 'mine'), (
            record['_version'], record['max_retries'],
            record['freezer_action']['backup_name']))
        self.assertEqual(record, self.repository.get('A', aid))
        for name, found in (('mine', [aid]), ('theirs', []), ('old', [])):
            query = search.parse({'match': [{'backup_name': name}]})
            self.assertEqual(found, [r['action_id'] for r in
                                     self.repository.list('A', query, ALL)])

    def test_a_write_between_read_and_write_fails_if_match(self):
        aid, transform, _ = self._patched_between(
            {'freezer_action': {'backup_name': 'theirs'}})
        self.assertRaises(errors.VersionMismatch, self.repository.update,
                          'A', aid, transform, expected_version=1)
        record = self.repository.get('A', aid)
        self.assertEqual((2, 'theirs'), (
            record['_version'], record['freezer_action']['backup_name']))

    def test_a_delete_between_read_and_write_is_not_found(self):
        aid = self.repository.create('A', 'u', _doc())['action_id']
        transform, calls = self._interleaved(
            aid, lambda: self.repository.delete('A', aid))
        self.assertRaises(errors.NotFound, self.repository.update, 'A',
                          aid, transform)
        self.assertEqual(1, len(calls))
        self.assertEqual(0, self._count(models.Action.__table__))
        query = search.parse({'match': [{'backup_name': 'mine'}]})
        self.assertEqual([], self.repository.list('A', query, ALL))

    def test_an_id_deleted_and_created_again_is_read_again(self):
        aid = self.repository.create('A', 'u', _doc(backup_name='old'))[
            'action_id']

        def between():
            self.repository.delete('A', aid)
            self.repository.replace('A', 'u', aid, _doc(
                backup_name='again', mode='fs'))

        transform, calls = self._interleaved(aid, between)
        record = self.repository.update('A', aid, transform)
        # Applied to the document created again, not to the one read.
        self.assertEqual(['old', 'again'], calls)
        self.assertEqual((2, 'mine', 'fs'), (
            record['_version'], record['freezer_action']['backup_name'],
            record['freezer_action']['mode']))
        self.assertEqual(record, self.repository.get('A', aid))

    def test_replace_creates_then_replaces_keeping_the_creator(self):
        record, created = self.repository.replace('A', 'u1', 'chosen',
                                                  _doc(mode='fs'))
        self.assertTrue(created)
        self.assertEqual(('chosen', 1, 'u1'), (
            record['action_id'], record['_version'], record['user_id']))
        record, created = self.repository.replace('A', 'u2', 'chosen',
                                                  _doc())
        self.assertFalse(created)
        self.assertEqual((2, 'u1'), (record['_version'], record['user_id']))
        self.assertEqual({'action': 'backup'}, record['freezer_action'])

    def test_concurrent_replaces_of_one_new_id_all_succeed(self):
        # Issue 20: on PostgreSQL about half of four concurrent
        # replace-or-creates of one new id answered Conflict (409). One
        # must create and every other one replace; only an id held by
        # another project is a conflict.
        import threading

        threads_per_id = 4
        for round_number in range(5):
            action_id = 'raced-%d' % round_number
            barrier = threading.Barrier(threads_per_id)
            outcomes = []

            def replace(user):
                barrier.wait()
                try:
                    outcomes.append(self.repository.replace(
                        'A', user, action_id, _doc())[1])
                except errors.Conflict as exc:
                    outcomes.append(exc)

            threads = [threading.Thread(target=replace, args=('u%d' % i,))
                       for i in range(threads_per_id)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            self.assertEqual([False] * (threads_per_id - 1) + [True],
                             sorted(outcomes), action_id)
            self.assertEqual(threads_per_id,
                             self.repository.get('A', action_id)['_version'])
        self.assertRaises(errors.Conflict, self.repository.replace, 'B', 'u',
                          'raced-0', _doc())

    def test_delete_removes_the_row_and_its_index_entries(self):
        aid = self.repository.create('A', 'u', _doc(backup_name='x'))[
            'action_id']
        keep = self.repository.create('A', 'u', _doc())['action_id']
        self.assertRaises(errors.NotFound, self.repository.delete, 'B', aid)
        self.repository.delete('A', aid)
        self.assertRaises(errors.NotFound, self.repository.get, 'A', aid)
        self.assertRaises(errors.NotFound, self.repository.delete, 'A', aid)
        self.assertEqual(1, self._count(models.Action.__table__))
        # No index entry outlives its action.
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                for table in (models.ACTION_INDEX.terms,
                              models.ACTION_INDEX.texts):
                    orphans = conn.execute(
                        sa.select(sa.func.count()).select_from(table).where(
                            table.c.action_pk.not_in(
                                sa.select(models.Action.__table__.c.id)))
                    ).scalar()
                    self.assertEqual(0, orphans)
        finally:
            engine.dispose()
        self.assertEqual(keep, self.repository.get('A', keep)['action_id'])

    def test_search_paging_counts_matches_only(self):
        names = ['pgname' if i % 3 == 0 else 'other' for i in range(17)]
        ids = [self.repository.create('A', 'u', _doc(backup_name=n))[
            'action_id'] for n in names]
        wanted = [i for i, n in zip(ids, names) if n == 'pgname']
        find = search.parse({'match': [{'backup_name': 'pgname'}]})
        got = []
        for offset in range(0, 10, 2):
            got.extend(r['action_id'] for r in self.repository.list(
                'A', find, pagination.Page(2, offset, None)))
        self.assertEqual(wanted, got)


class TestCreateMany(base.RepositoryTestCase):

    def test_rows_and_index_equal_one_by_one_creates(self):
        documents = [_doc(backup_name='n%d' % i, nested={'k': [i, 'T%d' % i]})
                     for i in range(5)]
        ids = self.repository.create_many('A', 'u', documents)
        self.assertEqual(5, len(set(ids)))
        # One import is one instant: ties are ordered by action_id.
        listed = self.repository.list('A', search.EMPTY, ALL)
        self.assertEqual(1, len({r['created_at'] for r in listed}))
        self.assertEqual(sorted(ids), [r['action_id'] for r in listed])
        for action_id, document in zip(ids, documents):
            record = self.repository.get('A', action_id)
            self.assertEqual(document['freezer_action'],
                             record['freezer_action'])
        for query, expected in (({'backup_name': 'n3'}, [ids[3]]),
                                ({'k': [2, 'T2']}, [ids[2]]),
                                ({'_all': 't4'}, [ids[4]])):
            found = self.repository.list(
                'A', search.parse({'match': [query]}), ALL)
            self.assertEqual(expected, [r['action_id'] for r in found])

    def test_a_taken_id_stores_nothing(self):
        self.repository.create('B', 'u', _doc('taken'))
        self.assertRaises(errors.Conflict, self.repository.create_many, 'A',
                          'u', [_doc('free1'), _doc('taken')])
        self.assertEqual([], self.repository.list('A', search.EMPTY, ALL))


class TestSqliteWriters(base.RepositoryTestCase):
    """Writers queue on SQLite's lock instead of failing ("database is
    locked" must never reach a client)."""

    scenarios = backends.scenarios((backends.SQLITE,))

    def test_every_write_waits_for_another_writer(self):
        import sqlite3
        import threading
        import time

        record = self.repository.create('A', 'u', _doc())
        aid = record['action_id']
        path = self.url[len('sqlite:///'):]
        writes = [
            lambda: self.repository.create('A', 'u', _doc()),
            lambda: self.repository.update('A', aid, lambda cur: cur),
            lambda: self.repository.replace('A', 'u', aid, _doc()),
            lambda: self.repository.create_many('A', 'u', [_doc()]),
            lambda: self.repository.delete('A', aid),
        ]
        for write in writes:
            holder = sqlite3.connect(path, isolation_level=None,
                                     check_same_thread=False)
            holder.execute('BEGIN IMMEDIATE')
            timer = threading.Timer(0.3, holder.execute, ('COMMIT',))
            timer.start()
            started = time.monotonic()
            write()
            timer.join()
            holder.close()
            self.assertGreater(time.monotonic() - started, 0.25)
        self.assertRaises(errors.NotFound, self.repository.get, 'A', aid)


class TestSqliteFileGone(base.RepositoryTestCase):
    """A database file moved away under the service: writes 503, reads
    from a kept connection or 503, and everything works once it is back."""

    def test_missing_file_is_unavailable_until_it_returns(self):
        import os
        import shutil

        if not self.url.startswith('sqlite:///'):
            self.skipTest('SQLite only')
        record = self.repository.create('A', 'u', _doc())
        path = self.url[len('sqlite:///'):]
        directory = os.path.dirname(path)
        moved = directory + '.moved'
        shutil.move(directory, moved)
        self.addCleanup(lambda: os.path.exists(moved)
                        and shutil.move(moved, directory))
        # Writes need the directory (the writers' lock file): 503.
        self.assertRaises(errors.StorageUnavailable, self.repository.create,
                          'A', 'u', _doc())
        # A thread's kept connection still reads the moved file; any other
        # outcome than the stored data is a 503, never another error.
        for call in (lambda: self.repository.get('A', record['action_id']),
                     lambda: self.repository.list('A', search.EMPTY, ALL)):
            try:
                call()
            except errors.StorageUnavailable:
                pass
        shutil.move(moved, directory)
        self.assertEqual(record['action_id'], self.repository.get(
            'A', record['action_id'])['action_id'])


class TestSqliteConnectionsKept(base.RepositoryTestCase):
    """Each thread keeps its SQLite connection (and page cache) across
    transactions instead of opening one per transaction."""

    def test_a_thread_opens_one_connection_for_many_transactions(self):
        import threading

        import sqlalchemy as sa_events

        if not self.url.startswith('sqlite:///'):
            self.skipTest('SQLite only')
        engine = self.repository.database.engine
        opened = []
        sa_events.event.listen(engine, 'connect',
                               lambda *args: opened.append(1))
        aid = self.repository.create('A', 'u', _doc())['action_id']
        for _ in range(10):
            self.repository.get('A', aid)
            self.repository.update('A', aid, lambda cur: cur)
        # At most the first transaction of this thread connected.
        self.assertLessEqual(len(opened), 1)

        def other_thread():
            for _ in range(5):
                self.repository.get('A', aid)

        before = len(opened)
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        self.assertEqual(before + 1, len(opened))
        self.assertEqual(11, self.repository.get('A', aid)['_version'])


class TestSqliteConnectionSettings(base.RepositoryTestCase):
    """The settings every SQLite connection of the service gets."""

    scenarios = backends.scenarios((backends.SQLITE,))

    def test_write_ahead_log_settings(self):
        from freezer_core.storage import database

        aid = self.repository.create('A', 'u', _doc())['action_id']
        with self.repository.database.reader() as connection:
            raw = connection.connection.driver_connection
            settings = [raw.execute('PRAGMA %s' % name).fetchone()[0]
                        for name in ('journal_mode', 'synchronous',
                                     'wal_autocheckpoint')]
            self.assertEqual(aid, connection.execute(sa.text(
                'SELECT action_id FROM actions')).scalar())
        # WAL, synchronous NORMAL (1), the log checkpointed at 8,000
        # pages instead of SQLite's 1,000.
        self.assertEqual(['wal', 1, 8000], settings)
        self.assertEqual(8000, database.WAL_AUTOCHECKPOINT_PAGES)
