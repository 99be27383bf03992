"""``freezer-api`` as an operator runs it: the installed console script.

Each test gets its own configuration, SQLite state directory and port on
127.0.0.1 (see :class:`tests.base.ServiceConfig`).
"""

import json
import sqlite3
import os
import signal
import subprocess
import time

import testtools
from testtools import content

from tests import base

# Bounds on waiting for the daemon; a healthy start takes ~1 s.
START_TIMEOUT = 30
STOP_TIMEOUT = 30


def _children(pid):
    """Return the pids of the live processes whose parent is ``pid``."""
    children = set()
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as stat_file:
                stat = stat_file.read()
        except OSError:
            continue  # Exited while we were looking.
        # The command name (field 2) may hold spaces and parentheses, so
        # split after its closing parenthesis: state, then ppid.
        state, ppid = stat.rsplit(')', 1)[1].split()[:2]
        if int(ppid) == pid and state != 'Z':
            children.add(int(entry))
    return children


def _alive(pid):
    try:
        with open('/proc/%d/stat' % pid) as stat_file:
            return stat_file.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


class DaemonTestCase(testtools.TestCase):

    workers = 2
    bind_host = '127.0.0.1'

    def setUp(self):
        super().setUp()
        self.config = self.useFixture(base.ServiceConfig(
            workers=self.workers, bind_host=self.bind_host))

    def _start(self):
        """Start the daemon; return its Popen once /healthcheck answers."""
        log_path = os.path.join(self.config.directory, 'api.log')
        log = open(log_path, 'w')
        self.addCleanup(log.close)
        # Cleanups run last-in first-out: the daemon is stopped, then its
        # log is attached to the result (shown when a test fails), then
        # the temporary directory goes.
        self.addCleanup(self._attach_log, log_path)
        process = subprocess.Popen(
            [base.script_path('freezer-api'),
             '--config-file', self.config.path],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            cwd=self.config.directory)
        self.addCleanup(self._kill, process)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self.fail('freezer-api exited with %s at start'
                          % process.returncode)
            try:
                status, _headers, _body = self._get('/healthcheck')
            except OSError:
                time.sleep(0.1)
                continue
            if status == 200:
                return process
        self.fail('freezer-api did not answer within %d s' % START_TIMEOUT)

    def _attach_log(self, path):
        with open(path) as log:
            self.addDetail('api.log', content.text_content(log.read()))

    def _kill(self, process):
        if process.poll() is None:
            # The launcher is a session leader (cotyledon calls setsid), so
            # kill the whole group: no worker may outlive a failed test.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def _get(self, path):
        return base.http_get(self.config.port, path)

    def _wait_for_workers(self, pid, count):
        deadline = time.monotonic() + START_TIMEOUT
        workers = _children(pid)
        while len(workers) != count and time.monotonic() < deadline:
            time.sleep(0.1)
            workers = _children(pid)
        return workers


class TestServing(DaemonTestCase):

    def setUp(self):
        super().setUp()
        synced = self.config.run_script('freezer-manage', 'db', 'sync')
        self.assertEqual(0, synced.returncode, synced.stderr)
        self.process = self._start()

    def test_answers_versions_without_auth(self):
        status, headers, body = self._get('/')
        self.assertEqual(200, status)
        self.assertIn('versions', json.loads(body))
        self.assertTrue(headers['x-openstack-request-id'])

    def test_answers_healthcheck(self):
        status, headers, _body = self._get('/healthcheck')
        self.assertEqual(200, status)
        self.assertTrue(headers['x-openstack-request-id'])

    def test_serves_the_actions_collection(self):
        status, _headers, body = self._get('/v2/demo/actions/')
        self.assertEqual(200, status)
        self.assertEqual({'actions': []}, json.loads(body))

    def test_runs_the_configured_number_of_workers(self):
        workers = self._wait_for_workers(self.process.pid, 2)
        self.assertEqual(2, len(workers), workers)
        # Steady state, not a moment of a restart loop: still the same two.
        time.sleep(1)
        self.assertEqual(workers, _children(self.process.pid))

    def test_sigterm_stops_launcher_and_workers_with_status_0(self):
        workers = self._wait_for_workers(self.process.pid, 2)
        self.assertEqual(2, len(workers))
        self.process.send_signal(signal.SIGTERM)
        self.assertEqual(0, self.process.wait(timeout=STOP_TIMEOUT))
        for pid in workers:
            self.assertFalse(_alive(pid), 'worker %d outlived SIGTERM' % pid)
        self.assertRaises(OSError, self._get, '/healthcheck')

    def test_a_killed_worker_is_replaced_without_closing_the_port(self):
        workers = self._wait_for_workers(self.process.pid, 2)
        victim = sorted(workers)[0]
        os.kill(victim, signal.SIGKILL)
        # The other worker keeps accepting on the shared socket meanwhile.
        status, _headers, _body = self._get('/healthcheck')
        self.assertEqual(200, status)
        deadline = time.monotonic() + START_TIMEOUT
        replaced = _children(self.process.pid)
        while (victim in replaced or len(replaced) != 2) and (
                time.monotonic() < deadline):
            time.sleep(0.1)
            replaced = _children(self.process.pid)
        self.assertEqual(2, len(replaced))
        self.assertNotIn(victim, replaced)

    def test_sighup_restarts_the_workers_and_the_port_keeps_answering(self):
        before = self._wait_for_workers(self.process.pid, 2)
        self.assertEqual(2, len(before))
        self.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + START_TIMEOUT
        after = _children(self.process.pid)
        while time.monotonic() < deadline and not (
                len(after) == 2 and not after & before):
            # Every request during the restart is answered: the workers
            # come and go, the launcher's socket stays.
            status, _headers, _body = self._get('/healthcheck')
            self.assertEqual(200, status)
            after = _children(self.process.pid)
        self.assertEqual(2, len(after))
        self.assertEqual(set(), after & before)
        self.assertIsNone(self.process.poll())


class TestRefusals(DaemonTestCase):

    def _run_api(self):
        return self.config.run_script('freezer-api')

    def test_refuses_an_unsynced_database(self):
        result = self._run_api()
        self.assertEqual(1, result.returncode)
        self.assertIn('freezer-manage --config-file %s db sync'
                      % self.config.path, result.stderr)
        self.assertRaises(OSError, self._get, '/healthcheck')

    def test_refuses_a_database_behind_head(self):
        synced = self.config.run_script('freezer-manage', 'db', 'sync')
        self.assertEqual(0, synced.returncode, synced.stderr)
        with sqlite3.connect(self.config.database) as connection:
            connection.execute("UPDATE alembic_version SET version_num = "
                               "'older'")
        result = self._run_api()
        self.assertEqual(1, result.returncode)
        self.assertIn('db sync', result.stderr)


class TestNoauthOffLoopback(DaemonTestCase):

    workers = 1
    bind_host = '0.0.0.0'

    def test_refuses_noauth_on_all_interfaces(self):
        # Never synced: should the noauth check ever regress, the schema
        # check still refuses, so no server listens on every interface.
        result = self.config.run_script('freezer-api')
        self.assertEqual(1, result.returncode)
        self.assertIn('noauth', result.stderr)
        self.assertIn("bind_host is '0.0.0.0'", result.stderr)
        self.assertNotIn('db sync', result.stderr)
