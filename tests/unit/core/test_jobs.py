"""Rules of the job document (spec ``jobs.md``): create, replace, PATCH,
events and views. The ``job_actions`` entries are in test_job_actions."""

import testtools

from freezer_core import errors
from freezer_core import job_actions
from freezer_core import jobs

NOW = 1764547200
CLIENT = 'host.example.org'


def action_record(action_id='a1', **agent):
    """A stored action as ``GET /actions/{id}`` shows it."""
    agent.setdefault('action', 'backup')
    return {'action_id': action_id, 'project_id': 'P', 'user_id': 'U',
            'freezer_action': agent, 'max_retries': 5,
            'max_retries_interval': 6, 'mandatory': False, '_version': 1,
            'created_at': '2026-01-01T00:00:00Z',
            'updated_at': '2026-01-01T00:00:00Z'}


def job_record(job_schedule=None, actions=None, **fields):
    """A stored job as the storage hands it back."""
    record = {'job_id': 'j1', 'project_id': 'P', 'user_id': 'U',
              'client_id': CLIENT, 'description': '',
              'job_schedule': job_schedule if job_schedule is not None else
              {'time_created': 100, 'time_started': -1, 'time_ended': -1,
               'event': ''},
              'job_actions': actions if actions is not None else
              [action_record()],
              'session_id': '', 'session_tag': 0, '_version': 1,
              'created_at': '2026-01-01T00:00:00Z',
              'updated_at': '2026-01-01T00:00:00Z'}
    record.update(fields)
    return record


def body(**fields):
    """A create body with one reference."""
    document = {'client_id': CLIENT, 'job_actions': [{'action_id': 'a1'}]}
    document.update(fields)
    return document


