"""The OpenAPI description (api-ref/openapi.yaml) cannot drift.

* it is a valid OpenAPI 3.1 document (openapi-spec-validator);
* its paths and methods are exactly the route table's
  (:mod:`api.controllers.root`), and the running stack allows exactly
  those methods on each path (405 ``Allow`` for the others);
* its document schemas are :data:`freezer_core.action_schema.ACTION_SCHEMA`;
* the statuses and error bodies it promises are what the stack answers.

Also the regressions of what schemathesis found against the daemon
(docs/robustness.rst): a malformed form body, a non-ASCII project id in
``Location``, other methods on ``/healthcheck``.
"""

import os
import urllib.parse

import openapi_spec_validator
import testtools
import yaml

from api import routes
from freezer_core import action_schema
from tests.functional.api import base

SPEC_PATH = os.path.join(os.path.dirname(__file__), '..', '..', 'api-ref',
                         'openapi.yaml')
HTTP_METHODS = ('get', 'head', 'post', 'put', 'patch', 'delete', 'options',
                'trace')


def load_spec():
    """Read api-ref/openapi.yaml.

    :returns: dict, the OpenAPI document.
    """
    with open(SPEC_PATH) as spec_file:
        return yaml.safe_load(spec_file)


class SchemasTestCase(testtools.TestCase):
    """``self.schemas``: the ``components.schemas`` of the OpenAPI
    document, for the tests that hold it to the core's schemas."""

    def setUp(self):
        super().setUp()
        self.schemas = load_spec()['components']['schemas']


def _methods(path_item):
    return sorted(m.upper() for m in path_item if m in HTTP_METHODS)


class TestDocument(base.ActionsTestCase):

    def setUp(self):
        super().setUp()
        self.spec = load_spec()

    def test_is_valid_openapi_3_1(self):
        self.assertEqual('3.1.0', self.spec['openapi'])
        openapi_spec_validator.validate(self.spec)

    def test_paths_and_methods_are_the_route_table(self):
        paths = {path: _methods(item)
                 for path, item in self.spec['paths'].items()}
        expected = {route.template: list(route.allowed)
                    for route in routes.ROUTES}
        expected['/healthcheck'] = ['GET', 'HEAD']
        self.assertEqual(expected, paths)

    def test_the_stack_allows_exactly_the_described_methods(self):
        """Ask the running stack: a method the path does not serve gets
        405 and an ``Allow`` header, which must list the described
        methods."""
        action_id = self.create()
        for path, item in self.spec['paths'].items():
            url = path.replace('{project_id}', 'A').replace(
                '{action_id}', action_id)
            # PUT, unless the path serves it (a session's member jobs).
            method = next(m for m in ('PUT', 'PATCH')
                          if m not in _methods(item))
            resp = self.request(method, url, {})
            self.assertError(405, resp)
            allowed = sorted(m.strip() for m in
                             resp.headers['Allow'].split(','))
            self.assertEqual(_methods(item), allowed, path)

    def test_operation_ids_name_every_operation_once(self):
        ids = [op['operationId'] for item in self.spec['paths'].values()
               for method, op in item.items() if method in HTTP_METHODS]
        # Every method of every route, and /healthcheck's GET and HEAD.
        self.assertEqual(sum(len(route.methods) for route in routes.ROUTES)
                         + 2, len(ids))
        self.assertEqual(len(ids), len(set(ids)))

    def test_document_schema_is_the_core_schema(self):
        schemas = self.spec['components']['schemas']
        core = action_schema.ACTION_SCHEMA
        agent = schemas['Agent']
        core_agent = core['properties']['freezer_action']
        self.assertEqual(core_agent['properties'], agent['properties'])
        self.assertEqual(core_agent['required'], agent['required'])
        for document in (schemas['ActionDocument'],
                         schemas['ReplaceDocument']):
            self.assertEqual(core['required'], document['required'])
            self.assertEqual({'$ref': '#/components/schemas/Agent'},
                             document['properties']['freezer_action'])
            for name in ('max_retries', 'max_retries_interval',
                         'mandatory'):
                self.assertEqual(core['properties'][name],
                                 document['properties'][name], name)
        document = schemas['ActionDocument']
        # Replace ignores a body action_id; create uses it.
        self.assertEqual({}, schemas['ReplaceDocument']['properties'][
            'action_id'])
        self.assertEqual(core['properties']['action_id']['pattern'].split(
            '$')[0] + '$', schemas['ActionId']['pattern'])
        # Server fields are described as accepted and ignored.
        for name in action_schema.SERVER_FIELDS:
            self.assertEqual({}, document['properties'][name], name)
            self.assertEqual({}, schemas['PatchDocument']['properties'][name])

    def test_patch_agent_allows_null_except_for_action(self):
        patch = self.spec['components']['schemas']['PatchAgent']
        core = action_schema.ACTION_SCHEMA['properties']['freezer_action']
        self.assertEqual(set(core['properties']), set(patch['properties']))
        self.assertNotIn(None, patch['properties']['action']['enum'])
        self.assertIn(None, patch['properties']['storage']['enum'])

    def test_error_bodies_have_the_described_shape(self):
        error = self.spec['components']['schemas']['Error']
        self.assertEqual(['title', 'description'], error['required'])
        action_id = self.create()
        item = '/v2/A/actions/%s' % action_id
        cases = ((400, 'POST', '/v2/A/actions', {'freezer_action': 1}),
                 (404, 'GET', '/v2/A/actions/nothing', None),
                 (405, 'PUT', item, None),
                 (409, 'POST', '/v2/A/actions',
                  dict(base.ACTION, action_id=action_id)),
                 (753, 'POST', '/v2/A/actions', b'{"a": 1, "a": 2}'))
        for status, method, path, body in cases:
            got = self.assertError(status, self.request(method, path, body))
            self.assertEqual(set(error['properties']), set(got))
        resp = self.request('PATCH', item, {'mandatory': False},
                            headers={'If-Match': '"7"'})
        self.assertError(412, resp)
        operation = self.spec['paths'][
            '/v2/{project_id}/actions/{action_id}']['patch']
        self.assertIn('412', operation['responses'])
        self.assertIn('ETag', self.spec['paths'][
            '/v2/{project_id}/actions/{action_id}']['get']['responses'][
                '200']['headers'])


