"""``freezer-action-lint``: offline checks of action document files.

Each test writes real files in a temporary directory and reads the lines
the tool prints; the rules themselves are those of
:func:`freezer_core.actions.validate_create` (tests/unit/core/
test_actions.py), so these tests are about files, paths, lists, exit
statuses and the output format.
"""

import contextlib
import io
import json
import os

import fixtures
import testtools

from freezer_core import lint

VALID = {'freezer_action': {'action': 'backup', 'mode': 'fs',
                            'backup_name': 'etc', 'path_to_backup': '/etc'},
         'max_retries': 3}


class LintTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.directory = self.useFixture(fixtures.TempDir()).path

    def write(self, name, content):
        """Write a file; ``content`` is bytes, str, or a value to dump."""
        path = os.path.join(self.directory, name)
        if not isinstance(content, (bytes, str)):
            content = json.dumps(content)
        mode = 'wb' if isinstance(content, bytes) else 'w'
        with open(path, mode) as handle:
            handle.write(content)
        return path

    def run_lint(self, *names, stdin=b''):
        """Run the tool's report; return (status, output lines, summary)."""
        out, err = io.StringIO(), io.StringIO()
        status = lint.report(list(names), out, err,
                             stdin=io.BytesIO(stdin))
        return status, out.getvalue().splitlines(), err.getvalue()


class TestValidFiles(LintTestCase):

    def test_one_valid_document_exits_0_and_prints_no_problem(self):
        path = self.write('a.json', VALID)
        status, lines, summary = self.run_lint(path)
        self.assertEqual(0, status)
        self.assertEqual([], lines)
        self.assertEqual(
            '1 file(s) checked: every action document is valid\n', summary)

    def test_a_list_of_valid_documents_exits_0(self):
        second = dict(VALID, action_id='nightly-etc')
        path = self.write('list.json', [VALID, second])
        self.assertEqual((0, []), self.run_lint(path)[:2])

    def test_a_get_answer_with_server_fields_is_valid(self):
        # What GET returns can be sent back unchanged (spec), so a record
        # saved from the API must pass.
        record = dict(VALID, action_id='a1', project_id='p', user_id='u',
                      _version=4, created_at='2026-01-01T00:00:00.000000Z',
                      updated_at='2026-01-01T00:00:00.000000Z',
                      max_retries_interval=6, mandatory=False)
        path = self.write('record.json', record)
        self.assertEqual((0, []), self.run_lint(path)[:2])

    def test_an_empty_list_is_valid(self):
        path = self.write('none.json', [])
        self.assertEqual((0, []), self.run_lint(path)[:2])


