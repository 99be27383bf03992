"""``freezer-manage db import-reference``: a reference freezer-api 19.0.0
database, imported, looks the same through our API.

The source is ``tests/functional/fixtures/reference-19.0.0.sqlite``, built by
``tools/reference-db/build-fixture.sh`` with the reference's own alembic
migrations and filled through the reference's own API (two projects,
values it accepts that our rules refuse among them);
``fixtures/reference-19.0.0-answers.json`` is what the reference's API
listed of it. Installing freezer-api 19.0.0 takes minutes, so the file is
built once and committed; run the script again to rebuild both.

The comparison allows exactly the documented differences
(``docs/migrating-from-freezer-api.rst``): no ``null`` padding of
``freezer_action``; ``job_schedule.event`` always present; the documents
our rules refuse skipped with their reason; a backup's server fields not
kept in its metadata; a job whose session was skipped in no session.
"""

import datetime
import json
import os
import shutil
import sqlite3

import fixtures
import testtools

from freezer_core.storage import reference_writes
from freezer_daemon import wiring
from tests import base as tests_base
from tests.functional.api import base

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(__file__)),
                        'fixtures')
SOURCE = os.path.join(FIXTURES, 'reference-19.0.0.sqlite')
ANSWERS = os.path.join(FIXTURES, 'reference-19.0.0-answers.json')
PROJECT_A = 'b0f5c0a7e1d34a6f9a2f4a1e0c3d5e7a'
PROJECT_B = 'c1a6d1b8f2e45b7fab3f5b2f1d4e6f8b'
RESOURCES = ('actions', 'jobs', 'sessions', 'clients', 'backups')
#: The job whose session is skipped: imported in no session.
DETACHED_JOB = 'orphan-job'


def copy_source(test):
    """A copy of the fixture database in a temporary directory (SQLite
    may write beside a file it opens); returns its URL."""
    directory = test.useFixture(fixtures.TempDir()).path
    path = os.path.join(directory, 'reference.sqlite')
    shutil.copy(SOURCE, path)
    return 'sqlite:///' + path


def answers():
    with open(ANSWERS) as answers_file:
        return json.load(answers_file)


def _generated_ids():
    """The ids the reference generated that the checks name: the
    session whose ``hold_off`` is ``"x"`` (R21) and the backup whose
    metadata holds a ``backup_id`` (R28)."""
    shown = answers()[PROJECT_A]
    session = [s['session_id'] for s in shown['sessions']
               if s['hold_off'] == 'x']
    backup = [b['backup_id'] for b in shown['backups']
              if 'backup_id' in b['backup_metadata']]
    return session[0], backup[0]


BAD_SESSION, BACKUP_WITH_ID = _generated_ids()
#: The documents our rules refuse, and the rule named.
SKIPPED = {
    'clients': {'slashed.example.com': 'hostname'},
    'actions': {'typed-wrong': 'freezer_action.max_level'},
    'sessions': {BAD_SESSION: 'hold_off'},
    'jobs': {}, 'backups': {},
}


def without_nulls(agent):
    """A ``freezer_action`` without its ``null`` keys (the reference's GET
    pads every column it has with ``null``)."""
    return {key: value for key, value in agent.items() if value is not None}


def reference_times(table):
    """``{id: created_at}`` of a reference table, as our API renders it."""
    with sqlite3.connect(SOURCE) as connection:
        rows = connection.execute('SELECT id, created_at FROM %s' % table)
        return {identifier: datetime.datetime.fromisoformat(created)
                .strftime('%Y-%m-%dT%H:%M:%S.%fZ')
                for identifier, created in rows}


