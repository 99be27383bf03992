"""The conditions of a conditional write (:mod:`freezer_core.versions`)."""

import testtools

from freezer_core import versions


class TestMatches(testtools.TestCase):

    def test_no_condition_and_any_pass_every_version(self):
        for current in (1, 2, 99):
            self.assertTrue(versions.matches(current, None))
            self.assertTrue(versions.matches(current, versions.ANY))

    def test_a_version_passes_only_itself(self):
        self.assertTrue(versions.matches(3, 3))
        self.assertFalse(versions.matches(3, 2))
        self.assertFalse(versions.matches(3, 4))

    def test_any_is_not_a_version(self):
        self.assertIsNotNone(versions.ANY)
        self.assertNotEqual(1, versions.ANY)
        self.assertEqual('ANY', repr(versions.ANY))
