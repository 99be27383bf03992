"""The action document (spec ``actions.md``, "The action document").

Each test proves one rule through HTTP: what is refused (400 naming the
field and the rule, nothing stored), what is accepted, the defaults, the
server fields that are ignored, and the exact round trip of the nested
``freezer_action`` document.
"""

import datetime
import json
import uuid

import hypothesis
from hypothesis import strategies

from tests.functional.api import base

#: The write routes that take a whole or partial document. Each entry:
#: (label, method, path template); ``{id}`` is an existing action,
#: ``newid`` an id that does not exist yet.
WRITES = (('create', 'POST', '/v2/A/actions'),
          ('patch', 'PATCH', '/v2/A/actions/{id}'),
          ('replace', 'POST', '/v2/A/actions/{id}'),
          ('replace-as-create', 'POST', '/v2/A/actions/newid'))


class DocumentTestCase(base.ActionsTestCase):
    """Asserts that a refused write changed nothing."""

    def setUp(self):
        super().setUp()
        self.action_id = self.create()
        self.before = self.show(self.action_id)

    def assertRefusedEverywhere(self, body, contains=None, status=400):
        """Send ``body`` on create, PATCH and replace; each must answer
        ``status`` with a JSON error naming ``contains``, and change
        nothing."""
        for label, method, template in WRITES:
            resp = self.request(method, template.format(id=self.action_id),
                                body)
            self.assertError(status, resp, contains)
            self.assertNoInternals(resp)
        self.assertUnchanged(self.before)
        self.assertEqual([self.action_id], self.all_ids())

    def assertRefusedOnCreate(self, body, contains=None):
        """Create and replace-as-create refuse ``body``: nothing stored."""
        resp = self.request('POST', '/v2/A/actions', body)
        self.assertError(400, resp, contains)
        resp = self.request('POST', '/v2/A/actions/newid', body)
        self.assertError(400, resp, contains)
        self.assertGone('newid')
        self.assertEqual([self.action_id], self.all_ids())


class TestBodyShape(DocumentTestCase):

    def test_body_that_is_not_an_object_is_refused_on_every_write(self):
        """``[1]``, ``"str"``, ``42``, ``[]``, ``null``, ``true`` and an
        empty body are refused with 400 on create, PATCH and replace."""
        for raw in ('[1]', '"str"', '42', '[]', 'null', 'true', '',
                    '   ', '-0.5'):
            self.assertRefusedEverywhere(raw, 'must be a JSON object')

    def test_freezer_action_is_required(self):
        """A create or replace body without ``freezer_action``: 400
        naming it and the rule."""
        for body in ({}, {'max_retries': 1}):
            self.assertRefusedOnCreate(body, "'freezer_action'")
            resp = self.request('POST', '/v2/A/actions', body)
            self.assertError(400, resp, 'required')

    def test_freezer_action_must_be_an_object(self):
        """``freezer_action`` of another type: 400 on every write."""
        for value in ('backup', 1, ['backup'], True, None):
            self.assertRefusedEverywhere({'freezer_action': value},
                                         '$.freezer_action')

    def test_unknown_top_level_key_is_refused_naming_the_key(self):
        """Any unknown top-level key: 400 naming the key, on every
        write."""
        for key in ('colour', 'freezer_actions', 'Mandatory', 'id',
                    'version'):
            body = dict(base.ACTION)
            body[key] = 'x'
            self.assertRefusedEverywhere(body, repr(key))
        resp = self.request('PATCH', '/v2/A/actions/%s' % self.action_id,
                            {'max_retries': 1, 'colour': 2})
        self.assertError(400, resp, "'colour'")
        self.assertUnchanged(self.before)


