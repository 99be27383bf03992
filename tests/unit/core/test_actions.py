"""Validation and merge rules of the action document (spec, "The action
document" and "Writes")."""

import testtools

from freezer_core import actions
from freezer_core import errors


def _doc(**agent):
    agent.setdefault('action', 'backup')
    return {'freezer_action': agent}


class TestValidateCreate(testtools.TestCase):

    def test_defaults_are_filled(self):
        doc = actions.validate_create(_doc())
        self.assertEqual({'freezer_action': {'action': 'backup'},
                          'max_retries': 5, 'max_retries_interval': 6,
                          'mandatory': False}, doc)

    def test_given_values_are_kept(self):
        doc = actions.validate_create({
            'action_id': 'my-id_1', 'freezer_action': {'action': 'exec',
                                                       'command': 'true'},
            'max_retries': 0, 'max_retries_interval': 0, 'mandatory': True})
        self.assertEqual('my-id_1', doc['action_id'])
        self.assertEqual((0, 0, True), (doc['max_retries'],
                                        doc['max_retries_interval'],
                                        doc['mandatory']))

    def test_server_fields_are_ignored(self):
        body = _doc()
        body.update(project_id='x', user_id='y', _version=99,
                    created_at='then', updated_at='now')
        doc = actions.validate_create(body)
        for key in ('project_id', 'user_id', '_version', 'created_at',
                    'updated_at'):
            self.assertNotIn(key, doc)

    def test_body_must_be_an_object(self):
        for body in ([1], 'str', 42, [], None, True):
            exc = self.assertRaises(errors.ValidationError,
                                    actions.validate_create, body)
            self.assertIsNone(exc.path)
            self.assertEqual('type', exc.rule)

    def test_unknown_top_level_key_is_named(self):
        body = _doc()
        body['colour'] = 'blue'
        exc = self.assertRaises(errors.ValidationError,
                                actions.validate_create, body)
        self.assertIn("'colour'", exc.description)

    def test_freezer_action_and_action_are_required(self):
        exc = self.assertRaises(errors.ValidationError,
                                actions.validate_create, {})
        self.assertIn('freezer_action', exc.description)
        exc = self.assertRaises(errors.ValidationError,
                                actions.validate_create,
                                {'freezer_action': {'mode': 'fs'}})
        self.assertIn("'action'", exc.description)
        self.assertEqual('freezer_action', exc.path)
        self.assertEqual('required', exc.rule)

    def test_enums(self):
        for name in ('backup', 'restore', 'info', 'admin', 'exec'):
            actions.validate_create(_doc(action=name))
        for mode in ('fs', 'mongo', 'mysql', 'sqlserver', 'cinder',
                     'glance', 'cindernative', 'nova', None):
            actions.validate_create(_doc(mode=mode))
        for storage in ('local', 'swift', 'ssh', 's3', 'ftp', 'ftps', None):
            actions.validate_create(_doc(storage=storage))
        for bad in (_doc(action='destroy'), _doc(mode='zfs'),
                    _doc(storage='tape'), _doc(storage='SWIFT'),
                    _doc(action=None)):
            exc = self.assertRaises(errors.ValidationError,
                                    actions.validate_create, bad)
            self.assertTrue(exc.path.startswith('freezer_action.'), exc.path)
            self.assertIn('rule:', exc.description)

    def test_known_agent_key_types(self):
        good = [_doc(backup_name='x'), _doc(backup_name=None),
                _doc(max_level=3), _doc(max_level=None),
                _doc(quiet=True), _doc(hostname=False),
                _doc(hostname='host1'), _doc(no_incremental=True),
                _doc(remove_older_than=1.5)]
        for doc in good:
            actions.validate_create(doc)
        bad = [(_doc(backup_name=5), 'freezer_action.backup_name'),
               (_doc(max_level='3'), 'freezer_action.max_level'),
               (_doc(max_level=1.5), 'freezer_action.max_level'),
               (_doc(quiet='yes'), 'freezer_action.quiet'),
               (_doc(container=True), 'freezer_action.container')]
        for doc, path in bad:
            exc = self.assertRaises(errors.ValidationError,
                                    actions.validate_create, doc)
            self.assertEqual(path, exc.path)
            self.assertIn('rule: type', exc.description)

    def test_unknown_agent_keys_are_kept_as_sent(self):
        agent = {'action': 'backup', 'x-custom': {'deep': [1, None, 'ü']},
                 'zz': 1.25}
        doc = actions.validate_create({'freezer_action': agent})
        self.assertEqual(agent, doc['freezer_action'])
        self.assertEqual(list(agent), list(doc['freezer_action']))

    def test_top_level_field_rules(self):
        for key, value in (('max_retries', -1), ('max_retries', '5'),
                           ('max_retries', True), ('max_retries', 1.5),
                           ('max_retries_interval', -1),
                           ('max_retries', 2 ** 31),
                           ('mandatory', 'yes'), ('mandatory', 1)):
            body = _doc()
            body[key] = value
            exc = self.assertRaises(errors.ValidationError,
                                    actions.validate_create, body)
            self.assertEqual(key, exc.path)

    def test_action_id_pattern_and_length(self):
        for good in ('a', 'A-b_9', 'x' * 64):
            body = _doc()
            body['action_id'] = good
            self.assertEqual(good, actions.validate_create(body)['action_id'])
        for bad in ('', 'x' * 65, 'bad/id', 'a b', 'é', 5, None, 'a.b',
                    'abc\n', '\nabc', 'ab\ncd', 'abc ', '１'):
            body = _doc()
            body['action_id'] = bad
            exc = self.assertRaises(errors.ValidationError,
                                    actions.validate_create, body)
            self.assertEqual('action_id', exc.path)

    def test_nul_is_refused_in_values_and_keys_at_any_depth(self):
        for body in (_doc(backup_name='a\x00b'),
                     _doc(deep={'k': ['ok', 'n\x00']}),
                     _doc(**{'ke\x00y': 1})):
            exc = self.assertRaises(errors.ValidationError,
                                    actions.validate_create, body)
            self.assertIn('NUL', exc.description)

    def test_replace_ignores_action_id_in_body(self):
        body = _doc()
        body['action_id'] = 'other'
        self.assertNotIn('action_id', actions.validate_replace(body))