class TestImportedDocuments(base.ApiTestCase):
    """Import the fixture, then read everything through the HTTP stack."""

    def setUp(self):
        super().setUp()
        self.repositories = wiring.repositories(self.conf)
        self.outcomes = reference_writes.import_reference(
            copy_source(self), self.repositories)
        self.shown = answers()

    def get(self, path):
        resp = self.request('GET', path)
        self.assertEqual(200, resp.status_int, resp.body)
        return resp.json

    def listed(self, project, resource):
        return {self.key(resource, doc): doc for doc in self.get(
            '/v2/%s/%s?limit=100' % (project, resource))[resource]}

    @staticmethod
    def key(resource, doc):
        if resource == 'clients':
            return doc['client']['client_id']
        return doc[resource[:-1] + '_id']

    def expected(self, project, resource):
        return {self.key(resource, doc): doc
                for doc in self.shown[project][resource]
                if self.key(resource, doc) not in SKIPPED[resource]}

    def test_summary_names_every_skip_and_change(self):
        imported = {name: len(outcome.imported)
                    for name, outcome in self.outcomes.items()}
        self.assertEqual({'clients': 4, 'actions': 4, 'jobs': 4,
                          'sessions': 1, 'backups': 4}, imported)
        for name, outcome in self.outcomes.items():
            self.assertEqual(set(SKIPPED[name]),
                             {identifier for identifier, _ in
                              outcome.skipped})
            for identifier, reason in outcome.skipped:
                self.assertIn(SKIPPED[name][identifier], reason)
        self.assertEqual(
            [DETACHED_JOB], [i for i, _ in self.outcomes['jobs'].notes])
        self.assertEqual([BACKUP_WITH_ID],
                         [i for i, _ in self.outcomes['backups'].notes])

    def test_actions_are_the_same(self):
        created = reference_times('actions')
        for project in (PROJECT_A, PROJECT_B):
            expected = self.expected(project, 'actions')
            ours = self.listed(project, 'actions')
            self.assertEqual(sorted(expected), sorted(ours))
            for action_id, theirs in expected.items():
                mine = ours[action_id]
                for key in ('project_id', 'user_id', 'max_retries',
                            'max_retries_interval'):
                    self.assertEqual(theirs[key], mine[key], key)
                self.assertEqual(without_nulls(theirs['freezer_action']),
                                 mine['freezer_action'])
                self.assertEqual(1, mine['_version'])
                self.assertEqual(created[action_id], mine['created_at'])

    def test_jobs_are_the_same_with_their_actions_in_order(self):
        created = reference_times('jobs')
        expected = self.expected(PROJECT_A, 'jobs')
        ours = self.listed(PROJECT_A, 'jobs')
        self.assertEqual(sorted(expected), sorted(ours))
        self.assertEqual({}, self.listed(PROJECT_B, 'jobs'))
        for job_id, theirs in expected.items():
            mine = self.get('/v2/%s/jobs/%s' % (PROJECT_A, job_id))
            for key in ('project_id', 'user_id', 'client_id',
                        'description', 'session_tag'):
                self.assertEqual(theirs[key], mine[key], key)
            schedule = dict(theirs['job_schedule'])
            schedule.setdefault('event', '')
            self.assertEqual(schedule, mine['job_schedule'])
            session_id = '' if job_id == DETACHED_JOB else \
                theirs['session_id']
            self.assertEqual(session_id, mine['session_id'])
            self.assertEqual(
                [(a['action_id'], without_nulls(a['freezer_action']),
                  a['max_retries']) for a in theirs['job_actions']],
                [(a['action_id'], a['freezer_action'], a['max_retries'])
                 for a in mine['job_actions']])
            self.assertEqual(created[job_id], mine['created_at'])

    def test_a_job_refused_today_keeps_its_values(self):
        job = self.get('/v2/%s/jobs/stopped-job' % PROJECT_A)
        # jobs.md: a job imported from the reference may hold values
        # refused today, and its scheduler's updates must still land.
        self.assertEqual({'event': 'remove',
                          'schedule_interval': '5  minutes'},
                         job['job_schedule'])
        resp = self.request(
            'PATCH', '/v2/%s/jobs/stopped-job' % PROJECT_A,
            {'job_schedule': dict(job['job_schedule'], status='running',
                                  current_pid=7),
             'session_id': '', 'session_tag': 0})
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual(2, resp.json['version'])

    def test_the_scheduler_poll_finds_the_imported_jobs(self):
        client_id = '%s_node1.example.com' % PROJECT_A
        search = {'match': [{'client_id': client_id}],
                  'match_not': [{'status': 'completed'}]}
        resp = self.request('GET', '/v2/%s/jobs?limit=10' % PROJECT_A,
                            search)
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual(['etc-job', 'orphan-job', 'stopped-job'],
                         sorted(job['job_id'] for job in resp.json['jobs']))

    def test_sessions_are_the_same_with_their_members(self):
        expected = self.expected(PROJECT_A, 'sessions')
        ours = self.listed(PROJECT_A, 'sessions')
        self.assertEqual(sorted(expected), sorted(ours))
        for session_id, theirs in expected.items():
            mine = ours[session_id]
            for key, value in theirs.items():
                self.assertEqual(value, mine[key], key)
            self.assertEqual(['session-job'], sorted(mine['jobs']))

    def test_a_member_leaves_the_imported_session(self):
        session_id = sorted(self.expected(PROJECT_A, 'sessions'))[0]
        resp = self.request('DELETE', '/v2/%s/sessions/%s/jobs/session-job'
                            % (PROJECT_A, session_id))
        self.assertEqual(204, resp.status_int, resp.body)
        job = self.get('/v2/%s/jobs/session-job' % PROJECT_A)
        self.assertEqual('', job['session_id'])
        self.assertEqual('stop', job['job_schedule']['event'])

    def test_clients_are_the_same(self):
        for project in (PROJECT_A, PROJECT_B):
            expected = self.expected(project, 'clients')
            ours = self.listed(project, 'clients')
            # Ours also lists the central clients of other projects.
            self.assertEqual(set(), set(expected) - set(ours))
            for client_id, theirs in expected.items():
                mine = self.get('/v2/%s/clients/%s' % (project, client_id))
                self.assertEqual(theirs['client'], mine['client'])
                self.assertEqual(theirs['project_id'], mine['project_id'])
                self.assertEqual(theirs['user_id'], mine['user_id'])
        central = self.get('/v2/%s/clients/central.example.com'
                           % PROJECT_B)
        self.assertEqual(PROJECT_A, central['project_id'])

    def test_backups_are_the_same(self):
        for project in (PROJECT_A, PROJECT_B):
            expected = self.expected(project, 'backups')
            ours = self.listed(project, 'backups')
            self.assertEqual(sorted(expected), sorted(ours))
            for backup_id, theirs in expected.items():
                theirs = dict(theirs)
                if backup_id == BACKUP_WITH_ID:
                    theirs['backup_metadata'] = dict(
                        theirs['backup_metadata'])
                    del theirs['backup_metadata']['backup_id']
                self.assertEqual(theirs, ours[backup_id])
        search = {'time_after': 1700000001}
        resp = self.request('GET', '/v2/%s/backups' % PROJECT_A, search)
        self.assertEqual([BACKUP_WITH_ID],
                         [b['backup_id'] for b in resp.json['backups']])

    def test_a_second_import_changes_nothing(self):
        before = {resource: self.listed(project, resource)
                  for project in (PROJECT_A,) for resource in RESOURCES}
        again = reference_writes.import_reference(copy_source(self),
                                                  self.repositories)
        for name, outcome in again.items():
            self.assertEqual([], outcome.imported)
            reasons = {i: r for i, r in outcome.skipped}
            for identifier in self.outcomes[name].imported:
                self.assertEqual(reference_writes.ALREADY_PRESENT,
                                 reasons[identifier])
        after = {resource: self.listed(PROJECT_A, resource)
                 for resource in RESOURCES}
        self.assertEqual(before, after)


