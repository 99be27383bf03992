"""Strict JSON decoding (spec "Errors": 753 cases) and JSON equality."""

import testtools

from freezer_core import errors
from freezer_core import jsondoc


class TestLoads(testtools.TestCase):

    def test_decodes_objects_keeping_key_order_and_unicode(self):
        value = jsondoc.loads('{"b": 1, "a": "バックアップ😀"}'.encode())
        self.assertEqual(['b', 'a'], list(value))
        self.assertEqual('バックアップ😀', value['a'])

    def test_empty_or_blank_body_is_none(self):
        for raw in (b'', b'  \n', ''):
            self.assertIsNone(jsondoc.loads(raw))

    def test_every_malformed_class_is_refused(self):
        cases = {
            'cut off': b'{"freezer_action":',
            'invalid utf-8': b'\xff\xfe{}',
            'duplicate key': b'{"a": 1, "a": 2}',
            'nested duplicate': b'{"x": {"a": 1, "a": 1}}',
            'NaN': b'{"a": NaN}',
            'Infinity': b'[Infinity]',
            '-Infinity': b'[-Infinity]',
            'trailing garbage': b'{} {}',
            'single quotes': b"{'a': 1}",
            'bom': '\ufeff{}'.encode('utf-8'),
            'lone high surrogate': b'{"a": "\\ud800"}',
            'lone low surrogate': b'["x\\udc00y"]',
            'surrogate in a key': b'{"\\ud800": 1}',
            'deep surrogate': b'{"a": [{"b": ["\\udfff"]}]}',
            'float overflowing to infinity': b'{"x": 1e400}',
            'negative overflow': b'[-1.5e999]',
            'integer of 5000 digits': b'[' + b'9' * 5000 + b']',
        }
        for name, raw in cases.items():
            self.assertRaises(errors.MalformedJSON, jsondoc.loads, raw)

    def test_large_but_finite_numbers_are_kept(self):
        self.assertEqual([10 ** 30, 1e300, -1e-300],
                         jsondoc.loads(b'[1000000000000000000000000000000,'
                                       b' 1e300, -1e-300]'))

    def test_surrogate_pairs_are_real_characters(self):
        self.assertEqual({'a': '😀'}, jsondoc.loads(b'{"a": "\\ud83d\\ude00"}'))

    def test_depth_limit_is_inclusive(self):
        ok = '[' * 64 + ']' * 64
        self.assertEqual(1, len(jsondoc.loads(ok)))
        too_deep = '[' * 65 + ']' * 65
        exc = self.assertRaises(errors.MalformedJSON, jsondoc.loads,
                                too_deep)
        self.assertIn('64', exc.description)

    def test_very_deep_nesting_does_not_crash(self):
        raw = '{"a":' * 100000 + '1' + '}' * 100000
        self.assertRaises(errors.MalformedJSON, jsondoc.loads, raw)


class TestCanonical(testtools.TestCase):

    def test_json_equality_rules(self):
        c = jsondoc.canonical
        self.assertNotEqual(c('10'), c(10))
        self.assertNotEqual(c(True), c(1))
        self.assertNotEqual(c(False), c(0))
        self.assertNotEqual(c(None), c(False))
        self.assertEqual(c(1), c(1.0))
        self.assertNotEqual(c(1), c(1.5))
        self.assertEqual(c({'a': 1, 'b': [1, 2]}), c({'b': [1.0, 2], 'a': 1}))
        self.assertNotEqual(c([1, 2]), c([2, 1]))

    def test_index_key_bounds_long_text_and_keeps_short_text(self):
        self.assertEqual('"short"', jsondoc.index_key('"short"'))
        long_text = 'x' * 500
        key = jsondoc.index_key(long_text)
        self.assertEqual(65, len(key))
        self.assertTrue(key.startswith('#'))
        self.assertEqual(key, jsondoc.index_key('x' * 500))
        self.assertNotEqual(key, jsondoc.index_key('x' * 501))
        # A text that looks like a digest is digested too, so it cannot
        # collide with one.
        self.assertNotEqual('#abc', jsondoc.index_key('#abc'))
