"""A test case with a fresh, migrated database and a repository.

Each test runs once per engine (SQLite, PostgreSQL, MySQL; see
:mod:`tests.functional.backends`); ``load_tests`` in this package applies
the scenarios.
"""

import fixtures
import testscenarios
import testtools

from freezer_core import actions
from freezer_core import pagination
from freezer_core.storage import actions as action_storage
from freezer_core.storage import database
from tests.functional import backends
from tests.functional.storage import resources


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
        self.repository = action_storage.ActionRepository(
            database.Database(self.url))


class ResourceTestCase(RepositoryTestCase):
    """A storage test run for every engine and every resource of
    :data:`tests.functional.storage.resources.RESOURCES`.

    ``self.resource`` is the scenario's
    :class:`tests.functional.storage.resources.StorageResource`, whose
    ``setup`` (if any) has run; :meth:`repository_with` builds its
    repository on this test's database.
    """

    scenarios = testscenarios.multiply_scenarios(backends.scenarios(),
                                                 resources.scenarios())
    resource = resources.ACTIONS

    def setUp(self):
        super().setUp()
        if self.resource.setup is not None:
            self.resource.setup(self, self.url)

    def repository_with(self, **options):
        """The resource's repository on a new Database of ``self.url``.

        :param options: keyword arguments of the repository class (e.g.
            ``max_document_terms``).
        """
        return self.resource.repository(database.Database(self.url),
                                        **options)


#: A page holding every action of the small test projects.
ALL = pagination.Page(limit=1000, offset=0, marker=None)


def document(action_id=None, **agent):
    """A validated client document for the repository.

    :param action_id: optional str id to put in the document.
    :param agent: keys of ``freezer_action`` (``action`` defaults to
        ``'backup'``).
    :returns: dict from :func:`freezer_core.actions.validate_create`.
    """
    agent.setdefault('action', 'backup')
    body = {'freezer_action': agent}
    if action_id:
        body['action_id'] = action_id
    return actions.validate_create(body)
