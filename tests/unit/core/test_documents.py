"""The one validator every resource uses (issue 12, "Validation per
resource from one generic validator"): every fault of a document, each
with its JSON path and its rule, in the API's message form."""

import testtools

from freezer_core import documents
from freezer_core import errors
from freezer_core import limits

SCHEMA = {
    'title': 'sample document',
    'type': 'object',
    'properties': {
        'name': {'type': 'string', 'maxLength': 5},
        'size': {'type': 'integer', 'minimum': 0},
        'mode': {'enum': ['fs', 'nova', None]},
        'id': {'type': 'string', 'pattern': '^[a-z]+$'},
        'inner': {
            'type': 'object',
            'properties': {'flag': {'type': 'boolean'}},
            'required': ['flag'],
            'additionalProperties': False,
        },
        'items': {'type': 'array', 'items': {'type': 'string'}},
    },
    'required': ['name'],
    'additionalProperties': False,
}


def facts(problems):
    """(path, rule) of each error, in order."""
    return [(p.path, p.rule) for p in problems]


class TestErrors(testtools.TestCase):

    def test_a_valid_document_has_no_error(self):
        self.assertEqual([], documents.errors(SCHEMA, {
            'name': 'a', 'size': 0, 'mode': None, 'id': 'abc',
            'inner': {'flag': True}, 'items': ['x']}))

    def test_every_fault_is_listed_with_path_and_rule(self):
        problems = documents.errors(SCHEMA, {
            'name': 'too long', 'size': -1, 'mode': 'tape', 'id': 'A1',
            'inner': {'other': 1}, 'items': ['ok', 3], 'extra': 1})
        self.assertEqual([
            (None, 'additionalProperties'),
            ('id', 'pattern'),
            ('inner', 'required'),
            ('inner', 'additionalProperties'),
            ('mode', 'enum'),
            ('name', 'maxLength'),
            ('size', 'minimum'),
            ('items[1]', 'type'),
        ], facts(problems))
        for problem in problems:
            self.assertIsInstance(problem, errors.ValidationError)

    def test_messages_have_the_api_form(self):
        by_rule = {p.rule + ':' + str(p.path): p.description
                   for p in documents.errors(SCHEMA, {
                       'size': '1', 'mode': 'tape', 'colour': 'red',
                       'inner': {'flag': True, 'x': 1}})}
        self.assertEqual({
            'additionalProperties:None':
                "Unknown field 'colour' in the sample document "
                "(rule: additionalProperties).",
            'additionalProperties:inner':
                "$.inner: Unknown field 'x' in the object "
                "(rule: additionalProperties).",
            'required:None':
                "$: 'name' is a required property (rule: required).",
            'enum:mode':
                "$.mode: 'tape' is not one of fs, nova, null (rule: enum).",
            'type:size':
                "$.size: '1' is not of type integer (rule: type).",
        }, by_rule)

    def test_other_rules_name_keyword_and_value(self):
        [problem] = documents.errors(SCHEMA, {'name': 'a', 'size': -3})
        self.assertEqual(
            '$.size: -3 does not satisfy minimum 0 (rule: minimum).',
            problem.description)
        self.assertEqual('-3 does not satisfy minimum 0', problem.detail)

    def test_prefix_is_put_before_every_path(self):
        problems = documents.errors(
            SCHEMA, {'name': 1, 'items': [1]}, prefix='job_actions[2].')
        self.assertEqual([('job_actions[2].name', 'type'),
                          ('job_actions[2].items[0]', 'type')],
                         facts(problems))
        self.assertTrue(problems[0].description.startswith(
            '$.job_actions[2].name: 1 is not of type string'))

    def test_prefix_names_the_whole_document_too(self):
        [problem] = documents.errors(SCHEMA, {}, prefix='job_actions[0]')
        self.assertEqual(('job_actions[0]', 'required'),
                         (problem.path, problem.rule))
        self.assertEqual("$.job_actions[0]: 'name' is a required property "
                         "(rule: required).", problem.description)

    def test_long_values_are_cut_in_messages(self):
        [problem] = documents.errors(SCHEMA, {'name': 'a', 'size': 'x' * 500})
        self.assertLess(len(problem.description), 200)
        self.assertIn("...", problem.description)

    def test_any_of_reports_the_most_relevant_branch(self):
        schema = {'type': 'object', 'properties': {'a': {'anyOf': [
            {'type': 'string'},
            {'type': 'object', 'properties': {'b': {'type': 'integer'}}}]}}}
        [problem] = documents.errors(schema, {'a': {'b': 'x'}})
        self.assertEqual(('a.b', 'type'), (problem.path, problem.rule))
        [problem] = documents.errors(schema, {'a': 3})
        self.assertEqual(('a', 'anyOf'), (problem.path, problem.rule))

    def test_keys_with_dots_sort_by_depth_not_by_text(self):
        problems = documents.errors(
            {'type': 'object', 'properties': {
                'x.y.z': {'type': 'string'},
                'o': {'type': 'object',
                      'properties': {'k': {'type': 'string'}}}}},
            {'x.y.z': 1, 'o': {'k': 1}})
        self.assertEqual([('x.y.z', 'type'), ('o.k', 'type')],
                         facts(problems))

    def test_validate_raises_the_first_error(self):
        exc = self.assertRaises(errors.ValidationError, documents.validate,
                                SCHEMA, {'size': -1})
        self.assertEqual((None, 'required'), (exc.path, exc.rule))
        self.assertIsNone(documents.validate(SCHEMA, {'name': 'a'}))


