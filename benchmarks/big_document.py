#!/usr/bin/env python3
"""Benchmark: writing one large document (issue 20 item 7).

An action whose ``freezer_action`` holds 11,000 nested keys (110 groups
of 100, about 98 KB of JSON, like the operator trial's 95 KB) is created,
replaced with one key changed, and PATCHed (one top-level agent key, then
one key deep in a group), through the whole WSGI stack in process
(noauth). For each operation the script runs ``--rounds`` rounds of
``--requests`` requests and prints, as one JSON line, the best round's
wall-clock and CPU milliseconds per request (the CPU time is this
process's: on PostgreSQL and MySQL the server's work shows in the wall
time only) and the search index rows each request inserted and deleted.

Usage::

    python benchmarks/big_document.py [--url URL] [--label x] \\
        [--rounds 5] [--requests 5] [--workdir /tmp/fzbig]

Without ``--url`` a fresh SQLite database is made in ``workdir``; a
PostgreSQL or MySQL URL must name an empty database, which the script
migrates and leaves filled.
"""

import argparse
import json
import os
import shutil
import sys
import time

import webob

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

from freezer_core.storage import migration  # noqa: E402
from freezer_daemon import conf as service_conf  # noqa: E402
from freezer_daemon import wiring  # noqa: E402
from tests.functional import large_documents  # noqa: E402

PROJECT = 'bench'


def build(url, workdir):
    """Migrate the database and build the application on it."""
    migration.upgrade(url)
    conf = service_conf.in_process(url, workdir)
    return wiring.build_app(conf)


def operations(app, agent):
    """name -> callable(i) sending request i (asserting 2xx)."""
    item = '/v2/%s/actions/large' % PROJECT

    def send(method, path, body):
        request = webob.Request.blank(path, method=method)
        request.headers['X-Project-Id'] = PROJECT
        request.body = json.dumps(body, separators=(',', ':')).encode()
        resp = request.get_response(app)
        assert resp.status_int < 300, resp.body[:300]

    send('POST', item, {'freezer_action': agent})
    return [
        ('create', lambda i: send('POST', '/v2/%s/actions' % PROJECT,
                                  {'freezer_action': agent})),
        ('replace one key', lambda i: send('POST', item, {
            'freezer_action': dict(agent, backup_name='r%d' % i)})),
        ('patch one key', lambda i: send('PATCH', item, {
            'freezer_action': {'backup_name': 'p%d' % i}})),
        ('patch deep key', lambda i: send('PATCH', item, {
            'freezer_action': {'g5': dict(agent['g5'], k7=1000 + i)}})),
    ]


def measure(operation, rounds, requests, counter):
    """Best round's ms per request (wall, CPU) and rows per request."""
    best_wall = best_cpu = None
    number = 0
    for _round in range(rounds):
        counter.rows.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(requests):
            operation(number)
            number += 1
        wall = (time.perf_counter() - wall) * 1000 / requests
        cpu = (time.process_time() - cpu) * 1000 / requests
        best_wall = wall if best_wall is None else min(best_wall, wall)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
    rows = {'%s %s' % key: count // requests
            for key, count in sorted(counter.rows.items())}
    return best_wall, best_cpu, rows


def main():
    """Parse the arguments and print one JSON line of CPU and wall
    milliseconds and index rows per operation."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--url')
    parser.add_argument('--label', default='')
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--requests', type=int, default=5)
    parser.add_argument('--workdir', default='/tmp/fzbig')
    args = parser.parse_args()
    url = args.url
    if url is None:
        shutil.rmtree(args.workdir, ignore_errors=True)
        os.makedirs(args.workdir)
        url = 'sqlite:///' + os.path.join(args.workdir, 'big.sqlite')
    agent = large_documents.large_agent()
    print(json.dumps({'body_bytes': len(json.dumps(
        {'freezer_action': agent}, separators=(',', ':')))}))
    app = build(url, args.workdir)
    counter = large_documents.IndexWrites()
    counter.start()
    for name, operation in operations(app, agent):
        wall, cpu, rows = measure(operation, args.rounds, args.requests,
                                  counter)
        print(json.dumps({'label': args.label, 'backend':
                          url.split(':')[0].split('+')[0],
                          'operation': name, 'wall_ms': round(wall, 1),
                          'cpu_ms': round(cpu, 1), 'index_rows': rows}))


if __name__ == '__main__':
    main()
