"""A test case with a fresh, migrated database and a repository.

Each test runs once per engine (SQLite, PostgreSQL, MySQL; see
:mod:`tests.functional.backends`); ``load_tests`` in this package applies
the scenarios.
"""

import fixtures
import testtools

from freezer_core.storage import actions as action_storage
from tests.functional import backends


class RepositoryTestCase(testtools.TestCase):
    """``self.repository`` is an ActionRepository on a new database.

    ``self.url`` is the database's URL and ``self.backend`` the engine's
    name. A subclass that only makes sense on some engines sets
    ``scenarios = backends.scenarios((backends.SQLITE,))``.
    """

    backend = backends.SQLITE
    scenarios = backends.scenarios()

    def setUp(self):
        super().setUp()
        directory = self.useFixture(fixtures.TempDir()).path
        self.url = backends.database_url(self, self.backend, directory)
        self.repository = action_storage.ActionRepository(self.url)