class TestMergePatch(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.current = actions.validate_create({
            'freezer_action': {'action': 'backup', 'backup_name': 'b',
                               'mode': 'fs'},
            'max_retries': 2})

    def test_absent_keys_stay_and_present_keys_replace(self):
        merged = actions.merge_patch(self.current, {'mandatory': True})
        self.assertEqual(self.current['freezer_action'],
                         merged['freezer_action'])
        self.assertEqual((2, True), (merged['max_retries'],
                                     merged['mandatory']))

    def test_freezer_action_merges_key_by_key_and_null_removes(self):
        merged = actions.merge_patch(self.current, {'freezer_action': {
            'backup_name': None, 'container': 'c'}})
        self.assertEqual({'action': 'backup', 'mode': 'fs',
                          'container': 'c'}, merged['freezer_action'])

    def test_current_is_not_modified(self):
        before = repr(self.current)
        actions.merge_patch(self.current, {'freezer_action': {
            'backup_name': None}})
        self.assertEqual(before, repr(self.current))

    def test_merged_result_is_revalidated(self):
        for patch in ({'freezer_action': {'action': None}},
                      {'freezer_action': {'mode': 'zfs'}},
                      {'max_retries': -3},
                      {'unknown': 1},
                      {'freezer_action': 'x'},
                      {'freezer_action': None}):
            self.assertRaises(errors.ValidationError, actions.merge_patch,
                              self.current, patch)

    def test_server_fields_and_action_id_are_ignored(self):
        merged = actions.merge_patch(self.current, {
            '_version': 99, 'action_id': 'x', 'project_id': 'p',
            'user_id': 'u', 'created_at': 'c', 'updated_at': 'u'})
        self.assertEqual(self.current, merged)

    def test_patch_must_be_an_object(self):
        for patch in ([1], 'str', 42, [], None):
            self.assertRaises(errors.ValidationError, actions.merge_patch,
                              self.current, patch)


class TestIds(testtools.TestCase):

    def test_generated_ids_are_32_lowercase_hex_and_unique(self):
        ids = {actions.new_action_id() for _ in range(100)}
        self.assertEqual(100, len(ids))
        for action_id in ids:
            self.assertRegex(action_id, '^[0-9a-f]{32}$')
