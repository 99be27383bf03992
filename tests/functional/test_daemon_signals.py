"""What operators rely on when they signal ``freezer-api``.

Builds on :mod:`tests.functional.test_daemon` (start, stop, worker
counting). SIGTERM must finish the requests in flight; SIGHUP must apply
a changed configuration file and policy file while the port keeps
answering; the start must log the options it took, secrets masked.
"""

import fcntl
import http.client
import json
import os
import re
import signal
import sqlite3
import threading
import time

from tests.functional import test_daemon

# How long the test keeps holding the database's write lock after the
# SIGTERM; well inside SQLite's busy timeout (5 s) and cheroot's shutdown
# timeout (5 s), so the held request must complete.
HOLD = 1.0


def _request(port, method, path, body=None):
    """One request to 127.0.0.1; returns (status, body as JSON or None)."""
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    try:
        headers = {}
        if body is not None:
            body = json.dumps(body)
            headers['Content-Type'] = 'application/json'
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else None
    finally:
        connection.close()


def _action(name):
    return {'freezer_action': {'action': 'backup', 'backup_name': name}}


class TestSigterm(test_daemon.DaemonTestCase):

    workers = 1

    def setUp(self):
        super().setUp()
        synced = self.config.run_script('freezer-manage', 'db', 'sync')
        self.assertEqual(0, synced.returncode, synced.stderr)
        self.process = self._start()

    def _hold_a_write(self):
        """Start a create that waits inside the daemon on SQLite's lock.

        :returns: ``(holder, answers, writer)``: the connection holding
            the lock (``ROLLBACK`` releases it), the list the create's
            ``(status, body)`` is appended to, and its thread.
        """
        # Hold SQLite's write lock: the daemon's create waits on it inside
        # the request, as it would behind a long write of another client.
        holder = sqlite3.connect(self.config.database, isolation_level=None)
        self.addCleanup(holder.close)
        holder.execute('BEGIN IMMEDIATE')
        answers = []
        writer = threading.Thread(target=lambda: answers.append(_request(
            self.config.port, 'POST', '/v2/demo/actions/',
            dict(_action('in-flight'), action_id='in-flight'))))
        writer.start()
        self.addCleanup(writer.join, 30)
        self._wait_for_a_writer()
        return holder, answers, writer

    def _late_request_during_the_drain(self, send):
        """SIGTERM with a write in flight, then ``send()`` 0.5 s into the
        drain; the write must still get its 201 and the exit be 0.

        :param send: callable returning what the late request got.
        :returns: what ``send`` returned, or the OSError it raised.
        """
        holder, answers, writer = self._hold_a_write()
        self.process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        late = []

        def _late_request():
            try:
                late.append(send())
            except OSError as exc:
                late.append(exc)
        latecomer = threading.Thread(target=_late_request)
        latecomer.start()
        self.addCleanup(latecomer.join, 30)
        time.sleep(0.5)
        holder.execute('ROLLBACK')
        writer.join(30)
        latecomer.join(30)
        self.assertEqual([(201, {'action_id': 'in-flight'})], answers)
        self.assertEqual(0, self.process.wait(
            timeout=test_daemon.STOP_TIMEOUT))
        self.assertEqual(1, len(late))
        return late[0]

    def test_a_request_in_flight_gets_its_answer_and_the_exit_is_0(self):
        holder, answers, writer = self._hold_a_write()
        self.assertEqual([], answers, 'the write did not wait on the lock')

        self.process.send_signal(signal.SIGTERM)
        time.sleep(HOLD)
        # Still waiting for the request, neither answered early nor gone.
        self.assertEqual([], answers)
        self.assertIsNone(self.process.poll())
        holder.execute('ROLLBACK')

        writer.join(30)
        self.assertEqual([(201, {'action_id': 'in-flight'})], answers)
        self.assertEqual(0, self.process.wait(
            timeout=test_daemon.STOP_TIMEOUT))
        stored = holder.execute(
            "SELECT project_id FROM actions WHERE action_id = 'in-flight'"
        ).fetchall()
        self.assertEqual([('demo',)], stored)

    def test_after_sigterm_a_new_connection_is_refused(self):
        # The docs: SIGTERM stops accepting connections, finishes the
        # requests in flight and exits 0 (issue 20: a request 0.5 s into
        # the drain was still served). Refused at once, not queued until
        # the exit and then reset.
        late = self._late_request_during_the_drain(lambda: _request(
            self.config.port, 'GET', '/v2/demo/actions/'))
        self.assertIsInstance(late, ConnectionRefusedError, late)

    def test_after_sigterm_a_kept_alive_connection_is_not_served(self):
        # A client that keeps its connection open between requests (wrk,
        # requests.Session, the scheduler) must not get a new request
        # served on it during the drain either.
        idle = http.client.HTTPConnection('127.0.0.1', self.config.port,
                                          timeout=30)
        self.addCleanup(idle.close)
        idle.request('GET', '/v2/demo/actions/')
        first = idle.getresponse()
        first.read()
        self.assertEqual(200, first.status)

        def _send_on_the_idle_connection():
            idle.request('GET', '/v2/demo/actions/')
            response = idle.getresponse()
            return response.status, response.read()
        late = self._late_request_during_the_drain(
            _send_on_the_idle_connection)
        self.assertIsInstance(late, OSError, late)

    def _wait_for_a_writer(self):
        """Return once the daemon's write is waiting, or after 3 s.

        The SIGTERM must find the request inside the application, not in
        the accept queue. SQLite writers of the service first queue on an
        flock of ``<database>-writers.lock``: a held flock shows that the
        request got that far. Without that file (another engine, a
        renamed lock) the test waits 3 s, still inside SQLite's 5 s busy
        timeout once the SIGTERM wait is added.
        """
        lock_path = self.config.database + '-writers.lock'
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            time.sleep(0.1)
            try:
                fd = os.open(lock_path, os.O_RDWR)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            finally:
                os.close(fd)


