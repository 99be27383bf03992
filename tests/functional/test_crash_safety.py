"""A worker killed with SIGKILL during a burst of writes breaks nothing.

Every write is one transaction (freezer_core/storage/repository.py: the
document and its search index rows together), so a worker dying at any
instant leaves either the whole write or none of it. The test runs
concurrent writers (create, patch, delete) against ``freezer-api`` with
two workers on SQLite, kills one worker with SIGKILL in the middle, and
checks that:

* the other worker keeps serving meanwhile (health check and writes
  after the kill succeed), and the launcher replaces the dead worker;
* no answer was a 5xx (a request on the killed worker may lose its
  connection; it is then "in doubt" and may or may not have happened);
* the database is whole: integrity and foreign key checks pass; no
  ``action_terms`` or ``action_texts`` row without its action; every
  action has its index rows, its document parses, and searching for its
  ``backup_name`` (key term and free text) finds exactly it;
* no confirmed write is lost: every 201 not followed by a confirmed
  delete is stored, every 204 is gone, every confirmed PATCH is there.
"""

import http.client
import json
import os
import random
import signal
import sqlite3
import threading
import time
import urllib.parse

from tests.functional import test_daemon

CLIENTS = 8
BURST_SECONDS = 6.0
KILL_AFTER = 2.0


class _Writer(object):
    """One client's writes and what it knows of their outcome."""

    def __init__(self, port, index):
        self.port = port
        self.index = index
        self.rng = random.Random(index)
        self.connection = None
        self.created = {}      # action_id -> backup_name (201 seen)
        self.deleted = set()   # action_ids (204 seen)
        self.patched = {}      # action_id -> max_retries last confirmed
        self.in_doubt = set()  # ids whose last write lost its answer
        self.server_errors = []
        self.answers = []      # (monotonic time, status)

    def _send(self, method, path, body=None):
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                '127.0.0.1', self.port, timeout=30)
        try:
            self.connection.request(method, path, body=json.dumps(body),
                                    headers={'Content-Type':
                                             'application/json'})
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            return None, None
        self.answers.append((time.monotonic(), response.status))
        if response.status >= 500:
            self.server_errors.append((method, path, response.status,
                                       data[:200]))
        return response.status, data

    def run(self, stop_at):
        serial = 0
        base = '/v2/crash/actions'
        while time.monotonic() < stop_at:
            live = [i for i in self.created
                    if i not in self.deleted and i not in self.in_doubt]
            choice = self.rng.random()
            if not live or choice < 0.5:
                serial += 1
                name = 'crash-%d-%d-z' % (self.index, serial)
                action_id = 'c%d_%d' % (self.index, serial)
                status, _data = self._send('POST', '%s/%s' % (
                    base, action_id), {'freezer_action': {
                        'action': 'backup', 'backup_name': name,
                        'path_to_backup': '/srv/%d' % serial}})
                if status is None:
                    self.in_doubt.add(action_id)
                    self.created[action_id] = name
                elif status == 201:
                    self.created[action_id] = name
            elif choice < 0.8:
                action_id = self.rng.choice(live)
                retries = self.rng.randrange(100)
                status, _data = self._send('PATCH', '%s/%s' % (
                    base, action_id), {'max_retries': retries})
                if status is None:
                    self.in_doubt.add(action_id)
                elif status == 200:
                    self.patched[action_id] = retries
            else:
                action_id = self.rng.choice(live)
                status, _data = self._send('DELETE', '%s/%s' % (
                    base, action_id))
                if status is None:
                    self.in_doubt.add(action_id)
                elif status == 204:
                    self.deleted.add(action_id)
        if self.connection is not None:
            self.connection.close()