class TestAgentEnums(DocumentTestCase):

    def test_action_is_required(self):
        """``freezer_action.action`` absent: 400 naming it (create and
        replace), and a PATCH removing it with null is refused too."""
        self.assertRefusedOnCreate({'freezer_action': {'mode': 'fs'}},
                                   "'action' is a required property")
        resp = self.request('PATCH', '/v2/A/actions/%s' % self.action_id,
                            {'freezer_action': {'action': None}})
        self.assertError(400, resp, "'action'")
        self.assertUnchanged(self.before)

    def test_every_action_value_of_the_spec_is_accepted(self):
        """``action`` is one of backup, restore, info, admin, exec."""
        for value in ('backup', 'restore', 'info', 'admin', 'exec'):
            action_id = self.create(document=base.agent(action=value))
            self.assertEqual({'action': value},
                             self.show(action_id)['freezer_action'])

    def test_other_action_values_are_refused(self):
        """Any other ``action`` (case, type, empty, null): 400 naming
        ``$.freezer_action.action``, on every write."""
        for value in ('Backup', 'BACKUP', 'delete', '', ' backup', 1,
                      True, ['backup']):
            self.assertRefusedEverywhere(
                {'freezer_action': {'action': value}},
                '$.freezer_action.action')
        # null is refused on create and replace; on PATCH it removes the
        # key (test_action_is_required).
        self.assertRefusedOnCreate({'freezer_action': {'action': None}},
                                   '$.freezer_action.action')

    def test_every_mode_of_the_spec_and_null_are_accepted(self):
        """``mode`` is one of the eight modes, or null."""
        for value in ('fs', 'mongo', 'mysql', 'sqlserver', 'cinder',
                      'glance', 'cindernative', 'nova', None):
            action_id = self.create(document=base.agent(mode=value))
            self.assertEqual({'action': 'backup', 'mode': value},
                             self.show(action_id)['freezer_action'])

    def test_other_modes_are_refused_naming_the_rule(self):
        """Any other ``mode``: 400 naming the path and the enum rule."""
        for value in ('FS', 'xfs', 'file', '', 1, False, {'fs': 1}):
            self.assertRefusedEverywhere(base.agent(mode=value),
                                         '$.freezer_action.mode')
        resp = self.request('POST', '/v2/A/actions', base.agent(mode='xfs'))
        self.assertError(400, resp, 'rule: enum')

    def test_every_storage_of_the_spec_is_accepted(self):
        """``storage`` is one of local, swift, ssh, s3, ftp, ftps."""
        for value in ('local', 'swift', 'ssh', 's3', 'ftp', 'ftps'):
            action_id = self.create(document=base.agent(storage=value))
            self.assertEqual(value,
                             self.show(action_id)['freezer_action']['storage'])

    def test_other_storages_are_refused(self):
        """Any other ``storage``: 400 naming ``$.freezer_action.storage``."""
        for value in ('Swift', 'nfs', 'S3', '', 3, True):
            self.assertRefusedEverywhere(base.agent(storage=value),
                                         '$.freezer_action.storage')


class TestAgentKeyTypes(DocumentTestCase):
    """Known agent keys are type-checked; null allowed for optional ones."""

    #: (key, accepted values, refused values)
    CASES = (
        ('backup_name', ['etc', '', 'バックアップ', None],
         [1, True, ['a'], {'a': 1}, 1.5]),
        ('container', ['c'], [0, False]),
        ('path_to_backup', ['/etc'], [['/etc'], 7]),
        ('max_level', [0, 3, None], ['3', True, 1.5, [3]]),
        ('always_level', [1], ['1', False]),
        ('max_segment_size', [67108864], ['64M', 1.25]),
        ('ssh_port', [22], ['22', True]),
        ('remove_older_than', [3, 1.5, None], ['3', True]),
        ('dry_run', [True, False, None], ['true', 1, 0, 'yes']),
        ('overwrite', [True], ['False', 0]),
        ('quiet', [False], [1]),
        ('no_incremental', [True, 'True', None], [1, 0]),
        ('hostname', ['host', False], [1]),
    )

    def test_known_agent_keys_accept_their_type_and_keep_it(self):
        """Each accepted value is stored and returned with its own type:
        strings stay strings, booleans booleans, integers integers."""
        for key, accepted, _refused in self.CASES:
            for value in accepted:
                action_id = self.create(document=base.agent(**{key: value}))
                stored = self.show(action_id)['freezer_action'][key]
                self.assertEqual(value, stored, key)
                self.assertIs(type(value), type(stored), key)

    def test_known_agent_keys_refuse_other_types_on_every_write(self):
        """A value of another type: 400 naming
        ``$.freezer_action.<key>`` and the type rule, nothing written."""
        for key, _accepted, refused in self.CASES:
            for value in refused:
                body = base.agent(**{key: value})
                self.assertRefusedEverywhere(body, '$.freezer_action.' + key)
                resp = self.request('POST', '/v2/A/actions', body)
                self.assertError(400, resp, 'rule: type')

    def test_null_on_create_is_kept_as_null(self):
        """An optional known key sent as null is stored as null (not
        dropped, not the string "None")."""
        action_id = self.create(document=base.agent(backup_name=None,
                                                    max_level=None))
        self.assertEqual({'action': 'backup', 'backup_name': None,
                          'max_level': None},
                         self.show(action_id)['freezer_action'])


