"""Fill a reference freezer-api 19.0.0 database through its own API.

Run by ``build-fixture.sh`` with the interpreter of a virtualenv holding
``freezer-api==19.0.0`` (never with ours): it creates the schema with the
reference's own migrations (``db_sync``), then sends requests to the
reference's own WSGI application, in process, as two projects would, so
that every row is written by the reference's code. Values the reference
accepts and this service refuses are among them on purpose (see
``docs/migrating-from-freezer-api.rst``). Finally it records what the
reference's API answers for every document, for the import test to
compare with.

Usage: python populate.py CONFIG_FILE ANSWERS_JSON
"""

import json
import sys

from oslo_config import cfg
import webob
from freezer_api.api.common import middleware
from freezer_api.cmd import api as api_cmd
from freezer_api.common import config
from freezer_api.db import manager

PROJECT_A = 'b0f5c0a7e1d34a6f9a2f4a1e0c3d5e7a'
PROJECT_B = 'c1a6d1b8f2e45b7fab3f5b2f1d4e6f8b'
USER_A = 'user-a'
USER_B = 'user-b'
ADMIN_ROLES = 'admin,member,reader'


class Identity(object):
    """Stands in for keystonemiddleware and the ``/v2`` mount of the
    reference's paste pipeline: the caller comes from headers the script
    sets (project = the URL's), as a confirmed token would."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        parts = [p for p in environ['PATH_INFO'].split('/') if p]
        environ['HTTP_X_IDENTITY_STATUS'] = 'Confirmed'
        environ['HTTP_X_PROJECT_ID'] = parts[1]
        environ.setdefault('HTTP_X_ROLES', 'member,reader')
        environ['SCRIPT_NAME'] = '/v2'
        environ['PATH_INFO'] = environ['PATH_INFO'][len('/v2'):]
        return self.app(environ, start_response)


class Reference(object):
    """Requests to the reference application, in process."""

    def __init__(self, app):
        self.app = app

    def call(self, method, path, body=None, user=USER_A, roles=None,
             expect=None):
        request = webob.Request.blank(path, method=method)
        request.headers['Accept'] = 'application/json'
        request.headers['X-User-Id'] = user
        if roles:
            request.headers['X-Roles'] = roles
        if body is not None:
            request.headers['Content-Type'] = 'application/json'
            request.body = json.dumps(body).encode('utf-8')
        response = request.get_response(self.app)
        if expect is not None and response.status_int != expect:
            raise SystemExit('%s %s: %s %s' % (method, path, response.status,
                                               response.text))
        return response.json if response.body else None


def build_app(config_file):
    config.parse_args(args=['--config-file', config_file])
    driver = manager.get_db_driver(cfg.CONF.storage.driver,
                                   backend=cfg.CONF.storage.backend)
    driver.db_sync()
    return Identity(middleware.ContextMiddleware(api_cmd.build_app_v2()))


def capabilities():
    return {'supported_actions': ['backup', 'restore', 'info'],
            'supported_modes': ['fs', 'mysql'],
            'supported_storages': ['local', 'swift'],
            'supported_engines': ['tar', 'rsync']}


def populate(ref):
    a = '/v2/%s' % PROJECT_A
    b = '/v2/%s' % PROJECT_B
    # Clients: two of project A, one central (registered by an admin),
    # one of project B, and one whose hostname this service refuses.
    ref.call('POST', a + '/clients', dict(
        client_id='%s_node1.example.com' % PROJECT_A, hostname='node1',
        description='first node', uuid='5c1a9d0e2f3b4c5d8e9f0a1b2c3d4e5f',
        **capabilities()), expect=201)
    ref.call('POST', a + '/clients', dict(
        client_id='node2.example.com', hostname='node2',
        uuid='6d2b0e1f3a4c5d6e9f0a1b2c3d4e5f60'), expect=201)
    ref.call('POST', a + '/clients', dict(
        client_id='central.example.com', hostname='central',
        is_central=True, uuid='7e3c1f2a4b5d6e7f0a1b2c3d4e5f6071'),
        roles=ADMIN_ROLES, expect=201)
    ref.call('POST', a + '/clients', dict(
        client_id='slashed.example.com', hostname='bad/host',
        uuid='8f4d2a3b5c6e7f80a1b2c3d4e5f60718'), expect=201)
    ref.call('POST', b + '/clients', dict(
        client_id='%s_node9.example.com' % PROJECT_B, hostname='node9',
        uuid='9a5e3b4c6d7f8091b2c3d4e5f6071829'), user=USER_B, expect=201)

    # Actions of project A; one is deleted again (a soft-deleted row).
    ref.call('POST', a + '/actions', {
        'action_id': 'etc-backup', 'max_retries': 3,
        'max_retries_interval': 10, 'mandatory': True,
        'freezer_action': {'action': 'backup', 'mode': 'fs',
                           'path_to_backup': '/etc', 'backup_name': 'etc',
                           'container': 'freezer_etc', 'storage': 'swift',
                           'max_level': 3, 'engine_name': 'tar'}},
             expect=201)
    ref.call('POST', a + '/actions', {
        'action_id': 'etc-restore',
        'freezer_action': {'action': 'restore', 'mode': 'fs',
                           'restore_abs_path': '/srv/etc',
                           'backup_name': 'etc', 'container': 'freezer_etc',
                           'storage': 'swift'}}, expect=201)
    ref.call('POST', a + '/actions', {
        'action_id': 'typed-wrong',
        'freezer_action': {'action': 'backup', 'mode': 'fs',
                           'backup_name': 'x', 'max_level': 'three'}},
             expect=201)
    ref.call('POST', a + '/actions', {
        'action_id': 'gone-action',
        'freezer_action': {'action': 'info'}}, expect=201)
    ref.call('DELETE', a + '/actions/gone-action', expect=204)
    ref.call('POST', b + '/actions', {
        'action_id': 'b-info', 'freezer_action': {'action': 'info'}},
        user=USER_B, expect=201)

    # Jobs: references to two actions and one inline action, in order.
    client1 = '%s_node1.example.com' % PROJECT_A
    ref.call('POST', a + '/jobs', {
        'job_id': 'etc-job', 'client_id': client1,
        'description': 'back up and restore /etc',
        'job_schedule': {'schedule_interval': '1 days',
                         'schedule_start_date': '2026-01-01T00:00:00'},
        'job_actions': [
            {'action_id': 'etc-backup'},
            {'freezer_action': {'action': 'info', 'mode': 'fs'},
             'max_retries': 2},
            {'action_id': 'etc-restore'}]}, expect=201)
    ref.call('POST', a + '/jobs', {
        'job_id': 'stopped-job', 'client_id': client1,
        'description': 'event the scheduler cannot handle',
        'job_schedule': {'schedule_interval': '5  minutes'},
        'job_actions': [{'action_id': 'etc-backup'}]}, expect=201)
    # R04 / R13: the reference stores these through PATCH.
    ref.call('PATCH', a + '/jobs/stopped-job', {
        'job_schedule': {'event': 'remove',
                         'schedule_interval': '5  minutes'}}, expect=200)
    ref.call('POST', a + '/jobs', {
        'job_id': 'session-job', 'client_id': 'central.example.com',
        'job_schedule': {'schedule_date': '2026-02-01T10:00:00'},
        'job_actions': [{'action_id': 'etc-backup'}]}, expect=201)
    ref.call('POST', a + '/jobs', {
        'job_id': 'orphan-job', 'client_id': client1,
        'job_actions': [{'action_id': 'etc-restore'}]}, expect=201)
    ref.call('POST', a + '/jobs', {
        'job_id': 'deleted-job', 'client_id': client1,
        'job_actions': []}, expect=201)
    ref.call('DELETE', a + '/jobs/deleted-job', expect=204)

    # Sessions: one with a member; one holding a hold_off this service
    # refuses (R21), whose member then points at a skipped session.
    session = ref.call('POST', a + '/sessions', {
        'description': 'nightly', 'hold_off': 60,
        'schedule': {'schedule_interval': '1 days'}}, expect=201)
    session_id = session['session_id']
    ref.call('PUT', a + '/sessions/%s/jobs/session-job' % session_id,
             expect=204)
    bad = ref.call('POST', a + '/sessions', {
        'description': 'typed wrong', 'hold_off': 'x', 'schedule': {}},
        expect=201)
    ref.call('PUT', a + '/sessions/%s/jobs/orphan-job'
             % bad['session_id'], expect=204)

    # Backups: two of project A (one with a backup_id inside its
    # metadata, R28), one of project B, one without a container.
    ref.call('POST', a + '/backups', {
        'backup_name': 'etc', 'container': 'freezer_etc',
        'hostname': 'node1', 'time_stamp': 1700000000, 'level': 0,
        'job_id': 'etc-job', 'backup_media': 'fs'}, expect=201)
    ref.call('POST', a + '/backups', {
        'backup_name': 'etc', 'container': 'freezer_etc',
        'hostname': 'node1', 'time_stamp': 1700086400, 'level': 1,
        'backup_id': 'mine'}, expect=201)
    ref.call('POST', a + '/backups', {
        'backup_name': 'pending', 'status': 'creating'}, expect=201)
    ref.call('POST', b + '/backups', {
        'backup_name': 'b', 'container': 'c', 'hostname': 'h',
        'time_stamp': 1}, user=USER_B, expect=201)
    return session_id


def answers(ref):
    """What the reference's API shows, resource by resource and project
    by project (GET of the collections, admin roles so that central
    clients' pids are not hidden)."""
    shown = {}
    for project in (PROJECT_A, PROJECT_B):
        shown[project] = {}
        for resource in ('actions', 'jobs', 'sessions', 'clients',
                         'backups'):
            body = ref.call('GET', '/v2/%s/%s?limit=100' % (project,
                                                            resource),
                            roles=ADMIN_ROLES, expect=200)
            shown[project][resource] = body[resource]
    return shown


def main():
    config_file, answers_file = sys.argv[1:3]
    ref = Reference(build_app(config_file))
    populate(ref)
    with open(answers_file, 'w') as out:
        json.dump(answers(ref), out, indent=1, sort_keys=True)
        out.write('\n')


if __name__ == '__main__':
    main()
