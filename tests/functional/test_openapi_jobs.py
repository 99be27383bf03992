"""The jobs part of api-ref/openapi.yaml is the core's schemas (spec
``jobs.md``): the schedule, the document's keys, the ids."""

from freezer_core.schemas import job
from freezer_core.schemas import schedule
from tests.functional import test_openapi


class TestJobSchemas(test_openapi.SchemasTestCase):

    def test_job_schedule_is_the_core_schedule(self):
        core = dict(schedule.SCHEDULE_SCHEMA)
        core.pop('title')
        self.assertEqual(core, self.schemas['JobSchedule'])

    def test_documents_hold_the_core_keys_and_ignore_server_fields(self):
        core = job.JOB_SCHEMA
        for name in ('JobDocument', 'JobPatchDocument'):
            properties = self.schemas[name]['properties']
            self.assertEqual(set(core['properties'])
                             | set(job.SERVER_FIELDS), set(properties))
            for key in ('client_id', 'description', 'session_tag',
                        'job_actions', 'action_defaults'):
                self.assertEqual(core['properties'][key], properties[key])
            for key in job.SERVER_FIELDS:
                self.assertEqual({}, properties[key])
        self.assertEqual(core['required'],
                         self.schemas['JobDocument']['required'])

    def test_a_null_job_schedule_is_accepted(self):
        # Spec jobs.md: ``"job_schedule": null`` is read as ``{}`` on
        # create and replace and as no change on PATCH.
        for name in ('JobDocument', 'JobPatchDocument'):
            self.assertEqual(
                {'anyOf': [{'$ref': '#/components/schemas/JobSchedule'},
                           {'type': 'null'}]},
                self.schemas[name]['properties']['job_schedule'])
