"""The index rows a rewrite sends, for every resource on the generic
repository (issue 20 item 7): only the entries that changed, however
large the document, and the limit on a document's entries."""

import collections
import uuid


from freezer_core import errors
from tests.functional import large_documents
from tests.functional.storage import base

#: Groups of 50 keys in the free-form part: 1,000 keys, enough to show
#: a rewrite's rows do not follow the document's size.
GROUPS = 20


#: Rows every change adds to each kind for a resource, beyond the
#: change's own: a job's inline action change stores a new action whose
#: id replaces the old one in the job (the ``action_id`` key and path
#: terms, the ``job_actions`` key and path terms and the id's text go
#: out and come in again).
EXTRA_ROWS = {'jobs': 5}


def _content():
    return {'g%d' % group: {'k%d' % key: key for key in range(50)}
            for group in range(GROUPS)}


class TestIndexWrites(base.ResourceTestCase):

    def setUp(self):
        super().setUp()
        self.project = uuid.uuid4().hex
        self.content = _content()
        self.record = self.repository_with().create(
            self.project, 'u', self.resource.body(self.content, False))
        self.identifier = self.record[self.resource.id_name]

    def rows_of_a_change(self, change):
        """The rows the change sends to this resource's own index
        tables, summed per kind (a job's inline action change also writes
        a new action, whose rows are the actions index's)."""
        repository = self.repository_with()
        own = {repository.index.terms.name, repository.index.texts.name}
        counter = large_documents.IndexWrites()
        counter.start()
        self.addCleanup(counter.stop)
        repository.update(
            self.project, self.identifier,
            lambda current: self.resource.patch(current, change))
        rows = collections.Counter()
        for (table, kind), count in counter.rows.items():
            if table in own:
                rows[kind] += count
        extra = EXTRA_ROWS.get(self.resource.name, 0)
        return {kind: count - extra for kind, count in rows.items()}

    def test_a_deep_change_sends_only_its_ancestors_rows(self):
        group = dict(self.content['g3'], k7=1000)
        # Out: the free-form part's key term, g3's key and path terms,
        # the path term of g3.k7 = 7 (the key term k7 = 7 stays: other
        # groups hold it). In: those four anew and the key term
        # k7 = 1000.
        self.assertEqual({'delete': 4, 'insert': 5},
                         self.rows_of_a_change({'g3': group}))

    def test_removing_a_group_deletes_its_rows(self):
        # Out: the free-form part's key term, g3's key and path terms
        # and its 50 path terms (its key terms stay: every group holds
        # them); in: the free-form part's new key term.
        self.assertEqual({'delete': 53, 'insert': 1},
                         self.rows_of_a_change({'g3': None}))

    def test_a_write_over_the_limit_is_refused(self):
        repository = self.repository_with(max_document_terms=100)
        error = self.assertRaises(
            errors.ValidationError, repository.update, self.project,
            self.identifier,
            lambda current: self.resource.patch(current, {'g3': None}))
        self.assertIn('limit: max_document_terms', error.description)
        self.assertEqual('maxTerms', error.rule)
        self.assertRaises(errors.ValidationError, repository.create,
                          self.project, 'u',
                          self.resource.body(self.content, False))
        self.assertEqual(self.record['_version'], repository.get(
            self.project, self.identifier)['_version'])
