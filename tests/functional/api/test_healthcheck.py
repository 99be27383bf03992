"""``/healthcheck`` reports whether the database answers (each engine).

The ``freezer_database`` backend of oslo.middleware's health check
(:mod:`api.healthcheck`) is enabled by default: 200 while the database
answers ``SELECT 1``, 503 when it cannot be reached, and the answer names
neither the server nor the driver.
"""

import os
import time

from freezer_daemon import wiring
from tests.functional import backends
from tests.functional.api import base


class TestDatabaseHealthcheck(base.ApiTestCase):

    def test_enabled_by_default(self):
        self.assertEqual(['freezer_database', 'freezer_policy'],
                         self.conf.healthcheck.backends)

    def test_reachable_database_is_200(self):
        resp = self.request('GET', '/healthcheck')
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertIn(b'database available', resp.body)

    def test_detailed_json_gives_the_reason(self):
        self.conf.set_override('detailed', True, group='healthcheck')
        self.app = wiring.build_app(self.conf)
        resp = self.request('GET', '/healthcheck',
                            headers={'Accept': 'application/json'})
        self.assertEqual(200, resp.status_int, resp.body)
        reasons = [detail['reason'] for detail in resp.json['reasons']]
        self.assertEqual(['database available', 'policy rules loaded'],
                         reasons)

    def test_unreachable_database_is_503_quickly(self):
        if self.backend == backends.SQLITE:
            missing = 'sqlite:///%s.missing' % (
                self.database_url[len('sqlite:///'):])
        else:
            # The same server, a database that does not exist: the
            # connection is refused at login.
            missing = backends.with_database(self.database_url,
                                             'freezer_no_such_database')
        self.conf.set_override('connection', missing, group='database')
        self.app = wiring.build_app(self.conf)
        started = time.monotonic()
        resp = self.request('GET', '/healthcheck')
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(503, resp.status_int, resp.body)
        self.assertIn(b'database unavailable', resp.body)
        for fragment in (b'sqlite', b'psycopg', b'pymysql', b'freezer_no',
                         b'Traceback'):
            self.assertNotIn(fragment, resp.body.lower())
        if self.backend == backends.SQLITE:
            # Probing never creates the missing file.
            self.assertFalse(os.path.exists(missing[len('sqlite:///'):]))
