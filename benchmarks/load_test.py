#!/usr/bin/env python3
"""Load test: mixed create/show/list/search/patch/delete on loopback.

The script starts the real ``freezer-api`` daemon (two workers, noauth,
a fresh SQLite database, 127.0.0.1) with
:func:`search_bench.start_daemon`, warms it up, then runs ``--clients``
concurrent keep-alive clients for ``--seconds``. Each client works on
its own actions in one of four projects, choosing each request from the
mix :data:`MIX`, so that every answer has one right status (201, 200 or
204) and anything else is counted. Once a second it samples the VmRSS
of each worker (the launcher's children).

It prints, and writes as JSON with ``--json``: requests, requests/s,
p50/p99 latency (overall and per operation), 5xx count, other unexpected
statuses, transport errors, and per worker the mean RSS over the first
and the last ``--window`` seconds and their difference. Exit status 0
when no 5xx, no unexpected status and no transport error occurred and
every worker's RSS grew by at most ``--max-rss-growth-mb``.

Usage::

    python benchmarks/load_test.py [--clients 32] [--seconds 60]
        [--window 10] [--max-rss-growth-mb 16] [--json out.json]

Loopback only; bounded in time (warm-up + ``--seconds``); stops the
daemon it started and removes its work directory (``--keep`` keeps
it). tests/functional/test_load.py runs it shortened.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import search_bench  # noqa: E402  (a sibling script, not a package)

from freezer_core.storage import migration  # noqa: E402

#: Share of each operation in the mix (weights, out of 100).
MIX = (('create', 25), ('show', 20), ('list', 15), ('search', 15),
       ('patch', 15), ('delete', 10))
PROJECTS = ['load%d' % i for i in range(4)]
#: Seconds of load before measuring: imports, connection pools and
#: SQLAlchemy's statement cache settle, so RSS growth means a leak.
WARMUP_SECONDS = 3.0


class Client(object):
    """One keep-alive HTTP connection to the daemon on 127.0.0.1.

    :param port: int TCP port.
    :param timeout: seconds per request.
    """

    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout
        self.connection = None

    def request(self, method, path, body=None, headers=None):
        """Send one request; reconnect on the next call after a failure.

        :param method: str.
        :param path: str.
        :param body: None or a JSON-serialisable value.
        :param headers: optional dict.
        :returns: ``(status int, body bytes)``.
        :raises OSError: the connection failed (closed, refused, reset).
        :raises http.client.HTTPException: the answer was cut short.
        """
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                '127.0.0.1', self.port, timeout=self.timeout)
        data = None if body is None else json.dumps(body)
        sent = {'Content-Type': 'application/json'}
        sent.update(headers or {})
        try:
            self.connection.request(method, path, body=data, headers=sent)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self):
        """Close the connection (a later request opens a new one)."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def document(rng, name):
    """A realistic action document with a unique ``backup_name``.

    :param rng: random.Random.
    :param name: str, the backup name (unique per action).
    :returns: dict, a create body.
    """
    return {
        'freezer_action': {
            'action': rng.choice(('backup', 'restore')),
            'mode': rng.choice(('fs', 'mysql', 'mongo')),
            'backup_name': name,
            'container': 'load_%d' % rng.randrange(20),
            'path_to_backup': '/var/lib/app%d' % rng.randrange(100),
            'storage': 'swift',
            'metadata': {'owner': 'team-%d' % rng.randrange(10)},
        },
        'max_retries': rng.randrange(6),
        'max_retries_interval': 6,
        'mandatory': rng.random() < 0.5,
    }


