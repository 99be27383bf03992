"""The API reference's samples are real requests and answers.

Every file of ``api-ref/source/samples/`` is produced here: the request
samples are sent through the service's complete WSGI stack
(:func:`api.deploy.build_app`, noauth, a fresh SQLite database) and the
answers are recorded, with only the timestamps replaced by fixed values
(after checking their format). The test fails when a committed sample
differs from what the service answers today, or when a sample is
missing, extra or not used by the reference. To rewrite the samples
after an intended change::

    FREEZER_REGENERATE_API_SAMPLES=1 stestr run test_api_ref_samples
"""

import json
import os
import re

import fixtures
import testtools
import webob

from freezer_core.storage import migration
from freezer_daemon import conf as service_conf
from freezer_daemon import wiring

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SOURCE = os.path.join(REPOSITORY, 'api-ref', 'source')
SAMPLES = os.path.join(SOURCE, 'samples')
REGENERATE = os.environ.get('FREEZER_REGENERATE_API_SAMPLES') == '1'

PROJECT = '5f2e1a7c9b3d4e8fa6c0b1d2e3f40516'
USER = '0c8d4f2a6e1b4a93b7d5e2f1a0c9b8d7'
ACTION_ID = 'nightly-etc-backup'

CREATE_REQUEST = {
    'action_id': ACTION_ID,
    'freezer_action': {
        'action': 'backup',
        'mode': 'fs',
        'path_to_backup': '/etc',
        'backup_name': 'etc',
        'container': 'freezer_etc',
        'storage': 'swift',
        'max_level': 7,
        'no_incremental': False,
    },
    'max_retries': 3,
    'max_retries_interval': 60,
    'mandatory': True,
}
UPDATE_REQUEST = {
    'freezer_action': {'max_level': 14, 'storage': None},
    'max_retries': 5,
}
REPLACE_REQUEST = {
    'freezer_action': {
        'action': 'backup',
        'mode': 'fs',
        'path_to_backup': '/etc',
        'backup_name': 'etc',
        'container': 'freezer_etc',
        'always_level': 1,
    },
    'max_retries': 2,
}
SEARCH_REQUEST = {
    'match': [{'freezer_action.mode': 'fs'}, {'_all': 'freezer_etc'}],
    'match_not': [{'action': 'restore'}],
}

#: The backups story: an agent's metadata, the scheduler's final flat
#: PATCH, a search with a time range.
BACKUP_CREATE_REQUEST = {
    'backup_name': 'etc', 'container': 'freezer_etc',
    'hostname': 'node1.example.com', 'time_stamp': 1767866400,
    'job_id': '9f3c1d2e4b5a46978c0d1e2f3a4b5c6d', 'curr_backup_level': 0,
    'mode': 'fs', 'path_to_backup': '/etc', 'storage': 'swift',
    'backup_size_compressed': 1048576, 'encrypted': False,
    'status': 'creating',
}
BACKUP_UPDATE_REQUEST = {
    'status': 'available',
    'backup_metadata': {'backup_size_compressed': 2097152,
                        'curr_backup_level': None},
}
BACKUPS_SEARCH_REQUEST = {
    'match': [{'job_id': '9f3c1d2e4b5a46978c0d1e2f3a4b5c6d'}],
    'time_after': 1767800000,
}
#: Stands for the generated backup id in the samples.
BACKUP_ID = '6c1e0f5a9d2b4c7e8a3f1b0d2e4c6a8b'

#: The clients story: a scheduler registers at every start (the second
#: time on a renamed host), an operator's central scheduler is visible
#: to the project, the web UI finds a client by its id.
CLIENT_ID = '%s_node1.example.com' % PROJECT
CLIENT_REGISTER_REQUEST = {
    'client_id': CLIENT_ID, 'hostname': 'node1.example.com',
    'description': 'freezer-scheduler on node1',
    'uuid': '4d1b7e0c2a9f4e3b8c6d5a1f0e2b3c4d',
    'supported_modes': ['fs', 'mysql'],
}
CLIENT_REREGISTER_REQUEST = dict(CLIENT_REGISTER_REQUEST,
                                 hostname='node1-renamed.example.com')