class TestProblems(LintTestCase):

    def test_bad_enum_names_file_path_and_rule(self):
        path = self.write('bad.json', {'freezer_action': {
            'action': 'backup', 'mode': 'tape'}})
        status, lines, summary = self.run_lint(path)
        self.assertEqual(1, status)
        self.assertEqual(
            ["%s: $.freezer_action.mode: 'tape' is not one of fs, mongo, "
             "mysql, sqlserver, cinder, glance, cindernative, nova, null "
             "(rule: enum)" % path], lines)
        self.assertEqual('1 problem(s) in 1 file(s)\n', summary)

    def test_paths_in_a_list_start_at_the_document_index(self):
        path = self.write('list.json', [
            VALID,
            {'freezer_action': {'action': 'backup', 'max_level': 'two'}},
            {'freezer_action': {}},
        ])
        status, lines, _ = self.run_lint(path)
        self.assertEqual(1, status)
        self.assertEqual(
            ["%s: $[1].freezer_action.max_level: 'two' is not of type "
             "integer or null (rule: type)" % path,
             "%s: $[2].freezer_action: 'action' is a required property "
             "(rule: required)" % path], lines)

    def test_unknown_top_level_field(self):
        path = self.write('extra.json', dict(VALID, schedule='daily'))
        _, lines, _ = self.run_lint(path)
        self.assertEqual(
            ["%s: $: Unknown field 'schedule' in the action document "
             "(rule: additionalProperties)" % path], lines)

    def test_every_fault_of_a_document_is_a_line(self):
        # Four faults, four lines: the linter lists them all, where the
        # API answers with the first.
        path = self.write('four.json', [VALID, {
            'freezer_action': {'action': 'backup', 'mode': 'tape',
                               'max_level': 'two'},
            'max_retries': -1, 'colour': 'blue'}])
        status, lines, summary = self.run_lint(path)
        self.assertEqual(1, status)
        self.assertEqual([
            "%s: $[1]: Unknown field 'colour' in the action document "
            "(rule: additionalProperties)" % path,
            "%s: $[1].max_retries: -1 does not satisfy minimum 0 "
            "(rule: minimum)" % path,
            "%s: $[1].freezer_action.max_level: 'two' is not of type "
            "integer or null (rule: type)" % path,
            "%s: $[1].freezer_action.mode: 'tape' is not one of fs, mongo, "
            "mysql, sqlserver, cinder, glance, cindernative, nova, null "
            "(rule: enum)" % path], lines)
        self.assertEqual('4 problem(s) in 1 file(s)\n', summary)

    def test_negative_retries_name_the_minimum_rule(self):
        path = self.write('neg.json', dict(VALID, max_retries=-1))
        _, lines, _ = self.run_lint(path)
        self.assertEqual(1, len(lines))
        self.assertTrue(lines[0].startswith('%s: $.max_retries: ' % path),
                        lines[0])
        self.assertTrue(lines[0].endswith('(rule: minimum)'), lines[0])

    def test_nul_in_a_string(self):
        path = self.write('nul.json', {'freezer_action': {
            'action': 'exec', 'command': 'echo \u0000'}})
        _, lines, _ = self.run_lint(path)
        self.assertEqual(
            ['%s: $.freezer_action.command: strings must not contain the '
             'NUL character (rule: no-nul)' % path], lines)

    def test_a_document_that_is_not_an_object(self):
        path = self.write('num.json', [VALID, 42])
        _, lines, _ = self.run_lint(path)
        self.assertEqual(
            ['%s: $[1]: The action document must be a JSON object, not a '
             'number (rule: type)' % path], lines)

    def test_duplicate_keys_are_malformed_json(self):
        path = self.write('dup.json',
                          '{"freezer_action": {"action": "backup"}, '
                          '"max_retries": 1, "max_retries": 2}')
        status, lines, _ = self.run_lint(path)
        self.assertEqual(1, status)
        self.assertEqual(['%s: $: Duplicate key "max_retries" in a JSON '
                          'object (rule: strict-json)' % path], lines)

    def test_nan_is_malformed_json(self):
        path = self.write('nan.json', '{"freezer_action": {"action": '
                                      '"backup", "remove_older_than": NaN}}')
        _, lines, _ = self.run_lint(path)
        self.assertEqual(
            ['%s: $: NaN is not a JSON value (rule: strict-json)' % path],
            lines)

    def test_invalid_utf8_is_malformed_json(self):
        path = self.write('latin1.json', b'{"freezer_action": {"action": '
                                         b'"backup", "container": "\xe9"}}')
        _, lines, _ = self.run_lint(path)
        self.assertEqual(['%s: $: The body is not valid UTF-8 (rule: '
                          'strict-json)' % path], lines)

    def test_an_empty_file(self):
        path = self.write('empty.json', '  \n')
        status, lines, _ = self.run_lint(path)
        self.assertEqual(1, status)
        self.assertEqual(['%s: $: the file is empty; expected an action '
                          'document or a list of them (rule: document)'
                          % path], lines)

    def test_a_missing_file_is_reported_and_the_others_still_checked(self):
        missing = os.path.join(self.directory, 'missing.json')
        bad = self.write('bad.json', {'freezer_action': {'action': 'nap'}})
        status, lines, summary = self.run_lint(missing, bad)
        self.assertEqual(1, status)
        self.assertEqual(2, len(lines))
        self.assertEqual('%s: cannot be read: No such file or directory '
                         '(rule: readable)' % missing, lines[0])
        self.assertTrue(lines[1].startswith(
            "%s: $.freezer_action.action: 'nap' is not one of" % bad),
            lines[1])
        self.assertEqual('2 problem(s) in 2 file(s)\n', summary)

    def test_an_action_id_given_twice_across_files(self):
        first = self.write('one.json', dict(VALID, action_id='etc-nightly'))
        second = self.write('two.json', [dict(VALID, action_id='other'),
                                         dict(VALID, action_id='etc-nightly')])
        status, lines, _ = self.run_lint(first, second)
        self.assertEqual(1, status)
        self.assertEqual(
            ["%s: $[1].action_id: action_id 'etc-nightly' is already given "
             "at %s: $.action_id; ids are unique across all projects "
             "(rule: unique-action-id)" % (second, first)], lines)

    def test_invalid_action_id_pattern(self):
        path = self.write('id.json', dict(VALID, action_id='has space'))
        _, lines, _ = self.run_lint(path)
        self.assertEqual(1, len(lines))
        self.assertTrue(lines[0].startswith('%s: $.action_id: ' % path))
        self.assertTrue(lines[0].endswith('(rule: pattern)'), lines[0])


