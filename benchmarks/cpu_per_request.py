#!/usr/bin/env python3
"""Benchmark: CPU time per request through the whole WSGI stack.

On a machine shared with other jobs, wall-clock throughput
(``search_bench.py``) moves with the neighbours' load; the CPU time this
process spends per request moves much less, so it is what compares two
versions of the code. The script seeds 10,000 actions over 10 projects in
a SQLite database (kept in ``workdir`` and reused), builds the application
in process (noauth) and, for each operation of ``search_bench.py``, runs 5
rounds of 60 requests, printing the best round's CPU milliseconds per
request as one JSON line.

Usage::

    python benchmarks/cpu_per_request.py [--workdir /tmp/fzcpu] [--label x]
"""

import argparse
import json
import os
import time

import webob

from freezer_core import actions
from freezer_core import pagination
from freezer_core import search
from freezer_core.storage import actions as action_storage
from freezer_core.storage import database
from freezer_core.storage import migration
from freezer_daemon import conf as service_conf
from freezer_daemon import wiring

PROJECTS = 10
PER_PROJECT = 1000
ROUNDS = 5
REQUESTS = 60
DOCUMENT = {'freezer_action': {'action': 'backup', 'mode': 'fs',
                               'path_to_backup': '/x'}}


def seed(repository):
    """10 projects of 1,000 actions; 1 in 100 holds ``needle``."""
    for p in range(PROJECTS):
        documents = [actions.validate_create({'freezer_action': {
            'action': 'backup', 'mode': 'fs',
            'path_to_backup': '/p%d/%d' % (p, i),
            'backup_name': 'needle' if i % 100 == 0 else 'b%d' % i,
            'container': 'c%d' % (i % 7),
            'nested': {'k': 'v%d' % (i % 50)}}})
            for i in range(PER_PROJECT)]
        repository.create_many('bench%d' % p, 'u', documents)


def build(workdir):
    """Seed (once) and return ``(WSGI app, 20 action ids of bench0)``."""
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, 'bench.sqlite')
    url = 'sqlite:///' + path
    fresh = not os.path.exists(path)
    migration.upgrade(url)
    repository = action_storage.ActionRepository(database.Database(url))
    if fresh:
        seed(repository)
    conf = service_conf.in_process(url, workdir)
    ids = [r['action_id'] for r in repository.list(
        'bench0', search.EMPTY, pagination.Page(20, 0, None))]
    return wiring.build_app(conf), ids


def operations(app, ids):
    """name -> callable(i) sending one request (asserting 2xx)."""
    def send(method, path, body=None):
        request = webob.Request.blank(path, method=method)
        request.headers['X-Project-Id'] = 'bench0'
        request.headers['X-Roles'] = 'member'
        if body is not None:
            request.body = json.dumps(body).encode()
        resp = request.get_response(app)
        assert resp.status_int < 300, (path, resp.status)

    item = '/v2/bench0/actions/%s'
    return {
        'create': lambda i: send('POST', '/v2/bench0/actions', DOCUMENT),
        'show': lambda i: send('GET', item % ids[i % 20]),
        'list first page': lambda i: send(
            'GET', '/v2/bench0/actions?limit=20'),
        'list 90% deep': lambda i: send(
            'GET', '/v2/bench0/actions?limit=20&offset=900'),
        'patch': lambda i: send('PATCH', item % ids[i % 20],
                                {'max_retries': i % 9}),
        'search top-level key': lambda i: send(
            'GET', '/v2/bench0/actions', {'match': [{'max_retries': 8}]}),
        'search nested key': lambda i: send(
            'GET', '/v2/bench0/actions',
            {'match': [{'backup_name': 'needle'}]}),
        'search _all text': lambda i: send(
            'GET', '/v2/bench0/actions', {'match': [{'_all': 'needle'}]}),
        'search match_not': lambda i: send(
            'GET', '/v2/bench0/actions?limit=20',
            {'match_not': [{'container': 'c1'}]}),
    }


def main():
    """Run every operation and print one JSON line of CPU ms/request."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--workdir', default='/tmp/fzcpu')
    parser.add_argument('--label', default='')
    args = parser.parse_args()
    app, ids = build(args.workdir)
    best = {}
    for name, operation in operations(app, ids).items():
        for _ in range(ROUNDS):
            started = time.process_time()
            for i in range(REQUESTS):
                operation(i)
            per = (time.process_time() - started) / REQUESTS * 1000
            best[name] = min(best.get(name, per), per)
    print(json.dumps({'label': args.label, 'cpu_ms': best}))


if __name__ == '__main__':
    main()