CENTRAL_CLIENT_ID = 'central-scheduler.example.com'
CENTRAL_PROJECT = '9e8d7c6b5a4f43e2b1c0d9e8f7a6b5c4'
CLIENTS_SEARCH_REQUEST = {'match': [{'_all': CLIENT_ID}]}
#: Stands for the central client's generated uuid in the samples.
CENTRAL_UUID = '1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6'

#: The jobs story: a scheduler's client, a job with a reference and an
#: inline action, the scheduler's status PATCH, a start event, its poll.
JOB_ID = 'nightly-etc'
JOB_CLIENT_ID = 'backup-node1.example.com'
JOB_ACTION_ID = 'etc-to-swift'
JOB_CREATE_REQUEST = {
    'job_id': JOB_ID,
    'client_id': JOB_CLIENT_ID,
    'description': 'etc every night, then a check',
    'job_schedule': {'schedule_interval': '1 days',
                     'schedule_start_date': '2026-01-16T02:00:00'},
    'job_actions': [
        {'action_id': JOB_ACTION_ID},
        {'freezer_action': {'action': 'info', 'mode': 'fs',
                            'container': 'freezer_etc'},
         'max_retries': 1, 'max_retries_interval': 30,
         'mandatory': False},
    ],
}
JOB_UPDATE_REQUEST = {
    'job_schedule': {'status': 'scheduled', 'event': '',
                     'schedule_interval': '1 days',
                     'schedule_start_date': '2026-01-16T02:00:00'},
    'session_id': '', 'session_tag': 0,
}
JOB_EVENT_REQUEST = {'start': None}
JOBS_SEARCH_REQUEST = {
    'match': [{'client_id': JOB_CLIENT_ID}],
    'match_not': [{'status': 'completed'}],
}
#: Stands for the generated id of the inline action in the samples.
JOB_INLINE_ACTION_ID = '3b5d7f9a1c2e4f6a8b0d2c4e6f8a0b1c'
#: Stands for ``job_schedule.time_created`` (epoch seconds).
TIME_CREATED = 1768471200

#: The sessions story: two hosts' jobs run together; a scheduler's
#: start and end, an operator's PATCH, the web UI's free-text search.
SESSION_ID = '7a1c3e5f9b2d4f6a8c0e1b3d5f7a9c2e'
SESSION_JOB_IDS = ('etc-node1', 'etc-node2')
SESSION_CREATE_REQUEST = {
    'description': 'etc on both controllers',
    'hold_off': 60,
    'schedule': {'schedule_interval': '1 days',
                 'schedule_start_date': '2026-01-16T03:00:00'},
}
SESSION_START_REQUEST = {'start': {'job_id': 'etc-node1',
                                   'current_tag': 0}}
SESSION_END_REQUEST = {'end': {'job_id': 'etc-node1', 'result': 'success',
                               'current_tag': 1}}
SESSION_UPDATE_REQUEST = {'hold_off': 120,
                          'schedule': {'schedule_interval': '12 hours'}}
SESSIONS_SEARCH_REQUEST = {'match': [{'_all': 'controllers'}]}
#: Stands for the protocol's epoch seconds (``time_start``, a member's
#: ``time_started`` and ``time_ended``).
RUN_TIME = 1768532400

# What the service writes, e.g. 2026-01-15T10:00:00.123456Z.
TIMESTAMP = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$')
CREATED_AT = '2026-01-15T10:00:00.000000Z'
UPDATED_AT = '2026-01-15T10:05:00.000000Z'


def _dump(document):
    return json.dumps(document, indent=4) + '\n'


