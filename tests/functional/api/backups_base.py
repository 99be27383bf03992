"""What the backups API tests share: the agent's metadata and the
request helpers of ``/v2/{project_id}/backups``."""

import copy

from tests.functional.api import base

#: The metadata freezer-tempest-plugin posts (``_build_metadata``).
TEMPEST_METADATA = {
    'action': 'backup', 'always_level': '', 'backup_media': 'fs',
    'client_id': 'freezer', 'client_version': '1.2.18',
    'container_segments': '', 'curr_backup_level': 0, 'dry_run': '',
    'log_file': '', 'job_id': '76cf6739ca2e4dc58b2215632c2a0b49',
    'os_auth_version': '', 'path_to_backup': '/dev/null', 'proxy': '',
    'ssh_host': '', 'ssh_key': '', 'ssh_port': 22, 'ssh_username': '',
    'storage': 'swift', 'container': 'test_freezer_api_backups_container',
    'hostname': 'localhost', 'backup_name': 'test_freezer_backups',
    'time_stamp': 1459349846, 'level': 1, 'max_level': 14, 'mode': 'fs',
    'fs_real_path': '/dev/null', 'vol_snap_path': '',
    'total_broken_links': 1, 'total_fs_files': 100,
    'total_directories': 100, 'backup_size_uncompressed': 10000,
    'backup_size_compressed': 1000, 'compression': 'gzip',
    'encrypted': False, 'client_os': 'linux2', 'broken_links': [],
    'excluded_files': [], 'cli': 'freezer', 'version': '1.0',
}


def metadata(**keys):
    """Minimal valid metadata with the given keys added or replaced.

    :returns: dict with ``backup_name``, ``container``, ``hostname``.
    """
    document = {'backup_name': 'b', 'container': 'c', 'hostname': 'h'}
    document.update(keys)
    return document


class BackupsTestCase(base.ApiTestCase):
    """:class:`base.ApiTestCase` with the backups request helpers."""

    def post(self, body=None, project='A', **kwargs):
        """POST the collection, asserting 201; returns the new id."""
        resp = self.request('POST', '/v2/%s/backups' % project,
                            copy.deepcopy(TEMPEST_METADATA) if body is None
                            else body, **kwargs)
        self.assertEqual(201, resp.status_int, resp.body)
        return resp.json['backup_id']

    def item(self, backup_id, project='A'):
        """The item path of a backup."""
        return '/v2/%s/backups/%s' % (project, backup_id)

    def show(self, backup_id, project='A', **kwargs):
        """GET one backup, asserting 200; returns the response."""
        resp = self.request('GET', self.item(backup_id, project), **kwargs)
        self.assertEqual(200, resp.status_int, resp.body)
        return resp

    def listed(self, project='A', query='', body=None, **kwargs):
        """GET the collection, asserting 200; returns the documents."""
        resp = self.request('GET', '/v2/%s/backups%s' % (project, query),
                            body, **kwargs)
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual(['backups'], list(resp.json))
        return resp.json['backups']

    def listed_ids(self, project='A', query='?limit=1000', body=None,
                   **kwargs):
        """The ids a list or search answers, in order."""
        return [doc['backup_id'] for doc in self.listed(project, query,
                                                        body, **kwargs)]
