"""The jobs rows of ``cases/resources.md`` (R01-R13, R32), over HTTP.

Each test is one row: the requests it names and the values it expects,
on every engine (:mod:`tests.functional.backends`). R11's trust part
needs Keystone: :mod:`tests.functional.keystone.test_job_trusts`.
"""

import copy

from tests.functional.api import base
from tests.functional.api import jobs_base


class JobCasesTest(jobs_base.JobsTestCase):
    """R01-R13 and R32."""

    def test_r01_a_patch_keeps_the_schedule_it_does_not_name(self):
        job_id = self.create_job(jobs_base.job(job_schedule={
            'schedule_interval': '1 days', 'status': 'stop'}))
        created = self.show_job(job_id)['job_schedule']['time_created']
        resp = self.patch_job(job_id, {'job_schedule': {'event': 'stop'}})
        self.assertEqual(200, resp.status_int, resp.body)
        resp = self.patch_job(job_id, {'description': 'x'})
        self.assertEqual(200, resp.status_int, resp.body)
        job_schedule = self.show_job(job_id)['job_schedule']
        self.assertEqual('1 days', job_schedule['schedule_interval'])
        self.assertEqual('stop', job_schedule['status'])
        self.assertEqual(created, job_schedule['time_created'])
        self.assertEqual('stop', job_schedule['event'])

    def test_r02_the_schedule_keys_are_replaced_as_one_unit(self):
        job_id = self.create_job(jobs_base.job(job_schedule={
            'schedule_start_date': '2026-01-01T00:00:00',
            'schedule_interval': '1 days',
            'schedule_end_date': '2027-01-01T00:00:00',
            'status': 'scheduled'}))
        resp = self.patch_job(job_id, {'description': 'd', 'job_schedule': {
            'schedule_start_date': '2026-02-01T00:00:00',
            'schedule_interval': '2 days'}})
        self.assertEqual(200, resp.status_int, resp.body)
        job_schedule = self.show_job(job_id)['job_schedule']
        self.assertNotIn('schedule_end_date', job_schedule)
        self.assertEqual('2 days', job_schedule['schedule_interval'])
        self.assertEqual('scheduled', job_schedule['status'])

    def test_r03_scheduler_writes_do_not_depend_on_the_client(self):
        job_id = self.create_job()
        stale = self.show_job(job_id)
        action_id = stale['job_actions'][0]['action_id']
        resp = self.request('PATCH', '/v2/A/actions/%s' % action_id,
                            {'max_retries': 1})
        self.assertEqual(200, resp.status_int, resp.body)
        self.delete_client('A', jobs_base.CLIENT_ID)
        scheduler_patch = {
            'job_schedule': dict(stale['job_schedule'], status='running',
                                 current_pid=7),
            'session_id': '', 'session_tag': 0}
        resp = self.patch_job(job_id, scheduler_patch)
        self.assertEqual(200, resp.status_int, resp.body)
        resp = self.patch_job(job_id, stale)
        self.assertEqual(200, resp.status_int, resp.body)
        shown = self.show_job(job_id)
        self.assertEqual([action_id],
                         [a['action_id'] for a in shown['job_actions']])
        self.assertEqual(1, shown['job_actions'][0]['max_retries'])
        self.assertEqual(7, shown['job_schedule']['current_pid'])
        resp = self.patch_job(job_id, {'job_actions': [base.ACTION]})
        self.assertError(422, resp, 'Client not found')

    def test_r04_an_event_the_scheduler_cannot_handle_is_refused(self):
        resp = self.request('POST', '/v2/A/jobs', jobs_base.job(
            job_schedule={'event': 'remove'}))
        self.assertError(400, resp, 'job_schedule.event')
        job_id = self.create_job()
        resp = self.patch_job(job_id, {'job_schedule': {'event': 'remove'}})
        self.assertError(400, resp, 'job_schedule.event')
        resp = self.event(job_id, {'remove': None})
        self.assertError(400, resp)
        self.assertEqual('', self.show_job(job_id)['job_schedule']['event'])

    def test_r05_an_event_on_a_missing_job_is_404(self):
        self.assertError(404, self.event('nope', {'start': None}))

    def test_r06_events_are_idempotent(self):
        job_id = self.create_job(jobs_base.job(job_schedule={
            'status': 'completed', 'result': 'success'}))
        resp = self.event(job_id, {'start': None})
        self.assertEqual(202, resp.status_int, resp.body)
        self.assertEqual({'result': 'success'}, resp.json)
        shown = self.show_job(job_id)
        self.assertEqual(('start', '', ''), (
            shown['job_schedule']['event'], shown['job_schedule']['status'],
            shown['job_schedule']['result']))
        resp = self.event(job_id, {'start': None})
        self.assertEqual(202, resp.status_int, resp.body)
        self.assertEqual({'result': 'start already requested'}, resp.json)
        self.assertEqual(shown['_version'],
                         self.show_job(job_id)['_version'])
        resp = self.event(job_id, {'stop': None})
        self.assertEqual({'result': 'success'}, resp.json)
        self.assertEqual('stop',
                         self.show_job(job_id)['job_schedule']['event'])

    def test_r07_mandatory_and_retries_are_kept(self):
        action = dict(copy.deepcopy(base.ACTION), mandatory=True,
                      max_retries=3)
        job_id = self.create_job(jobs_base.job(job_actions=[action]))
        embedded = self.show_job(job_id)['job_actions'][0]
        stored = self.request('GET', '/v2/A/actions/%s'
                              % embedded['action_id']).json
        for shown in (embedded, stored):
            self.assertEqual((True, 3), (shown['mandatory'],
                                         shown['max_retries']))
        self.assertEqual(stored, embedded)

    def test_r08_a_reference_sent_back_padded_with_nulls(self):
        action_id = self.create()
        action = self.request('GET', '/v2/A/actions/%s' % action_id).json
        action['freezer_action'].update(storage=None, engine=None,
                                        engine_name=None)
        job_id = self.create_job()
        before = self.all_ids()
        resp = self.patch_job(job_id, {'job_actions': [action]})
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual([action_id], [a['action_id'] for a in
                                       self.show_job(job_id)['job_actions']])
        self.assertEqual(before, self.all_ids())

    def all_ids(self):
        resp = self.request('GET', '/v2/A/actions?limit=1000')
        return sorted(a['action_id'] for a in resp.json['actions'])

    def test_r09_defaults_fill_inline_entries_only(self):
        action_id = self.create()
        job_id = self.create_job(jobs_base.job(
            action_defaults={'container': 'd'},
            job_actions=[{'action_id': action_id},
                         {'freezer_action': {'action': 'backup',
                                             'container': None}}]))
        shown = self.show_job(job_id)
        self.assertNotIn('action_defaults', shown)
        reference, inline = shown['job_actions']
        self.assertEqual('freezer_etc',
                         reference['freezer_action']['container'])
        self.assertEqual(base.ACTION['freezer_action'], self.request(
            'GET', '/v2/A/actions/%s' % action_id).json['freezer_action'])
        self.assertEqual({'action': 'backup', 'container': 'd'},
                         inline['freezer_action'])

    def test_r10_another_projects_action_is_not_found(self):
        foreign = self.create(project='B')
        before = self.all_ids()
        answers = []
        for action_id in (foreign, 'unknown-action'):
            resp = self.request('POST', '/v2/A/jobs', jobs_base.job(
                job_actions=[base.ACTION, {'action_id': action_id}]))
            answers.append(self.assertError(422, resp)['description'])
        self.assertEqual(['job_actions[1].action_id: not found'] * 2,
                         answers)
        self.assertEqual(before, self.all_ids())
        self.assertEqual([], self.job_ids())

    def test_r11_create_through_the_item_route(self):
        resp = self.request('POST', '/v2/A/jobs/newid', jobs_base.JOB)
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual({'job_id': 'newid', 'version': 1}, resp.json)
        job_schedule = self.show_job('newid')['job_schedule']
        self.assertIsInstance(job_schedule['time_created'], int)
        self.assertEqual(-1, job_schedule['time_started'])

    def test_r12_the_pattern_is_checked_before_the_client(self):
        for client_id in ('bad%project$id_host.domain.tld',
                          'bad%project$id_bad_hostname.bad/domain.b'):
            resp = self.request('POST', '/v2/A/jobs',
                                jobs_base.job(client_id=client_id))
            self.assertError(400, resp, 'client_id')
        self.register_client('A', 'padawan-ccp-c1-m1-mgmt')
        self.create_job(jobs_base.job(client_id='padawan-ccp-c1-m1-mgmt'))

    def test_r13_schedules_the_scheduler_cannot_parse(self):
        for key, value in (('schedule_interval', '5  minutes'),
                           ('schedule_interval', '0 days'),
                           ('schedule_start_date',
                            '2026-01-01T00:00:00+02:00')):
            resp = self.request('POST', '/v2/A/jobs', jobs_base.job(
                job_schedule={key: value}))
            self.assertError(400, resp, 'job_schedule.' + key)
        self.assertEqual([], self.job_ids())

    def test_r32_abort_with_nothing_to_abort(self):
        job_id = self.create_job()
        self.assertError(409, self.event(job_id, {'abort': None}),
                         'current_pid')
        resp = self.patch_job(job_id, {'job_schedule': {'event': 'abort'}})
        self.assertError(400, resp, 'job_schedule.event')
        shown = self.show_job(job_id)
        self.assertEqual('', shown['job_schedule']['event'])
        self.assertEqual(1, shown['_version'])