class Stats(object):
    """Latencies and failures shared by the clients (one lock).

    :ivar latencies: dict of operation name to list of seconds.
    :ivar server_errors: list of ``(operation, status, body)``, 5xx only.
    :ivar unexpected: the same for any other status than the expected.
    :ivar transport_errors: int, requests that got no answer.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = {name: [] for name, _weight in MIX}
        self.server_errors = []
        self.unexpected = []
        self.transport_errors = 0

    def record(self, operation, status, expected, seconds, body):
        """Count one answer.

        :param operation: str, a name of :data:`MIX`.
        :param status: int, the status received.
        :param expected: int, the status the request calls for.
        :param seconds: float, the request's latency.
        :param body: bytes, the answer (kept for the first failures).
        :returns: None
        """
        with self.lock:
            self.latencies[operation].append(seconds)
            if status >= 500:
                self.server_errors.append((operation, status, body[:200]))
            elif status != expected:
                self.unexpected.append((operation, status, body[:200]))


def _client_loop(port, index, stop_at, stats, measure_from):
    rng = random.Random(index)
    project = PROJECTS[index % len(PROJECTS)]
    base = '/v2/%s/actions' % project
    client = Client(port)
    mine = []
    names = [name for name, _weight in MIX]
    weights = [weight for _name, weight in MIX]
    serial = 0
    while time.monotonic() < stop_at:
        operation = rng.choices(names, weights)[0]
        if operation in ('show', 'patch', 'delete') and not mine:
            operation = 'create'
        if operation == 'create':
            serial += 1
            name = 'load-%d-%d' % (index, serial)
            request = ('POST', base, document(rng, name), 201)
        elif operation == 'show':
            request = ('GET', '%s/%s' % (base, rng.choice(mine)[0]), None,
                       200)
        elif operation == 'list':
            request = ('GET', base + '?limit=20', None, 200)
        elif operation == 'search':
            target = rng.choice(mine)[1] if mine else 'none'
            request = ('GET', base + '?limit=20', {
                'match': [{'backup_name': target}],
                'match_not': [{'mode': 'nova'}]}, 200)
        elif operation == 'patch':
            request = ('PATCH', '%s/%s' % (base, rng.choice(mine)[0]),
                       {'max_retries': rng.randrange(6),
                        'freezer_action': {'tier': rng.randrange(3)}}, 200)
        else:
            victim = mine.pop(rng.randrange(len(mine)))
            request = ('DELETE', '%s/%s' % (base, victim[0]), None, 204)
        method, path, body, expected = request
        started = time.monotonic()
        try:
            status, answer = client.request(method, path, body)
        except (OSError, http.client.HTTPException):
            with stats.lock:
                stats.transport_errors += 1
            continue
        if started >= measure_from:
            stats.record(operation, status, expected,
                         time.monotonic() - started, answer)
        if operation == 'create' and status == 201:
            mine.append((json.loads(answer)['action_id'], name))
    client.close()


def _free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def _rss_kb(pid):
    try:
        with open('/proc/%d/status' % pid) as status_file:
            for line in status_file:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[int(fraction * (len(ordered) - 1))]


def run(port, launcher_pid, clients, seconds, window):
    """Drive the daemon and measure it.

    :param port: int, the daemon's port on 127.0.0.1.
    :param launcher_pid: int, the launcher; its children are the workers.
    :param clients: int, concurrent clients (threads).
    :param seconds: float, measured duration (after a warm-up of
        :data:`WARMUP_SECONDS`).
    :param window: float, seconds of the first and last RSS windows.
    :returns: dict, the report (see the module docstring); latencies in
        milliseconds, RSS in MiB.
    """
    stats = Stats()
    measure_from = time.monotonic() + WARMUP_SECONDS
    stop_at = measure_from + seconds
    threads = [threading.Thread(target=_client_loop,
                                args=(port, i, stop_at, stats, measure_from))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    samples = {}
    while time.monotonic() < stop_at:
        now = time.monotonic()
        if now >= measure_from:
            for pid in search_bench.worker_pids(launcher_pid):
                rss = _rss_kb(pid)
                if rss is not None:
                    samples.setdefault(pid, []).append(
                        (now - measure_from, rss))
        time.sleep(1.0)
    for thread in threads:
        thread.join()
    everything = [v for values in stats.latencies.values() for v in values]
    workers = {}
    for pid, series in samples.items():
        first = [rss for at, rss in series if at < window]
        last = [rss for at, rss in series if at >= seconds - window]
        if not first or not last:
            continue  # A worker that did not live through the run.
        workers[pid] = {
            'first_mb': statistics.mean(first) / 1024.0,
            'last_mb': statistics.mean(last) / 1024.0,
        }
        workers[pid]['growth_mb'] = (workers[pid]['last_mb']
                                     - workers[pid]['first_mb'])
    return {
        'clients': clients,
        'seconds': seconds,
        'requests': len(everything),
        'requests_per_second': len(everything) / seconds,
        'p50_ms': 1000 * statistics.median(everything),
        'p99_ms': 1000 * _percentile(everything, 0.99),
        'operations': {
            name: {'requests': len(values),
                   'p50_ms': 1000 * statistics.median(values),
                   'p99_ms': 1000 * _percentile(values, 0.99)}
            for name, values in stats.latencies.items() if values},
        'server_errors': len(stats.server_errors),
        'server_error_samples': stats.server_errors[:5],
        'unexpected': len(stats.unexpected),
        'unexpected_samples': stats.unexpected[:5],
        'transport_errors': stats.transport_errors,
        'workers': workers,
    }


def passed(report, max_rss_growth_mb):
    """Tell whether a report meets the bar.

    :param report: dict from :func:`run`.
    :param max_rss_growth_mb: float, allowed growth per worker.
    :returns: bool: no 5xx, no unexpected status, no transport error,
        RSS of two workers measured, each grown by at most the bound.
    """
    return (report['server_errors'] == 0 and report['unexpected'] == 0
            and report['transport_errors'] == 0
            and len(report['workers']) == 2
            and all(w['growth_mb'] <= max_rss_growth_mb
                    for w in report['workers'].values()))


def _print(report):
    print('%d clients, %.0f s: %d requests, %.1f req/s, p50 %.2f ms, '
          'p99 %.2f ms' % (report['clients'], report['seconds'],
                           report['requests'],
                           report['requests_per_second'], report['p50_ms'],
                           report['p99_ms']))
    print('5xx: %d, unexpected statuses: %d, transport errors: %d' % (
        report['server_errors'], report['unexpected'],
        report['transport_errors']))
    print('| operation | requests | p50 ms | p99 ms |')
    print('|---|---:|---:|---:|')
    for name, values in report['operations'].items():
        print('| %s | %d | %.2f | %.2f |' % (
            name, values['requests'], values['p50_ms'], values['p99_ms']))
    for pid, values in sorted(report['workers'].items()):
        print('worker %d: RSS %.1f MiB (first window) -> %.1f MiB (last '
              'window), %+.1f MiB' % (pid, values['first_mb'],
                                      values['last_mb'],
                                      values['growth_mb']))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--clients', type=int, default=32)
    parser.add_argument('--seconds', type=float, default=60.0)
    parser.add_argument('--window', type=float, default=10.0,
                        help='seconds of the first/last RSS windows')
    parser.add_argument('--max-rss-growth-mb', type=float, default=16.0)
    parser.add_argument('--json', help='write the report here')
    parser.add_argument('--keep', action='store_true',
                        help='keep the work directory (database, api.log)')
    args = parser.parse_args(argv)
    workdir = tempfile.mkdtemp(prefix='freezer-load-')
    url = 'sqlite:///' + os.path.join(workdir, 'freezer.sqlite')
    migration.upgrade(url)
    port = _free_port()
    process = search_bench.start_daemon(workdir, url, port)
    try:
        report = run(port, process.pid, args.clients, args.seconds,
                     args.window)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    _print(report)
    if args.json:
        with open(args.json, 'w') as out:
            json.dump(report, out, indent=2, sort_keys=True)
    return 0 if passed(report, args.max_rss_growth_mb) else 1


if __name__ == '__main__':
    sys.exit(main())
