"""SQLite under concurrent writers: ``database is locked`` never reaches
a client.

One ``freezer-api`` (two worker processes, one SQLite file in WAL mode)
is hammered by :data:`THREADS` threads that only write: create, replace,
PATCH and DELETE, on their own actions and on a few shared ones (so that
writers really contend for the same rows). Writers queue on a file lock,
take SQLite's write lock first and wait on the busy timeout
(freezer_core/storage/database.py); a lock that still outlasts it is
retried and then answered 503. The test asserts that no answer was a 5xx
at all (503 included: under this load nothing should be refused), that
every answer had the status its request calls for, and that every
confirmed write is in the database. A lock held from outside the
service past every retry is a 503, not a 500.
"""

import http.client
import json
import os
import random
import sqlite3
import threading
import time

import fixtures
import testtools

from freezer_core import actions
from freezer_core import errors
from freezer_core.storage import actions as action_storage
from freezer_core.storage import database
from freezer_core.storage import migration
from tests.functional import test_daemon

THREADS = 16
SECONDS = 8.0
SHARED = ['shared%d' % i for i in range(4)]


class _Hammer(object):

    def __init__(self, port, index):
        self.port = port
        self.index = index
        self.rng = random.Random(1000 + index)
        self.statuses = []
        self.bad = []
        self.created = set()
        self.deleted = set()

    def _send(self, connection, method, path, body, allowed):
        connection.request(method, path,
                           body=None if body is None else json.dumps(body),
                           headers={'Content-Type': 'application/json'})
        response = connection.getresponse()
        data = response.read()
        self.statuses.append(response.status)
        if response.status not in allowed:
            self.bad.append((method, path, response.status, data[:200]))
        return response.status

    def run(self, stop_at):
        connection = http.client.HTTPConnection('127.0.0.1', self.port,
                                                timeout=60)
        base = '/v2/hammer/actions'
        serial = 0
        try:
            while time.monotonic() < stop_at:
                choice = self.rng.random()
                agent = {'action': 'backup',
                         'backup_name': 'h%d-%d' % (self.index, serial),
                         'max_level': self.rng.randrange(10)}
                mine = sorted(self.created - self.deleted)
                if choice < 0.35 or not mine:
                    serial += 1
                    action_id = 'h%d_%d' % (self.index, serial)
                    if self._send(connection, 'POST', '%s/%s' % (
                            base, action_id), {'freezer_action': agent},
                            (201,)) == 201:
                        self.created.add(action_id)
                elif choice < 0.55:
                    # Shared rows: replace-or-create and merge, from
                    # every thread at once.
                    self._send(connection, 'POST', '%s/%s' % (
                        base, self.rng.choice(SHARED)),
                        {'freezer_action': agent}, (201,))
                elif choice < 0.8:
                    self._send(connection, 'PATCH', '%s/%s' % (
                        base, self.rng.choice(mine)),
                        {'freezer_action': {'max_level': 3},
                         'max_retries': self.rng.randrange(9)}, (200,))
                else:
                    action_id = self.rng.choice(mine)
                    if self._send(connection, 'DELETE', '%s/%s' % (
                            base, action_id), None, (204,)) == 204:
                        self.deleted.add(action_id)
        finally:
            connection.close()


class TestSqliteWriters(test_daemon.DaemonTestCase):

    def setUp(self):
        super().setUp()
        synced = self.config.run_script('freezer-manage', 'db', 'sync')
        self.assertEqual(0, synced.returncode, synced.stderr)
        self.process = self._start()

    def test_concurrent_writers_never_get_a_server_error(self):
        self.assertEqual(2, len(self._wait_for_workers(self.process.pid,
                                                       2)))
        hammers = [_Hammer(self.config.port, i) for i in range(THREADS)]
        stop_at = time.monotonic() + SECONDS
        threads = [threading.Thread(target=h.run, args=(stop_at,))
                   for h in hammers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = [s for h in hammers for s in h.statuses]
        self.assertEqual([], [s for s in statuses if s >= 500])
        self.assertEqual([], [b for h in hammers for b in h.bad])
        # Real contention: hundreds of writes from all threads.
        self.assertGreater(len(statuses), 200)
        self.assertTrue(all(h.statuses for h in hammers))

        connection = sqlite3.connect(self.config.database, timeout=30)
        self.addCleanup(connection.close)
        self.assertEqual('wal', connection.execute(
            'PRAGMA journal_mode').fetchone()[0])
        stored = {row[0] for row in connection.execute(
            "SELECT action_id FROM actions WHERE project_id = 'hammer'")}
        for hammer in hammers:
            self.assertEqual(set(), (hammer.created - hammer.deleted)
                             - stored)
            self.assertEqual(set(), hammer.deleted & stored)
        self.assertTrue(set(SHARED) <= stored)
        # The log holds no locked database either (caught and retried
        # or not, a lock error is never logged as an unexpected one).
        with open(self.config.directory + '/api.log') as log:
            self.assertNotIn('database is locked', log.read())


class TestLockedDatabase(testtools.TestCase):
    """A lock that outlasts the busy timeout and every retry is a
    :class:`errors.StorageUnavailable` (503), never an unexpected
    OperationalError (500); the write is then done once the lock is
    gone."""

    def test_a_lasting_lock_is_storage_unavailable(self):
        directory = self.useFixture(fixtures.TempDir()).path
        path = os.path.join(directory, 'freezer.sqlite')
        migration.upgrade('sqlite:///' + path)
        # A short busy timeout (pysqlite's URL parameter) keeps the six
        # attempts of the retry loop to a few seconds.
        repository = action_storage.ActionRepository(
            database.Database('sqlite:///%s?timeout=0.2' % path))
        document = actions.validate_create(
            {'freezer_action': {'action': 'backup'}})
        holder = sqlite3.connect(path, timeout=0.2)
        self.addCleanup(holder.close)
        # Another process's writer, outside the service's own queue.
        holder.execute('BEGIN IMMEDIATE')
        error = self.assertRaises(errors.StorageUnavailable,
                                  repository.create, 'p', 'u', document)
        self.assertIn('retry later', error.description)
        holder.rollback()
        record = repository.create('p', 'u', document)
        self.assertEqual(1, record['_version'])
