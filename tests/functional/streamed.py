"""Large list pages over a real socket, for the daemon and uwsgi tests.

A server configured with ``[api] list_batch_size = 4096`` streams any
page over 4 KiB (:mod:`api.pages`). These helpers fill a project with
actions of about 1.5 KB, read a page as a client does, and spoil a
stored document so that a later batch fails after the answer began.
"""

import http.client
import json
import sqlite3

#: The ``[api]`` options of a server under these tests.
API_OPTIONS = {'list_batch_size': 4096}
PROJECT = 'streams'
#: Actions :func:`fill` creates: about 18 KB, several batches.
COUNT = 12


def _exchange(port, method, path, body=None):
    # A connection per request: uwsgi's http-socket does not keep one
    # alive.
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    try:
        connection.request(method, path, body=body,
                           headers={'Content-Type': 'application/json'})
        response = connection.getresponse()
        answer = response.read()
    finally:
        connection.close()
    if response.status not in (200, 201):
        raise AssertionError('%s %s answered %d: %r' % (
            method, path, response.status, answer))
    return json.loads(answer)


def fill(port):
    """Create :data:`COUNT` actions of about 1.5 KB in :data:`PROJECT`.

    :returns: dict action_id -> the document as ``GET`` shows it, in
        creation (list) order.
    """
    shown = {}
    for i in range(COUNT):
        action_id = 'streamed-%02d' % i
        _exchange(port, 'POST', '/v2/%s/actions' % PROJECT, json.dumps({
            'action_id': action_id, 'freezer_action': {
                'action': 'backup', 'backup_name': action_id,
                'note': ('%02d-é-' % i) * 250}}))
        shown[action_id] = _exchange(
            port, 'GET', '/v2/%s/actions/%s' % (PROJECT, action_id))
    return shown


def get_page(port, limit=1000):
    """``GET`` a page of :data:`PROJECT`'s actions with ``http.client``.

    :returns: ``(status, headers, body)``: int, an
        :class:`http.client.HTTPMessage`, bytes (http.client undoes the
        chunked transfer encoding, and raises
        :class:`http.client.IncompleteRead` for a stream cut short).
    """
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    try:
        connection.request('GET', '/v2/%s/actions?limit=%d'
                           % (PROJECT, limit))
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def spoil(database, action_id):
    """Make a stored action unreadable (its text is not JSON), from
    outside the server: listing it raises once the answer has begun.

    :param database: path of the server's SQLite file.
    :param action_id: str.
    """
    connection = sqlite3.connect(database)
    try:
        with connection:
            connection.execute(
                'UPDATE actions SET freezer_action = ? WHERE action_id = ?',
                ('{"cut', action_id))
    finally:
        connection.close()
