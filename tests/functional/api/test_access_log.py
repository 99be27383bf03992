"""Every request is logged once with its method, path, status and size."""

import logging

import fixtures
from oslo_context import context as oslo_context
import webob

from tests.functional.api import base


class TestAccessLog(base.ApiTestCase):

    def test_one_line_per_request_with_status_and_length(self):
        logger = self.useFixture(fixtures.FakeLogger(
            name='api.access', level=logging.INFO,
            format='%(levelname)s %(message)s'))
        action_id = self.create()
        self.request('GET', '/v2/A/actions/%s?x=1' % action_id)
        self.request('GET', '/v2/A/actions/nosuch')
        lines = logger.output.strip().splitlines()
        self.assertEqual(3, len(lines), logger.output)
        self.assertRegex(lines[0], r'^INFO \S+ "POST /v2/A/actions" status: '
                                   r'201 len: \d+ time: \d+\.\d{4}$')
        self.assertIn('"GET /v2/A/actions/%s?x=1" status: 200' % action_id,
                      lines[1])
        self.assertIn('"GET /v2/A/actions/nosuch" status: 404', lines[2])

    def test_the_client_address_and_the_reason_of_an_error(self):
        logger = self.useFixture(fixtures.FakeLogger(
            name='api.access', level=logging.INFO, format='%(message)s'))
        environ = {'REMOTE_ADDR': '192.0.2.44'}
        ok = webob.Request.blank('/v2/A/actions', environ=environ)
        self.assertEqual(200, ok.get_response(self.app).status_int)
        bad = webob.Request.blank('/v2/A/actions?limit=x', environ=environ)
        self.assertEqual(400, bad.get_response(self.app).status_int)
        lines = logger.output.strip().splitlines()
        self.assertEqual(2, len(lines), logger.output)
        self.assertRegex(lines[0], r'^192\.0\.2\.44 "GET /v2/A/actions" '
                                   r'status: 200 len: \d+ time: [0-9.]+$')
        self.assertRegex(lines[1], r'^192\.0\.2\.44 "GET /v2/A/actions\?'
                                   r'limit=x" status: 400 len: \d+ time: '
                                   r'[0-9.]+ reason: .*limit')


class TestLogHygiene(base.ApiTestCase):
    """Log lines can be trusted: no forged lines, no stale identity."""

    def _logger(self, name):
        """Capture lines with the request id and user of the thread's
        current oslo context, as oslo.log's formatter would show them."""
        lines = []

        class Capture(logging.Handler):
            def emit(self, record):
                current = oslo_context.get_current()
                lines.append('[%s %s] %s' % (
                    getattr(current, 'request_id', None),
                    getattr(current, 'user_id', None), record.getMessage()))

        handler = Capture(level=logging.INFO)
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)
        old_level = logger.level
        logger.setLevel(logging.INFO)
        self.addCleanup(logger.setLevel, old_level)
        return lines

    def test_control_characters_in_the_path_are_escaped(self):
        lines = self._logger('api.access')
        self.request('GET', '/v2/A/actions/x%0A2026 CRITICAL forged%0D%00')
        self.assertEqual(1, len(lines), lines)
        self.assertIn('/v2/A/actions/x\\x0a2026 CRITICAL forged\\x0d\\x00',
                      lines[0])

    def test_each_request_logs_with_its_own_request_id(self):
        lines = self._logger('api.access')
        first = self.request('GET', '/v2/A/actions', user='alice')
        # This one fails before the API's context is built.
        second = self.request('POST', '/v2/A/actions', b'x' * (2 << 20))
        self.assertEqual(413, second.status_int)
        self.assertIn(first.headers['x-openstack-request-id'], lines[0])
        self.assertIn(second.headers['x-openstack-request-id'], lines[1])
        self.assertNotIn('alice', lines[1])


class TestIdentityHeaders(base.ApiTestCase):
    """noauth identity headers become stored ids and log identities: the
    same bounds on every engine, and no control characters."""

    def test_too_long_or_control_characters_are_400(self):
        for header, value in (('X-User-Id', 'u' * 256),
                              ('X-User-Id', 'u\x01'),
                              ('X-Project-Id', 'A\x7f'),
                              ('X-Roles', 'member\x1b[31m')):
            resp = self.request('POST', '/v2/A/actions', base.ACTION,
                                headers={header: value})
            self.assertError(400, resp, header)
        self.assertEqual([], self.request(
            'GET', '/v2/A/actions').json['actions'])

    def test_255_characters_are_kept(self):
        action_id = self.create(user='u' * 255)
        record = self.request('GET', '/v2/A/actions/%s' % action_id).json
        self.assertEqual('u' * 255, record['user_id'])
