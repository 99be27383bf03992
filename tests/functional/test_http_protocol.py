"""The daemon's HTTP parsing refuses request smuggling and slow headers,
and answers protocol errors with the API's JSON error body (found by a
hostile client: two Content-Length headers, or Content-Length with
Transfer-Encoding, ran a hidden DELETE)."""

import json
import os
import re
import socket
import struct
import time

import testtools

from freezer_daemon import http_protocol
from tests import base
from tests.functional import daemons


def _exchange(port, data, pause=0.5):
    """Send raw bytes, return everything answered until the server closes."""
    sock = socket.create_connection(('127.0.0.1', port), timeout=10)
    try:
        sock.sendall(data)
        time.sleep(pause)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
        return b''.join(chunks)
    finally:
        sock.close()


def _responses(raw):
    """Split raw answers into (status, headers dict, body) triples."""
    answers = []
    while raw:
        head, _, rest = raw.partition(b'\r\n\r\n')
        lines = head.decode('latin-1').split('\r\n')
        headers = dict(line.split(': ', 1) for line in lines[1:])
        length = int(headers.get('Content-Length', 0))
        answers.append((int(lines[0].split()[1]), headers, rest[:length]))
        raw = rest[length:]
    return answers


class TestHttpProtocol(testtools.TestCase):

    def setUp(self):
        super().setUp()
        config = self.useFixture(base.ServiceConfig(workers=1))
        synced = config.run_script('freezer-manage', 'db', 'sync')
        self.assertEqual(0, synced.returncode, synced.stderr)
        self.config = config
        self.port = self.useFixture(daemons.Daemon(self, config)).port
        self.client = daemons.Client(self.port)
        self.addCleanup(self.client.close)
        status, _, _ = self.client.request(
            'POST', '/v2/p/actions',
            {'action_id': 'victim', 'freezer_action': {'action': 'info'}})
        self.assertEqual(201, status)

    def daemon_log(self):
        """str, what the daemon has logged so far."""
        with open(os.path.join(self.config.directory, 'api.log'),
                  errors='replace') as log:
            return log.read()

    def _victim_status(self):
        status, _, _ = self.client.request('GET', '/v2/p/actions/victim')
        return status

    def _assert_refused(self, raw):
        answers = _responses(raw)
        self.assertEqual(1, len(answers), raw)
        status, headers, body = answers[0]
        self.assertEqual(400, status)
        self.assertEqual('application/json', headers['Content-Type'])
        self.assertEqual('close', headers['Connection'])
        self.assertTrue(headers['x-openstack-request-id'].startswith('req-'))
        self.assertEqual({'title', 'description'}, set(json.loads(body)))
        return json.loads(body)['description']

    def test_smuggled_requests_never_run(self):
        doc = json.dumps({'freezer_action': {'action': 'backup'}}).encode()
        hidden = b'DELETE /v2/p/actions/victim HTTP/1.1\r\nHost: x\r\n\r\n'
        attempts = [
            b'POST /v2/p/actions HTTP/1.1\r\nHost: x\r\n'
            b'Content-Length: %d\r\nContent-Length: %d\r\n\r\n' % (
                len(doc) + len(hidden), len(doc)) + doc + hidden,
            b'POST /v2/p/actions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n'
            b'Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n' + hidden,
            b'POST /v2/p/actions HTTP/1.1\r\nHost: x\r\n'
            b'Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n'
            b'0\r\n\r\n' + hidden,
            b'POST /v2/p/actions HTTP/1.1\r\nHost: x\r\nHost: y\r\n'
            b'Content-Length: %d\r\n\r\n' % len(doc) + doc + hidden,
        ]
        for attempt in attempts:
            description = self._assert_refused(_exchange(self.port, attempt))
            self.assertRegex(description, 'Duplicate|together')
            self.assertEqual(200, self._victim_status())
        status, _, body = self.client.request('GET', '/v2/p/actions')
        self.assertEqual(['victim'],
                         [a['action_id'] for a in body['actions']])

    def test_nothing_after_a_body_whose_framing_is_lost_runs(self):
        """A malformed chunk or a Content-Length that is not digits left
        the connection open, and the bytes after it ran as the next
        request (found by a hostile trial)."""
        hidden = b'DELETE /v2/p/actions/victim HTTP/1.1\r\nHost: x\r\n\r\n'
        attempts = [
            b'POST /v2/p/actions HTTP/1.1\r\nHost: x\r\n'
            b'Transfer-Encoding: chunked\r\n\r\nzz\r\n' + hidden,
            b'POST /v2/p/actions HTTP/1.1\r\nHost: x\r\n'
            b'Content-Length: -5\r\n\r\n' + hidden,
            b'POST /v2/p/actions HTTP/1.1\r\nHost: x\r\n'
            b'Content-Length: +5\r\n\r\n{}{}{' + hidden,
        ]
        for attempt in attempts:
            self._assert_refused(_exchange(self.port, attempt))
            self.assertEqual(200, self._victim_status())

    def test_a_chunked_body_left_unread_closes_the_connection(self):
        """The health check answers without reading a body; cheroot left
        an unread chunked body on the connection, to be parsed as the
        next request."""
        hidden = b'DELETE /v2/p/actions/victim HTTP/1.1\r\nHost: x\r\n\r\n'
        for method in (b'GET', b'DELETE'):
            raw = _exchange(self.port, (
                b'%s /healthcheck HTTP/1.1\r\nHost: x\r\n'
                b'Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n'
                b'0\r\n\r\n') % (method, len(hidden), hidden))
            answers = _responses(raw)
            self.assertEqual(1, len(answers), raw)
            self.assertEqual(200 if method == b'GET' else 405,
                             answers[0][0])
            self.assertEqual(200, self._victim_status())

    def test_a_body_reset_mid_way_is_a_client_error(self):
        sock = socket.create_connection(('127.0.0.1', self.port), timeout=5)
        sock.sendall(b'POST /v2/p/actions HTTP/1.1\r\nHost: x\r\n'
                     b'Content-Length: 100\r\n\r\n{"freezer_action"')
        time.sleep(0.3)
        # A reset, not a clean close: SO_LINGER with a zero timeout.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                        struct.pack('ii', 1, 0))
        sock.close()
        log = self.daemon_log()
        deadline = time.monotonic() + 10
        while '"POST /v2/p/actions" status: 400' not in log:
            self.assertLess(time.monotonic(), deadline, log[-1000:])
            time.sleep(0.1)
            log = self.daemon_log()
        # No line logged at ERROR (a traceback) for a client that left.
        self.assertIsNone(re.search(r'^\S+ \S+ \d+ ERROR ', log, re.M),
                          log[-1000:])
        self.assertIn('reason: The request body was cut off.', log)

    def test_protocol_errors_are_json(self):
        for raw in (b'GET //v2/p/actions HTTP/1.1\r\nHost: x\r\n\r\n',
                    b'GET /v2/p/actions HTTP/1.1\r\nbroken header\r\n\r\n',
                    b'GET /v2/p/actions HTTP/1.1\r\nHost: x\r\n'
                    b'Content-Length: abc\r\n\r\n'):
            self._assert_refused(_exchange(self.port, raw))

    def test_broken_bodies_are_400_never_500(self):
        for raw in (
                b'POST /v2/p/actions HTTP/1.1\r\nHost: x\r\n'
                b'Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
                b'POST /v2/p/actions HTTP/1.1\r\nHost: x\r\n'
                b'Transfer-Encoding: chunked\r\n\r\n2\r\n{"a": 1}\r\n'
                b'0\r\n\r\n'):
            answers = _responses(_exchange(self.port, raw))
            self.assertEqual(400, answers[0][0], answers)
            self.assertEqual({'title', 'description'},
                             set(json.loads(answers[0][2])))
        # A body cut off before its Content-Length: the client leaves.
        sock = socket.create_connection(('127.0.0.1', self.port), timeout=5)
        sock.sendall(b'POST /v2/p/actions HTTP/1.1\r\nHost: x\r\n'
                     b'Content-Length: 100\r\n\r\n{"freezer_action"')
        sock.shutdown(socket.SHUT_WR)
        answer = sock.recv(4096)
        sock.close()
        self.assertTrue(answer.startswith(b'HTTP/1.1 400'), answer)
        status, _, body = self.client.request('GET', '/v2/p/actions')
        self.assertEqual(['victim'],
                         [a['action_id'] for a in body['actions']])

    def test_headers_trickled_slowly_are_cut_off(self):
        sock = socket.create_connection(('127.0.0.1', self.port), timeout=5)
        self.addCleanup(sock.close)
        sock.sendall(b'GET /v2/p/actions HTTP/1.1\r\nHost: x\r\n')
        started = time.monotonic()
        answer = b''
        while time.monotonic() - started < http_protocol.HEADER_TIMEOUT + 8:
            try:
                sock.sendall(b'X-Slow: yes\r\n')
            except OSError:
                break
            time.sleep(1)
        try:
            while True:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass
        elapsed = time.monotonic() - started
        self.assertLess(elapsed, http_protocol.HEADER_TIMEOUT + 8)
        self.assertIn(b'took longer than', answer)
        self.assertEqual(200, self._victim_status())
