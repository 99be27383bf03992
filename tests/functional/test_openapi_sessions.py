"""The sessions part of api-ref/openapi.yaml is the core's schemas (spec
``sessions.md``): the document's keys and rules, its schedule, the run
protocol body."""

from freezer_core.schemas import session
from tests.functional import test_openapi


class TestSessionSchemas(test_openapi.SchemasTestCase):

    def test_document_holds_the_core_keys_and_ignores_the_others(self):
        document = self.schemas['SessionDocument']
        core = session.SESSION_SCHEMA['properties']
        ignored = session.SERVER_FIELDS + session.IGNORED_FIELDS
        self.assertFalse(document['additionalProperties'])
        self.assertEqual(set(core) | set(ignored),
                         set(document['properties']))
        for key in ('description', 'hold_off', 'session_tag'):
            self.assertEqual(core[key], document['properties'][key])
        for key in ignored:
            self.assertEqual({}, document['properties'][key])
        # The schedule is a job's (its equality with the core's schedule
        # is test_openapi_jobs'), or null.
        self.assertEqual(
            {'oneOf': [{'$ref': '#/components/schemas/JobSchedule'},
                       {'type': 'null'}]},
            document['properties']['schedule'])

    def test_action_body_is_the_core_protocol_schema(self):
        action = self.schemas['SessionAction']
        core = session.ACTION_SCHEMA
        self.assertEqual((1, 1, False), (action['minProperties'],
                                         action['maxProperties'],
                                         action['additionalProperties']))
        for name in ('start', 'end'):
            self.assertEqual(core['properties'][name]['required'],
                             action['properties'][name]['required'])
            self.assertEqual(set(core['properties'][name]['properties']),
                             set(action['properties'][name]['properties']))
        self.assertEqual(
            core['properties']['end']['properties']['result'],
            action['properties']['end']['properties']['result'])
