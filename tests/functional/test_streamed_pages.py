"""The daemon (cheroot) streams a large list page with chunked transfer
encoding, and cuts the connection when the stream fails (issue 20, item
6; :mod:`api.pages`; the same under uwsgi: ``tests.functional.
test_uwsgi``)."""

import http.client
import json

import testtools

from tests import base
from tests.functional import daemons
from tests.functional import streamed


class TestDaemonStreams(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.config = self.useFixture(base.ServiceConfig(
            workers=1, api_options=streamed.API_OPTIONS))
        synced = self.config.run_script('freezer-manage', 'db', 'sync')
        self.assertEqual(0, synced.returncode, synced.stderr)
        self.daemon = self.useFixture(daemons.Daemon(self, self.config))
        self.shown = streamed.fill(self.daemon.port)

    def test_a_large_page_is_chunked_and_whole(self):
        status, headers, body = streamed.get_page(self.daemon.port)
        self.assertEqual(200, status, body)
        self.assertEqual('chunked', headers['Transfer-Encoding'])
        self.assertIsNone(headers['Content-Length'])
        self.assertEqual('application/json', headers['Content-Type'])
        self.assertTrue(headers['x-openstack-request-id'].startswith('req-'))
        self.assertEqual(list(self.shown.values()),
                         json.loads(body)['actions'])
        # A small page is one piece, with its length.
        status, headers, body = streamed.get_page(self.daemon.port, limit=2)
        self.assertEqual((200, str(len(body))),
                         (status, headers['Content-Length']))

    def test_a_failure_mid_stream_cuts_the_answer_short(self):
        streamed.spoil(self.config.database, 'streamed-11')
        error = self.assertRaises(http.client.IncompleteRead,
                                  streamed.get_page, self.daemon.port)
        self.assertIn(b'"action_id": "streamed-00"', error.partial)
        self.assertNotIn(b'streamed-11', error.partial)
        # The worker goes on serving.
        status, _headers, body = streamed.get_page(self.daemon.port,
                                                   limit=2)
        self.assertEqual(200, status)
        self.assertEqual(['streamed-00', 'streamed-01'],
                         [a['action_id'] for a in json.loads(body)['actions']])
        with open(self.config.directory + '/api.log') as log:
            text = log.read()
        self.assertIn('A streamed actions page failed after', text)
        self.assertRegex(text, r'"GET /v2/streams/actions\?limit=1000" '
                               r'status: 200 len: \d+ time: [0-9.]+ '
                               r'reason: cut short by an error')
