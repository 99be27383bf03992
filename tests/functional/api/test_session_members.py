"""Session membership and the member jobs (spec ``sessions.md``,
"Membership" and "Writes"; ``jobs.md``, "Writes", DELETE), and the cases
R17-R19 of ``cases/resources.md``."""

from tests.functional.api import session_helpers

SCHEDULED_JOB = {'job_schedule': {
    'schedule_date': '2026-06-01T02:00:00', 'status': 'scheduled',
    'event': 'start'}}


class TestAdd(session_helpers.SessionsTestCase):

    def setUp(self):
        super().setUp()
        self.session_id = self.create_session(document={
            'schedule': {'schedule_interval': '1 days',
                         'schedule_start_date': '2026-01-01T00:00:00',
                         'event': 'stop', 'status': 'completed'},
            'session_tag': 4})
        self.job_id = self.create_job(**SCHEDULED_JOB)
        self.members = '/v2/A/sessions/%s/jobs/' % self.session_id

    def test_r17_joining_keeps_the_job_state(self):
        """R17: only the schedule_* keys are copied; status, event,
        time_created kept; the tag is the session's."""
        before = self.show_job(self.job_id)
        self.add_job(self.session_id, self.job_id)
        job = self.show_job(self.job_id)
        self.assertEqual(
            {'schedule_interval': '1 days',
             'schedule_start_date': '2026-01-01T00:00:00',
             'status': 'scheduled', 'event': 'start',
             'time_created': before['job_schedule']['time_created'],
             'time_started': -1, 'time_ended': -1},
            job['job_schedule'])
        self.assertEqual((self.session_id, 4, before['_version'] + 1),
                         (job['session_id'], job['session_tag'],
                          job['_version']))
        session = self.show(self.session_id)
        self.assertEqual({self.job_id: {
            'client_id': session_helpers.CLIENT_ID, 'status': 'scheduled',
            'result': '', 'time_started': -1, 'time_ended': -1}},
            session['jobs'])
        self.assertEqual(2, session['_version'])

    def test_re_adding_is_idempotent(self):
        self.add_job(self.session_id, self.job_id)
        session, job = self.show(self.session_id), self.show_job(self.job_id)
        self.add_job(self.session_id, self.job_id)
        self.assertEqual(session, self.show(self.session_id))
        self.assertEqual(job, self.show_job(self.job_id))

    def test_re_adding_copies_the_schedule_again(self):
        self.add_job(self.session_id, self.job_id)
        resp = self.request('PATCH', '/v2/A/sessions/' + self.session_id,
                            {'schedule': {'schedule_interval': '2 hours'}})
        self.assertEqual(200, resp.status_int, resp.body)
        # A schedule change is not copied into members...
        self.assertEqual('1 days', self.show_job(
            self.job_id)['job_schedule']['schedule_interval'])
        # ... until the job is added again.
        self.add_job(self.session_id, self.job_id)
        schedule = self.show_job(self.job_id)['job_schedule']
        self.assertEqual('2 hours', schedule['schedule_interval'])
        self.assertNotIn('schedule_start_date', schedule)

    def test_a_job_is_in_at_most_one_session(self):
        other = self.create_session()
        self.add_job(self.session_id, self.job_id)
        before = self.show(self.session_id)
        self.add_job(other, self.job_id)
        self.assertEqual({}, self.show(self.session_id)['jobs'])
        self.assertEqual(before['_version'] + 1,
                         self.show(self.session_id)['_version'])
        self.assertEqual([self.job_id], list(self.show(other)['jobs']))
        job = self.show_job(self.job_id)
        self.assertEqual((other, 0), (job['session_id'],
                                      job['session_tag']))

    def test_r19_missing_side_is_404_naming_it(self):
        """R19: PUT with no such job, DELETE with no such session."""
        resp = self.request('PUT', self.members + 'nojob')
        self.assertError(404, resp, 'Job nojob')
        resp = self.request('DELETE', '/v2/A/sessions/nosess/jobs/'
                            + self.job_id)
        self.assertError(404, resp, 'Session nosess')
        resp = self.request('PUT', '/v2/A/sessions/nosess/jobs/'
                            + self.job_id)
        self.assertError(404, resp, 'Session nosess')
        self.assertEqual({}, self.show(self.session_id)['jobs'])
        self.assertEqual('', self.show_job(self.job_id)['session_id'])

    def test_another_projects_job_is_never_touched(self):
        job_b = self.create_job('B')
        resp = self.request('PUT', self.members + job_b, project='A',
                            roles='admin')
        self.assertError(404, resp, 'Job')
        self.assertEqual(1, self.show_job(job_b, 'B')['_version'])

    def test_client_set_tag_reaches_every_member(self):
        other_job = self.create_job()
        self.add_job(self.session_id, self.job_id)
        self.add_job(self.session_id, other_job)
        versions = [self.show_job(j)['_version']
                    for j in (self.job_id, other_job)]
        resp = self.request('PATCH', '/v2/A/sessions/' + self.session_id,
                            {'session_tag': 9})
        self.assertEqual(200, resp.status_int, resp.body)
        for job_id, version in zip((self.job_id, other_job), versions):
            job = self.show_job(job_id)
            self.assertEqual((9, version + 1),
                             (job['session_tag'], job['_version']))
        resp = self.request('POST', '/v2/A/sessions/' + self.session_id,
                            {'session_tag': 2})
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual(2, self.show_job(other_job)['session_tag'])
        # A replace without session_tag keeps the tag and the members'.
        resp = self.request('POST', '/v2/A/sessions/' + self.session_id, {})
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual((2, 2), (self.show(self.session_id)['session_tag'],
                                  self.show_job(other_job)['session_tag']))


