"""A job's ``job_actions`` entries (spec ``jobs.md``, "job_actions:
references to actions")."""

import testtools

from freezer_core import errors
from freezer_core import job_actions
from tests.unit.core import test_jobs


def _stored(**agent):
    return test_jobs.action_record('X', **agent)


class TestParse(testtools.TestCase):

    def test_inline_or_reference(self):
        entries = job_actions.parse([
            {'action_id': 'X'},
            {'action_id': '', 'freezer_action': {'action': 'info'}},
            {'action_id': None, 'freezer_action': {'action': 'info'}},
            {'freezer_action': {'action': 'info'}, 'max_retries': 1}])
        self.assertEqual([True, False, False, False],
                         [e.is_reference for e in entries])
        self.assertEqual(['job_actions[0]', 'job_actions[1]',
                          'job_actions[2]', 'job_actions[3]'],
                         [e.path for e in entries])
        self.assertEqual({'freezer_action': {'action': 'info'},
                          'max_retries': 1, 'max_retries_interval': 6,
                          'mandatory': False}, entries[3].document)

    def test_empty_list_and_repeats(self):
        self.assertEqual((), job_actions.parse([]))
        entries = job_actions.parse([{'action_id': 'X'}, {'action_id': 'X'}])
        self.assertEqual(['X', 'X'], [e.action_id for e in entries])

    def test_exit_status_and_server_fields_are_ignored(self):
        entry, = job_actions.parse([dict(_stored(), action_id='',
                                         exit_status='success')])
        self.assertEqual({'freezer_action': {'action': 'backup'},
                          'max_retries': 5, 'max_retries_interval': 6,
                          'mandatory': False}, entry.document)
        reference, = job_actions.parse([dict(_stored(),
                                             exit_status='fail')])
        self.assertEqual({'freezer_action': {'action': 'backup'},
                          'max_retries': 5, 'max_retries_interval': 6,
                          'mandatory': False}, reference.document)

    def test_unknown_entry_key(self):
        for entry in ({'action_id': 'X', 'colour': 1},
                      {'freezer_action': {'action': 'info'}, 'colour': 1}):
            exc = self.assertRaises(errors.ValidationError,
                                    job_actions.parse, [{'action_id': 'Y'},
                                                        entry])
            self.assertEqual(('job_actions[1]', 'additionalProperties'),
                             (exc.path, exc.rule))
            self.assertIn("'colour'", exc.description)

    def test_inline_is_an_action_create_body(self):
        for entry, path, rule in (
                ({'freezer_action': {'action': 'backup', 'mode': 'tape'}},
                 'job_actions[0].freezer_action.mode', 'enum'),
                ({'max_retries': 1}, 'job_actions[0]', 'required'),
                ({'freezer_action': {'action': 'x'}},
                 'job_actions[0].freezer_action.action', 'enum'),
                ({'freezer_action': {'action': 'info', 'path': 'a\x00'}},
                 'job_actions[0].freezer_action.path', 'no-nul'),
                ({'freezer_action': {'action': 'info'}, 'mandatory': 1},
                 'job_actions[0].mandatory', 'type')):
            exc = self.assertRaises(errors.ValidationError,
                                    job_actions.parse, [entry])
            self.assertEqual((path, rule), (exc.path, exc.rule), entry)

    def test_reference_types(self):
        exc = self.assertRaises(errors.ValidationError, job_actions.parse,
                                [{'action_id': 5}])
        self.assertEqual(('job_actions[0].action_id', 'type'),
                         (exc.path, exc.rule))
        exc = self.assertRaises(errors.ValidationError, job_actions.parse,
                                [{'action_id': 'X', 'freezer_action': 'x'}])
        self.assertEqual(('job_actions[0].freezer_action', 'type'),
                         (exc.path, exc.rule))

    def test_defaults_fill_absent_or_null_inline_keys_only(self):
        entries = job_actions.parse(
            [{'action_id': 'X'},
             {'freezer_action': {'action': 'backup', 'container': None,
                                 'mode': 'fs'}}],
            action_defaults={'container': 'd', 'mode': 'mysql',
                             'storage': 'swift'})
        self.assertEqual({}, entries[0].document)
        self.assertEqual({'action': 'backup', 'container': 'd',
                          'mode': 'fs', 'storage': 'swift'},
                         entries[1].document['freezer_action'])

    def test_defaults_are_validated_with_the_entry(self):
        exc = self.assertRaises(errors.ValidationError, job_actions.parse,
                                [{'freezer_action': {'action': 'backup'}}],
                                {'mode': 'tape'})
        self.assertEqual('job_actions[0].freezer_action.mode', exc.path)


