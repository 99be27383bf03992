#!/usr/bin/env python3
"""Benchmark: create, show, list, search and PATCH over HTTP at N documents.

For each N given, the script

1. seeds N documents of one resource (``--resource``: actions or
   backups, :mod:`bench_resources`) in a fresh SQLite database through
   the storage layer (``Repository.create_many``), spread over 10
   projects, with realistic documents and planted "needles" so that
   every search below matches exactly 10 documents of project
   ``bench0``;
2. starts the real ``freezer-api`` daemon on it with two workers
   (``auth_strategy = noauth``, 127.0.0.1);
3. drives each operation for a fixed time over a fixed number of
   concurrent keep-alive connections and records every latency;
4. prints one table: requests/s, p50 and p99 (milliseconds) per operation
   and N, and the peak RSS (VmHWM) of each worker.

Usage::

    python benchmarks/search_bench.py --n 10000 --n 1000000 \\
        [--resource backups] [--connections 8] [--seconds 10] \\
        [--warmup 2] [--workdir /tmp/fzbench]

Each operation is first run for ``--warmup`` seconds unmeasured: a
freshly started worker's threads open their SQLite connections (and
their page caches) on first use, and the first operation measured would
otherwise pay for that in every worker thread.

Seeded databases are kept in the work directory and reused when present
(seeding a million documents takes minutes). Loopback only; bounded in
time.
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import textwrap
import threading
import time

import bench_resources

from freezer_core.storage import database
from freezer_core.storage import migration

PROJECTS = ['bench%d' % i for i in range(10)]
TARGET = PROJECTS[0]
BATCH = 2000


def seed(resource, url, n):
    """Create the database and N documents; return sample ids of TARGET."""
    migration.upgrade(url)
    repository = resource.repository(database.Database(url))
    per_project = n // len(PROJECTS)
    sample = []
    started = time.time()
    for project in PROJECTS:
        # Needles go in the middle of the project, not at its start.
        needle_at = per_project // 2
        done = 0
        while done < per_project:
            docs = []
            for i in range(done, min(done + BATCH, per_project)):
                doc = resource.document(i, project)
                if (project == TARGET
                        and 0 <= i - needle_at < bench_resources.NEEDLES):
                    resource.plant(doc, i - needle_at)
                docs.append(resource.client(doc))
            ids = repository.create_many(project, 'bench-user', docs)
            if project == TARGET and len(sample) < 1000:
                sample.extend(ids[:1000 - len(sample)])
            done += len(docs)
        print('  seeded %s (%d %s, %.0f s so far)' % (
            project, per_project, resource.name, time.time() - started),
            flush=True)
    return sample


def read_into_page_cache(db):
    """Read the database's files once, so that the OS page cache holds
    them before anything is timed.

    A database in use is in the page cache; a copy just made, or one
    whose pages other work has pushed out, is read from disk at first,
    and the first operations then measure the disk: creates at a million
    ran at 285 to 300 a second with 2.8 of 6.1 GB cached and at 388 once
    the file was cached (``docs/performance.rst``).

    :param db: str, the SQLite database file (its ``-wal`` is read too,
        when present).
    :returns: float, the seconds it took.
    :raises OSError: the database file cannot be read.
    """
    started = time.time()
    for path in (db, db + '-wal'):
        if os.path.exists(path):
            with open(path, 'rb', buffering=0) as f:
                while f.read(1 << 20):
                    pass
    return time.time() - started


def _free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def start_daemon(workdir, url, port, workers=2, api_options=None):
    """Start freezer-api (noauth, 127.0.0.1); return the Popen.

    :param workers: int, ``[api] workers``.
    :param api_options: optional dict of further ``[api]`` options.
    """
    conf = os.path.join(workdir, 'freezer-api.conf')
    api = ''.join('%s = %s\n' % item
                  for item in sorted((api_options or {}).items()))
    with open(conf, 'w') as f:
        f.write(textwrap.dedent('''\
            [DEFAULT]
            auth_strategy = noauth
            bind_host = 127.0.0.1
            bind_port = %d
            state_path = %s
            [database]
            connection = %s
            [api]
            workers = %d
            ''' % (port, workdir, url, workers)) + api)
    script = os.path.join(os.path.dirname(sys.executable), 'freezer-api')
    log = open(os.path.join(workdir, 'api.log'), 'a')
    proc = subprocess.Popen([script, '--config-file', conf], stdout=log,
                            stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection('127.0.0.1', port, timeout=2)
            conn.request('GET', '/')
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError('freezer-api did not start; see %s/api.log' % workdir)


def worker_pids(parent):
    """PIDs of the daemon's worker processes (children of the launcher)."""
    pids = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            pids.append(int(entry))
    return sorted(pids)


def peak_rss_mb(pid):
    """The peak resident set (``VmHWM``) of a process, in MB."""
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024.0
    return float('nan')


def drive(port, make_request, connections, seconds):
    """Run make_request() on each connection for ``seconds``.

    :returns: (count, list of latencies in seconds, error count)
    """
    latencies, errors = [], []
    stop = time.time() + seconds
    lock = threading.Lock()

    def loop(index):
        rng = random.Random(index)
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
        local, bad = [], 0
        while time.time() < stop:
            method, path, body, ok = make_request(rng)
            data = None if body is None else json.dumps(body)
            t0 = time.perf_counter()
            conn.request(method, path, body=data,
                         headers={'X-Auth-Token': 'bench',
                                  'Content-Type': 'application/json'})
            resp = conn.getresponse()
            resp.read()
            local.append(time.perf_counter() - t0)
            if resp.status != ok:
                bad += 1
        conn.close()
        with lock:
            latencies.extend(local)
            errors.append(bad)

    threads = [threading.Thread(target=loop, args=(i,))
               for i in range(connections)]
    started = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), latencies, sum(errors), time.time() - started


