"""The jobs resource over HTTP (spec ``jobs.md``): writes and their
transaction, references kept in step with ``/actions``, events, delete,
listing (the scheduler's poll, search over the embedded actions,
``all_projects``), ``current_pid`` visibility and personas.

The cases rows are :mod:`tests.functional.api.test_job_cases`.
"""

import copy

from tests.functional.api import base
from tests.functional.api import jobs_base

#: freezer-scheduler's poll, as the ``search`` parameter.
POLL = ('{"match": [{"client_id": "%s"}], '
        '"match_not": [{"status": "completed"}]}')


class JobWritesTest(jobs_base.JobsTestCase):
    """Create, replace, PATCH and delete."""

    def test_create_answers_the_id_and_location(self):
        resp = self.request('POST', '/v2/A/jobs', jobs_base.job(
            job_id='my-job'))
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual({'job_id': 'my-job'}, resp.json)
        self.assertTrue(resp.headers['Location'].endswith('/v2/A/jobs/my-job'))
        shown = self.show_job('my-job')
        self.assertEqual(('A', '', 0, 'nightly etc'), (
            shown['project_id'], shown['session_id'], shown['session_tag'],
            shown['description']))

    def test_a_taken_id_is_409_in_any_project(self):
        self.register_client('B', jobs_base.CLIENT_ID)
        self.create_job(jobs_base.job(job_id='taken'))
        resp = self.request('POST', '/v2/B/jobs', jobs_base.job(
            job_id='taken'))
        self.assertError(409, resp)

    def test_an_inline_action_is_created_in_actions(self):
        job_id = self.create_job()
        embedded = self.show_job(job_id)['job_actions'][0]
        resp = self.request('GET', '/v2/A/actions/%s'
                            % embedded['action_id'])
        self.assertEqual(200, resp.status_int)
        self.assertEqual(base.ACTION['freezer_action'],
                         resp.json['freezer_action'])

    def test_an_unknown_client_is_422_and_nothing_is_written(self):
        resp = self.request('POST', '/v2/A/jobs', jobs_base.job(
            client_id='other.example.org'))
        self.assertError(422, resp, 'client_id: Client not found')
        self.assertEqual([], self.request('GET', '/v2/A/actions').json[
            'actions'])

    def test_a_capability_the_client_lacks_is_422(self):
        self.register_client('A', 'narrow.example.org',
                             supported_modes=['mysql'])
        resp = self.request('POST', '/v2/A/jobs', jobs_base.job(
            client_id='narrow.example.org'))
        self.assertError(
            422, resp, 'job_actions[0].freezer_action.mode: client '
            'narrow.example.org does not support fs')
        job_id = self.create_job()
        resp = self.patch_job(job_id, {'client_id': 'narrow.example.org'})
        self.assertError(422, resp, 'does not support fs')

    def test_a_disagreeing_reference_is_422(self):
        action_id = self.create()
        resp = self.request('POST', '/v2/A/jobs', jobs_base.job(
            job_actions=[{'action_id': action_id, 'max_retries': 99}]))
        self.assertError(422, resp, 'job_actions[0].max_retries')

    def test_replace_keeps_time_created_and_session_tag(self):
        job_id = self.create_job(jobs_base.job(session_tag=4))
        before = self.show_job(job_id)
        resp = self.request('POST', '/v2/A/jobs/%s' % job_id, {
            'client_id': jobs_base.CLIENT_ID, 'job_actions': []})
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual({'job_id': job_id, 'version': 2}, resp.json)
        after = self.show_job(job_id)
        self.assertEqual(before['job_schedule']['time_created'],
                         after['job_schedule']['time_created'])
        self.assertEqual((4, '', []), (after['session_tag'],
                                       after['description'],
                                       after['job_actions']))

    def test_a_null_job_schedule_is_empty_on_create_and_no_change(self):
        # Spec jobs.md: read as {} on create, as no change on PATCH.
        job_id = self.create_job(jobs_base.job(job_schedule=None))
        created = self.show_job(job_id)['job_schedule']
        self.assertEqual({'event', 'time_created', 'time_started',
                          'time_ended'}, set(created))
        self.assertEqual(('', -1, -1), (created['event'],
                                        created['time_started'],
                                        created['time_ended']))
        self.assertEqual(200, self.patch_job(
            job_id, {'job_schedule': None}).status_int)
        self.assertEqual(created, self.show_job(job_id)['job_schedule'])

    def test_action_defaults_need_job_actions_in_a_patch(self):
        job_id = self.create_job()
        resp = self.patch_job(job_id, {'action_defaults': {'container': 'c'}})
        self.assertError(400, resp, 'action_defaults')

    def test_if_match_guards_patch_and_events(self):
        job_id = self.create_job()
        resp = self.patch_job(job_id, {'description': 'y'},
                              headers={'If-Match': '"7"'})
        self.assertError(412, resp)
        resp = self.event(job_id, {'start': None},
                          headers={'If-Match': '"7"'})
        self.assertError(412, resp)
        resp = self.event(job_id, {'start': None},
                          headers={'If-Match': '"1"'})
        self.assertEqual(202, resp.status_int, resp.body)
        self.assertEqual('"2"', resp.headers['ETag'])

    def test_event_bodies_other_than_one_event_are_400(self):
        job_id = self.create_job()
        for body in ({}, {'start': None, 'stop': None}, ['start'], None):
            self.assertError(400, self.event(job_id, body))

    def test_delete_keeps_the_actions(self):
        job_id = self.create_job()
        action_id = self.show_job(job_id)['job_actions'][0]['action_id']
        resp = self.request('DELETE', '/v2/A/jobs/%s' % job_id)
        self.assertEqual(204, resp.status_int, resp.body)
        self.assertEqual(b'', resp.body)
        self.assertError(404, self.request('GET', '/v2/A/jobs/%s' % job_id))
        self.assertEqual(200, self.request(
            'GET', '/v2/A/actions/%s' % action_id).status_int)

    def test_delete_removes_the_job_from_its_session(self):
        job_id = self.create_job()
        session_id = self.request('POST', '/v2/A/sessions', {
            'description': 's'}).json['session_id']
        session = '/v2/A/sessions/%s' % session_id
        resp = self.request('PUT', '%s/jobs/%s' % (session, job_id))
        self.assertEqual(204, resp.status_int, resp.body)
        self.assertEqual(session_id, self.show_job(job_id)['session_id'])
        self.assertEqual([job_id], list(self.request('GET', session).json[
            'jobs']))
        self.assertEqual(204, self.request(
            'DELETE', '/v2/A/jobs/%s' % job_id).status_int)
        self.assertEqual({}, self.request('GET', session).json['jobs'])

    def test_delete_of_a_missing_or_foreign_job_is_404(self):
        job_id = self.create_job()
        self.assertError(404, self.request('DELETE', '/v2/A/jobs/nope'))
        self.assertError(404, self.request('DELETE', '/v2/B/jobs/%s'
                                           % job_id, roles='admin'))
        self.assertError(404, self.request('GET', '/v2/B/jobs/%s' % job_id,
                                           roles='admin'))
        self.assertEqual(1, self.show_job(job_id)['_version'])


