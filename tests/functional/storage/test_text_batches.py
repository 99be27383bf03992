"""SQLite's FTS5 index takes each resource's texts in batches (migration
0009, issue 18), and search still finds every text.

The rule the migration's triggers and the writer keep: the FTS5 table
holds exactly the texts whose ``id`` is at most the mark's
``indexed_upto``. FTS5's own ``integrity-check`` (with a rank of 1 it
compares the index with the texts table) fails when an indexed text is
missing, indexed twice, or was deleted from the texts but not from the
index; the tests run it after moving the mark over every text.
"""

import uuid

import sqlalchemy as sa
import testscenarios

from freezer_core import pagination
from freezer_core import search
from freezer_core.storage import actions as action_storage
from freezer_core.storage import database
from freezer_core.storage import jobs as job_storage
from tests.functional import backends
from tests.functional.storage import base
from tests.functional.storage import resources

#: Larger than the texts of the tests' documents: the tests move the
#: mark themselves (:meth:`TestTextBatches.index_now`), except the one
#: that watches the writer do it.
BATCH = 10000

PAGE = pagination.Page(limit=100, offset=0, marker=None)


class TestTextBatches(base.ResourceTestCase):

    scenarios = testscenarios.multiply_scenarios(
        backends.scenarios((backends.SQLITE,)), resources.scenarios())

    def setUp(self):
        super().setUp()
        self.project = uuid.uuid4().hex
        self.store = self.repository_with(text_batch=BATCH)
        if getattr(self.store, 'jobs', False) is None:
            # A session's delete detaches its jobs (here: none exist).
            self.store.jobs = job_storage.JobRepository(
                database.Database(self.url),
                action_storage.ActionRepository(database.Database(self.url)))
        self.index = self.store.index
        self.engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        self.addCleanup(self.engine.dispose)

    def create(self, needle):
        """Store a document whose free-form part holds ``needle``."""
        record = self.store.create(
            self.project, 'u', self.resource.body({'tag': needle}, False))
        return record[self.resource.id_name]

    def found(self, text):
        """The ids of the project's documents whose texts hold ``text``
        (a free-text term of three characters or more, which the FTS5
        table answers on SQLite)."""
        records = self.store.list(
            self.project, search.parse({'match': [{'_all': text}]}), PAGE)
        return sorted(record[self.resource.id_name] for record in records
                      if record.get('project_id', self.project)
                      == self.project)

    def mark_and_top(self):
        """``(indexed_upto, highest texts id)``."""
        with self.engine.connect() as connection:
            return (
                connection.execute(sa.select(
                    self.index.fts_mark.c.indexed_upto)).scalar_one(),
                connection.execute(sa.select(
                    sa.func.max(self.index.texts.c.id))).scalar())

    def index_now(self):
        """Index every text above the mark, as a write does once there
        are :attr:`text_batch` of them."""
        with self.engine.begin() as connection:
            self.store._index.catch_up(connection, at_least=1)
        mark, top = self.mark_and_top()
        self.assertLessEqual(top, mark)

    def assert_index_matches_texts(self):
        """Move the mark over every text, then let FTS5 compare its index
        with the texts table (it raises on any difference)."""
        self.index_now()
        with self.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO {fts}({fts}, rank) "
                "VALUES ('integrity-check', 1)".format(fts=self.index.fts))

    def test_a_write_indexes_the_texts_once_there_are_a_batch_of_them(self):
        store = self.repository_with(text_batch=20)
        start, _ = self.mark_and_top()
        moved = False
        for number in range(40):
            before, _ = self.mark_and_top()
            store.create(self.project, 'u', self.resource.body(
                {'tag': 'batch-%d' % number}, False))
            mark, top = self.mark_and_top()
            if top - before >= 20:
                self.assertEqual(top, mark)
                moved = True
                break
            self.assertEqual(start, mark)
        self.assertTrue(moved)

    def test_texts_on_both_sides_of_the_mark_are_found(self):
        ids = {self.create('needle-%d' % number): number
               for number in range(3)}
        self.index_now()
        ids.update({self.create('needle-%d' % number): number
                    for number in range(3, 5)})
        mark, top = self.mark_and_top()
        self.assertGreater(mark, 0)
        self.assertGreater(top, mark)
        self.assertEqual(sorted(ids), self.found('needle-'))
        for identifier, number in ids.items():
            self.assertEqual([identifier], self.found('needle-%d' % number))
        self.assert_index_matches_texts()
        self.assertEqual(sorted(ids), self.found('needle-'))

    def test_deletes_and_rewrites_on_both_sides_keep_the_index_exact(self):
        first = [self.create('older-%d' % number) for number in range(3)]
        self.index_now()
        second = [self.create('newer-%d' % number) for number in range(2)]
        mark, top = self.mark_and_top()
        self.assertGreater(top, mark)
        self.store.delete(self.project, first[0])
        self.store.delete(self.project, second[0])
        for identifier in (first[1], second[1]):
            self.store.update(
                self.project, identifier,
                lambda current: self.resource.patch(
                    current, {'tag': 'changed-' + identifier}))
        self.assertEqual([first[2]], self.found('older-'))
        self.assertEqual([], self.found('newer-'))
        self.assertEqual(sorted([first[1], second[1]]),
                         self.found('changed-'))
        self.assert_index_matches_texts()
        self.assertEqual([first[1]], self.found('changed-' + first[1]))

    def test_a_text_updated_in_place_on_either_side_is_followed(self):
        """The service never updates a text row, but the update trigger
        keeps the rule if anything does: an indexed text is unindexed
        and indexed again, a text above the mark is left to its batch."""
        below = self.create('below-old')
        self.index_now()
        above = self.create('above-old')
        texts = self.index.texts
        with self.engine.begin() as connection:
            for old, new in (('below-old', 'below-new'),
                             ('above-old', 'above-new')):
                changed = connection.execute(texts.update().where(
                    texts.c.text == old).values(text=new)).rowcount
                self.assertEqual(1, changed)
        self.assertEqual([below], self.found('below-new'))
        self.assertEqual([above], self.found('above-new'))
        self.assertEqual([], self.found('-old'))
        self.assert_index_matches_texts()
        self.assertEqual([below], self.found('below-new'))

    def test_a_text_given_an_id_under_the_mark_is_indexed_at_once(self):
        """SQLite gives the deleted last row's id to the next insert: a
        text can land at or below the mark, and is then indexed by its
        insert (else search would miss it and its delete would remove an
        index entry that does not exist)."""
        kept = [self.create('kept-%d' % number) for number in range(2)]
        last = self.create('last')
        self.index_now()
        self.store.delete(self.project, last)
        reused = self.create('reused')
        mark, top = self.mark_and_top()
        self.assertLessEqual(top, mark)
        self.assertEqual([reused], self.found('reused'))
        self.assertEqual(sorted(kept), self.found('kept-'))
        self.assert_index_matches_texts()
        self.store.delete(self.project, reused)
        self.assert_index_matches_texts()
        self.assertEqual([], self.found('reused'))
