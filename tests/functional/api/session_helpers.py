"""What the sessions API tests share: a test case with session and job
helpers (spec ``sessions.md``).

Jobs need a registered client of their project (spec ``jobs.md``); it
is registered through the clients repository, as the scheduler's first
request would register it.
"""

import copy

from freezer_core import clients
from freezer_daemon import wiring
from tests.functional.api import base

CLIENT_ID = 'node1.example.org'

#: A job as freezerclient creates it: one inline backup action.
JOB = {
    'client_id': CLIENT_ID,
    'description': 'etc backup',
    'job_schedule': {},
    'job_actions': [{'freezer_action': {
        'action': 'backup', 'mode': 'fs', 'path_to_backup': '/etc',
        'backup_name': 'etc', 'container': 'freezer_etc'}}],
}


class SessionsTestCase(base.ApiTestCase):
    """:class:`base.ApiTestCase` with session and job helpers; requests
    are made as the noauth default caller unless stated."""

    def register_client(self, project='A', client_id=CLIENT_ID):
        """Register a client of ``project`` (the scheduler's first call)."""
        repositories = wiring.repositories(self.conf)
        self.addCleanup(repositories.database.engine.dispose)
        repositories.clients.register(project, 'u', clients.parse_registration(
            {'client_id': client_id, 'hostname': client_id.split('.')[0]}))

    def create_job(self, project='A', **fields):
        """Create a job (its client registered); returns its id.

        :param fields: top-level job keys replacing :data:`JOB`'s.
        """
        self.register_client(project)
        document = dict(copy.deepcopy(JOB), **fields)
        resp = self.request('POST', '/v2/%s/jobs' % project, document)
        self.assertEqual(201, resp.status_int, resp.body)
        return resp.json['job_id']

    def create_session(self, project='A', document=None, **kwargs):
        """Create a session through the collection; returns its id."""
        resp = self.request('POST', '/v2/%s/sessions' % project,
                            {} if document is None else document, **kwargs)
        self.assertEqual(201, resp.status_int, resp.body)
        return resp.json['session_id']

    def add_job(self, session_id, job_id, project='A'):
        """``PUT .../sessions/{sid}/jobs/{jid}``, asserting 204."""
        resp = self.request('PUT', '/v2/%s/sessions/%s/jobs/%s' % (
            project, session_id, job_id))
        self.assertEqual(204, resp.status_int, resp.body)
        self.assertEqual(b'', resp.body)

    def session_with_jobs(self, count, project='A', document=None):
        """A session and ``count`` member jobs: ``(session_id, [job_id])``."""
        session_id = self.create_session(project, document)
        job_ids = [self.create_job(project) for _ in range(count)]
        for job_id in job_ids:
            self.add_job(session_id, job_id, project)
        return session_id, job_ids

    def show(self, session_id, project='A'):
        """GET a session, asserting 200; returns the document."""
        resp = self.request('GET', '/v2/%s/sessions/%s' % (project,
                                                           session_id))
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual('"%d"' % resp.json['_version'],
                         resp.headers['ETag'])
        return resp.json

    def show_job(self, job_id, project='A'):
        """GET a job, asserting 200; returns the document."""
        resp = self.request('GET', '/v2/%s/jobs/%s' % (project, job_id))
        self.assertEqual(200, resp.status_int, resp.body)
        return resp.json

    def act(self, session_id, body, project='A', **kwargs):
        """``POST .../sessions/{sid}/action``; returns the response."""
        return self.request('POST', '/v2/%s/sessions/%s/action' % (
            project, session_id), body, **kwargs)

    def start(self, session_id, job_id, tag, project='A'):
        """A ``start`` answered 202; returns ``(result, session_tag)``."""
        resp = self.act(session_id, {'start': {'job_id': job_id,
                                               'current_tag': tag}}, project)
        self.assertEqual(202, resp.status_int, resp.body)
        return resp.json['result'], resp.json['session_tag']

    def end(self, session_id, job_id, result, project='A'):
        """An ``end`` answered 202; returns ``(result, session_tag)``."""
        resp = self.act(session_id, {'end': {'job_id': job_id,
                                             'result': result}}, project)
        self.assertEqual(202, resp.status_int, resp.body)
        return resp.json['result'], resp.json['session_tag']

    def listed(self, project='A', query='', body=None, **kwargs):
        """GET the collection, asserting 200; returns the session ids."""
        resp = self.request('GET', '/v2/%s/sessions%s' % (project, query),
                            body, **kwargs)
        self.assertEqual(200, resp.status_int, resp.body)
        return [s['session_id'] for s in resp.json['sessions']]