class TestTopLevelFields(DocumentTestCase):

    def test_absent_optional_fields_take_their_defaults(self):
        """``max_retries`` 5, ``max_retries_interval`` 6 s, ``mandatory``
        false when absent."""
        doc = self.show(self.create(document=base.agent()))
        self.assertEqual((5, 6, False), (doc['max_retries'],
                                         doc['max_retries_interval'],
                                         doc['mandatory']))

    def test_given_values_are_kept(self):
        """Zero is a valid count; large 32-bit values are kept."""
        body = dict(base.agent(), max_retries=0,
                    max_retries_interval=2147483647, mandatory=True)
        doc = self.show(self.create(document=body))
        self.assertEqual((0, 2147483647, True), (doc['max_retries'],
                                                 doc['max_retries_interval'],
                                                 doc['mandatory']))

    def test_counts_must_be_non_negative_integers(self):
        """``max_retries``/``max_retries_interval``: negative, fractional,
        string, boolean, null or overflowing values are 400 naming the
        field, on every write."""
        for field in ('max_retries', 'max_retries_interval'):
            for value in (-1, 1.5, '3', True, None, [], 10 ** 30):
                body = dict(base.agent(), **{field: value})
                self.assertRefusedEverywhere(body, '$.' + field)

    def test_mandatory_must_be_a_boolean(self):
        """``mandatory``: 1, "true", null are 400 naming it."""
        for value in (1, 0, 'true', None):
            self.assertRefusedEverywhere(
                dict(base.agent(), mandatory=value), '$.mandatory')


class TestActionId(DocumentTestCase):

    def test_generated_id_is_32_lowercase_hex_characters(self):
        """Without ``action_id`` the id is a uuid4 hex; ``Location``
        names the new action."""
        resp = self.request('POST', '/v2/A/actions', base.ACTION)
        self.assertEqual(201, resp.status_int)
        action_id = resp.json['action_id']
        self.assertEqual({'action_id': action_id}, resp.json)
        self.assertRegex(action_id, r'\A[0-9a-f]{32}\Z')
        self.assertEqual('http://localhost/v2/A/actions/' + action_id,
                         resp.headers['Location'])
        self.assertEqual(action_id, self.show(action_id)['action_id'])

    def test_chosen_ids_of_1_to_64_allowed_characters_are_kept(self):
        """1-64 characters of ``[A-Za-z0-9_-]`` are accepted as sent, on
        create and on replace-as-create."""
        for action_id in ('a', 'Z', '0', '_', '-', 'Mixed_Case-09',
                          'x' * 64):
            body = dict(base.ACTION, action_id=action_id)
            resp = self.request('POST', '/v2/A/actions', body)
            self.assertEqual(201, resp.status_int, resp.body)
            self.assertEqual({'action_id': action_id}, resp.json)
            self.assertEqual(action_id, self.show(action_id)['action_id'])
        resp = self.request('POST', '/v2/A/actions/' + 'y' * 64, base.ACTION)
        self.assertEqual(201, resp.status_int)
        self.assertEqual('y' * 64, self.show('y' * 64)['action_id'])

    def test_malformed_ids_are_refused_in_the_body(self):
        """Too long, empty, or a character outside the set: 400 naming
        ``$.action_id``; nothing stored."""
        for action_id in ('x' * 65, 'x' * 300, '', 'bad/id', 'bad id',
                          'bad.id', 'été', 'a\tb', '😀', 5, True, None):
            body = dict(base.ACTION, action_id=action_id)
            resp = self.request('POST', '/v2/A/actions', body)
            self.assertError(400, resp, '$.action_id')
        self.assertEqual([self.action_id], self.all_ids())

    def test_malformed_ids_are_refused_in_the_replace_url(self):
        """Replace-or-create with a malformed URL id: 400 naming
        ``action_id``, nothing stored (the URL id is input too)."""
        for action_id in ('x' * 65, 'x' * 300, 'bad.id', 'bad%20id',
                          'a%00b', '%C3%A9t%C3%A9', 'abc%0A'):
            resp = self.request('POST', '/v2/A/actions/' + action_id,
                                base.ACTION)
            self.assertError(400, resp, 'action_id')
        self.assertEqual([self.action_id], self.all_ids())

    def test_malformed_url_ids_are_not_found_on_reads_and_writes(self):
        """GET, HEAD, PATCH and DELETE of a malformed id: 404 (no action
        can have it), a JSON body, never a 500."""
        for action_id in ('x' * 300, 'a%00b', 'bad.id', 'abc%0A'):
            path = '/v2/A/actions/' + action_id
            self.assertError(404, self.request('GET', path))
            self.assertError(404, self.request('PATCH', path, {}))
            self.assertError(404, self.request('DELETE', path))
            resp = self.request('HEAD', path)
            self.assertEqual((404, b''), (resp.status_int, resp.body))
        self.assertUnchanged(self.before)

    def test_action_id_with_trailing_newline_is_refused(self):
        """``"abc\\n"`` is not 1-64 characters of the set: 400."""
        body = dict(base.ACTION, action_id='abc\n')
        self.assertError(400, self.request('POST', '/v2/A/actions', body),
                         '$.action_id')
        self.assertEqual([self.action_id], self.all_ids())


