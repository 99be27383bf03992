"""The API served by uwsgi with the shipped ``etc/freezer/uwsgi.ini``.

uwsgi comes from the ``pyuwsgi`` wheel of the test requirements (the same
server, with the Python interpreter built in), installed next to the
running interpreter; a missing uwsgi fails these tests, it never skips
them. The ini file is used as shipped: only the address is given on the
command line, ahead of it, as its comments tell operators to do.
"""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import time

import testtools
from testtools import content

from tests import base
from tests.functional import streamed

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
UWSGI_INI = os.path.join(REPOSITORY, 'etc', 'freezer', 'uwsgi.ini')
START_TIMEOUT = 60
# What uwsgi logs when a worker has loaded the application.
_APP_READY = "WSGI app 0 (mountpoint='') ready in"


class TestUwsgi(testtools.TestCase):

    #: ``processes`` in the shipped ini file.
    processes = 2

    def setUp(self):
        super().setUp()
        # Pages over 4 KiB are streamed (tests.functional.streamed).
        self.config = self.useFixture(base.ServiceConfig(
            api_options=streamed.API_OPTIONS))
        synced = self.config.run_script('freezer-manage', 'db', 'sync')
        self.assertEqual(0, synced.returncode, synced.stderr)
        self.process = self._start()

    def _start(self):
        log_path = os.path.join(self.config.directory, 'uwsgi.log')
        log = open(log_path, 'w')
        self.addCleanup(log.close)
        self.addCleanup(self._attach_log, log_path)
        env = dict(os.environ, FREEZER_CONFIG_FILE=self.config.path)
        process = subprocess.Popen(
            [base.script_path('uwsgi'),
             '--http-socket', '127.0.0.1:%d' % self.config.port,
             '--ini', UWSGI_INI],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            cwd=self.config.directory, env=env, start_new_session=True)
        self.addCleanup(self._kill, process)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self.fail('uwsgi exited with %s at start' % process.returncode)
            try:
                status, _body = self._request('GET', '/healthcheck')
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                break
        else:
            self.fail('uwsgi did not answer within %d s' % START_TIMEOUT)
        # lazy-apps: each worker loads the application itself; the first
        # answer says nothing about the others, which a SIGTERM in the
        # middle of their start would turn into a failed exit.
        while time.monotonic() < deadline:
            with open(log_path) as log_file:
                if log_file.read().count(_APP_READY) == self.processes:
                    return process
            time.sleep(0.2)
        self.fail('uwsgi workers did not load within %d s' % START_TIMEOUT)

    def _attach_log(self, path):
        with open(path) as log:
            self.addDetail('uwsgi.log', content.text_content(log.read()))

    def _kill(self, process):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def _request(self, method, path, body=None):
        connection = http.client.HTTPConnection('127.0.0.1', self.config.port,
                                                timeout=30)
        try:
            headers = {'Content-Type': 'application/json'} if body else {}
            connection.request(method, path,
                               body=json.dumps(body) if body else None,
                               headers=headers)
            response = connection.getresponse()
            data = response.read()
            if response.headers.get_content_type() != 'application/json':
                return response.status, data
            return response.status, json.loads(data)
        finally:
            connection.close()

    def _chunked(self, method, path, chunks):
        """Send ``chunks`` (bytes each) with Transfer-Encoding: chunked."""
        connection = http.client.HTTPConnection('127.0.0.1', self.config.port,
                                                timeout=30)
        try:
            try:
                connection.request(method, path, body=iter(chunks),
                                   encode_chunked=True,
                                   headers={'Content-Type':
                                            'application/json'})
            except (BrokenPipeError, ConnectionResetError):
                # A server refusing a large body (413) may answer and
                # close before the client has sent it all; the answer
                # is still waiting in the socket.
                pass
            response = connection.getresponse()
            data = response.read()
            self.assertEqual('application/json',
                             response.headers.get('Content-Type'), data)
            return response.status, json.loads(data)
        finally:
            connection.close()

    def test_chunked_create_and_search_bodies_are_read(self):
        # uwsgi gave the application an empty body for these: the
        # create was a 400 "not null" and the search was ignored.
        document = json.dumps({'action_id': 'chunked-1', 'freezer_action': {
            'action': 'backup', 'backup_name': 'chunked'}}).encode()
        status, created = self._chunked(
            'POST', '/v2/demo/actions/',
            [document[:10], document[10:25], document[25:]])
        self.assertEqual((201, {'action_id': 'chunked-1'}), (status, created))
        status, _body = self._request('POST', '/v2/demo/actions/', {
            'action_id': 'other', 'freezer_action': {'action': 'info'}})
        self.assertEqual(201, status)

        search = json.dumps({'match': [{'backup_name': 'chunked'}]}).encode()
        status, listed = self._chunked('GET', '/v2/demo/actions/',
                                       [search[:7], search[7:]])
        self.assertEqual(200, status, listed)
        self.assertEqual(['chunked-1'],
                         [item['action_id'] for item in listed['actions']])

    def test_a_large_chunked_body_is_413_json(self):
        # 2 MiB, as one chunk (over uwsgi's chunked-input-limit) and as
        # 64 KiB chunks: both are over max_request_body_size.
        big = b'{"freezer_action": {"action": "backup", "x": "' + (
            b'a' * (2 * 1024 * 1024)) + b'"}}'
        for chunks in ([big], [big[i:i + 65536]
                               for i in range(0, len(big), 65536)]):
            status, error = self._chunked('POST', '/v2/demo/actions/',
                                          chunks)
            self.assertEqual(413, status, error)
            self.assertEqual(['description', 'title'], sorted(error))
        self.assertEqual({'actions': []},
                         self._request('GET', '/v2/demo/actions/')[1])

    def test_create_show_list_delete_through_uwsgi(self):
        document = {'freezer_action': {'action': 'backup', 'mode': 'fs',
                                       'path_to_backup': '/srv/data',
                                       'backup_name': 'srv-data'},
                    'max_retries': 3}
        status, created = self._request('POST', '/v2/demo/actions/',
                                        document)
        self.assertEqual(201, status, created)
        action_id = created['action_id']
        self.assertRegex(action_id, '^[0-9a-f]{32}$')

        status, shown = self._request('GET', '/v2/demo/actions/' + action_id)
        self.assertEqual(200, status)
        self.assertEqual(document['freezer_action'], shown['freezer_action'])
        self.assertEqual(('demo', 3, 1), (shown['project_id'],
                                          shown['max_retries'],
                                          shown['_version']))

        status, listed = self._request('GET', '/v2/demo/actions/')
        self.assertEqual(200, status)
        self.assertEqual([action_id],
                         [item['action_id'] for item in listed['actions']])

        status, _body = self._request('DELETE',
                                      '/v2/demo/actions/' + action_id)
        self.assertEqual(204, status)
        status, missing = self._request('GET', '/v2/demo/actions/' + action_id)
        self.assertEqual(404, status)
        self.assertEqual(['description', 'title'], sorted(missing))
        self.assertEqual({'actions': []},
                         self._request('GET', '/v2/demo/actions/')[1])

    def test_a_large_page_is_streamed_whole(self):
        shown = streamed.fill(self.config.port)
        status, headers, body = streamed.get_page(self.config.port)
        self.assertEqual(200, status, body)
        self.assertIsNone(headers['Content-Length'])
        self.assertEqual(list(shown.values()), json.loads(body)['actions'])

    def test_a_failure_mid_stream_cuts_the_answer_short(self):
        streamed.fill(self.config.port)
        streamed.spoil(self.config.database, 'streamed-11')
        # uwsgi's http-socket frames no answer (no chunks, no length:
        # the connection's end ends it), so the cut is seen in the body:
        # never a complete JSON document.
        status, headers, body = streamed.get_page(self.config.port)
        self.assertEqual((200, None), (status, headers['Content-Length']))
        self.assertIn(b'"action_id": "streamed-00"', body)
        self.assertNotIn(b'streamed-11', body)
        self.assertRaises(ValueError, json.loads, body)
        status, _headers, body = streamed.get_page(self.config.port,
                                                   limit=2)
        self.assertEqual(200, status, body)

    def _raw(self, method, path, body=b''):
        """Send one HTTP/1.1 request without a Connection header and read
        until the server closes; returns (status line, headers lowered,
        body)."""
        with socket.create_connection(('127.0.0.1', self.config.port),
                                      timeout=30) as sock:
            sock.sendall((
                '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n'
                'Content-Type: application/json\r\n'
                'Content-Length: %d\r\n\r\n' % (method, path, len(body))
            ).encode('ascii') + body)
            data = b''
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        head, _, body = data.partition(b'\r\n\r\n')
        lines = head.decode('latin-1').split('\r\n')
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(':')
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        return lines[0], headers, body

    def test_every_answer_says_the_connection_closes(self):
        """http-socket closes the connection after each answer; every
        answer says so once (``Connection: close``), streamed pages and
        errors included, so a keep-alive client does not reuse it."""
        streamed.fill(self.config.port)
        created = json.dumps({'freezer_action': {'action': 'backup',
                                                 'path_to_backup': '/a'}})
        for method, path, body, status in (
                ('GET', '/healthcheck', b'', 200),
                ('GET', '/v2/demo/actions?limit=2', b'', 200),
                ('GET', '/v2/%s/actions' % streamed.PROJECT, b'', 200),
                ('POST', '/v2/demo/actions', created.encode(), 201),
                ('GET', '/v2/demo/actions/missing', b'', 404),
                ('POST', '/v2/demo/actions', b'{', 753)):
            line, headers, answer = self._raw(method, path, body)
            self.assertIn(' %d ' % status, line, answer)
            self.assertEqual(['close'], headers.get('connection'),
                             (method, path, headers))

    def test_healthcheck_and_versions(self):
        status, _body = self._request('GET', '/healthcheck')
        self.assertEqual(200, status)
        status, versions = self._request('GET', '/')
        self.assertEqual(200, status)
        self.assertIn('versions', versions)

    def test_each_worker_logs_the_options_with_secrets_masked(self):
        with open(os.path.join(self.config.directory, 'uwsgi.log')) as log:
            text = log.read()
        masked = re.findall(r' database\.connection +?= (.*)$', text,
                            re.MULTILINE)
        self.assertEqual(['****'] * self.processes, masked)
        self.assertNotIn(self.config.database, text)

    def test_each_request_is_logged_once_with_the_client(self):
        status, _body = self._request('GET', '/v2/demo/actions/logged-once')
        self.assertEqual(404, status)
        self.process.send_signal(signal.SIGTERM)
        self.assertEqual(0, self.process.wait(timeout=30))
        with open(os.path.join(self.config.directory, 'uwsgi.log')) as log:
            lines = [line for line in log if 'logged-once' in line]
        self.assertEqual(1, len(lines), lines)
        self.assertIn('127.0.0.1 "GET /v2/demo/actions/logged-once" '
                      'status: 404', lines[0])
        self.assertIn('reason: Action logged-once not found.', lines[0])

    def test_sigterm_stops_uwsgi(self):
        # die-on-term in the ini: SIGTERM ends uwsgi (status 0), not a
        # reload.
        self.process.send_signal(signal.SIGTERM)
        self.assertEqual(0, self.process.wait(timeout=30))
        self.assertRaises(OSError, self._request, 'GET', '/healthcheck')
