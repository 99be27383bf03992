"""Search sees the caller's GET view: a hidden ``current_pid`` cannot be
matched (spec ``actions.md``, "Rules every resource shares"; ``jobs.md``,
"Listing").

A job of another project's central client shows no
``job_schedule.current_pid`` to a caller without
``jobs:get_all_projects``; no search of that caller (a key, a dotted
path, ``match`` or ``match_not``, in the body, the ``search`` parameter
or ``_all`` JSON) may tell the pid. Callers who see it match it.
"""

import json

from tests.functional.api import jobs_base

CENTRAL = 'central.example.org'
PID = 42
KEYED = ({'current_pid': PID}, {'job_schedule.current_pid': PID})


class TestHiddenPidSearch(jobs_base.JobsTestCase):

    def setUp(self):
        super().setUp()
        self.register_client('S', CENTRAL, is_central=True)
        running = {'current_pid': PID, 'status': 'running'}
        self.hidden = self.create_job(self.named(
            'hidden', client_id=CENTRAL, job_schedule=running))
        self.own = self.create_job(self.named('own', job_schedule=running))
        self.idle = self.create_job(self.named('idle'))

    def named(self, name, **changes):
        """A job whose ids hold no digit (free text sees ids, and the
        generated ones are hex), referring to an action stored first."""
        action_id = name + '-act'
        resp = self.request('POST', '/v2/A/actions/' + action_id,
                            jobs_base.base.ACTION)
        self.assertEqual(201, resp.status_int, resp.body)
        return jobs_base.job(job_id=name + '-job',
                             job_actions=[{'action_id': action_id}],
                             **changes)

    def found(self, side, pair, how='body', project='A', **caller):
        """The job ids a list of ``project`` answers for one term."""
        document = {side: [pair]}
        if how == 'all':
            document = {side: [{'_all': json.dumps([pair])}]}
        query, body = '?limit=100', document
        if how == 'param':
            query, body = '?limit=100&search=' + json.dumps(document), None
        resp = self.request('GET', '/v2/%s/jobs%s' % (project, query), body,
                            **caller)
        self.assertEqual(200, resp.status_int, resp.body)
        return sorted(job['job_id'] for job in resp.json['jobs'])

    def test_a_tenant_cannot_match_a_hidden_pid(self):
        """Key and path, body, parameter and ``_all`` JSON: the hidden
        job is never matched, and ``match_not`` does not drop it."""
        for pair in KEYED:
            for how in ('body', 'param', 'all'):
                self.assertEqual([self.own], self.found('match', pair, how),
                                 (pair, how))
                self.assertEqual(sorted([self.hidden, self.idle]),
                                 self.found('match_not', pair, how),
                                 (pair, how))

    def test_callers_who_see_the_pid_match_it(self):
        both = sorted([self.hidden, self.own])
        for pair in KEYED:
            self.assertEqual(both, self.found('match', pair, roles='admin'))
            self.assertEqual([self.idle], self.found('match_not', pair,
                                                     roles='admin'))
            resp = self.request(
                'GET', '/v2/A/jobs?all_projects=true&search='
                + json.dumps({'match': [pair]}), roles='service')
            self.assertEqual(both, sorted(
                job['job_id'] for job in resp.json['jobs']))

    def test_the_central_clients_own_project_matches_its_pids(self):
        job_id = self.create_job(jobs_base.job(
            client_id=CENTRAL, job_schedule={'current_pid': PID}),
            project='S')
        for pair in KEYED:
            self.assertEqual([job_id], self.found('match', pair,
                                                  project='S'))

    def test_free_text_never_holds_a_pid(self):
        """A pid is an integer: ``_all`` text does not reach it, for any
        caller."""
        for caller in ({}, {'roles': 'admin'}):
            self.assertEqual([], self.found('match', {'_all': str(PID)},
                                            **caller))

    def test_the_view_at_read_time_decides(self):
        """When the client stops being central, its pids are shown and
        matched again; when it is central again, hidden again."""
        self.register_client('S', CENTRAL, is_central=False)
        self.assertEqual(PID, self.show_job(self.hidden)['job_schedule'][
            'current_pid'])
        self.assertEqual(sorted([self.hidden, self.own]),
                         self.found('match', {'current_pid': PID}))
        self.register_client('S', CENTRAL, is_central=True)
        self.assertEqual([self.own],
                         self.found('match', {'current_pid': PID}))

    def test_an_agent_key_named_current_pid_stays_searchable(self):
        """The GET of a hidden job still shows its actions: an agent key
        ``current_pid`` there is matched, by key and by its own path."""
        action = dict(jobs_base.JOB['job_actions'][0])
        action['freezer_action'] = dict(action['freezer_action'],
                                        current_pid=PID)
        agent = self.create_job(jobs_base.job(
            client_id=CENTRAL, job_actions=[action],
            job_schedule={'current_pid': 7}))
        self.assertEqual(sorted([agent, self.own]),
                         self.found('match', {'current_pid': PID}))
        self.assertEqual([agent], self.found(
            'match', {'job_actions.freezer_action.current_pid': PID}))
        self.assertEqual([], self.found('match', {'current_pid': 7}))