class JobReferencesTest(jobs_base.JobsTestCase):
    """Changes in ``/actions`` reach the jobs embedding the action."""

    def test_changing_an_action_refreshes_its_jobs(self):
        action_id = self.create()
        job_id = self.create_job(jobs_base.job(
            job_actions=[{'action_id': action_id}, {'action_id': action_id}]))
        resp = self.request('PATCH', '/v2/A/actions/%s' % action_id,
                            {'freezer_action': {'mode': 'mysql'}})
        self.assertEqual(200, resp.status_int, resp.body)
        shown = self.show_job(job_id)
        self.assertEqual(2, shown['_version'])
        self.assertEqual(['mysql', 'mysql'], [
            a['freezer_action']['mode'] for a in shown['job_actions']])
        self.assertEqual([job_id], self.job_ids(
            query='?search={"match":[{"mode":"mysql"}]}'))
        self.assertEqual([], self.job_ids(
            query='?search={"match":[{"mode":"fs"}]}'))

    def test_deleting_an_action_removes_it_from_its_jobs(self):
        kept = self.create()
        gone = self.create(document=dict(copy.deepcopy(base.ACTION),
                                         max_retries=1))
        job_id = self.create_job(jobs_base.job(job_actions=[
            {'action_id': gone}, {'action_id': kept}, {'action_id': gone}]))
        resp = self.request('DELETE', '/v2/A/actions/%s' % gone)
        self.assertEqual(204, resp.status_int, resp.body)
        shown = self.show_job(job_id)
        self.assertEqual([kept], [a['action_id']
                                  for a in shown['job_actions']])
        self.assertEqual(2, shown['_version'])
        # The references follow: a PATCH with the same ids is a no-op.
        resp = self.patch_job(job_id, {'job_actions': [{'action_id': kept}]})
        self.assertEqual(200, resp.status_int, resp.body)