class TestCreate(testtools.TestCase):

    def test_defaults(self):
        write = jobs.validate_create(body(), NOW)
        self.assertEqual({'client_id': CLIENT, 'description': '',
                          'session_tag': 0,
                          'job_schedule': {'event': '', 'time_created': NOW,
                                           'time_started': -1,
                                           'time_ended': -1}},
                         write.document)
        self.assertEqual((job_actions.Entry(0, 'a1', {}),), write.entries)
        self.assertTrue(write.check_client)
        self.assertTrue(write.may_create_trust)

    def test_job_id_is_kept_on_create(self):
        write = jobs.validate_create(body(job_id='my-job_1'), NOW)
        self.assertEqual('my-job_1', write.document['job_id'])
        exc = self.assertRaises(errors.ValidationError, jobs.validate_create,
                                body(job_id='bad id'), NOW)
        self.assertEqual(('job_id', 'pattern'), (exc.path, exc.rule))

    def test_times_are_server_set_whatever_is_sent(self):
        write = jobs.validate_create(body(job_schedule={
            'time_created': 1234, 'time_started': 1234, 'time_ended': 0}),
            NOW)
        self.assertEqual({'event': '', 'time_created': NOW,
                          'time_started': -1, 'time_ended': -1},
                         write.document['job_schedule'])

    def test_null_schedule_and_null_event(self):
        write = jobs.validate_create(body(job_schedule=None), NOW)
        self.assertEqual('', write.document['job_schedule']['event'])
        write = jobs.validate_create(body(job_schedule={
            'event': None, 'status': None, 'schedule_day': 'mon'}), NOW)
        self.assertEqual({'event': '', 'schedule_day': 'mon',
                          'time_created': NOW, 'time_started': -1,
                          'time_ended': -1}, write.document['job_schedule'])

    def test_run_state_is_kept_as_sent(self):
        write = jobs.validate_create(body(job_schedule={
            'status': 'completed', 'result': 'fail', 'event': 'stop',
            'current_pid': 77}), NOW)
        job_schedule = write.document['job_schedule']
        self.assertEqual(('completed', 'fail', 'stop', 77),
                         (job_schedule['status'], job_schedule['result'],
                          job_schedule['event'],
                          job_schedule['current_pid']))

    def test_abort_needs_an_integer_current_pid(self):
        exc = self.assertRaises(errors.ValidationError, jobs.validate_create,
                                body(job_schedule={'event': 'abort'}), NOW)
        self.assertEqual('job_schedule.event', exc.path)
        write = jobs.validate_create(body(job_schedule={
            'event': 'abort', 'current_pid': 3}), NOW)
        self.assertEqual('abort', write.document['job_schedule']['event'])

    def test_server_fields_are_ignored(self):
        write = jobs.validate_create(body(
            project_id='X', user_id='Y', _version=9, created_at='c',
            updated_at='u', session_id='s', session_name='n',
            user_credentials={'trust_id': 'stolen'}), NOW)
        self.assertEqual({'client_id', 'description', 'job_schedule',
                          'session_tag'}, set(write.document))

    def test_required_fields(self):
        for missing in ('client_id', 'job_actions'):
            document = body()
            del document[missing]
            exc = self.assertRaises(errors.ValidationError,
                                    jobs.validate_create, document, NOW)
            self.assertEqual('required', exc.rule)
            self.assertIn(missing, exc.description)

    def test_top_level_value_rules(self):
        for fields, path, rule in (
                ({'description': 'x' * 256}, 'description', 'maxLength'),
                ({'description': 5}, 'description', 'type'),
                ({'session_tag': -1}, 'session_tag', 'minimum'),
                ({'session_tag': '1'}, 'session_tag', 'type'),
                ({'job_schedule': []}, 'job_schedule', 'type'),
                ({'job_actions': {}}, 'job_actions', 'type'),
                ({'job_actions': ['a1']}, 'job_actions[0]', 'type'),
                ({'action_defaults': []}, 'action_defaults', 'type'),
                ({'client_id': 'h' * 256}, 'client_id', 'maxLength'),
                ({'description': 'a\x00b'}, 'description', 'no-nul')):
            exc = self.assertRaises(errors.ValidationError,
                                    jobs.validate_create, body(**fields),
                                    NOW)
            self.assertEqual((path, rule), (exc.path, exc.rule), fields)

    def test_description_null_is_kept(self):
        write = jobs.validate_create(body(description=None), NOW)
        self.assertIsNone(write.document['description'])

    def test_unknown_top_level_key_is_named(self):
        exc = self.assertRaises(errors.ValidationError, jobs.validate_create,
                                body(colour='blue'), NOW)
        self.assertEqual('additionalProperties', exc.rule)
        self.assertIn("'colour'", exc.description)

    def test_unknown_schedule_key_is_named(self):
        exc = self.assertRaises(errors.ValidationError, jobs.validate_create,
                                body(job_schedule={'colour': 1}), NOW)
        self.assertEqual(('job_schedule', 'additionalProperties'),
                         (exc.path, exc.rule))
        self.assertIn("'colour'", exc.description)
        self.assertIn('$.job_schedule', exc.description)

    def test_not_an_object(self):
        for value in ([], 'job', None, 3):
            exc = self.assertRaises(errors.ValidationError,
                                    jobs.validate_create, value, NOW)
            self.assertEqual('type', exc.rule)

    def test_client_id_pattern(self):
        for good in ('padawan-ccp-c1-m1-mgmt', 'host.example.org',
                     '01b0f00a-4ce2-11e6-beb8-9e71128cae77_myhost.mydomain'
                     '.mytld', 'a_b_c.d'):
            jobs.validate_create(body(client_id=good), NOW)
        for bad in ('bad%project$id_host.domain.tld',
                    '01b0f00a_bad_hostname.bad/domain.b', '-host.org',
                    'host-.org', 'host..org', '', 'host.org\n',
                    'x' * 64 + '.org'):
            exc = self.assertRaises(errors.ValidationError,
                                    jobs.validate_create,
                                    body(client_id=bad), NOW)
            self.assertEqual('client_id', exc.path, bad)


class TestReplace(testtools.TestCase):

    def test_whole_client_part_is_set(self):
        record = job_record(description='old', session_tag=4,
                            job_schedule={'time_created': 100,
                                          'time_started': 7,
                                          'time_ended': 8, 'event': 'stop',
                                          'schedule_day': 'mon'})
        write = jobs.validate_replace(body(job_id='other'), record, NOW)
        self.assertEqual({'client_id': CLIENT, 'description': '',
                          'session_tag': 4,
                          'job_schedule': {'event': '', 'time_created': 100,
                                           'time_started': -1,
                                           'time_ended': -1}},
                         write.document)
        self.assertTrue(write.check_client)
        self.assertTrue(write.may_create_trust)

    def test_times_are_writable_and_tag_can_be_set(self):
        sent = body(session_tag=2, job_schedule={'time_started': 9,
                                                 'time_created': 1})
        write = jobs.validate_replace(sent, job_record(), NOW)
        self.assertEqual(2, write.document['session_tag'])
        self.assertEqual((100, 9, -1), tuple(
            write.document['job_schedule'][k]
            for k in ('time_created', 'time_started', 'time_ended')))

    def test_replace_requires_client_id_and_job_actions(self):
        exc = self.assertRaises(errors.ValidationError,
                                jobs.validate_replace,
                                {'client_id': CLIENT}, job_record(), NOW)
        self.assertEqual('required', exc.rule)

    def test_replace_that_creates_is_a_create(self):
        write = jobs.validate_replace(body(job_id='ignored', job_schedule={
            'time_started': 5}), None, NOW)
        self.assertNotIn('job_id', write.document)
        self.assertEqual({'event': '', 'time_created': NOW,
                          'time_started': -1, 'time_ended': -1},
                         write.document['job_schedule'])