class TestImportEdgeCases(base.ApiTestCase):
    """Sources changed with SQL where the reference's API would not go,
    and a target that already holds some ids."""

    def setUp(self):
        super().setUp()
        self.repositories = wiring.repositories(self.conf)
        self.url = copy_source(self)

    def source_sql(self, *statements):
        with sqlite3.connect(self.url[len('sqlite:///'):]) as connection:
            for statement, parameters in statements:
                connection.execute(statement, parameters)

    def run_import(self):
        outcomes = reference_writes.import_reference(self.url,
                                                     self.repositories)
        return {name: dict(outcome.skipped)
                for name, outcome in outcomes.items()}, outcomes

    def test_a_central_id_held_by_another_project_is_skipped(self):
        resp = self.request('POST', '/v2/%s/clients' % PROJECT_B,
                            {'client_id': 'central.example.com'})
        self.assertEqual(201, resp.status_int, resp.body)
        skipped, _ = self.run_import()
        self.assertIn('project %s holds it' % PROJECT_B,
                      skipped['clients']['central.example.com'])
        # Project B's own client is unchanged; A's other clients came in.
        mine = self.request('GET', '/v2/%s/clients/central.example.com'
                            % PROJECT_B).json
        self.assertEqual(PROJECT_B, mine['project_id'])
        self.assertEqual(200, self.request(
            'GET', '/v2/%s/clients/node2.example.com'
            % PROJECT_A).status_int)

    def test_a_taken_id_of_another_project_is_not_overwritten(self):
        resp = self.request('POST', '/v2/%s/actions' % PROJECT_B,
                            dict(base.ACTION, action_id='etc-backup'))
        self.assertEqual(201, resp.status_int, resp.body)
        skipped, outcomes = self.run_import()
        self.assertEqual(reference_writes.ALREADY_PRESENT,
                         skipped['actions']['etc-backup'])
        self.assertEqual(404, self.request(
            'GET', '/v2/%s/actions/etc-backup' % PROJECT_A).status_int)
        # The jobs that referenced it lose the reference, with a note.
        job = self.request('GET', '/v2/%s/jobs/etc-job' % PROJECT_A).json
        ids = [a['action_id'] for a in job['job_actions']]
        self.assertEqual(2, len(ids))
        self.assertEqual('etc-restore', ids[1])
        self.assertNotIn('etc-backup', ids)
        self.assertIn('etc-job', dict(outcomes['jobs'].notes))

    def test_a_reference_to_another_projects_action_is_left_out(self):
        self.source_sql((
            "UPDATE job_actions SET action_id = 'b-info' "
            "WHERE job_id = 'etc-job' AND position = 0", ()))
        _, outcomes = self.run_import()
        job = self.request('GET', '/v2/%s/jobs/etc-job' % PROJECT_A).json
        self.assertEqual(2, len(job['job_actions']))
        self.assertEqual('etc-restore', job['job_actions'][1]['action_id'])
        self.assertIn('b-info', dict(outcomes['jobs'].notes)['etc-job'])

    def test_a_job_whose_values_cannot_be_stored_is_skipped(self):
        self.source_sql(
            ("UPDATE jobs SET schedule = ? WHERE id = 'orphan-job'",
             (json.dumps({'status': 'x' * 40}),)),
            ("UPDATE jobs SET schedule = '[1]' WHERE id = 'stopped-job'",
             ()))
        skipped, outcomes = self.run_import()
        self.assertIn('job_schedule.status', skipped['jobs']['orphan-job'])
        self.assertIn('job_schedule: not an object',
                      skipped['jobs']['stopped-job'])
        self.assertEqual(['etc-job', 'session-job'],
                         sorted(outcomes['jobs'].imported))