class TestServerFields(DocumentTestCase):

    SERVER_FIELDS = {'project_id': 'Z', 'user_id': 'mallory',
                     '_version': 42, 'created_at': '1970-01-01T00:00:00Z',
                     'updated_at': '1970-01-01T00:00:00Z'}

    def test_server_fields_are_ignored_on_create(self):
        """``project_id`` comes from the URL, ``user_id`` from the
        caller, ``_version`` starts at 1, timestamps are the server's."""
        body = dict(base.ACTION, **self.SERVER_FIELDS)
        action_id = self.create(document=body, user='alice')
        doc = self.show(action_id)
        self.assertEqual(('A', 'alice', 1),
                         (doc['project_id'], doc['user_id'],
                          doc['_version']))
        self.assertNotEqual('1970-01-01T00:00:00Z', doc['created_at'])
        self.assertNotEqual('1970-01-01T00:00:00Z', doc['updated_at'])
        self.assertError(404, self.request(
            'GET', '/v2/Z/actions/%s' % action_id))

    def test_server_fields_and_action_id_are_ignored_on_patch_and_replace(
            self):
        """A write sending server fields and another ``action_id`` changes
        neither; the id stays the URL's."""
        body = dict(base.ACTION, action_id='otherid', **self.SERVER_FIELDS)
        path = '/v2/A/actions/%s' % self.action_id
        resp = self.request('PATCH', path, body, user='bob')
        self.assertEqual({'action_id': self.action_id, 'version': 2},
                         resp.json)
        resp = self.request('POST', path, body, user='bob')
        self.assertEqual(201, resp.status_int)
        self.assertEqual({'action_id': self.action_id, 'version': 3},
                         resp.json)
        doc = self.show(self.action_id)
        self.assertEqual(('A', 'noauth', 3, self.before['created_at']),
                         (doc['project_id'], doc['user_id'],
                          doc['_version'], doc['created_at']))
        self.assertGone('otherid')

    def test_get_response_can_be_sent_back_to_create(self):
        """A whole GET record posted to the collection creates a new
        action with the same client document (its own id given)."""
        doc = self.show(self.action_id)
        doc['action_id'] = 'copy1'
        resp = self.request('POST', '/v2/A/actions', doc)
        self.assertEqual(201, resp.status_int, resp.body)
        copy = self.show('copy1')
        for key in ('freezer_action', 'max_retries',
                    'max_retries_interval', 'mandatory'):
            self.assertEqual(doc[key], copy[key])
        self.assertEqual(1, copy['_version'])


