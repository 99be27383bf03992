"""Rules of the backup record (spec ``backups.md``; cases R28-R30 of
``cases/resources.md``, domain part, in tests named ``test_rNN_...``).

R27 (a foreign delete answers 404 and the record stays) has no domain
part: it is the storage's project filter, shown by the storage and API
tests; so are the HTTP parts of the other rows.
"""

import copy

import testtools

from freezer_core import backups
from freezer_core import errors
from freezer_core import limits
from freezer_core import search

#: Metadata as freezer-tempest-plugin's backup tests post it: an agent's
#: report with numbers of both kinds, nulls, lists and nested objects.
TEMPEST_METADATA = {
    'container': 'freezer_test_container',
    'container_segments': '',
    'hostname': 'test-hostname',
    'backup_name': 'test-backup',
    'time_stamp': 1459349846,
    'curr_backup_level': 0,
    'level': 0,
    'max_level': 5,
    'mode': 'fs',
    'fs_real_path': '/home/tylerdurden/project_mayhem',
    'vol_snap_path': '/dev/null',
    'total_broken_links': 0,
    'total_fs_files': 11,
    'total_directories': 2,
    'backup_size_uncompressed': 4567,
    'backup_size_compressed': 1212,
    'compression_time': 0.5,
    'encrypted': False,
    'dry_run': None,
    'broken_links_tot': '',
    'fs_files_tot': '',
    'excluded_files_tot': '',
    'client_os': 'linux',
    'client_version': '19.0.0',
    'timezone': 'UTC',
    'lvm': {'snapsize': '1G', 'volgroup': None},
    'tags': ['nightly', 1],
    'job_id': 'job-1',
}


def record(status, metadata, backup_id='b' * 32):
    """A stored record as the storage returns it."""
    return {'backup_id': backup_id, 'project_id': 'A', 'user_id': 'u',
            'status': status, 'backup_metadata': metadata, '_version': 1,
            'created_at': 't', 'updated_at': 't'}