class TestSighup(test_daemon.DaemonTestCase):

    def setUp(self):
        super().setUp()
        synced = self.config.run_script('freezer-manage', 'db', 'sync')
        self.assertEqual(0, synced.returncode, synced.stderr)
        self.process = self._start()

    def _list(self):
        status, body = _request(self.config.port, 'GET', '/v2/demo/actions/')
        self.assertEqual(200, status, body)
        return [action['action_id'] for action in body['actions']]

    def test_new_configuration_and_policy_apply_and_the_port_answers(self):
        for action_id in ('a1', 'a2', 'a3'):
            status, _body = _request(self.config.port, 'POST',
                                     '/v2/demo/actions/',
                                     dict(_action(action_id),
                                          action_id=action_id))
            self.assertEqual(201, status)
        self.assertEqual(['a1', 'a2', 'a3'], self._list())
        self.assertEqual(200, _request(self.config.port, 'GET',
                                       '/v2/demo/actions/a1')[0])
        before = self._wait_for_workers(self.process.pid, 2)
        self.assertEqual(2, len(before))

        # A smaller page and a policy file (named by the configuration,
        # so only a re-read configuration can find it) that denies show.
        policy_path = os.path.join(self.config.directory, 'policy.yaml')
        with open(policy_path, 'w') as policy_file:
            policy_file.write('"actions:get": "!"\n')
        with open(self.config.path, 'a') as conf_file:
            conf_file.write('\n[api]\ndefault_limit = 2\n'
                            '\n[oslo_policy]\npolicy_file = %s\n'
                            % policy_path)
        self.process.send_signal(signal.SIGHUP)

        deadline = time.monotonic() + test_daemon.START_TIMEOUT
        after = test_daemon._children(self.process.pid)
        while time.monotonic() < deadline and not (
                len(after) == 2 and not after & before):
            # Old or new workers answer, never a refused connection.
            self.assertIn(len(self._list()), (2, 3))
            after = test_daemon._children(self.process.pid)
        self.assertEqual(2, len(after))
        self.assertEqual(set(), after & before)

        # Every worker now runs the new configuration; a few requests so
        # that both are asked.
        for _ in range(6):
            self.assertEqual(['a1', 'a2'], self._list())
            status, body = _request(self.config.port, 'GET',
                                    '/v2/demo/actions/a1')
            self.assertEqual(403, status)
            self.assertEqual('Access Forbidden', body['title'])
        self.assertIsNone(self.process.poll())
        # The reload is in the log, once, naming the file it read.
        with open(os.path.join(self.config.directory, 'api.log')) as log:
            reloads = [line for line in log
                       if 'Configuration reloaded from' in line]
        self.assertEqual(1, len(reloads), reloads)
        self.assertIn(self.config.path, reloads[0])


class TestStartupLog(test_daemon.DaemonTestCase):

    workers = 1
    # SQLite URLs hold no password (SQLAlchemy refuses one), so a file
    # name stands in for it: the whole connection value is secret.
    password = 's3cret-Pa55'

    def setUp(self):
        super().setUp()
        database = os.path.join(self.config.directory,
                                '%s.sqlite' % self.password)
        with open(self.config.path, 'a') as conf_file:
            conf_file.write('\n[database]\nconnection = sqlite:///%s\n'
                            % database)
        synced = self.config.run_script('freezer-manage', 'db', 'sync')
        self.assertEqual(0, synced.returncode, synced.stderr)

    def test_logs_the_effective_options_with_secrets_masked(self):
        process = self._start()
        process.send_signal(signal.SIGTERM)
        self.assertEqual(0, process.wait(timeout=test_daemon.STOP_TIMEOUT))
        with open(os.path.join(self.config.directory, 'api.log')) as log:
            lines = log.read().splitlines()
        # oslo.config pads the names: "bind_port        = 9090".
        options = dict(re.findall(r' ([\w.]+) +?= (.*)$', '\n'.join(lines),
                                  re.MULTILINE))
        self.assertEqual(str(self.config.port), options['bind_port'])
        self.assertEqual('1', options['api.workers'])
        self.assertEqual('[%r]' % self.config.path, options['config_file'])
        self.assertEqual('****', options['database.connection'])
        self.assertFalse([line for line in lines if self.password in line])


class TestSigtermTwoWorkers(TestSigterm):
    """The same with two workers: the idle one must not serve the
    latecomer either."""

    workers = 2