class TestPatch(testtools.TestCase):

    def test_top_level_keys_replace_absent_ones_stay(self):
        record = job_record(description='old', session_tag=3)
        write = jobs.merge_patch(record, {'description': 'new'})
        self.assertEqual({'client_id': CLIENT, 'description': 'new',
                          'session_tag': 3,
                          'job_schedule': record['job_schedule']},
                         write.document)
        self.assertIsNone(write.entries)
        self.assertFalse(write.check_client)
        self.assertFalse(write.may_create_trust)

    def test_schedule_merges_with_null_removing(self):
        record = job_record(job_schedule={'status': 'running',
                                          'current_pid': 4, 'event': ''})
        write = jobs.merge_patch(record, {'job_schedule': {
            'current_pid': None, 'status': 'completed', 'time_created': 1}})
        self.assertEqual({'status': 'completed', 'event': ''},
                         write.document['job_schedule'])

    def test_event_null_sets_empty(self):
        record = job_record(job_schedule={'event': 'stop'})
        write = jobs.merge_patch(record, {'job_schedule': {'event': None}})
        self.assertEqual({'event': ''}, write.document['job_schedule'])

    def test_null_job_schedule_changes_nothing(self):
        record = job_record()
        write = jobs.merge_patch(record, {'job_schedule': None})
        self.assertEqual(record['job_schedule'],
                         write.document['job_schedule'])

    def test_value_rules_apply_to_sent_keys_only(self):
        # An imported job may hold values refused today.
        record = job_record(job_schedule={'schedule_interval': '5  minutes',
                                          'event': 'remove'})
        write = jobs.merge_patch(record, {'job_schedule': {
            'status': 'running'}})
        self.assertEqual({'schedule_interval': '5  minutes',
                          'event': 'remove', 'status': 'running'},
                         write.document['job_schedule'])
        exc = self.assertRaises(errors.ValidationError, jobs.merge_patch,
                                record, {'job_schedule': {
                                    'status': 'bogus'}})
        self.assertEqual(('job_schedule.status', 'enum'),
                         (exc.path, exc.rule))

    def test_values_sent_back_as_stored_are_not_judged(self):
        record = job_record(description='d' * 300, job_schedule={
            'schedule_interval': '5  minutes', 'event': 'abort',
            'status': 'running'})
        whole = jobs.view(record)
        whole['job_schedule']['status'] = 'completed'
        write = jobs.merge_patch(record, whole)
        self.assertEqual({'schedule_interval': '5  minutes',
                          'event': 'abort', 'status': 'completed'},
                         write.document['job_schedule'])
        self.assertEqual('d' * 300, write.document['description'])
        exc = self.assertRaises(errors.ValidationError, jobs.merge_patch,
                                record, {'description': 'e' * 300})
        self.assertEqual('description', exc.path)

    def test_abort_needs_a_pid_after_the_merge(self):
        record = job_record(job_schedule={'event': '', 'current_pid': 12})
        write = jobs.merge_patch(record, {'job_schedule': {
            'event': 'abort'}})
        self.assertEqual('abort', write.document['job_schedule']['event'])
        exc = self.assertRaises(errors.ValidationError, jobs.merge_patch,
                                record, {'job_schedule': {
                                    'event': 'abort', 'current_pid': None}})
        self.assertEqual('job_schedule.event', exc.path)

    def test_status_update_ignores_its_schedule_keys(self):
        record = job_record(job_schedule={'schedule_interval': '2 days',
                                          'event': 'start',
                                          'status': 'scheduled'})
        patch = {'job_schedule': {'schedule_interval': '1 days',
                                  'schedule_date': 'stale and bad',
                                  'event': '', 'status': 'running',
                                  'current_pid': 7, 'time_created': 1},
                 'session_id': 'whatever', 'session_tag': 2}
        self.assertTrue(jobs.is_status_update(patch))
        write = jobs.merge_patch(record, patch)
        self.assertEqual({'schedule_interval': '2 days', 'event': '',
                          'status': 'running', 'current_pid': 7},
                         write.document['job_schedule'])
        self.assertEqual(2, write.document['session_tag'])
        self.assertFalse(write.check_client)

    def test_a_patch_with_more_keys_is_not_a_status_update(self):
        self.assertFalse(jobs.is_status_update(
            {'job_schedule': {}, 'session_id': '', 'session_tag': 0,
             'description': 'x'}))
        self.assertFalse(jobs.is_status_update({'job_schedule': {}}))
        self.assertFalse(jobs.is_status_update([]))

    def test_same_references_are_a_no_op(self):
        record = job_record(actions=[action_record('a1'),
                                     action_record('a2')])
        stale = [dict(action_record('a1', mode='nova'), exit_status='x'),
                 {'action_id': 'a2', 'max_retries': 99}]
        write = jobs.merge_patch(record, {'job_actions': stale,
                                          'client_id': CLIENT})
        self.assertIsNone(write.entries)
        self.assertFalse(write.check_client)
        self.assertFalse(write.may_create_trust)

    def test_other_references_are_resolved(self):
        record = job_record(actions=[action_record('a1'),
                                     action_record('a2')])
        for sent in ([{'action_id': 'a2'}, {'action_id': 'a1'}],
                     [{'action_id': 'a1'}],
                     [{'action_id': 'a1'}, {'action_id': 'a2'},
                      {'freezer_action': {'action': 'info'}}]):
            write = jobs.merge_patch(record, {'job_actions': sent})
            self.assertEqual(len(sent), len(write.entries))
            self.assertTrue(write.check_client)
            self.assertTrue(write.may_create_trust)

    def test_client_change_rechecks(self):
        record = job_record()
        write = jobs.merge_patch(record, {'client_id': 'other.example.org'})
        self.assertIsNone(write.entries)
        self.assertTrue(write.check_client)
        write = jobs.merge_patch(record, {
            'client_id': 'other.example.org',
            'job_actions': [{'action_id': 'a1'}]})
        self.assertEqual((job_actions.Entry(0, 'a1', {}),), write.entries)

    def test_action_defaults_need_job_actions(self):
        exc = self.assertRaises(errors.ValidationError, jobs.merge_patch,
                                job_record(),
                                {'action_defaults': {'container': 'c'}})
        self.assertEqual(('action_defaults', 'dependentRequired'),
                         (exc.path, exc.rule))

    def test_ids_and_server_fields_are_ignored(self):
        write = jobs.merge_patch(job_record(), {
            'job_id': 'other', 'session_id': 's', 'user_credentials': {},
            '_version': 5})
        self.assertEqual({'client_id', 'description', 'job_schedule',
                          'session_tag'}, set(write.document))

    def test_unknown_key(self):
        exc = self.assertRaises(errors.ValidationError, jobs.merge_patch,
                                job_record(), {'foo': 'bar'})
        self.assertIn("'foo'", exc.description)