class TestParseCreate(testtools.TestCase):

    def refused(self, body, **kwargs):
        """Parse a body that must be refused; return the error."""
        return self.assertRaises(errors.ValidationError,
                                 backups.parse_create, body, **kwargs)

    def test_r28_posted_metadata_is_kept_key_for_key(self):
        body = copy.deepcopy(TEMPEST_METADATA)
        status, metadata = backups.parse_create(body)
        self.assertEqual('available', status)
        self.assertEqual(TEMPEST_METADATA, metadata)
        self.assertEqual(list(TEMPEST_METADATA), list(metadata))
        self.assertIsInstance(metadata['compression_time'], float)
        self.assertIsInstance(metadata['time_stamp'], int)
        # A copy: the stored metadata does not share the body's objects.
        metadata['lvm']['snapsize'] = '2G'
        self.assertEqual('1G', body['lvm']['snapsize'])

    def test_r28_server_fields_are_never_stored_in_the_metadata(self):
        body = dict(TEMPEST_METADATA, backup_id='mine', project_id='X',
                    user_id='Y', _version=4, created_at='c', updated_at='u')
        status, metadata = backups.parse_create(body)
        self.assertEqual(TEMPEST_METADATA, metadata)
        # The record gets a generated id, so a search for the posted one
        # finds nothing.
        stored = record(status, metadata, backups.new_backup_id())
        self.assertRegex(stored['backup_id'], '^[0-9a-f]{32}$')
        self.assertFalse(search.matches(
            search.parse({'match': [{'backup_id': 'mine'}]}),
            backups.search_view(stored)))

    def test_status_is_split_off_the_metadata(self):
        for status in ('creating', 'available', 'restoring', 'error',
                       'deleting', 'deleted'):
            got, metadata = backups.parse_create(
                dict(TEMPEST_METADATA, status=status))
            self.assertEqual(status, got)
            self.assertNotIn('status', metadata)
        for bad in ('done', None, 1, 'AVAILABLE'):
            exc = self.refused(dict(TEMPEST_METADATA, status=bad))
            self.assertEqual(('status', 'enum'), (exc.path, exc.rule))

    def test_body_must_be_a_non_empty_object(self):
        exc = self.refused({})
        self.assertEqual((None, 'minProperties'), (exc.path, exc.rule))
        for body in ([], 'b', None, 1):
            self.assertEqual('type', self.refused(body).rule)

    def test_backup_name_is_a_required_non_empty_string(self):
        base = {'container': 'c', 'hostname': 'h'}
        exc = self.refused(base)
        self.assertEqual((None, 'required'), (exc.path, exc.rule))
        self.assertIn("'backup_name'", exc.description)
        for bad, rule in (('', 'minLength'), (None, 'type'), (5, 'type')):
            exc = self.refused(dict(base, backup_name=bad))
            self.assertEqual(('backup_name', rule), (exc.path, exc.rule))

    def test_container_and_hostname_are_required_when_available(self):
        exc = self.refused({'backup_name': 'b', 'hostname': 'h'})
        self.assertEqual((None, 'required'), (exc.path, exc.rule))
        self.assertIn("'container'", exc.description)
        for key in ('container', 'hostname'):
            body = {'backup_name': 'b', 'container': 'c', 'hostname': 'h'}
            for bad, rule in (('', 'minLength'), (None, 'type'),
                              (['c'], 'type')):
                body[key] = bad
                exc = self.refused(body)
                self.assertEqual((key, rule), (exc.path, exc.rule))

    def test_pre_created_records_may_lack_a_location(self):
        for status in ('creating', 'error', 'deleting'):
            self.assertEqual((status, {'backup_name': 'b'}),
                             backups.parse_create({'backup_name': 'b',
                                                   'status': status}))
            backups.parse_create({'backup_name': 'b', 'status': status,
                                  'container': None, 'hostname': None})
        for status in ('restoring', 'deleted'):
            exc = self.refused({'backup_name': 'b', 'status': status})
            self.assertEqual('required', exc.rule)

    def test_job_id_is_a_short_string_or_null(self):
        base = {'backup_name': 'b', 'container': 'c', 'hostname': 'h'}
        for good in ('j' * 255, None, ''):
            backups.parse_create(dict(base, job_id=good))
        for bad, rule in (('j' * 256, 'maxLength'), (5, 'type'),
                          ({'id': 'j'}, 'type')):
            exc = self.refused(dict(base, job_id=bad))
            self.assertEqual(('job_id', rule), (exc.path, exc.rule))

    def test_other_keys_are_free(self):
        _, metadata = backups.parse_create({
            'backup_name': 'b', 'container': 'c', 'hostname': 'h',
            'x': {'deep': [None, 1.5]}, 'engine_name': 7})
        self.assertEqual({'deep': [None, 1.5]}, metadata['x'])

    def test_the_get_shape_is_read(self):
        stored = record('creating', {'backup_name': 'b', 'container': None})
        document = backups.wire_document(stored)
        self.assertEqual(('creating', {'backup_name': 'b',
                                       'container': None}),
                         backups.parse_create(document))
        self.assertEqual(('available', dict(TEMPEST_METADATA)),
                         backups.parse_create(
                             {'backup_metadata': TEMPEST_METADATA}))

    def test_the_get_shape_refuses_other_keys_and_names_nested_paths(self):
        exc = self.refused({'backup_metadata': {'backup_name': 'b'},
                            'foo': 1})
        self.assertEqual((None, 'additionalProperties'),
                         (exc.path, exc.rule))
        self.assertIn("'foo'", exc.description)
        exc = self.refused({'backup_metadata': {'backup_name': 'b',
                                                'container': 'c'}})
        self.assertEqual(('backup_metadata', 'required'),
                         (exc.path, exc.rule))
        self.assertIn("'hostname'", exc.description)
        exc = self.refused({'backup_metadata': 'b'})
        self.assertEqual(('backup_metadata', 'type'), (exc.path, exc.rule))
        exc = self.refused({'backup_metadata': {'backup_name': 'b',
                                                'status': 'error'}})
        self.assertEqual('backup_metadata.status', exc.path)

    def test_the_get_shape_drops_nested_server_fields(self):
        _, metadata = backups.parse_create({'backup_metadata': dict(
            TEMPEST_METADATA, backup_id='x', project_id='p')})
        self.assertEqual(TEMPEST_METADATA, metadata)

    def test_a_body_with_backup_id_is_held_to_the_patch_rule(self):
        # freezer 19's fallback POST: the agent's "" values stay.
        body = {'backup_id': 'old', 'backup_name': 'b', 'container': '',
                'hostname': '', 'status': 'available',
                'cinder_backup_id': 'cb'}
        status, metadata = backups.parse_create(body)
        self.assertEqual('available', status)
        self.assertEqual({'backup_name': 'b', 'container': '',
                          'hostname': '', 'cinder_backup_id': 'cb'},
                         metadata)
        exc = self.refused({'backup_id': 'old', 'backup_name': ''})
        self.assertEqual(('backup_name', 'minLength'), (exc.path, exc.rule))
        exc = self.refused({'backup_id': 'old', 'backup_name': 'b',
                            'job_id': 5})
        self.assertEqual(('job_id', 'type'), (exc.path, exc.rule))

    def test_nul_and_length_limits(self):
        exc = self.refused(dict(TEMPEST_METADATA, note='a\x00'))
        self.assertEqual(('note', 'no-nul'), (exc.path, exc.rule))
        small = limits.DEFAULT._replace(max_string_length=40)
        exc = self.refused(dict(TEMPEST_METADATA, note='n' * 41),
                           limits=small)
        self.assertEqual(('note', 'maxLength'), (exc.path, exc.rule))


