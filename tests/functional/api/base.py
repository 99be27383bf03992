"""A test case that drives the whole WSGI stack in process.

Every request goes through :func:`api.deploy.build_app` exactly as the
daemon serves it (request id, JSON errors, size limit, noauth context,
Pecan routing, policy, storage), on a fresh database migrated with the
real alembic chain. Nothing is mocked. Each test runs once per engine
(SQLite, PostgreSQL, MySQL; see :mod:`tests.functional.backends`).
"""

import io
import json

import fixtures
import testtools
import webob

from freezer_core import jsondoc
from freezer_daemon import conf as service_conf
from freezer_daemon import wiring
from tests.functional import backends

#: A valid action document, as python-freezerclient would send it.
ACTION = {
    'freezer_action': {
        'action': 'backup', 'mode': 'fs', 'path_to_backup': '/etc',
        'backup_name': 'etc-backup', 'container': 'freezer_etc',
        'max_level': 3, 'no_incremental': True,
    },
    'max_retries': 3,
    'max_retries_interval': 10,
    'mandatory': True,
}


class ApiTestCase(testtools.TestCase):
    """Base class: ``self.request(...)`` talks to a fresh service.

    Class attributes a subclass may change:

    * ``auth_strategy`` (default ``'noauth'``);
    * ``max_request_body_size`` (bytes, default oslo.middleware's);
    * ``scenarios``: the engines to run on (default all three; e.g.
      ``backends.scenarios((backends.SQLITE,))`` for a test that opens
      the SQLite file itself).

    ``self.backend`` is the engine's name, ``self.database_url`` the URL
    of the test's database (no action in it at the start).
    """

    auth_strategy = 'noauth'
    max_request_body_size = None
    backend = backends.SQLITE
    scenarios = backends.scenarios()

    def setUp(self):
        super().setUp()
        directory = self.useFixture(fixtures.TempDir()).path
        self.database_url = backends.database_url(self, self.backend,
                                                  directory)
        self.conf = service_conf.in_process(self.database_url, directory)
        self.conf.set_override('auth_strategy', self.auth_strategy)
        if self.max_request_body_size is not None:
            self.conf.set_override('max_request_body_size',
                                   self.max_request_body_size,
                                   group='oslo_middleware')
        self.app = wiring.build_app(self.conf)

    def request(self, method, path, body=None, headers=None, project=None,
                roles=None, user=None):
        """Send one request through the stack.

        :param method: str HTTP method.
        :param path: str path with query string.
        :param body: None; bytes/str sent as is; anything else JSON-encoded.
        :param headers: optional dict of headers.
        :param project: optional X-Project-Id (the caller's project).
        :param roles: optional X-Roles value (comma-separated str).
        :param user: optional X-User-Id.
        :returns: :class:`webob.Response`.
        """
        request = webob.Request.blank(path, method=method)
        for name, value in (headers or {}).items():
            request.headers[name] = value
        if project is not None:
            request.headers['X-Project-Id'] = project
        if roles is not None:
            request.headers['X-Roles'] = roles
        if user is not None:
            request.headers['X-User-Id'] = user
        if body is not None:
            if isinstance(body, str):
                body = body.encode('utf-8')
            elif not isinstance(body, bytes):
                body = json.dumps(body).encode('utf-8')
            request.body = body
        return request.get_response(self.app)

    def create(self, project='A', document=None, **kwargs):
        """Create an action and return its id (asserting 201)."""
        resp = self.request('POST', '/v2/%s/actions' % project,
                            document if document is not None else ACTION,
                            **kwargs)
        self.assertEqual(201, resp.status_int, resp.body)
        return resp.json['action_id']

    def assertError(self, status, resp, contains=None):
        """Assert a JSON error response of the given status.

        :param status: int expected status.
        :param resp: the :class:`webob.Response`.
        :param contains: optional str that the description must contain.
        """
        self.assertEqual(status, resp.status_int, resp.body)
        self.assertEqual('application/json', resp.content_type)
        body = json.loads(resp.body)
        self.assertEqual({'title', 'description'}, set(body))
        if contains is not None:
            self.assertIn(contains, body['description'])
        return body


#: Fragments that must never appear in an answer: markup, tracebacks,
#: SQL, table, driver and class names (spec, "Errors").
INTERNAL_FRAGMENTS = ('<html', '<!DOCTYPE', 'Traceback', 'File "',
                      'sqlalchemy', 'sqlite', 'oslo_db', 'IntegrityError',
                      'UNIQUE constraint', 'INSERT ', 'SELECT ', 'UPDATE ',
                      'action_terms', 'action_texts', 'actions.action_id',
                      'Exception', 'Error(')


def agent(**keys):
    """Build a client document with the given ``freezer_action`` keys.

    :param keys: agent keys; ``action`` defaults to ``'backup'``.
    :returns: dict, a create body with no top-level optional field.
    """
    keys.setdefault('action', 'backup')
    return {'freezer_action': keys}


class ActionsTestCase(ApiTestCase):
    """:class:`ApiTestCase` with the request helpers and assertions
    shared by the API test modules."""

    def chunked(self, method, path, data, headers=None, project=None,
                roles=None, user=None):
        """Send a body with ``Transfer-Encoding: chunked`` and no
        Content-Length, as a streaming client does.

        :param method: str HTTP method.
        :param path: str path with query string.
        :param data: bytes, the body.
        :param headers: optional dict of headers.
        :returns: :class:`webob.Response`.
        """
        request = webob.Request.blank(path, method=method)
        for name, value in (headers or {}).items():
            request.headers[name] = value
        for name, value in (('X-Project-Id', project), ('X-Roles', roles),
                            ('X-User-Id', user)):
            if value is not None:
                request.headers[name] = value
        request.headers['Transfer-Encoding'] = 'chunked'
        stream = io.BytesIO(data)
        request.body_file = stream
        request.environ['wsgi.input'] = stream
        request.environ.pop('CONTENT_LENGTH', None)
        assert request.content_length is None
        return request.get_response(self.app)

    def show(self, action_id, project='A'):
        """GET one action, asserting 200; returns the decoded record."""
        resp = self.request('GET', '/v2/%s/actions/%s' % (project,
                                                          action_id))
        self.assertEqual(200, resp.status_int, resp.body)
        return resp.json

    def listed(self, project='A', query='', body=None, **kwargs):
        """GET the collection, asserting 200; returns the action ids."""
        resp = self.request('GET', '/v2/%s/actions%s' % (project, query),
                            body, **kwargs)
        self.assertEqual(200, resp.status_int, resp.body)
        return [action['action_id'] for action in resp.json['actions']]

    def all_ids(self, project='A'):
        """Every action id of a project, in list order."""
        return self.listed(project, '?limit=1000')

    def assertUnchanged(self, before, project='A'):
        """Assert that a stored action is exactly as it was.

        :param before: the record a GET returned earlier (its
            ``_version`` and ``updated_at`` included).
        """
        self.assertEqual(before, self.show(before['action_id'], project))

    def assertGone(self, action_id, project='A'):
        """Assert that GET answers 404 for an action."""
        self.assertError(404, self.request(
            'GET', '/v2/%s/actions/%s' % (project, action_id)))

    def assertNoInternals(self, resp):
        """Assert that a response body reveals nothing internal."""
        text = resp.body.decode('utf-8')
        for fragment in INTERNAL_FRAGMENTS:
            self.assertNotIn(fragment.lower(), text.lower())

    def assertStrictJson(self, resp):
        """Assert that a body is strict JSON (no NaN, no duplicate keys).

        :returns: the decoded value.
        """
        return jsondoc.loads(resp.body)
