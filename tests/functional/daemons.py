"""``freezer-api`` daemons on a server database, for the multi-node tests.

:class:`Daemon` runs the installed console script with its own
configuration and port (:class:`tests.base.ServiceConfig`), waits until
``/healthcheck`` answers 200, and kills the daemon's whole process group
when the test ends, attaching its log to the result.
"""

import http.client
import json
import os
import signal
import subprocess
import time

import fixtures
from testtools import content

from tests import base

#: Seconds a daemon may take to answer after it is started (loaded 2-core
#: machine; a healthy start takes about a second).
START_TIMEOUT = 60


class Daemon(fixtures.Fixture):
    """One ``freezer-api`` daemon.

    :param test: the running test (for the log detail).
    :param config: a set-up :class:`tests.base.ServiceConfig`.
    :param name: str label of the log detail.

    After setUp: ``port`` (int) and ``process`` (:class:`subprocess.Popen`
    of the launcher).
    """

    def __init__(self, test, config, name='api'):
        super().__init__()
        self.test = test
        self.config = config
        self.name = name

    def _setUp(self):
        self.port = self.config.port
        log_path = os.path.join(self.config.directory, self.name + '.log')
        log = open(log_path, 'w')
        self.addCleanup(log.close)
        self.addCleanup(self._attach_log, log_path)
        self.process = subprocess.Popen(
            [base.script_path('freezer-api'), '--config-file',
             self.config.path],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            cwd=self.config.directory)
        self.addCleanup(self._kill)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError('freezer-api exited with %s at start'
                                     % self.process.returncode)
            try:
                status, _headers, _body = base.http_get(self.port,
                                                        '/healthcheck')
            except OSError:
                time.sleep(0.1)
                continue
            if status == 200:
                return
            time.sleep(0.1)
        raise AssertionError('freezer-api did not answer within %d s'
                             % START_TIMEOUT)

    def _attach_log(self, path):
        with open(path, errors='replace') as log:
            self.test.addDetail('%s.log' % self.name,
                                content.text_content(log.read()))

    def _kill(self):
        if self.process.poll() is None:
            # The launcher leads its own session (cotyledon calls setsid):
            # killing the group leaves no worker behind.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class Client(object):
    """A keep-alive HTTP client of one daemon (one per thread).

    :param port: int daemon port on 127.0.0.1.
    :param timeout: float seconds per request.
    """

    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout
        self._connection = None

    def request(self, method, path, body=None, headers=None):
        """Send one request.

        A GET is sent again once on a new connection when the kept-alive
        one was dropped; a write never is (it might have been applied,
        which would skew the counts of the concurrency test).

        :param method: str HTTP method.
        :param path: str request target.
        :param body: None or a JSON-serialisable value.
        :param headers: optional dict.
        :returns: ``(status int, headers, decoded JSON body or None)``.
        """
        headers = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode('utf-8')
            headers['Content-Type'] = 'application/json'
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    '127.0.0.1', self.port, timeout=self.timeout)
            try:
                self._connection.request(method, path, data, headers)
                response = self._connection.getresponse()
                raw = response.read()
            except (http.client.HTTPException, ConnectionError):
                self.close()
                if attempt == 2 or method != 'GET':
                    raise
                continue
            decoded = json.loads(raw) if raw else None
            return response.status, response.headers, decoded

    def close(self):
        """Close the connection."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