class TestMergePatch(testtools.TestCase):

    PRE_CREATED = {'backup_name': 'vol-1', 'container': None,
                   'extra': 'x', 'nested': {'a': 1, 'b': 2}}

    def patch(self, body, status='creating', metadata=None):
        metadata = self.PRE_CREATED if metadata is None else metadata
        before = copy.deepcopy(metadata)
        result = backups.merge_patch(status, metadata, body)
        self.assertEqual(before, metadata)
        return result

    def refused(self, body):
        return self.assertRaises(errors.ValidationError, backups.merge_patch,
                                 'creating', self.PRE_CREATED, body)

    def test_r29_cindernative_flow(self):
        status, metadata = backups.parse_create(
            {'backup_name': 'vol-1', 'container': None,
             'status': 'creating'})
        self.assertEqual('creating', status)
        # The agent's final metadata, PATCHed flat.
        status, metadata = backups.merge_patch(status, metadata, {
            'backup_id': 'b' * 32, 'cinder_backup_id': 'cb-1',
            'status': 'available', 'hostname': 'node1', 'container': '',
            'time_stamp': 1700000000, 'extra': 'x'})
        self.assertEqual('available', status)
        self.assertEqual({'backup_name': 'vol-1', 'container': '',
                          'cinder_backup_id': 'cb-1', 'hostname': 'node1',
                          'time_stamp': 1700000000, 'extra': 'x'}, metadata)
        status, metadata = backups.merge_patch(
            status, metadata, {'backup_metadata': {'extra': None}})
        self.assertEqual('available', status)
        self.assertNotIn('extra', metadata)
        exc = self.assertRaises(errors.ValidationError, backups.merge_patch,
                                status, metadata,
                                {'backup_metadata': {}, 'foo': 1})
        self.assertEqual((None, 'additionalProperties'),
                         (exc.path, exc.rule))
        self.assertIn("'foo'", exc.description)

    def test_structured_status_and_metadata(self):
        self.assertEqual(('error', self.PRE_CREATED),
                         self.patch({'status': 'error'}))
        status, metadata = self.patch({
            'status': 'available', 'project_id': 'ignored',
            'backup_metadata': {'nested': {'c': 3}, 'new': [1],
                                'backup_id': 'ignored'}})
        self.assertEqual('available', status)
        self.assertEqual({'backup_name': 'vol-1', 'container': None,
                          'extra': 'x', 'nested': {'c': 3}, 'new': [1]},
                         metadata)
        self.assertEqual(('creating', self.PRE_CREATED),
                         self.patch({'backup_metadata': {}}))

    def test_flat_merges_everything_but_status(self):
        status, metadata = self.patch({'extra': None, 'size': 10})
        self.assertEqual('creating', status)
        self.assertEqual({'backup_name': 'vol-1', 'container': None,
                          'nested': {'a': 1, 'b': 2}, 'size': 10},
                         metadata)

    def test_any_transition_but_not_an_unknown_or_null_status(self):
        self.assertEqual('deleted', self.patch({'status': 'deleted'},
                                               status='available')[0])
        for body in ({'status': 'gone'}, {'status': None},
                     {'backup_metadata': {}, 'status': None}):
            exc = self.refused(body)
            self.assertEqual(('status', 'enum'), (exc.path, exc.rule))

    def test_empty_patches_are_refused(self):
        for body in ({}, {'backup_id': 'x', '_version': 3}):
            exc = self.refused(body)
            self.assertEqual((None, 'minProperties'), (exc.path, exc.rule))
        for body in (None, [], 'x'):
            self.assertEqual('type', self.refused(body).rule)

    def test_backup_name_must_stay_non_empty(self):
        for body, path, rule in (
                ({'backup_name': None}, None, 'required'),
                ({'backup_name': ''}, 'backup_name', 'minLength'),
                ({'backup_metadata': {'backup_name': None}},
                 'backup_metadata', 'required'),
                ({'backup_metadata': {'backup_name': 3}},
                 'backup_metadata.backup_name', 'type')):
            exc = self.refused(body)
            self.assertEqual((path, rule), (exc.path, exc.rule))

    def test_metadata_must_be_an_object_without_status(self):
        exc = self.refused({'backup_metadata': [1]})
        self.assertEqual(('backup_metadata', 'type'), (exc.path, exc.rule))
        exc = self.refused({'backup_metadata': {'status': 'error'}})
        self.assertEqual('backup_metadata.status', exc.path)

    def test_job_id_and_nul_rules_apply(self):
        exc = self.refused({'job_id': 'j' * 256})
        self.assertEqual(('job_id', 'maxLength'), (exc.path, exc.rule))
        exc = self.refused({'backup_metadata': {'k': 'a\x00'}})
        self.assertEqual(('backup_metadata.k', 'no-nul'),
                         (exc.path, exc.rule))