class TestRoundTrip(DocumentTestCase):

    FREEZER_ACTION = {
        'action': 'backup',
        'mode': 'fs',
        'zzz_first_unknown': 1,
        'backup_name': 'バックアップ😀',
        'custom': {'nested': {'list': [1, 'two', None, True, 2.5,
                                       {'deep': []}]},
                   'empty': {}, 'quote"key': 'a\\b"c'},
        'emoji_key_😀': '𝄞 music',
        'big': 12345678901234567890,
        'float': 0.1,
        'neg': -7,
        'empty_string': '',
        'control': '\t\n\r\x01\x1f',
        'hostname': False,
        'aaa_last_unknown': [[], [[]]],
    }

    def test_nested_document_round_trips_key_for_key(self):
        """GET returns the stored ``freezer_action`` exactly: unknown agent
        keys, nested values, types, unicode and key order."""
        body = {'freezer_action': self.FREEZER_ACTION}
        action_id = self.create(document=body)
        resp = self.request('GET', '/v2/A/actions/%s' % action_id)
        stored = resp.json['freezer_action']
        self.assertEqual(self.FREEZER_ACTION, stored)
        self.assertEqual(list(self.FREEZER_ACTION), list(stored))
        self.assertIs(int, type(stored['big']))
        self.assertEqual([self.FREEZER_ACTION],
                         [a['freezer_action'] for a in self.request(
                             'GET', '/v2/A/actions?limit=1000').json[
                                 'actions'] if a['action_id'] == action_id])

    def test_unicode_round_trips_byte_for_byte(self):
        """4-byte characters are returned as the same UTF-8 bytes (not
        mangled, not split into surrogates)."""
        name = 'バックアップ😀𝄞'
        action_id = self.create(document=base.agent(backup_name=name))
        resp = self.request('GET', '/v2/A/actions/%s' % action_id)
        self.assertEqual(name, resp.json['freezer_action']['backup_name'])
        encoded = resp.body.decode('utf-8')
        self.assertTrue(name in encoded
                        or json.dumps(name) in encoded, resp.body)

    def test_patch_and_replace_keep_unknown_agent_keys(self):
        """Unknown agent keys survive a PATCH of other keys and are
        stored as sent by a replace."""
        body = {'freezer_action': self.FREEZER_ACTION}
        action_id = self.create(document=body)
        path = '/v2/A/actions/%s' % action_id
        resp = self.request('PATCH', path, {'max_retries': 1})
        self.assertEqual(200, resp.status_int)
        self.assertEqual(self.FREEZER_ACTION,
                         self.show(action_id)['freezer_action'])
        resp = self.request('POST', path, body)
        self.assertEqual(201, resp.status_int)
        self.assertEqual(self.FREEZER_ACTION,
                         self.show(action_id)['freezer_action'])


class TestNul(DocumentTestCase):

    def test_nul_in_any_string_is_refused_on_every_write(self):
        """A NUL in a known or unknown agent value, a key or a nested
        list: 400 naming the path and the no-nul rule; nothing
        written."""
        for body, path in (
                (base.agent(backup_name='a\x00b'),
                 '$.freezer_action.backup_name'),
                (base.agent(custom={'x': ['ok', 'n\x00']}),
                 '$.freezer_action.custom.x[1]'),
                (base.agent(**{'k\x00': 1}), '$.freezer_action.k'),
                (base.agent(action='backup\x00'),
                 '$.freezer_action.action')):
            self.assertRefusedEverywhere(body, path)
            resp = self.request('POST', '/v2/A/actions', body)
            self.assertError(400, resp, 'NUL')

    def test_nul_in_action_id_is_refused(self):
        """An ``action_id`` holding NUL: 400 on create."""
        body = dict(base.ACTION, action_id='a\x00b')
        self.assertError(400, self.request('POST', '/v2/A/actions', body),
                         'action_id')
        self.assertEqual([self.action_id], self.all_ids())


class TestUnicode(DocumentTestCase):

    def test_lone_surrogate_is_refused_on_every_write(self):
        """A ``\\ud800`` escape cannot be stored as UTF-8: refused as
        malformed (or 400) on every write, never a 500."""
        for raw in ('{"freezer_action": {"action": "backup", '
                    '"backup_name": "\\ud800"}}',
                    '{"freezer_action": {"action": "backup", '
                    '"\\udfff": 1}}'):
            for label, method, template in WRITES:
                resp = self.request(
                    method, template.format(id=self.action_id), raw)
                self.assertIn(resp.status_int, (400, 753), resp.body)
                self.assertError(resp.status_int, resp)
        self.assertUnchanged(self.before)
        self.assertEqual([self.action_id], self.all_ids())

    def test_escaped_and_raw_unicode_are_the_same_value(self):
        """``"\\u30d0"`` and the raw character store the same string;
        an escaped surrogate pair is one 4-byte character."""
        raw = ('{"freezer_action": {"action": "backup", '
               '"backup_name": "\\u30d0\\ud83d\\ude00"}}')
        resp = self.request('POST', '/v2/A/actions', raw)
        self.assertEqual(201, resp.status_int, resp.body)
        doc = self.show(resp.json['action_id'])
        self.assertEqual('バ😀', doc['freezer_action']['backup_name'])


