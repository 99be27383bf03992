#!/usr/bin/env python3
"""What one large list answer costs a worker (issue 20, item 6).

The operator trial: ``--documents`` actions of about ``--size`` bytes
each (one long string in ``freezer_action``, under the default 112 KiB
body limit), then ``GET /v2/{project}/actions?limit=1000`` against the
real ``freezer-api`` daemon (one worker, noauth, SQLite, loopback).
Before the fix the worker's RSS went from about 99 MB to about 450 MB
and stayed there.

It prints, and writes as JSON with ``--json``: the worker's VmRSS when
started, before the first list (after the documents were created), after
each of ``--rounds`` lists and after ``--idle`` seconds of rest; its
peak (VmHWM) while the documents were created and, separately, while
listing; and for each list the
status, whether the answer was chunked, its bytes and the number of
documents (which must be every document created, in order, each intact).
Exit status 0 when every answer was right.

Usage::

    .venv/bin/python benchmarks/large_page.py [--documents 1000]
        [--size 110000] [--rounds 3] [--batch-size BYTES] [--json out]

To measure another checkout's code with this script, put that checkout
first on ``PYTHONPATH``: the daemon is started from this interpreter's
``freezer-api`` script, which imports from it.
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import search_bench  # noqa: E402  (a sibling script, not a package)

from freezer_core.storage import migration  # noqa: E402

PROJECT = 'trial'


def _status_kb(pid, field):
    with open('/proc/%d/status' % pid) as status_file:
        for line in status_file:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise LookupError(field)


def _mb(pid, field='VmRSS'):
    return round(_status_kb(pid, field) / 1024.0, 1)


def document(i, size):
    """An action of about ``size`` bytes as JSON (``size`` >= 200)."""
    return {'action_id': 'large-%04d' % i,
            'freezer_action': {'action': 'backup', 'mode': 'fs',
                               'backup_name': 'large-%04d' % i,
                               'path_to_backup': '/srv/data',
                               'note': chr(ord('a') + i % 26) * (size - 200)},
            'max_retries': i % 7}


def seed(port, count, size):
    """Create ``count`` actions of about ``size`` bytes each through
    the daemon on ``port`` (HTTP, one keep-alive connection)."""
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
    for i in range(count):
        body = json.dumps(document(i, size))
        connection.request('POST', '/v2/%s/actions' % PROJECT, body=body,
                           headers={'Content-Type': 'application/json'})
        response = connection.getresponse()
        response.read()
        if response.status != 201:
            raise RuntimeError('create %d answered %d' % (i, response.status))
    connection.close()


def list_page(port, count, size):
    """One ``limit=1000`` list; returns what the answer was."""
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=300)
    started = time.monotonic()
    connection.request('GET', '/v2/%s/actions?limit=1000' % PROJECT)
    response = connection.getresponse()
    data = response.read()
    seconds = time.monotonic() - started
    chunked = response.getheader('Transfer-Encoding') == 'chunked'
    connection.close()
    actions = json.loads(data)['actions']
    expected = [document(i, size) for i in range(min(count, 1000))]
    intact = [{key: action[key] for key in ('action_id', 'freezer_action',
                                            'max_retries')}
              for action in actions] == expected
    return {'status': response.status, 'chunked': chunked,
            'bytes': len(data), 'documents': len(actions),
            'intact': intact, 'seconds': round(seconds, 2)}


def run(args, workdir):
    """Start one daemon worker on a fresh database in ``workdir``,
    seed it, list the page ``args.rounds`` times and return the report:
    a dict of the worker's RSS in MB (started, before the lists, after
    each list, idle), its peaks while seeding and listing, and each
    list's outcome (:func:`list_page`)."""
    url = 'sqlite:///' + os.path.join(workdir, 'freezer.sqlite')
    migration.upgrade(url)
    port = search_bench._free_port()
    options = {}
    if args.batch_size:
        options['list_batch_size'] = args.batch_size
    process = search_bench.start_daemon(workdir, url, port, workers=1,
                                        api_options=options)
    try:
        worker, = search_bench.worker_pids(process.pid)
        report = {'documents': args.documents, 'size': args.size,
                  'rss_mb_started': _mb(worker)}
        seed(port, args.documents, args.size)
        report.update(rss_mb_before=_mb(worker), lists=[], rss_mb_after=[],
                      peak_mb_seeding=_mb(worker, 'VmHWM'))
        # Reset the peak (VmHWM) to the current RSS: what follows is the
        # lists' own peak.
        with open('/proc/%d/clear_refs' % worker, 'w') as clear:
            clear.write('5')
        for _round in range(args.rounds):
            report['lists'].append(list_page(port, args.documents,
                                             args.size))
            report['rss_mb_after'].append(_mb(worker))
        time.sleep(args.idle)
        report['rss_mb_idle'] = _mb(worker)
        report['peak_mb_lists'] = _mb(worker, 'VmHWM')
        return report
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def main(argv=None):
    """Parse the arguments, run the trial and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--documents', type=int, default=1000)
    parser.add_argument('--size', type=int, default=110000,
                        help='bytes of each action document (about)')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--idle', type=float, default=5.0)
    parser.add_argument('--batch-size', type=int,
                        help='[api] list_batch_size (default: its default)')
    parser.add_argument('--json', help='write the report here')
    args = parser.parse_args(argv)
    workdir = tempfile.mkdtemp(prefix='freezer-large-page-')
    try:
        report = run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(report, indent=2, sort_keys=True))
    if args.json:
        with open(args.json, 'w') as out:
            json.dump(report, out, indent=2, sort_keys=True)
    right = all(answer['status'] == 200 and answer['intact']
                and answer['documents'] == min(args.documents, 1000)
                for answer in report['lists'])
    return 0 if right else 1


if __name__ == '__main__':
    sys.exit(main())