class TestDocuments(testtools.TestCase):

    def test_r28_wire_document_has_exactly_five_keys(self):
        stored = record('available', TEMPEST_METADATA)
        self.assertEqual({'backup_id': 'b' * 32, 'project_id': 'A',
                          'user_id': 'u', 'status': 'available',
                          'backup_metadata': TEMPEST_METADATA},
                         backups.wire_document(stored))
        self.assertEqual(list(backups.DOCUMENT_KEYS),
                         list(backups.wire_document(stored)))

    def test_search_sees_the_wire_document(self):
        view = backups.search_view(record('available', TEMPEST_METADATA))
        for term in ({'backup_id': 'b' * 32}, {'status': 'available'},
                     {'job_id': 'job-1'}, {'snapsize': '1G'},
                     {'backup_metadata.lvm.snapsize': '1G'}):
            self.assertTrue(search.matches(search.parse({'match': [term]}),
                                           view), term)
        self.assertFalse(search.matches(
            search.parse({'match': [{'_version': 1}]}), view))


class TestTimeRange(testtools.TestCase):

    def test_r30_time_after_keeps_later_records(self):
        rest, time_range = backups.split_time_range({'time_after': 150})
        self.assertEqual({}, rest)
        kept = [stamp for stamp in (100, 200, 300)
                if time_range.holds({'time_stamp': stamp})]
        self.assertEqual([200, 300], kept)

    def test_r30_a_string_is_refused(self):
        exc = self.assertRaises(errors.SearchError,
                                backups.split_time_range,
                                {'time_before': 'x'})
        self.assertEqual(('time_before', 'type'), (exc.path, exc.rule))
        self.assertIn('time_before', exc.description)

    def test_bounds_are_inclusive_and_combine(self):
        _, time_range = backups.split_time_range(
            {'time_after': 200, 'time_before': 300})
        self.assertEqual([200, 300], [
            stamp for stamp in (100, 199, 200, 300, 301)
            if time_range.holds({'time_stamp': stamp})])

    def test_only_integer_time_stamps_are_in_a_range(self):
        _, time_range = backups.split_time_range({'time_before': 500})
        for metadata in ({}, {'time_stamp': '100'}, {'time_stamp': 100.0},
                         {'time_stamp': True}, {'time_stamp': None}):
            self.assertFalse(time_range.holds(metadata), metadata)
        self.assertTrue(backups.ANY_TIME.holds({}))
        self.assertFalse(backups.ANY_TIME)

    def test_only_integers_are_accepted(self):
        for bad in (True, 1.5, 150.0, None, [1], '150'):
            exc = self.assertRaises(errors.SearchError,
                                    backups.split_time_range,
                                    {'time_after': bad})
            self.assertEqual('type', exc.rule, bad)
        exc = self.assertRaises(errors.SearchError,
                                backups.split_time_range,
                                {'time_after': 2 ** 63})
        self.assertEqual('maximum', exc.rule)

    def test_other_keys_are_left_for_the_search_parser(self):
        document = {'match': [{'status': 'available'}], 'time_after': -5}
        rest, time_range = backups.split_time_range(document)
        self.assertEqual({'match': [{'status': 'available'}]}, rest)
        self.assertEqual(backups.TimeRange(-5, None), time_range)
        self.assertIn('time_after', document)
        for value in (None, [], 'x'):
            self.assertEqual((value, backups.ANY_TIME),
                             backups.split_time_range(value))

    def test_parse_search_gives_both_parts(self):
        parsed, time_range = backups.parse_search(
            {'match': [{'job_id': 'j'}], 'time_before': 10})
        self.assertEqual(search.parse({'match': [{'job_id': 'j'}]}), parsed)
        self.assertEqual(backups.TimeRange(None, 10), time_range)
        self.assertEqual((search.EMPTY, backups.ANY_TIME),
                         backups.parse_search(None))

    def test_the_query_parameter_form(self):
        parsed, time_range = backups.parse_search_param(
            '{"time_after": 150, "match": [{"status": "error"}]}')
        self.assertEqual(search.parse({'match': [{'status': 'error'}]}),
                         parsed)
        self.assertEqual(backups.TimeRange(150, None), time_range)
        self.assertEqual((search.EMPTY, backups.ANY_TIME),
                         backups.parse_search_param(' '))
        exc = self.assertRaises(errors.SearchError,
                                backups.parse_search_param,
                                '{"time_before": "x"}')
        self.assertEqual('time_before', exc.path)
        self.assertRaises(errors.InvalidParameter,
                          backups.parse_search_param, '{"time_after": ')
        self.assertRaises(errors.SearchError, backups.parse_search_param,
                          'null')

    def test_elsewhere_the_time_keys_are_unknown(self):
        exc = self.assertRaises(errors.SearchError, search.parse,
                                {'time_after': 150})
        self.assertIn('time_after', exc.description)


class TestIndexedValues(testtools.TestCase):
    """What the storage indexes and what a URL id may be."""

    def test_time_stamp_is_the_integer_or_none(self):
        self.assertEqual(1459349846, backups.time_stamp(
            {'time_stamp': 1459349846}))
        self.assertEqual(-1, backups.time_stamp({'time_stamp': -1}))
        for value in ('1', 1.0, 1.5, True, False, None, [1], {}):
            self.assertIsNone(backups.time_stamp({'time_stamp': value}),
                              value)
        self.assertIsNone(backups.time_stamp({}))
        self.assertIsNone(backups.time_stamp({'time_stamp': 2 ** 63}))
        self.assertEqual(2 ** 63 - 1, backups.time_stamp(
            {'time_stamp': 2 ** 63 - 1}))

    def test_backup_ids_a_url_may_name(self):
        self.assertTrue(backups.is_backup_id(backups.new_backup_id()))
        self.assertTrue(backups.is_backup_id('a' * 64))
        self.assertTrue(backups.is_backup_id('Old_id-1'))
        for value in ('', 'a' * 65, 'x.json', 'a\x00', 'a\n', 'a b', 'é'):
            self.assertFalse(backups.is_backup_id(value), value)
