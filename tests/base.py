"""Helpers for tests that run the installed console scripts.

The daemon and manage tests start ``freezer-api`` and ``freezer-manage``
as an operator would: the scripts installed next to the running
interpreter (``pip install -e '.[test]'`` puts them there), each with its
own temporary configuration, state directory and port on 127.0.0.1.
"""

import http.client
import os
import socket
import subprocess
import sys
import textwrap

import fixtures

# Generous bounds for a loaded 2-core CI machine; a healthy run takes about
# a second for each.
COMMAND_TIMEOUT = 60


def script_path(name):
    """Return the path of an installed console script.

    :param name: script name, e.g. ``'freezer-api'``.
    :returns: absolute path (str) in the interpreter's ``bin`` directory.
    :raises AssertionError: the script is not installed, which means the
        package was not installed with pip; the tests must not pass then.
    """
    path = os.path.join(os.path.dirname(sys.executable), name)
    if not os.access(path, os.X_OK):
        raise AssertionError('%s is not installed next to %s; install the '
                             'project first (pip install -e .[test])'
                             % (name, sys.executable))
    return path


def free_port():
    """Return a TCP port on 127.0.0.1 that is free at the time of the call.

    :returns: int port number.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def http_get(port, path):
    """Send one GET to 127.0.0.1 and read the whole answer.

    :param port: TCP port (int).
    :param path: request target, e.g. ``'/healthcheck'``.
    :returns: ``(status int, headers http.client.HTTPMessage, body bytes)``.
    :raises OSError: nothing listens, or the connection broke (10 s
        timeout).
    """
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
    try:
        connection.request('GET', path)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


class ServiceConfig(fixtures.Fixture):
    """A temporary configuration file and state directory for the scripts.

    :param workers: ``[api] workers``.
    :param bind_host: ``[DEFAULT] bind_host``.
    :param auth_strategy: ``[DEFAULT] auth_strategy``.
    :param connection: optional ``[database] connection`` (an SQLAlchemy
        URL); by default the SQLite file under the state directory.
    :param database_options: optional dict of further ``[database]``
        options, e.g. ``{'max_pool_size': 2}``.
    :param api_options: optional dict of further ``[api]`` options, e.g.
        ``{'list_batch_size': 4096}``.

    After setUp: ``path`` is the configuration file, ``state_path`` the
    (not yet created) state directory, ``port`` the chosen port and
    ``database`` the SQLite file the default connection points at.
    """

    def __init__(self, workers=2, bind_host='127.0.0.1',
                 auth_strategy='noauth', connection=None,
                 database_options=None, api_options=None):
        super().__init__()
        self.workers = workers
        self.bind_host = bind_host
        self.auth_strategy = auth_strategy
        self.connection = connection
        self.database_options = dict(database_options or {})
        self.api_options = dict(api_options or {})

    def _setUp(self):
        self.directory = self.useFixture(fixtures.TempDir()).path
        # A directory that does not exist yet: the scripts must create it.
        self.state_path = os.path.join(self.directory, 'state', 'nested')
        self.database = os.path.join(self.state_path, 'freezer.sqlite')
        self.port = free_port()
        self.path = os.path.join(self.directory, 'freezer-api.conf')
        with open(self.path, 'w') as conf_file:
            conf_file.write(textwrap.dedent('''\
                [DEFAULT]
                auth_strategy = %s
                bind_host = %s
                bind_port = %d
                state_path = %s

                [api]
                workers = %d
                ''' % (self.auth_strategy, self.bind_host, self.port,
                       self.state_path, self.workers)))
            for name, value in sorted(self.api_options.items()):
                conf_file.write('%s = %s\n' % (name, value))
            database = dict(self.database_options)
            if self.connection is not None:
                database['connection'] = self.connection
            if database:
                conf_file.write('\n[database]\n')
                for name, value in sorted(database.items()):
                    conf_file.write('%s = %s\n' % (name, value))

    def run_script(self, name, *args):
        """Run a console script with this configuration and wait for it.

        :param name: script name, e.g. ``'freezer-manage'``.
        :param args: further arguments, e.g. ``('db', 'sync')``.
        :returns: :class:`subprocess.CompletedProcess` with text
            ``stdout`` and ``stderr``.
        :raises subprocess.TimeoutExpired: it ran longer than
            :data:`COMMAND_TIMEOUT` seconds.
        """
        return subprocess.run(
            [script_path(name), '--config-file', self.path] + list(args),
            capture_output=True, text=True, timeout=COMMAND_TIMEOUT,
            stdin=subprocess.DEVNULL, cwd=self.directory)