class TestApiRefSamples(testtools.TestCase):

    def setUp(self):
        super().setUp()
        directory = self.useFixture(fixtures.TempDir()).path
        url = 'sqlite:///%s/freezer.sqlite' % directory
        migration.upgrade(url)
        conf = service_conf.in_process(url, directory)
        self.app = wiring.build_app(conf)

    def _call(self, method, path, body=None, headers=None):
        request = webob.Request.blank(path, method=method)
        request.headers['X-User-Id'] = USER
        request.headers.update(headers or {})
        if body is not None:
            request.content_type = 'application/json'
            request.body = json.dumps(body).encode()
        return request.get_response(self.app)

    def _fixed_times(self, record):
        """The record with its timestamps checked, then made constant."""
        self.assertRegex(record['created_at'], TIMESTAMP)
        self.assertRegex(record['updated_at'], TIMESTAMP)
        fixed = dict(record)
        fixed['created_at'] = CREATED_AT
        fixed['updated_at'] = (CREATED_AT if record['updated_at'] ==
                               record['created_at'] else UPDATED_AT)
        return fixed

    def _samples(self):
        """Run the reference's story; return {file name: JSON text}."""
        collection = '/v2/%s/actions' % PROJECT
        item = '%s/%s' % (collection, ACTION_ID)
        samples = {
            'action-create-request.json': CREATE_REQUEST,
            'action-update-request.json': UPDATE_REQUEST,
            'action-replace-request.json': REPLACE_REQUEST,
            'actions-search-request.json': SEARCH_REQUEST,
        }

        created = self._call('POST', collection, CREATE_REQUEST)
        self.assertEqual(201, created.status_int, created.body)
        self.assertEqual('http://localhost' + item,
                         created.headers['Location'])
        samples['action-create-response.json'] = created.json

        shown = self._call('GET', item)
        self.assertEqual(200, shown.status_int, shown.body)
        self.assertEqual('"1"', shown.headers['ETag'])
        samples['action-show-response.json'] = self._fixed_times(shown.json)

        updated = self._call('PATCH', item, UPDATE_REQUEST,
                             {'If-Match': '"1"'})
        self.assertEqual(200, updated.status_int, updated.body)
        self.assertEqual('"2"', updated.headers['ETag'])
        samples['action-update-response.json'] = updated.json

        replaced = self._call('POST', item, REPLACE_REQUEST,
                              {'If-Match': '"2"'})
        self.assertEqual(201, replaced.status_int, replaced.body)
        samples['action-replace-response.json'] = replaced.json

        listed = self._call('GET', collection + '?limit=10')
        self.assertEqual(200, listed.status_int, listed.body)
        samples['actions-list-response.json'] = {
            'actions': [self._fixed_times(record)
                        for record in listed.json['actions']]}
        # The search sample selects the listed action: same answer.
        searched = self._call('GET', collection, SEARCH_REQUEST)
        self.assertEqual(200, searched.status_int, searched.body)
        self.assertEqual(listed.json, searched.json)

        deleted = self._call('DELETE', item, headers={'If-Match': '"3"'})
        self.assertEqual(204, deleted.status_int, deleted.body)
        self.assertEqual(b'', deleted.body)
        missing = self._call('GET', item)
        self.assertEqual(404, missing.status_int)
        samples['action-not-found-response.json'] = missing.json
        return {name: _dump(document) for name, document in samples.items()}

    def _backup_samples(self):
        """The backups story; returns {file name: JSON text}, the
        generated id replaced by :data:`BACKUP_ID` (after checking it)."""
        collection = '/v2/%s/backups' % PROJECT
        samples = {
            'backup-create-request.json': BACKUP_CREATE_REQUEST,
            'backup-update-request.json': BACKUP_UPDATE_REQUEST,
            'backups-search-request.json': BACKUPS_SEARCH_REQUEST,
        }
        created = self._call('POST', collection, BACKUP_CREATE_REQUEST)
        self.assertEqual(201, created.status_int, created.body)
        backup_id = created.json['backup_id']
        self.assertRegex(backup_id, '^[0-9a-f]{32}$')
        item = '%s/%s' % (collection, backup_id)
        self.assertEqual('http://localhost' + item,
                         created.headers['Location'])
        samples['backup-create-response.json'] = created.json

        shown = self._call('GET', item)
        self.assertEqual(200, shown.status_int, shown.body)
        self.assertEqual('"1"', shown.headers['ETag'])
        samples['backup-show-response.json'] = shown.json

        updated = self._call('PATCH', item, BACKUP_UPDATE_REQUEST,
                             {'If-Match': '"1"'})
        self.assertEqual(200, updated.status_int, updated.body)
        self.assertEqual('"2"', updated.headers['ETag'])
        samples['backup-update-response.json'] = updated.json

        listed = self._call('GET', collection + '?limit=10')
        self.assertEqual(200, listed.status_int, listed.body)
        samples['backups-list-response.json'] = listed.json
        searched = self._call('GET', collection, BACKUPS_SEARCH_REQUEST)
        self.assertEqual(listed.json, searched.json)

        deleted = self._call('DELETE', item, headers={'If-Match': '"2"'})
        self.assertEqual(204, deleted.status_int, deleted.body)
        return {name: _dump(document).replace(backup_id, BACKUP_ID)
                for name, document in samples.items()}

    def _client_samples(self):
        """The clients story; returns {file name: JSON text}, the
        central client's generated uuid replaced by
        :data:`CENTRAL_UUID`."""
        collection = '/v2/%s/clients' % PROJECT
        item = '%s/%s' % (collection, CLIENT_ID)
        samples = {
            'client-register-request.json': CLIENT_REGISTER_REQUEST,
            'clients-search-request.json': CLIENTS_SEARCH_REQUEST,
        }
        registered = self._call('POST', collection, CLIENT_REGISTER_REQUEST)
        self.assertEqual(201, registered.status_int, registered.body)
        self.assertEqual('http://localhost' + item,
                         registered.headers['Location'])
        samples['client-register-response.json'] = registered.json
        again = self._call('POST', collection, CLIENT_REREGISTER_REQUEST)
        self.assertEqual(201, again.status_int, again.body)
        self.assertEqual(registered.json, again.json)

        shown = self._call('GET', item)
        self.assertEqual(200, shown.status_int, shown.body)
        self.assertEqual('"2"', shown.headers['ETag'])
        samples['client-show-response.json'] = self._fixed_times(shown.json)

        central = self._call(
            'POST', '/v2/%s/clients' % CENTRAL_PROJECT,
            {'client_id': CENTRAL_CLIENT_ID, 'is_central': True,
             'hostname': 'scheduler.example.com'},
            {'X-Project-Id': CENTRAL_PROJECT, 'X-Roles': 'admin'})
        self.assertEqual(201, central.status_int, central.body)
        listed = self._call('GET', collection)
        self.assertEqual(200, listed.status_int, listed.body)
        records = listed.json['clients']
        self.assertEqual([CLIENT_ID, CENTRAL_CLIENT_ID],
                         [r['client']['client_id'] for r in records])
        central_uuid = records[1]['client']['uuid']
        self.assertRegex(central_uuid, '^[0-9a-f]{32}$')
        samples['clients-list-response.json'] = {
            'clients': [self._fixed_times(r) for r in records]}
        searched = self._call('GET', collection, CLIENTS_SEARCH_REQUEST)
        self.assertEqual({'clients': records[:1]}, searched.json)

        for project, client_id in ((PROJECT, CLIENT_ID),
                                   (CENTRAL_PROJECT, CENTRAL_CLIENT_ID)):
            deleted = self._call(
                'DELETE', '/v2/%s/clients/%s' % (project, client_id),
                headers={'X-Project-Id': project, 'X-Roles': 'admin'})
            self.assertEqual(204, deleted.status_int, deleted.body)
        return {name: _dump(document).replace(central_uuid, CENTRAL_UUID)
                for name, document in samples.items()}

    def _fixed_job(self, job):
        """A job with its timestamps, its embedded actions' and
        ``time_created`` made constant (after checking them)."""
        fixed = self._fixed_times(job)
        fixed['job_actions'] = [self._fixed_times(action)
                                for action in job['job_actions']]
        self.assertIsInstance(job['job_schedule']['time_created'], int)
        fixed['job_schedule'] = dict(job['job_schedule'],
                                     time_created=TIME_CREATED)
        return fixed

    def _job_samples(self):
        """The jobs story; returns {file name: JSON text}, the inline
        action's generated id replaced by :data:`JOB_INLINE_ACTION_ID`."""
        projects = '/v2/%s/' % PROJECT
        registered = self._call('POST', projects + 'clients', {
            'client_id': JOB_CLIENT_ID, 'hostname': 'backup-node1'})
        self.assertEqual(201, registered.status_int, registered.body)
        action = dict(CREATE_REQUEST, action_id=JOB_ACTION_ID)
        self.assertEqual(201, self._call('POST', projects + 'actions',
                                         action).status_int)
        samples = {
            'job-create-request.json': JOB_CREATE_REQUEST,
            'job-update-request.json': JOB_UPDATE_REQUEST,
            'job-event-request.json': JOB_EVENT_REQUEST,
            'jobs-search-request.json': JOBS_SEARCH_REQUEST,
        }
        collection = projects + 'jobs'
        item = '%s/%s' % (collection, JOB_ID)
        created = self._call('POST', collection, JOB_CREATE_REQUEST)
        self.assertEqual(201, created.status_int, created.body)
        self.assertEqual('http://localhost' + item,
                         created.headers['Location'])
        samples['job-create-response.json'] = created.json

        shown = self._call('GET', item)
        self.assertEqual(200, shown.status_int, shown.body)
        self.assertEqual('"1"', shown.headers['ETag'])
        inline_id = shown.json['job_actions'][1]['action_id']
        self.assertRegex(inline_id, '^[0-9a-f]{32}$')
        samples['job-show-response.json'] = self._fixed_job(shown.json)

        updated = self._call('PATCH', item, JOB_UPDATE_REQUEST,
                             {'If-Match': '"1"'})
        self.assertEqual(200, updated.status_int, updated.body)
        samples['job-update-response.json'] = updated.json

        started = self._call('POST', item + '/event', JOB_EVENT_REQUEST)
        self.assertEqual(202, started.status_int, started.body)
        samples['job-event-response.json'] = started.json

        listed = self._call('GET', collection, JOBS_SEARCH_REQUEST)
        self.assertEqual(200, listed.status_int, listed.body)
        samples['jobs-list-response.json'] = {
            'jobs': [self._fixed_job(job) for job in listed.json['jobs']]}

        deleted = self._call('DELETE', item, headers={'If-Match': '"3"'})
        self.assertEqual(204, deleted.status_int, deleted.body)
        return {name: _dump(document).replace(inline_id,
                                              JOB_INLINE_ACTION_ID)
                for name, document in samples.items()}

    def _fixed_session(self, session):
        """A session with its timestamps and run times made constant
        (after checking them)."""
        fixed = self._fixed_times(session)
        for key in ('time_start', 'time_end'):
            self.assertIsInstance(session[key], int)
            if session[key] != -1:
                fixed[key] = RUN_TIME
        fixed['jobs'] = {}
        for job_id, member in session['jobs'].items():
            fixed['jobs'][job_id] = dict(member)
            for key in ('time_started', 'time_ended'):
                if member[key] != -1:
                    fixed['jobs'][job_id][key] = RUN_TIME
        return fixed

    def _session_samples(self):
        """The sessions story; returns {file name: JSON text}, the
        generated session id replaced by :data:`SESSION_ID`."""
        projects = '/v2/%s/' % PROJECT
        registered = self._call('POST', projects + 'clients', {
            'client_id': JOB_CLIENT_ID, 'hostname': 'backup-node1'})
        self.assertEqual(201, registered.status_int, registered.body)
        for job_id in SESSION_JOB_IDS:
            job = dict(JOB_CREATE_REQUEST, job_id=job_id, job_actions=[])
            resp = self._call('POST', projects + 'jobs', job)
            self.assertEqual(201, resp.status_int, resp.body)
        samples = {
            'session-create-request.json': SESSION_CREATE_REQUEST,
            'session-start-request.json': SESSION_START_REQUEST,
            'session-end-request.json': SESSION_END_REQUEST,
            'session-update-request.json': SESSION_UPDATE_REQUEST,
            'sessions-search-request.json': SESSIONS_SEARCH_REQUEST,
        }
        collection = projects + 'sessions'
        created = self._call('POST', collection, SESSION_CREATE_REQUEST)
        self.assertEqual(201, created.status_int, created.body)
        session_id = created.json['session_id']
        self.assertRegex(session_id, '^[0-9a-f]{32}$')
        item = '%s/%s' % (collection, session_id)
        self.assertEqual('http://localhost' + item,
                         created.headers['Location'])
        samples['session-create-response.json'] = created.json
        for job_id in SESSION_JOB_IDS:
            added = self._call('PUT', '%s/jobs/%s' % (item, job_id))
            self.assertEqual(204, added.status_int, added.body)

        for name, body in (('session-start', SESSION_START_REQUEST),
                           ('session-end', SESSION_END_REQUEST)):
            answer = self._call('POST', item + '/action', body)
            self.assertEqual(202, answer.status_int, answer.body)
            samples[name + '-response.json'] = answer.json

        shown = self._call('GET', item)
        self.assertEqual(200, shown.status_int, shown.body)
        self.assertEqual('"5"', shown.headers['ETag'])
        samples['session-show-response.json'] = self._fixed_session(
            shown.json)

        updated = self._call('PATCH', item, SESSION_UPDATE_REQUEST,
                             {'If-Match': '"5"'})
        self.assertEqual(200, updated.status_int, updated.body)
        samples['session-update-response.json'] = updated.json

        listed = self._call('GET', collection, SESSIONS_SEARCH_REQUEST)
        self.assertEqual(200, listed.status_int, listed.body)
        samples['sessions-list-response.json'] = {'sessions': [
            self._fixed_session(s) for s in listed.json['sessions']]}

        for path in ('%s/jobs/%s' % (item, SESSION_JOB_IDS[1]), item):
            deleted = self._call('DELETE', path)
            self.assertEqual(204, deleted.status_int, deleted.body)
        return {name: _dump(document).replace(session_id, SESSION_ID)
                for name, document in samples.items()}

    def test_samples_are_what_the_service_answers(self):
        samples = self._samples()
        samples.update(self._backup_samples())
        samples.update(self._client_samples())
        samples.update(self._job_samples())
        samples.update(self._session_samples())
        if REGENERATE:
            os.makedirs(SAMPLES, exist_ok=True)
            for name, text in samples.items():
                with open(os.path.join(SAMPLES, name), 'w') as sample:
                    sample.write(text)
        committed = {}
        for name in os.listdir(SAMPLES):
            with open(os.path.join(SAMPLES, name)) as sample:
                committed[name] = sample.read()
        self.assertEqual(sorted(samples), sorted(committed),
                         'samples missing or extra in %s' % SAMPLES)
        for name in sorted(samples):
            self.assertEqual(samples[name], committed[name],
                             '%s differs from the service\'s answer; '
                             'regenerate with '
                             'FREEZER_REGENERATE_API_SAMPLES=1' % name)

    def test_the_reference_includes_every_sample(self):
        included = set()
        for name in os.listdir(SOURCE):
            if name.endswith('.inc'):
                with open(os.path.join(SOURCE, name)) as reference:
                    included.update(re.findall(
                        r'literalinclude:: samples/(\S+)', reference.read()))
        self.assertEqual(set(os.listdir(SAMPLES)), included)
