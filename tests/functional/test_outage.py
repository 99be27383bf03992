"""A database outage: quick 503s, an honest health check, and recovery.

The test starts its own PostgreSQL (own data directory and port, through
``tools/start-test-databases.sh postgres-start``), so stopping it touches
no other test. With the database stopped, every request answers 503 with
a JSON error within :data:`BOUND` seconds and ``/healthcheck`` answers
503; once the database is back, the same daemon (no restart) answers 200
again and the data is intact.
"""

import json
import os
import subprocess
import time

import fixtures
import testtools

from tests import base
from tests.functional import backends
from tests.functional import daemons

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, 'tools', 'start-test-databases.sh')
#: Seconds within which an answer must come while the database is down
#: (the repository retries for at most 2.5 s; slack for a loaded machine).
BOUND = 10
#: Seconds the service may take to notice the database is back.
RECOVERY = 30


class PostgresqlInstance(fixtures.Fixture):
    """A PostgreSQL cluster of its own, stoppable and restartable.

    After setUp: ``url`` of its database ``openstack_citest``.
    """

    def _setUp(self):
        directory = self.useFixture(fixtures.TempDir()).path
        # The server runs as the postgres user when we are root: it must
        # be able to reach its data directory.
        os.chmod(directory, 0o755)
        self.directory = os.path.join(directory, 'pg')
        self.port = base.free_port()
        self.start()
        self.addCleanup(self.stop)
        self.url = ('postgresql+psycopg2://openstack_citest:'
                    'openstack_citest@127.0.0.1:%d/openstack_citest'
                    % self.port)

    def _script(self, *args):
        result = subprocess.run([SCRIPT] + list(args), capture_output=True,
                                text=True, timeout=120,
                                stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise AssertionError('%s %s failed: %s' % (
                SCRIPT, ' '.join(args), result.stderr))

    def start(self):
        """Start (or restart) the server; returns once it accepts."""
        self._script('postgres-start', self.directory, str(self.port))

    def stop(self):
        """Stop the server (fast shutdown: sessions are cut)."""
        self._script('postgres-stop', self.directory)


class TestDatabaseOutage(testtools.TestCase):

    def setUp(self):
        super().setUp()
        # The shared server's URL gates the test like every PostgreSQL
        # test: skipped without one, failed in CI.
        backends.admin_url(self, backends.POSTGRESQL)
        self.database = self.useFixture(PostgresqlInstance())
        config = self.useFixture(base.ServiceConfig(
            workers=1, connection=self.database.url,
            database_options={'pool_timeout': 5}))
        synced = config.run_script('freezer-manage', 'db', 'sync')
        self.assertEqual(0, synced.returncode, synced.stderr)
        self.daemon = self.useFixture(daemons.Daemon(self, config))
        self.client = daemons.Client(self.daemon.port, timeout=BOUND * 3)
        self.addCleanup(self.client.close)

    def timed(self, method, path, body=None):
        """Send a request; assert it answered within :data:`BOUND` s."""
        started = time.monotonic()
        answer = self.client.request(method, path, body)
        self.assertLess(time.monotonic() - started, BOUND,
                        '%s %s took too long' % (method, path))
        return answer

    def health(self):
        """``(status, body text)`` of ``/healthcheck``, timed."""
        started = time.monotonic()
        status, _headers, body = base.http_get(self.daemon.port,
                                               '/healthcheck')
        self.assertLess(time.monotonic() - started, BOUND)
        return status, body.decode('utf-8', 'replace')

    def test_outage_is_503_and_service_resumes_without_restart(self):
        status, _headers, body = self.timed(
            'POST', '/v2/A/actions', {'freezer_action': {'action': 'backup'}})
        self.assertEqual(201, status, body)
        item = '/v2/A/actions/%s' % body['action_id']
        self.assertEqual(200, self.timed('GET', item)[0])
        self.assertEqual(200, self.health()[0])
        launcher = self.daemon.process.pid

        self.database.stop()
        for method, path, body in (
                ('GET', item, None), ('GET', '/v2/A/actions', None),
                ('POST', '/v2/A/actions',
                 {'freezer_action': {'action': 'backup'}}),
                ('PATCH', item, {'max_retries': 2}),
                ('DELETE', item, None)):
            status, headers, answer = self.timed(method, path, body)
            self.assertEqual(503, status, (method, path, answer))
            self.assertEqual('application/json',
                             headers['Content-Type'].split(';')[0])
            self.assertEqual({'title', 'description'}, set(answer))
            self.assertNotIn('psycopg', json.dumps(answer).lower())
        status, text = self.health()
        self.assertEqual(503, status, text)
        self.assertNotIn('psycopg', text.lower())

        self.database.start()
        deadline = time.monotonic() + RECOVERY
        status = None
        while time.monotonic() < deadline:
            status, _headers, answer = self.timed('GET', item)
            if status == 200:
                break
            time.sleep(0.5)
        self.assertEqual(200, status, answer)
        self.assertEqual(1, answer['_version'])
        self.assertEqual(200, self.health()[0])
        status, _headers, answer = self.timed('PATCH', item,
                                              {'max_retries': 2})
        self.assertEqual(200, status, answer)
        # The same daemon served throughout.
        self.assertIsNone(self.daemon.process.poll())
        self.assertEqual(launcher, self.daemon.process.pid)
