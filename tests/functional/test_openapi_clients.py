"""The clients part of api-ref/openapi.yaml is the core's schema (spec
``clients.md``): the registration's keys, patterns and enums."""

import jsonschema

from freezer_core import clients
from freezer_core.schemas import client
from tests.functional import test_openapi


class TestClientSchemas(test_openapi.SchemasTestCase):

    def test_client_info_is_the_core_schema(self):
        core = dict(client.CLIENT_SCHEMA)
        core.pop('$schema')
        core.pop('title')
        self.assertEqual(core, self.schemas['ClientInfo'])

    def test_record_holds_the_rendered_keys(self):
        record = self.schemas['ClientRecord']
        self.assertEqual(list(clients.RECORD_KEYS), list(record['properties']))
        self.assertEqual(list(client.KEYS),
                         record['properties']['client']['required'])

    def registration_errors(self, body):
        """The ClientRegistration schema's errors for ``body``."""
        schema = {'$ref': '#/components/schemas/ClientRegistration',
                  'components': {'schemas': self.schemas}}
        return [e.message for e in
                jsonschema.Draft202012Validator(schema).iter_errors(body)]

    def test_keys_beside_client_are_kept_by_service_and_schema(self):
        # Spec clients.md: other top-level keys are kept (inside client).
        body = {'client': {'client_id': 'n1', 'hostname': 'h1'},
                'site': 'lab', 'hostname': 'h1'}
        info = clients.parse_registration(body)
        self.assertEqual(('lab', 'h1'), (info['site'], info['hostname']))
        self.assertEqual([], self.registration_errors(body))

    def test_a_wrapped_registration_needs_a_valid_client(self):
        self.assertNotEqual([], self.registration_errors(
            {'client': {'client_id': 'bad id'}, 'site': 'lab'}))
        self.assertNotEqual([], self.registration_errors(
            {'client': {'hostname': 'h1'}}))
