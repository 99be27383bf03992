"""What the jobs API tests share: a registered client, a valid job, and
helpers to create, show and patch jobs through the whole WSGI stack.

Clients are registered through the clients repository (the registration
rules are the clients tests' business), with ``supported_*`` lists a
test can narrow.
"""

import copy

from freezer_core import clients
from freezer_daemon import wiring
from tests.functional.api import base

CLIENT_ID = 'project_node1.example.org'

#: A job as python-freezerclient's ``job-create`` sends it.
JOB = {
    'client_id': CLIENT_ID,
    'description': 'nightly etc',
    'job_schedule': {'schedule_interval': '1 days'},
    'job_actions': [copy.deepcopy(base.ACTION)],
}


def job(**changes):
    """A copy of :data:`JOB` with top-level keys changed."""
    document = copy.deepcopy(JOB)
    document.update(changes)
    return document


class JobsTestCase(base.ApiTestCase):
    """Base of the jobs tests: client ``CLIENT_ID`` registered in A."""

    def setUp(self):
        super().setUp()
        self.register_client('A', CLIENT_ID)

    def register_client(self, project, client_id, **info):
        """Register a client in ``project`` (as its scheduler would).

        :param info: extra client keys (``is_central``,
            ``supported_modes``, ...).
        :returns: the stored client record.
        """
        repositories = wiring.repositories(self.conf)
        try:
            document = clients.parse_registration(
                dict(info, client_id=client_id, hostname='node1'))
            return repositories.clients.register(project, 'scheduler',
                                                 document)[0]
        finally:
            repositories.database.engine.dispose()

    def delete_client(self, project, client_id):
        """Delete a client registration (through the repository)."""
        repositories = wiring.repositories(self.conf)
        try:
            repositories.clients.delete(project, client_id)
        finally:
            repositories.database.engine.dispose()

    def create_job(self, document=None, project='A', **kwargs):
        """Create a job and return its id (asserting 201)."""
        resp = self.request('POST', '/v2/%s/jobs' % project,
                            JOB if document is None else document, **kwargs)
        self.assertEqual(201, resp.status_int, resp.body)
        return resp.json['job_id']

    def show_job(self, job_id, project='A'):
        """GET a job (asserting 200); returns the document."""
        resp = self.request('GET', '/v2/%s/jobs/%s' % (project, job_id))
        self.assertEqual(200, resp.status_int, resp.body)
        return resp.json

    def patch_job(self, job_id, body, project='A', **kwargs):
        """PATCH a job; returns the response."""
        return self.request('PATCH', '/v2/%s/jobs/%s' % (project, job_id),
                            body, **kwargs)

    def event(self, job_id, body, project='A', **kwargs):
        """POST an event; returns the response."""
        return self.request('POST', '/v2/%s/jobs/%s/event'
                            % (project, job_id), body, **kwargs)

    def job_ids(self, project='A', query=''):
        """The ids of a job list (asserting 200), in order."""
        resp = self.request('GET', '/v2/%s/jobs%s' % (project, query))
        self.assertEqual(200, resp.status_int, resp.body)
        return [j['job_id'] for j in resp.json['jobs']]
