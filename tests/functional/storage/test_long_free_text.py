"""Free text longer than SQLite's LIKE pattern limit is searched like any
other, on every engine, every resource and every query path.

SQLite refuses a LIKE pattern over 50,000 bytes ("LIKE or GLOB pattern
too complex"). Free text used to reach SQLite's LIKE only for a term
that did not drive the query; since migration 0009 every driving term
also reads the texts above the FTS5 mark, so a search for a long text
failed with a 500 whenever the project had such texts (found by a
trial of 55fdc27). :func:`freezer_core.storage.search_sql.holds_text`
gives SQLite ``instr`` instead. The paths: the driving term answered
above the mark and, after it moves, by FTS5 (SQLite; the other engines'
LIKE either way), the same term scanned (``driver_limit=0``), and
``match_not``.
"""

import uuid

from freezer_core import pagination
from freezer_core import search
from tests.functional import backends
from tests.functional.storage import base

PAGE = pagination.Page(limit=100, offset=0, marker=None)

#: 60,000 ASCII characters, and 50,400 bytes of 4-byte characters: each
#: over SQLite's 50,000-byte pattern limit, LIKE's escaping aside.
LONG_TEXTS = ('ab%_' * 15000, '\U0001F600' * 12600)


class TestLongFreeText(base.ResourceTestCase):

    def setUp(self):
        super().setUp()
        self.project = uuid.uuid4().hex
        # Nothing is indexed by FTS5 until the test moves the mark.
        self.store = self.repository_with(text_batch=10 ** 6)
        self.scanning = self.repository_with(driver_limit=0)
        self.ids = {}
        for number, text in enumerate(LONG_TEXTS):
            self.ids[text] = self.create({'tag': text + '-%d' % number})
        self.short = self.create({'tag': 'short'})

    def create(self, content):
        record = self.store.create(
            self.project, 'u', self.resource.body(content, False))
        return record[self.resource.id_name]

    def listed(self, repository, side, text):
        """The ids of this project's documents a one-term search lists."""
        records = repository.list(
            self.project, search.parse({side: [{'_all': text}]}), PAGE)
        return sorted(record[self.resource.id_name] for record in records
                      if record.get('project_id', self.project)
                      == self.project)

    def assert_found(self):
        everything = sorted(list(self.ids.values()) + [self.short])
        for text, identifier in self.ids.items():
            for repository in (self.store, self.scanning):
                self.assertEqual(
                    [identifier], self.listed(repository, 'match', text))
                self.assertEqual(
                    sorted(set(everything) - {identifier}),
                    self.listed(repository, 'match_not', text))
            # Upper case folds to the stored text.
            self.assertEqual([identifier],
                             self.listed(self.store, 'match', text.upper()))

    def test_long_texts_are_found_on_every_path(self):
        self.assert_found()
        if self.backend == backends.SQLITE:
            with self.store.database.writer() as connection:
                self.assertGreater(
                    self.store._index.catch_up(connection, at_least=1), 0)
            self.assert_found()
