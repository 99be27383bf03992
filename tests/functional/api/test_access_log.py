"""Every request is logged once with its method, path, status and size."""

import logging

import fixtures

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
        self.assertRegex(lines[0], r'^INFO "POST /v2/A/actions" status: 201 '
                                   r'len: \d+ time: \d+\.\d{4}$')
        self.assertIn('"GET /v2/A/actions/%s?x=1" status: 200' % action_id,
                      lines[1])
        self.assertIn('"GET /v2/A/actions/nosuch" status: 404', lines[2])