def operations(resource, n, sample):
    """The measured operations: name -> request factory."""
    base = '/v2/%s/%s' % (TARGET, resource.name)
    per_project = n // len(PROJECTS)
    deep = int(per_project * 0.9)
    ops = {
        'create': lambda rng: ('POST', base, resource.document(
            rng.randrange(10 ** 6), TARGET), 201),
        'show': lambda rng: ('GET', '%s/%s' % (base, rng.choice(sample)),
                             None, 200),
        'list first page': lambda rng: ('GET', base + '?limit=10', None, 200),
        'list 90% deep': lambda rng: (
            'GET', '%s?limit=10&offset=%d' % (base, deep), None, 200),
        'patch': lambda rng: ('PATCH', '%s/%s' % (base, rng.choice(sample)),
                              resource.patch(rng), 200),
    }
    for name, body in resource.searches(per_project).items():
        ops[name] = (lambda b: lambda rng: ('GET', base + '?limit=100', b,
                                            200))(body)
    return ops


def check_matches(resource, n, port):
    """Every search must find exactly MATCHES documents."""
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
    searches = resource.searches(n // len(PROJECTS))
    for name, body in searches.items():
        conn.request('GET', '/v2/%s/%s?limit=100' % (TARGET, resource.name),
                     body=json.dumps(body))
        found = json.loads(conn.getresponse().read())[resource.name]
        if len(found) != bench_resources.MATCHES:
            raise RuntimeError('%s found %d %s, not %d' % (
                name, len(found), resource.name, bench_resources.MATCHES))


def main():
    """Parse the arguments, seed and measure each N, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--n', type=int, action='append',
                        help='number of documents (repeat for several)')
    parser.add_argument('--resource', default='actions',
                        choices=sorted(bench_resources.RESOURCES))
    parser.add_argument('--connections', type=int, default=8)
    parser.add_argument('--warmup', type=float, default=2.0,
                        help='unmeasured seconds of each operation first')
    parser.add_argument('--seconds', type=float, default=10.0,
                        help='duration of each operation')
    parser.add_argument('--workdir', default='/tmp/fzbench')
    parser.add_argument('--seed-only', action='store_true',
                        help='seed the databases and stop')
    args = parser.parse_args()
    sizes = args.n or [10000]
    resource = bench_resources.RESOURCES[args.resource]
    rows = []
    rss = {}
    for n in sizes:
        # Actions keep the directory name of earlier runs (reused).
        workdir = os.path.join(args.workdir, 'n%d' % n
                               if resource.name == 'actions'
                               else '%s-n%d' % (resource.name, n))
        os.makedirs(workdir, exist_ok=True)
        db = os.path.join(workdir, 'freezer.sqlite')
        url = 'sqlite:///' + db
        sample_file = os.path.join(workdir, 'sample.json')
        if not os.path.exists(sample_file):
            for leftover in (db, db + '-wal', db + '-shm'):
                if os.path.exists(leftover):
                    os.remove(leftover)
            print('seeding N=%d ...' % n, flush=True)
            t0 = time.time()
            sample = seed(resource, url, n)
            with open(sample_file, 'w') as f:
                json.dump(sample, f)
            print('seeded N=%d in %.0f s' % (n, time.time() - t0))
        # A database seeded by an older revision is brought to the newest.
        migration.upgrade(url)
        with open(sample_file) as f:
            sample = json.load(f)
        if args.seed_only:
            continue
        print('read N=%d into the page cache in %.0f s' % (
            n, read_into_page_cache(db)), flush=True)
        port = _free_port()
        proc = start_daemon(workdir, url, port)
        try:
            check_matches(resource, n, port)
            for name, factory in operations(resource, n, sample).items():
                if args.warmup > 0:
                    drive(port, factory, args.connections, args.warmup)
                count, lat, bad, elapsed = drive(
                    port, factory, args.connections, args.seconds)
                lat.sort()
                rows.append((name, n, count / elapsed,
                             1000 * statistics.median(lat),
                             1000 * lat[int(0.99 * (len(lat) - 1))], bad))
                print('  %-22s N=%-8d %8.1f req/s  p50 %7.2f ms  '
                      'p99 %7.2f ms  errors %d' % rows[-1], flush=True)
            rss[n] = [peak_rss_mb(pid) for pid in worker_pids(proc.pid)]
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
    print()
    print('| operation | N | req/s | p50 ms | p99 ms | errors |')
    print('|---|---:|---:|---:|---:|---:|')
    for name, n, rate, p50, p99, bad in rows:
        print('| %s | %d | %.1f | %.2f | %.2f | %d |'
              % (name, n, rate, p50, p99, bad))
    print()
    for n, values in rss.items():
        print('peak RSS per worker at N=%d: %s MB' % (
            n, ', '.join('%.0f' % v for v in values)))
    print('connections: %d, %.0f s per operation, two workers, load '
          'generator on the same machine (%d CPUs)' % (
              args.connections, args.seconds, os.cpu_count()))


if __name__ == '__main__':
    main()