class TestRemove(session_helpers.SessionsTestCase):

    def setUp(self):
        super().setUp()
        self.session_id = self.create_session(document={
            'schedule': {'schedule_interval': '1 days'}, 'session_tag': 3})
        self.job_id = self.create_job(**SCHEDULED_JOB)
        self.add_job(self.session_id, self.job_id)
        self.path = '/v2/A/sessions/%s/jobs/%s' % (self.session_id,
                                                   self.job_id)

    def test_r18_leaving_stops_the_job_and_keeps_its_schedule(self):
        """R18: event stop, session_id "", schedule_* kept; again 404."""
        before = self.show_job(self.job_id)
        session_version = self.show(self.session_id)['_version']
        resp = self.request('DELETE', self.path)
        self.assertEqual(204, resp.status_int, resp.body)
        job = self.show_job(self.job_id)
        expected = dict(before['job_schedule'], event='stop')
        self.assertEqual(expected, job['job_schedule'])
        self.assertEqual(('', 0, before['_version'] + 1),
                         (job['session_id'], job['session_tag'],
                          job['_version']))
        session = self.show(self.session_id)
        self.assertEqual(({}, session_version + 1),
                         (session['jobs'], session['_version']))
        self.assertError(404, self.request('DELETE', self.path),
                         'not a member')

    def test_leaving_completes_a_run_waiting_only_for_it(self):
        other = self.create_job()
        self.add_job(self.session_id, other)
        self.assertEqual(('success', 4), self.start(self.session_id,
                                                    self.job_id, 3))
        self.assertEqual(('success', 4), self.start(self.session_id,
                                                    other, 3))
        self.end(self.session_id, other, 'success')
        self.assertEqual('running', self.show(self.session_id)['status'])
        resp = self.request('DELETE', self.path)
        self.assertEqual(204, resp.status_int, resp.body)
        session = self.show(self.session_id)
        self.assertEqual(('completed', 'success'),
                         (session['status'], session['result']))
        self.assertNotEqual(-1, session['time_end'])

    def test_job_delete_removes_it_from_its_session(self):
        other = self.create_job()
        self.add_job(self.session_id, other)
        self.start(self.session_id, other, 3)
        self.end(self.session_id, other, 'fail')
        resp = self.request('DELETE', '/v2/A/jobs/' + self.job_id)
        self.assertEqual(204, resp.status_int, resp.body)
        session = self.show(self.session_id)
        self.assertEqual([other], list(session['jobs']))
        self.assertEqual(('completed', 'fail'),
                         (session['status'], session['result']))

    def test_session_delete_detaches_every_member(self):
        other = self.create_job()
        self.add_job(self.session_id, other)
        before = {j: self.show_job(j) for j in (self.job_id, other)}
        resp = self.request('DELETE', '/v2/A/sessions/' + self.session_id)
        self.assertEqual(204, resp.status_int, resp.body)
        for job_id, old in before.items():
            job = self.show_job(job_id)
            self.assertEqual(('', 0, old['_version'] + 1),
                             (job['session_id'], job['session_tag'],
                              job['_version']))
            # Not stopped: the members go on on their own schedules.
            self.assertEqual(old['job_schedule'], job['job_schedule'])
        self.assertError(404, self.request('DELETE', self.path),
                         'Session')

    def test_if_match_is_the_sessions_version(self):
        version = self.show(self.session_id)['_version']
        resp = self.request('DELETE', self.path,
                            headers={'If-Match': '"%d"' % (version + 5)})
        self.assertError(412, resp)
        self.assertEqual([self.job_id],
                         list(self.show(self.session_id)['jobs']))
        resp = self.request('DELETE', self.path,
                            headers={'If-Match': '"%d"' % version})
        self.assertEqual(204, resp.status_int, resp.body)

    def test_methods_and_bodies(self):
        resp = self.request('GET', self.path)
        self.assertError(405, resp)
        self.assertEqual('DELETE, PUT', resp.headers['Allow'])
        resp = self.request('PUT', self.path + '/')
        self.assertEqual(204, resp.status_int, resp.body)