class TestSharedRules(testtools.TestCase):

    def test_nul_in_values_and_keys_at_any_depth(self):
        problems = documents.nul_errors({
            'a': 'x\x00', 'b': [{'c': 'ok'}, 'n\x00'], 'k\x00': 1})
        self.assertEqual([('a', 'no-nul'), ('k\x00', 'no-nul'),
                          ('b[1]', 'no-nul')], facts(problems))
        self.assertEqual('$.a: strings must not contain the NUL character '
                         '(rule: no-nul).', problems[0].description)

    def test_length_limit_on_values_and_keys(self):
        long_key = 'k' * 50
        problems = documents.length_errors(
            {'a': 'x' * 11, 'b': ['y' * 10], long_key: 1}, 10, prefix='p.')
        self.assertEqual([('p.a', 'maxLength'),
                          ('p.' + 'k' * 40 + '...', 'maxLength')],
                         facts(problems))
        self.assertEqual('$.p.a: strings and keys may hold at most 10 '
                         'characters (rule: maxLength; limit: '
                         'max_string_length).', problems[0].description)

    def test_check_orders_nul_length_then_schema(self):
        small = limits.DEFAULT._replace(max_string_length=4)
        problems = documents.check(
            SCHEMA, {'name': 'abcde', 'id': '\x00'}, small)
        self.assertEqual([('id', 'no-nul'), ('name', 'maxLength'),
                          ('id', 'pattern')], facts(problems))
        self.assertIn('limit: max_string_length', problems[1].description)

    def test_require_object(self):
        self.assertIsNone(documents.require_object({}, 'x document'))
        exc = self.assertRaises(errors.ValidationError,
                                documents.require_object, [1], 'x document')
        self.assertEqual('The x document must be a JSON object, not an '
                         'array (rule: type).', exc.description)
        self.assertEqual((None, 'type'), (exc.path, exc.rule))
        exc = self.assertRaises(errors.ValidationError,
                                documents.require_object, None, 'x document',
                                'job_actions[1].')
        self.assertEqual('job_actions[1]', exc.path)
        self.assertTrue(exc.description.startswith('$.job_actions[1]: '))

    def test_without_drops_keys_and_keeps_order(self):
        body = {'b': 1, 'project_id': 'p', 'a': 2, '_version': 3}
        self.assertEqual(['b', 'a'], list(documents.without(
            body, ('project_id', '_version', 'absent'))))
        self.assertIn('project_id', body)

    def test_new_id_is_32_lowercase_hex(self):
        first, second = documents.new_id(), documents.new_id()
        self.assertRegex(first, '^[0-9a-f]{32}$')
        self.assertNotEqual(first, second)


class TestValidationError(testtools.TestCase):

    def test_description_alone_still_works(self):
        exc = errors.ValidationError('bad thing')
        self.assertEqual(('bad thing', None, None, 'bad thing'),
                         (exc.description, exc.path, exc.rule, exc.detail))
        self.assertEqual('bad thing', str(exc))

    def test_path_positional_still_works(self):
        exc = errors.InvalidParameter('limit: bad', 'limit')
        self.assertEqual('limit', exc.path)