class TestRecordShape(DocumentTestCase):

    KEYS = {'action_id', 'project_id', 'user_id', 'freezer_action',
            'max_retries', 'max_retries_interval', 'mandatory', '_version',
            'created_at', 'updated_at'}

    @staticmethod
    def parse_time(text):
        return datetime.datetime.strptime(text, '%Y-%m-%dT%H:%M:%S.%fZ')

    def test_show_and_list_return_exactly_the_record_keys(self):
        """GET and list items hold the ten keys of the spec, no more."""
        self.assertEqual(self.KEYS, set(self.before))
        resp = self.request('GET', '/v2/A/actions')
        self.assertEqual([self.KEYS], [set(a) for a in resp.json['actions']])

    def test_timestamps_are_utc_iso_8601_and_follow_writes(self):
        """``created_at`` = ``updated_at`` at creation; a write moves
        ``updated_at`` forward and never ``created_at``; a failed write
        moves neither."""
        created = self.parse_time(self.before['created_at'])
        self.assertEqual(self.before['created_at'],
                         self.before['updated_at'])
        now = datetime.datetime.now(datetime.timezone.utc).replace(
            tzinfo=None)
        self.assertLess(abs((now - created).total_seconds()), 300)
        path = '/v2/A/actions/%s' % self.action_id
        self.request('PATCH', path, {'mode': 'x'})
        self.assertUnchanged(self.before)
        self.request('PATCH', path, {'max_retries': 1})
        doc = self.show(self.action_id)
        self.assertEqual(self.before['created_at'], doc['created_at'])
        self.assertGreater(self.parse_time(doc['updated_at']), created)
        self.request('POST', path, base.ACTION)
        after = self.show(self.action_id)
        self.assertEqual(self.before['created_at'], after['created_at'])
        self.assertGreater(self.parse_time(after['updated_at']),
                           self.parse_time(doc['updated_at']))


#: Any JSON value (finite numbers; text of any code point).
JSON_VALUES = strategies.recursive(
    strategies.one_of(
        strategies.none(), strategies.booleans(),
        strategies.integers(min_value=-2 ** 70, max_value=2 ** 70),
        strategies.floats(allow_nan=False, allow_infinity=False),
        strategies.text(max_size=20)),
    lambda children: strategies.one_of(
        strategies.lists(children, max_size=3),
        strategies.dictionaries(strategies.text(max_size=8), children,
                                max_size=3)),
    max_leaves=8)
#: Agent keys: unknown ones and a few known ones (typed).
AGENT_KEYS = strategies.one_of(
    strategies.text(max_size=10),
    strategies.sampled_from(['mode', 'backup_name', 'max_level', 'dry_run',
                             'storage', 'action']))


class TestAnyDocument(base.ActionsTestCase):

    @hypothesis.settings(max_examples=80, deadline=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(
        strategies.dictionaries(AGENT_KEYS, JSON_VALUES, max_size=5),
        strategies.dictionaries(AGENT_KEYS, JSON_VALUES, max_size=4))
    def test_any_document_round_trips_or_is_refused(self, agent, patch):
        """A generated ``freezer_action`` is stored and returned exactly
        (201) or refused (400/753) with nothing stored; a generated PATCH
        gives exactly the key-by-key merge (null removes) or is refused
        with nothing written; never a 500."""
        # A project per example: the examples share one database.
        project = uuid.uuid4().hex
        collection = '/v2/%s/actions' % project
        agent = dict(agent)
        agent.setdefault('action', 'backup')
        resp = self.request('POST', collection, {'freezer_action': agent})
        self.assertIn(resp.status_int, (201, 400, 753), resp.body)
        if resp.status_int != 201:
            self.assertError(resp.status_int, resp)
            self.assertEqual([], self.all_ids(project))
            return
        item = '%s/%s' % (collection, resp.json['action_id'])
        before = self.request('GET', item).json
        self.assertEqual(agent, before['freezer_action'])
        self.assertEqual(list(agent), list(before['freezer_action']))
        resp = self.request('PATCH', item, {'freezer_action': patch})
        self.assertIn(resp.status_int, (200, 400, 753), resp.body)
        if resp.status_int != 200:
            self.assertError(resp.status_int, resp)
            self.assertEqual(before, self.request('GET', item).json)
            return
        merged = dict(agent)
        for key, value in patch.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        after = self.request('GET', item).json
        self.assertEqual(merged, after['freezer_action'])
        self.assertEqual(2, after['_version'])
