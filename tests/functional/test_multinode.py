"""Several ``freezer-api`` daemons on one PostgreSQL: no write is lost.

Two daemons (two workers each, their own ports) serve one database, as
behind a load balancer. Eight clients, spread over both daemons, write the
same action for a bounded time:

* four do read-modify-write: GET, add 1 to a counter, PATCH with
  ``If-Match: "<version>"``; a 412 means another write came first, and
  the client reads again;
* four PATCH their own key without ``If-Match`` (the last writer wins),
  so that writes also collide on the row lock.

Afterwards ``_version`` is 1 plus the number of 200s, the counter equals
the number of successful conditional writes (none was lost or applied
twice), each blind writer's key holds its last value, and no answer was
anything but 200 or 412: deadlocks and serialization failures are retried
inside the service, never a 500.
"""

import collections
import threading
import time

import testtools

from tests import base
from tests.functional import backends
from tests.functional import daemons

#: Seconds the clients write for.
DURATION = 8
CLIENTS = 8
PROJECT = 'multinode'


class TestTwoDaemonsOnePostgresql(testtools.TestCase):

    def setUp(self):
        super().setUp()
        admin = backends.admin_url(self, backends.POSTGRESQL)
        url = backends.create_database(admin)
        self.addCleanup(backends.drop_database, admin, url)
        self.ports = []
        for number in (1, 2):
            config = self.useFixture(base.ServiceConfig(
                workers=2, connection=url,
                database_options={'max_pool_size': 2, 'max_overflow': 2}))
            if number == 1:
                synced = config.run_script('freezer-manage', 'db', 'sync')
                self.assertEqual(0, synced.returncode, synced.stderr)
            daemon = self.useFixture(daemons.Daemon(
                self, config, name='api%d' % number))
            self.ports.append(daemon.port)

    def _client(self, number):
        client = daemons.Client(self.ports[number % len(self.ports)])
        self.addCleanup(client.close)
        return client

    def test_eight_clients_lose_no_write(self):
        creator = self._client(0)
        status, _headers, body = creator.request(
            'POST', '/v2/%s/actions' % PROJECT,
            {'freezer_action': {'action': 'backup', 'counter': 0}})
        self.assertEqual(201, status, body)
        path = '/v2/%s/actions/%s' % (PROJECT, body['action_id'])
        statuses = collections.Counter()
        conditional_wins = collections.Counter()
        blind_last = {}
        unexpected = []
        lock = threading.Lock()
        start = threading.Barrier(CLIENTS)
        deadline = []

        def conditional(number, client):
            status, headers, doc = client.request('GET', path)
            if status != 200:
                return status, doc
            status, _headers, answer = client.request(
                'PATCH', path,
                {'freezer_action': {
                    'counter': doc['freezer_action']['counter'] + 1}},
                {'If-Match': headers['ETag']})
            if status == 200:
                conditional_wins[number] += 1
            return status, answer

        def blind(number, client, sequence):
            status, _headers, answer = client.request(
                'PATCH', path, {'freezer_action': {'w%d' % number: sequence}})
            if status == 200:
                blind_last[number] = sequence
            return status, answer

        def run(number):
            client = daemons.Client(self.ports[number % 2])
            try:
                start.wait()
                sequence = 0
                while time.monotonic() < deadline[0]:
                    sequence += 1
                    if number % 2 == 0:
                        status, answer = conditional(number, client)
                    else:
                        status, answer = blind(number, client, sequence)
                    with lock:
                        statuses[status] += 1
                        if status not in (200, 412):
                            unexpected.append((status, answer))
            finally:
                client.close()

        deadline.append(time.monotonic() + DURATION)
        threads = [threading.Thread(target=run, args=(number,))
                   for number in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(DURATION + 120)
        self.assertFalse(any(t.is_alive() for t in threads),
                         'a client hung')
        self.addDetail('statuses', testtools.content.text_content(
            repr(statuses)))
        self.assertEqual([], unexpected)
        # Progress on both kinds of write, and real contention.
        self.assertGreater(sum(conditional_wins.values()), 0, statuses)
        self.assertEqual(4, len(blind_last), blind_last)
        self.assertGreater(statuses[412], 0, statuses)

        for port in self.ports:
            status, headers, doc = daemons.Client(port).request('GET', path)
            self.assertEqual(200, status)
            self.assertEqual(1 + statuses[200], doc['_version'])
            self.assertEqual('"%d"' % doc['_version'], headers['ETag'])
            self.assertEqual(sum(conditional_wins.values()),
                             doc['freezer_action']['counter'])
            self.assertEqual(
                {'w%d' % number: value
                 for number, value in blind_last.items()},
                {key: value for key, value in doc['freezer_action'].items()
                 if key.startswith('w')})