class TestCrashSafety(test_daemon.DaemonTestCase):

    def setUp(self):
        super().setUp()
        synced = self.config.run_script('freezer-manage', 'db', 'sync')
        self.assertEqual(0, synced.returncode, synced.stderr)
        self.process = self._start()

    def _search(self, body):
        connection = http.client.HTTPConnection('127.0.0.1',
                                                self.config.port, timeout=30)
        try:
            connection.request('GET', '/v2/crash/actions?limit=100&search='
                               + urllib.parse.quote(json.dumps(body)))
            response = connection.getresponse()
            self.assertEqual(200, response.status)
            return [a['action_id']
                    for a in json.loads(response.read())['actions']]
        finally:
            connection.close()

    def test_sigkill_during_writes_leaves_every_document_whole(self):
        workers = self._wait_for_workers(self.process.pid, 2)
        self.assertEqual(2, len(workers))
        victim = sorted(workers)[0]
        writers = [_Writer(self.config.port, i) for i in range(CLIENTS)]
        stop_at = time.monotonic() + BURST_SECONDS
        threads = [threading.Thread(target=w.run, args=(stop_at,))
                   for w in writers]
        for thread in threads:
            thread.start()
        time.sleep(KILL_AFTER)
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        # The surviving worker answers at once, during the burst.
        status, _headers, _body = self._get('/healthcheck')
        self.assertEqual(200, status)
        for thread in threads:
            thread.join()

        # The launcher replaced the dead worker.
        deadline = time.monotonic() + test_daemon.START_TIMEOUT
        replaced = test_daemon._children(self.process.pid)
        while (victim in replaced or len(replaced) != 2) and (
                time.monotonic() < deadline):
            time.sleep(0.1)
            replaced = test_daemon._children(self.process.pid)
        self.assertEqual(2, len(replaced))
        self.assertNotIn(victim, replaced)

        self.assertEqual([], [e for w in writers for e in w.server_errors])
        # The kill cut connections that clients were using (their last
        # request is in doubt), so it struck during the burst.
        self.assertGreater(sum(len(w.in_doubt) for w in writers), 0)
        answers = [a for w in writers for a in w.answers]
        self.assertTrue(any(at < killed_at for at, _s in answers))
        # Writes went on after the kill, answered by a living worker.
        self.assertGreater(len([s for at, s in answers
                                if at > killed_at + 0.5 and s < 300]), 10)

        stored = self._check_database()
        self._check_no_confirmed_write_lost(writers, stored)
        for action_id, name in stored.items():
            self.assertEqual([action_id], self._search(
                {'match': [{'backup_name': name}]}), name)
            self.assertEqual([action_id], self._search(
                {'match': [{'_all': name.upper()}]}), name)

    def _check_database(self):
        """Check the SQLite file; return {action_id: backup_name}."""
        connection = sqlite3.connect(self.config.database, timeout=30)
        self.addCleanup(connection.close)
        self.assertEqual([('ok',)], connection.execute(
            'PRAGMA integrity_check').fetchall())
        self.assertEqual([], connection.execute(
            'PRAGMA foreign_key_check').fetchall())
        for table in ('action_terms', 'action_texts'):
            orphans = connection.execute(
                'SELECT count(*) FROM %s WHERE action_pk NOT IN '
                '(SELECT id FROM actions)' % table).fetchone()[0]
            self.assertEqual(0, orphans, table)
            unindexed = connection.execute(
                'SELECT count(*) FROM actions WHERE id NOT IN '
                '(SELECT action_pk FROM %s)' % table).fetchone()[0]
            self.assertEqual(0, unindexed, table)
        stored = {}
        rows = connection.execute(
            'SELECT action_id, freezer_action, version, max_retries '
            'FROM actions WHERE project_id = ?', ('crash',)).fetchall()
        self.assertGreater(len(rows), CLIENTS)
        for action_id, freezer_action, version, _retries in rows:
            document = json.loads(freezer_action)
            self.assertEqual('backup', document['action'])
            self.assertGreaterEqual(version, 1)
            stored[action_id] = document['backup_name']
        self.stored_retries = {r[0]: r[3] for r in rows}
        return stored

    def _check_no_confirmed_write_lost(self, writers, stored):
        for writer in writers:
            for action_id in writer.created:
                if action_id in writer.in_doubt:
                    continue
                if action_id in writer.deleted:
                    self.assertNotIn(action_id, stored)
                else:
                    self.assertIn(action_id, stored)
            for action_id, retries in writer.patched.items():
                if (action_id in writer.in_doubt
                        or action_id in writer.deleted):
                    continue
                self.assertEqual(retries, self.stored_retries[action_id])
