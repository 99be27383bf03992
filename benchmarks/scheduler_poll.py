"""The freezer-scheduler's poll against many jobs (issue 14).

Seeds ``--jobs`` jobs spread over ``--clients`` clients (each job with
one inline action; ``--projects`` projects, the clients split evenly),
a fifth of them ``completed``, then sends the poll each scheduler sends
every minute, through the complete WSGI stack in process (noauth)::

    GET /v2/{project}/jobs?limit=10&offset=0
        {"match": [{"client_id": C}],
         "match_not": [{"status": "completed"}]}

for random clients, and prints requests per second and the latency
percentiles (milliseconds). Run on an idle machine::

    .venv/bin/python benchmarks/scheduler_poll.py \\
        [--url sqlite:////tmp/poll.sqlite] [--jobs 10000] [--clients 1000]
"""

import argparse
import json
import os
import random
import tempfile
import time

import webob

from freezer_core import clients
from freezer_core import jobs
from freezer_core.storage import migration
from freezer_daemon import conf as service_conf
from freezer_daemon import wiring

ACTION = {'freezer_action': {'action': 'backup', 'mode': 'fs',
                             'path_to_backup': '/etc',
                             'backup_name': 'etc', 'container': 'c'},
          'max_retries': 1, 'max_retries_interval': 5}


def _conf(url):
    return service_conf.in_process(url, tempfile.mkdtemp())


def clients_of(n_clients, n_projects):
    """The ``(project, client_id)`` pairs of a seeded database."""
    return [('project-%d' % (i % n_projects), 'node-%d.example.org' % i)
            for i in range(n_clients)]


def seed(conf, n_jobs, n_clients, n_projects):
    """Register the clients and create the jobs through the repository.

    :returns: list of ``(project, client_id)``.
    """
    repositories = wiring.repositories(conf)
    pairs = clients_of(n_clients, n_projects)
    for project, client_id in pairs:
        repositories.clients.register(project, 'bench',
                                      clients.parse_registration(
                                          {'client_id': client_id}))
    now = int(time.time())
    for i in range(n_jobs):
        project, client_id = pairs[i % n_clients]
        status = 'completed' if i % 5 == 0 else 'scheduled'
        write = jobs.validate_create({
            'client_id': client_id, 'job_actions': [ACTION],
            'job_schedule': {'schedule_interval': '1 days',
                             'status': status}}, now)
        repositories.jobs.create(project, 'bench', write)
    repositories.database.engine.dispose()
    return pairs


def poll(app, project, client_id):
    """One poll; returns the number of jobs answered."""
    request = webob.Request.blank('/v2/%s/jobs?limit=10&offset=0'
                                  % project, method='GET')
    request.body = json.dumps({
        'match': [{'client_id': client_id}],
        'match_not': [{'status': 'completed'}]}).encode()
    response = request.get_response(app)
    assert response.status_int == 200, response.body
    return len(response.json['jobs'])


def main():
    """Parse the arguments, seed (once) and print the poll rate and
    latency percentiles."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--url')
    parser.add_argument('--jobs', type=int, default=10000)
    parser.add_argument('--clients', type=int, default=1000)
    parser.add_argument('--projects', type=int, default=100)
    parser.add_argument('--polls', type=int, default=2000)
    parser.add_argument('--seeded', action='store_true',
                        help='--url already holds the jobs of these '
                             'arguments (a previous run): poll only')
    args = parser.parse_args()
    url = args.url or 'sqlite:///%s' % os.path.join(tempfile.mkdtemp(),
                                                    'poll.sqlite')
    if not args.seeded:
        migration.upgrade(url)
    conf = _conf(url)
    started = time.perf_counter()
    if args.seeded:
        pairs = clients_of(args.clients, args.projects)
    else:
        pairs = seed(conf, args.jobs, args.clients, args.projects)
        print('seeded %d jobs over %d clients in %.1f s' % (
            args.jobs, args.clients, time.perf_counter() - started))
    app = wiring.build_app(conf)
    rng = random.Random(14)
    for pair in rng.sample(pairs, min(20, len(pairs))):
        poll(app, *pair)  # warm up
    latencies, answered = [], 0
    begin = time.perf_counter()
    for _ in range(args.polls):
        one = time.perf_counter()
        answered += poll(app, *rng.choice(pairs))
        latencies.append((time.perf_counter() - one) * 1000)
    elapsed = time.perf_counter() - begin
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))]
    print('%d polls: %.0f requests/s, p50 %.2f ms, p99 %.2f ms, '
          'max %.2f ms; %.1f jobs per answer' % (
              args.polls, args.polls / elapsed, pct(0.5), pct(0.99),
              latencies[-1], answered / args.polls))


if __name__ == '__main__':
    main()
