"""A test case that drives the whole WSGI stack in process.

Every request goes through :func:`api.deploy.build_app` exactly as the
daemon serves it (request id, JSON errors, size limit, noauth context,
Pecan routing, policy, storage), on a fresh SQLite database migrated with
the real alembic chain. Nothing is mocked.
"""

import json
import os

import fixtures
from oslo_config import cfg
import testtools
import webob

from api import deploy
from freezer_core.storage import migration
from freezer_daemon import conf as service_conf

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
    * ``max_request_body_size`` (bytes, default oslo.middleware's).
    """

    auth_strategy = 'noauth'
    max_request_body_size = None

    def setUp(self):
        super().setUp()
        directory = self.useFixture(fixtures.TempDir()).path
        self.database_url = 'sqlite:///' + os.path.join(directory,
                                                        'freezer.sqlite')
        migration.upgrade(self.database_url)
        self.conf = cfg.ConfigOpts()
        service_conf.register_opts(self.conf)
        self.conf([], project='freezer-api', default_config_files=[],
                  default_config_dirs=[])
        self.conf.set_override('connection', self.database_url,
                               group='database')
        self.conf.set_override('auth_strategy', self.auth_strategy)
        self.conf.set_override('state_path', directory)
        if self.max_request_body_size is not None:
            self.conf.set_override('max_request_body_size',
                                   self.max_request_body_size,
                                   group='oslo_middleware')
        self.app = deploy.build_app(self.conf)

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
