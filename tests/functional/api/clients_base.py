"""What the clients API tests share: registration bodies and helpers.

The identities are those of spec ``clients.md``, "Project access":
members and readers of projects ``A`` and ``B``, an admin and a service
account of their own projects.
"""

from tests.functional.api import base

MEMBER_A = {'project': 'A', 'roles': 'member,reader', 'user': 'alice'}
READER_A = {'project': 'A', 'roles': 'reader', 'user': 'rita'}
MEMBER_B = {'project': 'B', 'roles': 'member,reader', 'user': 'bob'}
ADMIN = {'project': 'admin-project', 'roles': 'admin,member,reader',
         'user': 'ada'}
SERVICE = {'project': 'service-project', 'roles': 'service',
           'user': 'freezer'}


def registration(client_id, **info):
    """A registration body as freezer-scheduler sends it (flat).

    :param client_id: str.
    :param info: other client keys (``hostname`` defaults to
        ``node1``).
    :returns: dict.
    """
    body = {'client_id': client_id, 'hostname': 'node1',
            'description': 'scheduler on node1'}
    body.update(info)
    return body


class ClientsTestCase(base.ApiTestCase):
    """An API test case with client helpers."""

    def register(self, project, body, caller=MEMBER_A, status=201, **kw):
        """POST a registration and assert its status.

        :returns: the :class:`webob.Response`.
        """
        resp = self.request('POST', '/v2/%s/clients/' % project, body,
                            **dict(caller, **kw))
        self.assertEqual(status, resp.status_int, resp.body)
        return resp

    def show(self, project, client_id, caller=MEMBER_A, status=200):
        """GET a client; the decoded document when 200, else the
        response."""
        resp = self.request('GET', '/v2/%s/clients/%s' % (
            project, client_id), **caller)
        self.assertEqual(status, resp.status_int, resp.body)
        return resp.json if status == 200 else resp

    def listed(self, project='A', query='', body=None, caller=MEMBER_A):
        """The ``client_id`` s of a list answer, in order."""
        resp = self.request('GET', '/v2/%s/clients%s' % (project, query),
                            body, **caller)
        self.assertEqual(200, resp.status_int, resp.body)
        return [c['client']['client_id'] for c in resp.json['clients']]
