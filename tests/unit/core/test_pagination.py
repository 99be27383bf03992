"""Paging parameters (spec, "Listing, search and pagination"; case C01)."""

import testtools

from freezer_core import errors
from freezer_core import pagination


def _parse(**params):
    return pagination.parse({k: v if isinstance(v, list) else [v]
                             for k, v in params.items()},
                            default_limit=10, max_limit=1000)


class TestParse(testtools.TestCase):

    def test_defaults(self):
        self.assertEqual(pagination.Page(10, 0, None), _parse())

    def test_empty_values_mean_absent(self):
        self.assertEqual(pagination.Page(10, 0, None),
                         _parse(limit='', offset='', marker=''))

    def test_values(self):
        self.assertEqual(pagination.Page(5, 7, 'abc'),
                         _parse(limit='5', offset='7', marker='abc'))

    def test_limit_is_clamped_to_max(self):
        self.assertEqual(1000, _parse(limit='5000').limit)
        self.assertEqual(1000, _parse(limit=str(2 ** 63 - 1)).limit)

    def test_bad_values_name_the_parameter(self):
        cases = [('limit', '0'), ('limit', '-1'), ('offset', '-1'),
                 ('limit', 'ten'), ('limit', '1.5'), ('offset', '1e3'),
                 ('limit', ' 5'), ('limit', '0x10'), ('offset', '\x00'),
                 ('limit', str(2 ** 63)), ('offset', '9' * 40),
                 ('limit', '５')]
        for name, value in cases:
            exc = self.assertRaises(errors.InvalidParameter, _parse,
                                    **{name: value})
            self.assertEqual(name, exc.path)
            self.assertIn(name, exc.description)

    def test_negative_values_say_the_minimum(self):
        for name, value, minimum in (('limit', '-1', 1), ('offset', '-0', 0),
                                     ('offset', '-5', 0), ('limit', '0', 1)):
            exc = self.assertRaises(errors.InvalidParameter, _parse,
                                    **{name: value})
            self.assertIn('at least %d' % minimum, exc.description)

    def test_repeated_parameters_are_refused(self):
        for name in ('limit', 'offset', 'marker'):
            exc = self.assertRaises(errors.InvalidParameter, _parse,
                                    **{name: ['1', '2']})
            self.assertEqual(name, exc.path)
