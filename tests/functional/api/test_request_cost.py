"""What an everyday request no longer does (issue 18): no signature
introspection once the policy decision is known, no body checks without
a body, no proxy-headers middleware unless enabled, and the show and
plain-list statements built once. Counts and identities, not timings."""

import inspect

import fixtures
from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import sizelimit
import webob.acceptparse

from api import deploy
from freezer_daemon import wiring
from tests.functional import backends
from tests.functional.api import base


def counted(test, owner, name):
    """Count the calls of ``owner.name`` for the rest of the test (the
    calls still happen).

    :returns: the mock; its ``call_count`` is the count.
    """
    return test.useFixture(fixtures.MockPatchObject(
        owner, name, autospec=True, side_effect=getattr(owner, name))).mock


class TestRequestCost(base.ActionsTestCase):

    scenarios = backends.scenarios((backends.SQLITE,))

    def setUp(self):
        super().setUp()
        # The application on repositories this test can look at.
        self.repositories = wiring.repositories(self.conf)
        self.app = deploy.build_app(self.conf, self.repositories)
        self.action_id = self.create('A')
        # Warm: the first request of a worker decides the policy rule.
        self.assertEqual(200, self.show().status_int)

    def show(self):
        return self.request('GET', '/v2/A/actions/%s' % self.action_id)

    def test_a_show_introspects_no_signature(self):
        """Pecan's lookup and oslo.policy's check walk both called
        ``inspect.getfullargspec`` on every request."""
        counter = counted(self, inspect, 'getfullargspec')
        for _ in range(3):
            self.assertEqual(200, self.show().status_int)
        self.assertEqual(0, counter.call_count)

    def test_only_requests_with_a_body_meet_the_size_limiter(self):
        # Each pass through the limiter reads its option once.
        counter = counted(self, sizelimit.RequestBodySizeLimiter,
                          '_conf_get')
        self.assertEqual(200, self.show().status_int)
        self.assertEqual(200, self.request('GET', '/v2/A/actions')
                         .status_int)
        self.assertEqual(0, counter.call_count)
        self.create('A')
        self.assertEqual(1, counter.call_count)

    def test_the_proxy_headers_middleware_runs_only_when_enabled(self):
        counter = counted(self, http_proxy_to_wsgi.HTTPProxyToWSGI,
                          'process_request')
        self.show()
        self.assertEqual(0, counter.call_count)
        self.conf.set_override('enable_proxy_headers_parsing', True,
                               group='oslo_middleware')
        self.show()
        self.assertEqual(1, counter.call_count)

    def test_show_and_plain_list_statements_are_built_once(self):
        repository = self.repositories.actions
        row_statement = repository._row
        for _ in range(2):
            self.assertEqual(200, self.show().status_int)
            self.assertEqual(200, self.request(
                'GET', '/v2/A/actions?limit=5&offset=1').status_int)
        self.assertIs(row_statement, repository._row)
        plain = dict(repository._plain_pages)
        self.assertEqual(1, len(plain))
        self.request('GET', '/v2/A/actions?limit=7')
        self.assertEqual(plain, repository._plain_pages)

    def test_an_accept_header_seen_before_is_not_parsed_again(self):
        headers = {'Accept': 'application/json, text/plain;q=0.5'}
        self.assertEqual(200, self.request(
            'GET', '/v2/A/actions/%s' % self.action_id,
            headers=headers).status_int)
        counter = counted(self, webob.acceptparse.AcceptValidHeader,
                          'acceptable_offers')
        for _ in range(3):
            self.assertEqual(200, self.request(
                'GET', '/v2/A/actions/%s' % self.action_id,
                headers=headers).status_int)
        self.assertEqual(0, counter.call_count)
        # A header that excludes JSON is still refused, every time.
        for _ in range(2):
            self.assertEqual(406, self.request(
                'GET', '/v2/A/actions/%s' % self.action_id,
                headers={'Accept': 'text/html'}).status_int)