class JobListingTest(jobs_base.JobsTestCase):
    """The scheduler's poll, search, paging and ``all_projects``."""

    def test_the_scheduler_poll(self):
        self.register_client('A', 'other.example.org')
        mine = [self.create_job() for _ in range(12)]
        done = self.create_job(jobs_base.job(job_schedule={
            'status': 'completed'}))
        self.create_job(jobs_base.job(client_id='other.example.org'))
        poll = POLL % jobs_base.CLIENT_ID
        pages = [self.job_ids(query='?limit=10&offset=%d&search=%s'
                              % (offset, poll)) for offset in (0, 10, 20)]
        self.assertEqual((10, 2, 0), tuple(len(page) for page in pages))
        self.assertEqual(sorted(mine), sorted(pages[0] + pages[1]))
        # A start event puts the completed job back into the poll.
        self.event(done, {'start': None})
        self.assertIn(done, self.job_ids(query='?limit=20&search=' + poll))

    def test_search_sees_the_embedded_actions(self):
        job_id = self.create_job()
        other = self.create_job(jobs_base.job(job_actions=[]))
        self.assertEqual([job_id], self.job_ids(
            query='?search={"match":[{"path_to_backup":"/etc"}]}'))
        self.assertEqual([other], self.job_ids(
            query='?search={"match_not":[{"mode":"fs"}]}'))

    def test_all_projects_needs_its_rule(self):
        self.register_client('B', jobs_base.CLIENT_ID)
        a = self.create_job()
        b = self.create_job(project='B')
        resp = self.request('GET', '/v2/A/jobs?all_projects=True')
        self.assertError(403, resp, 'jobs:get_all_projects')
        for roles in ('admin', 'service'):
            resp = self.request('GET', '/v2/A/jobs?all_projects=true',
                                roles=roles)
            self.assertEqual(200, resp.status_int, resp.body)
            self.assertEqual(sorted([a, b]), sorted(
                j['job_id'] for j in resp.json['jobs']))
        resp = self.request('GET', '/v2/A/jobs?all_projects=False',
                            roles='admin')
        self.assertEqual([a], [j['job_id'] for j in resp.json['jobs']])
        self.assertError(400, self.request(
            'GET', '/v2/A/jobs?all_projects=maybe', roles='admin'),
            'all_projects')

    def test_current_pid_of_another_projects_central_client(self):
        self.register_client('S', 'central.example.org', is_central=True)
        job_id = self.create_job(jobs_base.job(
            client_id='central.example.org',
            job_schedule={'current_pid': 42, 'status': 'running'}))
        self.assertNotIn('current_pid',
                         self.show_job(job_id)['job_schedule'])
        listed = self.request('GET', '/v2/A/jobs').json['jobs'][0]
        self.assertNotIn('current_pid', listed['job_schedule'])
        resp = self.request('GET', '/v2/A/jobs/%s' % job_id, roles='admin')
        self.assertEqual(42, resp.json['job_schedule']['current_pid'])
        own = self.create_job(jobs_base.job(job_schedule={'current_pid': 5}))
        self.assertEqual(5, self.show_job(own)['job_schedule']['current_pid'])


class JobPersonasTest(jobs_base.JobsTestCase):
    """``policies/jobs.py`` defaults, persona by persona."""

    def test_reader_can_read_but_not_write(self):
        job_id = self.create_job()
        resp = self.request('GET', '/v2/A/jobs/%s' % job_id, project='A',
                            roles='reader')
        self.assertEqual(200, resp.status_int)
        for method, path, body, rule in (
                ('POST', '/v2/A/jobs', jobs_base.JOB, 'jobs:create'),
                ('PATCH', '/v2/A/jobs/' + job_id, {}, 'jobs:update'),
                ('POST', '/v2/A/jobs/%s/event' % job_id, {'stop': None},
                 'jobs:event:create'),
                ('DELETE', '/v2/A/jobs/' + job_id, None, 'jobs:delete')):
            resp = self.request(method, path, body, project='A',
                                roles='reader')
            self.assertError(403, resp, rule)

    def test_member_of_another_project_is_403(self):
        resp = self.request('GET', '/v2/A/jobs', project='B', roles='member')
        self.assertError(403, resp, 'jobs:get_all')

    def test_service_reads_but_does_not_write(self):
        self.assertEqual(200, self.request(
            'GET', '/v2/A/jobs', project='S', roles='service').status_int)
        self.assertError(403, self.request(
            'POST', '/v2/A/jobs', jobs_base.JOB, project='S',
            roles='service'), 'jobs:create')