class TestViews(testtools.TestCase):

    def test_view_always_has_event_and_no_empty_credentials(self):
        record = job_record(job_schedule={'status': 'stop'},
                            user_credentials=None)
        shown = jobs.view(record)
        self.assertEqual('', shown['job_schedule']['event'])
        self.assertNotIn('user_credentials', shown)
        self.assertEqual(list(jobs.RECORD_KEYS[:9]) + list(
            jobs.RECORD_KEYS[10:]), list(shown))
        self.assertNotIn('event', record['job_schedule'])

    def test_view_with_trust_and_hidden_pid(self):
        record = job_record(job_schedule={'event': '', 'current_pid': 3},
                            user_credentials={'trust_id': 't',
                                              'trustor_user_id': 'u'})
        shown = jobs.view(record, hide_current_pid=True)
        self.assertEqual({'trust_id': 't', 'trustor_user_id': 'u'},
                         shown['user_credentials'])
        self.assertNotIn('current_pid', shown['job_schedule'])
        self.assertEqual(3, jobs.view(record)['job_schedule']['current_pid'])

    def test_search_view_embeds_actions(self):
        record = job_record(actions=[action_record('a1', mode='fs')],
                            job_schedule={'current_pid': 3})
        seen = jobs.search_view(record, hide_current_pid=True)
        self.assertEqual({'job_id', 'project_id', 'user_id', 'client_id',
                          'description', 'job_schedule', 'job_actions',
                          'session_id', 'session_tag'}, set(seen))
        self.assertEqual('fs', seen['job_actions'][0]['freezer_action'][
            'mode'])
        self.assertNotIn('_version', seen['job_actions'][0])
        self.assertEqual({'event': ''}, seen['job_schedule'])

    def test_client_document_can_be_sent_back(self):
        record = job_record()
        document = jobs.client_document(record)
        self.assertEqual('a1', document['job_actions'][0]['action_id'])
        write = jobs.merge_patch(record, document)
        self.assertIsNone(write.entries)

    def test_new_job_id(self):
        job_id = jobs.new_job_id()
        self.assertRegex(job_id, '^[0-9a-f]{32}$')
        self.assertNotEqual(job_id, jobs.new_job_id())

    def test_missing_client(self):
        exc = jobs.missing_client('gone.example.org')
        self.assertIsInstance(exc, errors.Unprocessable)
        self.assertIn('Client not found', exc.description)
