"""A test case with a fresh, migrated SQLite database and a repository."""

import os

import fixtures
import testtools

from freezer_core.storage import actions as action_storage
from freezer_core.storage import migration


class RepositoryTestCase(testtools.TestCase):
    """``self.repository`` is an ActionRepository on a new database."""

    def setUp(self):
        super().setUp()
        directory = self.useFixture(fixtures.TempDir()).path
        self.url = 'sqlite:///' + os.path.join(directory, 'freezer.sqlite')
        migration.upgrade(self.url)
        self.repository = action_storage.ActionRepository(self.url)
