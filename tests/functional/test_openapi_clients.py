"""The clients part of api-ref/openapi.yaml is the core's schema (spec
``clients.md``): the registration's keys, patterns and enums."""

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
