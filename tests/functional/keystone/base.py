"""Tests against a real Keystone: where it is, and tokens from it.

The Keystone is started by ``tools/keystone/server.sh`` (``.ci/run`` does
it before the test command), which exports:

* ``FREEZER_TEST_KEYSTONE_URL``: its v3 URL;
* ``FREEZER_TEST_KEYSTONE_CREDENTIALS``: the JSON file written by
  ``tools/keystone/provision.py`` (password, project and user ids).

Without them these tests skip, except in CI (``CI=true``) or when
``FREEZER_TEST_KEYSTONE_REQUIRED=1``: there a missing Keystone is a
failure, so a broken Keystone step can never pass as "skipped".
"""

import json
import os

import fixtures
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1.identity import v3
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import session as ks_session
from keystonemiddleware import auth_token

from freezer_daemon import wiring
from tests.functional.api import base

URL_ENV = 'FREEZER_TEST_KEYSTONE_URL'
CREDENTIALS_ENV = 'FREEZER_TEST_KEYSTONE_CREDENTIALS'
REQUIRED_ENV = 'FREEZER_TEST_KEYSTONE_REQUIRED'
AUTHTOKEN = 'keystone_authtoken'
_TRUE = ('1', 'true', 'yes')

#: user name -> keystoneauth1 AccessInfo, shared by the whole test process
#: (tokens live an hour; a run takes minutes).
_ACCESS = {}


def keystone_required():
    """Tell whether a missing Keystone must fail the tests.

    :returns: bool, True in CI (``CI``) or with ``FREEZER_TEST_KEYSTONE_
        REQUIRED`` set to a true value.
    """
    return any(os.environ.get(name, '').lower() in _TRUE
               for name in ('CI', REQUIRED_ENV))


def load_facts():
    """Read the provisioning facts of the running test Keystone.

    :returns: dict as written by ``tools/keystone/provision.py``
        (``auth_url``, ``password``, ``projects`` {name: id}, ``users``
        {name: {id, project, project_id, roles}}, ...), or None when the
        environment names no Keystone.
    :raises ValueError: the file names another URL than the environment.
    """
    url = os.environ.get(URL_ENV)
    path = os.environ.get(CREDENTIALS_ENV)
    if not url or not path:
        return None
    with open(path) as f:
        facts = json.load(f)
    if facts['auth_url'].rstrip('/') != url.rstrip('/'):
        raise ValueError('%s names %s but %s is for %s' % (
            URL_ENV, url, path, facts['auth_url']))
    return facts


def login(facts, user, **scope):
    """Authenticate as a provisioned user with a password.

    :param facts: see :func:`load_facts`.
    :param user: str, a user name of ``facts['users']``.
    :param scope: keystoneauth1 scope arguments; default: the user's
        project (``project_id``).
    :returns: ``(AccessInfo, Session)``; ``access.auth_token`` is the token.
    """
    if not scope:
        scope = {'project_id': facts['users'][user]['project_id']}
    auth = v3.Password(auth_url=facts['auth_url'], username=user,
                       password=facts['password'],
                       user_domain_id='default', **scope)
    session = ks_session.Session(auth=auth)
    return auth.get_access(session), session


def access_of(facts, user):
    """A project-scoped token of ``user``, obtained once per process.

    :returns: keystoneauth1 ``AccessInfo``.
    """
    if user not in _ACCESS:
        _ACCESS[user] = login(facts, user)[0]
    return _ACCESS[user]


class KeystoneTestCase(base.ApiTestCase):
    """The full WSGI stack with ``auth_strategy = keystone`` validating
    tokens against the test Keystone (keystonemiddleware's auth_token,
    configured as an operator would: a ``[keystone_authtoken]`` section
    with the service user ``freezer``).

    ``self.facts`` holds the provisioning facts; ``self.token(user)`` a
    token.
    """

    auth_strategy = 'keystone'

    def setUp(self):
        # keystonemiddleware warns on every build (in-process token cache,
        # and once about the unconfigured first build below); keep its
        # log as a detail of a failing test instead of on the console.
        self.useFixture(fixtures.FakeLogger(name='keystonemiddleware'))
        super().setUp()
        try:
            self.facts = load_facts()
        except (OSError, ValueError) as e:
            self.fail('test Keystone facts unreadable: %s' % e)
        if self.facts is None:
            why = ('no test Keystone: run tools/keystone/server.sh start '
                   'and source its env.sh (%s, %s)' % (URL_ENV,
                                                       CREDENTIALS_ENV))
            if keystone_required():
                self.fail(why)
            self.skipTest(why)
        try:
            access_of(self.facts, 'demo')
        except ks_exceptions.ClientException as e:
            self.fail('test Keystone at %s does not answer: %s' % (
                self.facts['auth_url'], e))
        self.configure_authtoken()
        self.app = wiring.build_app(self.conf)

    def configure_authtoken(self):
        """Set ``[keystone_authtoken]`` on ``self.conf`` for the test
        Keystone, as in the ``keystone_authtoken.conf`` the provisioning
        writes."""
        for group, opts in auth_token.list_opts():
            self.conf.register_opts(opts, group=group)
        ks_loading.register_auth_conf_options(self.conf, AUTHTOKEN)
        self.conf.register_opts(
            ks_loading.get_auth_plugin_conf_options('password'),
            group=AUTHTOKEN)
        service = self.facts['users'][self.facts['service_user']]
        for name, value in (
                ('www_authenticate_uri', self.facts['www_authenticate_uri']),
                ('auth_type', 'password'),
                ('auth_url', self.facts['auth_url']),
                ('username', self.facts['service_user']),
                ('password', self.facts['password']),
                ('user_domain_id', 'default'),
                ('project_id', service['project_id']),
                ('region_name', self.facts['region']),
                ('interface', 'public'),
                ('service_type', 'backup')):
            self.conf.set_override(name, value, group=AUTHTOKEN)

    def token(self, user):
        """A valid project-scoped token of a provisioned user (str)."""
        return access_of(self.facts, user).auth_token

    def project_id(self, name):
        """The id of a provisioned project (``demo``, ``alt_demo``...)."""
        return self.facts['projects'][name]