class TestFindings(base.ActionsTestCase):
    """What schemathesis found against the daemon, as regressions."""

    def test_malformed_form_content_type_is_not_a_500(self):
        action_id = self.create()
        for method, path, body in (
                ('DELETE', '/v2/A/actions/%s' % action_id, None),
                ('GET', '/v2/A/actions', None),
                ('POST', '/v2/A/actions', base.ACTION)):
            resp = self.request(method, path, body, headers={
                'Content-Type': 'multipart/form-data'})
            self.assertLess(resp.status_int, 500, (method, resp.body))
        # The form type never hides the JSON body.
        resp = self.request('POST', '/v2/A/actions', base.ACTION, headers={
            'Content-Type': 'application/x-www-form-urlencoded'})
        self.assertEqual(201, resp.status_int, resp.body)

    def test_location_of_a_non_ascii_project_is_percent_encoded(self):
        project = '\U0003513c\u00e9'
        quoted = urllib.parse.quote(project, safe='')
        resp = self.request('POST', '/v2/%s/actions' % quoted, base.ACTION)
        self.assertEqual(201, resp.status_int, resp.body)
        location = resp.headers['Location']
        location.encode('latin-1')  # Sendable as a header value.
        self.assertTrue(location.endswith(
            '/v2/%s/actions/%s' % (quoted, resp.json['action_id'])))
        self.assertEqual(200, self.request('GET', urllib.parse.urlsplit(
            location).path).status_int)

    def test_healthcheck_answers_get_and_head_only(self):
        self.assertEqual(200, self.request('GET', '/healthcheck').status_int)
        self.assertIn(self.request('HEAD', '/healthcheck').status_int,
                      (200, 204))
        for method in ('TRACE', 'DELETE', 'POST', 'PUT'):
            resp = self.request(method, '/healthcheck')
            self.assertError(405, resp)
            self.assertEqual('GET, HEAD', resp.headers['Allow'])