class TestStandardInput(LintTestCase):

    def test_dash_reads_standard_input(self):
        status, lines, _ = self.run_lint(
            '-', stdin=b'{"freezer_action": {"action": "backup", '
                       b'"storage": "tape"}}')
        self.assertEqual(1, status)
        self.assertEqual(1, len(lines))
        self.assertTrue(lines[0].startswith(
            "<stdin>: $.freezer_action.storage: 'tape' is not one of"),
            lines[0])


class TestCheckFiles(LintTestCase):

    def test_problems_are_tuples_with_file_path_message_rule(self):
        path = self.write('bad.json', {'freezer_action': {
            'action': 'backup', 'quiet': 'yes'}})
        self.assertEqual(
            [lint.Problem(path, '$.freezer_action.quiet',
                          "'yes' is not of type boolean or null", 'type')],
            lint.check_files([path]))

    def test_check_document_rebases_the_path(self):
        self.assertEqual(
            [lint.Problem('f', '$[7].max_retries_interval',
                          "'6' is not of type integer", 'type')],
            lint.check_document(dict(VALID, max_retries_interval='6'),
                                name='f', path='$[7]'))
        self.assertEqual([], lint.check_document(VALID))


class TestMain(LintTestCase):

    def _main(self, *argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = lint.main(list(argv))
        return status, out.getvalue(), err.getvalue()

    def test_no_file_is_a_usage_error(self):
        status, out, err = self._main()
        self.assertEqual(2, status)
        self.assertEqual('', out)
        self.assertIn('usage: freezer-action-lint', err)

    def test_unknown_option_is_a_usage_error(self):
        path = self.write('a.json', VALID)
        status, _, err = self._main('--frobnicate', path)
        self.assertEqual(2, status)
        self.assertIn('unrecognized arguments: --frobnicate', err)

    def test_help_exits_0(self):
        status, out, _ = self._main('--help')
        self.assertEqual(0, status)
        self.assertIn('Exit status: 0 all valid, 1 a problem was found',
                      ' '.join(out.split()))

    def test_main_prints_problems_on_stdout(self):
        good = self.write('good.json', VALID)
        bad = self.write('bad.json', {'freezer_action': {'action': 'x'}})
        status, out, err = self._main(good, bad)
        self.assertEqual(1, status)
        self.assertEqual(1, len(out.splitlines()))
        self.assertTrue(out.startswith('%s: $.freezer_action.action: '
                                       % bad), out)
        self.assertEqual('1 problem(s) in 1 file(s)\n', err)