class TestImportCommand(testtools.TestCase):
    """The installed ``freezer-manage`` script: summary and exit status."""

    def setUp(self):
        super().setUp()
        self.config = self.useFixture(tests_base.ServiceConfig())

    def _manage(self, *args):
        return self.config.run_script('freezer-manage', *args)

    def test_import_prints_the_summary_and_a_second_run_skips_all(self):
        self.assertEqual(0, self._manage('db', 'sync').returncode)
        source = copy_source(self)
        first = self._manage('db', 'import-reference', '--source', source)
        self.assertEqual(0, first.returncode, first.stderr)
        lines = first.stdout.splitlines()
        self.assertIn('clients: 4 imported, 1 skipped', lines)
        self.assertIn('actions: 4 imported, 1 skipped', lines)
        self.assertIn('jobs: 4 imported, 0 skipped', lines)
        self.assertIn('sessions: 1 imported, 1 skipped', lines)
        self.assertIn('backups: 4 imported, 0 skipped', lines)
        self.assertTrue(any(line.startswith('  skipped typed-wrong: ')
                            and 'max_level' in line for line in lines))
        second = self._manage('db', 'import-reference', '--source', source)
        self.assertEqual(0, second.returncode, second.stderr)
        for name, total in (('clients', 5), ('actions', 5), ('jobs', 4),
                            ('sessions', 2), ('backups', 4)):
            self.assertIn('%s: 0 imported, %d skipped' % (name, total),
                          second.stdout.splitlines())

    def test_a_source_that_is_not_a_reference_database_is_refused(self):
        self.assertEqual(0, self._manage('db', 'sync').returncode)
        missing = self._manage('db', 'import-reference', '--source',
                               'sqlite:////nonexistent/freezer.db')
        self.assertEqual(1, missing.returncode)
        self.assertIn('no SQLite file', missing.stderr)
        # Nothing listens on port 1: refused with the driver's words.
        unreachable = self._manage(
            'db', 'import-reference', '--source',
            'postgresql+psycopg2://nobody:secret@127.0.0.1:1/freezer')
        self.assertEqual(1, unreachable.returncode)
        self.assertIn('cannot be read', unreachable.stderr)
        self.assertNotIn('Traceback', unreachable.stderr)
        # Our own database is not a reference one.
        ours = self._manage('db', 'import-reference', '--source',
                            'sqlite:///' + self.config.database)
        self.assertEqual(1, ours.returncode)
        self.assertIn('not a freezer-api 19.0.0 database', ours.stderr)

    def test_an_old_reference_revision_is_refused(self):
        self.assertEqual(0, self._manage('db', 'sync').returncode)
        source = copy_source(self)
        with sqlite3.connect(source[len('sqlite:///'):]) as connection:
            connection.execute("UPDATE alembic_version "
                               "SET version_num = '5c9d21e87f34'")
        result = self._manage('db', 'import-reference', '--source', source)
        self.assertEqual(1, result.returncode)
        self.assertIn('5c9d21e87f34', result.stderr)
        self.assertEqual('', result.stdout)

    def test_a_target_not_at_the_newest_revision_is_refused(self):
        result = self._manage('db', 'import-reference', '--source',
                              copy_source(self))
        self.assertEqual(1, result.returncode)
        self.assertIn('db sync', result.stderr)