class TestCheckReference(testtools.TestCase):

    def test_padded_nulls_agree(self):
        stored = _stored(mode='fs', container='c')
        sent = dict(stored)
        sent['freezer_action'] = dict(stored['freezer_action'], storage=None,
                                      engine=None, engine_name=None)
        entry, = job_actions.parse([sent])
        job_actions.check_reference(entry, stored)

    def test_bare_reference_agrees(self):
        entry, = job_actions.parse([{'action_id': 'X'}])
        job_actions.check_reference(entry, _stored(mode='fs'))

    def test_json_equality(self):
        stored = _stored(level=1)
        entry, = job_actions.parse([{'action_id': 'X', 'freezer_action': {
            'action': 'backup', 'level': 1.0}, 'max_retries': 5.0}])
        job_actions.check_reference(entry, stored)

    def test_disagreements_name_the_path(self):
        stored = _stored(mode='fs', container='c')
        for sent, path in (
                ({'freezer_action': {'action': 'backup', 'mode': 'fs'}},
                 'job_actions[0].freezer_action.container'),
                ({'freezer_action': {'action': 'backup', 'mode': 'nova',
                                     'container': 'c'}},
                 'job_actions[0].freezer_action.mode'),
                ({'freezer_action': {'action': 'backup', 'mode': 'fs',
                                     'container': 'c', 'extra': 1}},
                 'job_actions[0].freezer_action.extra'),
                ({'max_retries': 3}, 'job_actions[0].max_retries'),
                ({'max_retries_interval': None},
                 'job_actions[0].max_retries_interval'),
                ({'mandatory': 0}, 'job_actions[0].mandatory')):
            entry, = job_actions.parse([dict(sent, action_id='X')])
            exc = self.assertRaises(errors.Unprocessable,
                                    job_actions.check_reference, entry,
                                    stored)
            self.assertTrue(exc.description.startswith(path + ':'),
                            exc.description)

    def test_missing_action(self):
        entry, = job_actions.parse([{'freezer_action': {'action': 'info'}},
                                    {'action_id': 'B-action'}])[1:]
        exc = job_actions.missing_action(entry)
        self.assertIsInstance(exc, errors.Unprocessable)
        self.assertEqual('job_actions[1].action_id: not found',
                         exc.description)


class TestReferences(testtools.TestCase):

    def test_action_ids_and_same_references(self):
        ids = job_actions.action_ids([_stored(), test_jobs.action_record(
            'Y')])
        self.assertEqual(['X', 'Y'], ids)
        self.assertTrue(job_actions.is_same_references(
            [{'action_id': 'X', 'mode': 'whatever'}, {'action_id': 'Y'}],
            ids))
        self.assertFalse(job_actions.is_same_references(
            [{'action_id': 'Y'}, {'action_id': 'X'}], ids))
        self.assertFalse(job_actions.is_same_references(
            [{'action_id': 'X'}, {'freezer_action': {}}], ids))


class TestCapabilities(testtools.TestCase):

    CLIENT = {'client_id': 'h.example.org', 'supported_actions': ['backup'],
              'supported_modes': ['fs'], 'supported_storages': ['swift'],
              'supported_engines': ['tar']}

    def test_supported_actions_pass(self):
        job_actions.check_capabilities(self.CLIENT, [
            {'action': 'backup', 'mode': 'fs', 'storage': 'swift',
             'engine_name': 'tar', 'engine': None, 'container': 'c'},
            {'action': 'backup'}])

    def test_a_lacking_capability_names_the_entry_and_key(self):
        for agent, path, value in (
                ({'action': 'restore'}, 'freezer_action.action', 'restore'),
                ({'action': 'backup', 'mode': 'nova'},
                 'freezer_action.mode', 'nova'),
                ({'action': 'backup', 'storage': 'ssh'},
                 'freezer_action.storage', 'ssh'),
                ({'action': 'backup', 'engine_name': 'rsync'},
                 'freezer_action.engine_name', 'rsync')):
            exc = self.assertRaises(
                errors.Unprocessable, job_actions.check_capabilities,
                self.CLIENT, [{'action': 'backup'}, agent])
            self.assertEqual(
                'job_actions[1].%s: client h.example.org does not support %s'
                % (path, value), exc.description)

    def test_absent_lists_are_the_whole_enum(self):
        job_actions.check_capabilities(
            {'client_id': 'h'}, [{'action': 'restore', 'mode': 'nova',
                                  'storage': 'ssh', 'engine_name': 'rsync'}])
