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
from oslo_config import cfg
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
        conf = cfg.ConfigOpts()
        service_conf.register_opts(conf)
        conf([], project='freezer-api', default_config_files=[],
             default_config_dirs=[])
        conf.set_override('connection', url, group='database')
        conf.set_override('auth_strategy', 'noauth')
        conf.set_override('state_path', directory)
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

    def test_samples_are_what_the_service_answers(self):
        samples = self._samples()
        samples.update(self._backup_samples())
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
