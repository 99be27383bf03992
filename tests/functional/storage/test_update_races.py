"""The generic update against writers that get in between its read and
its write, for every resource whose repository uses it and on every
engine: it prepares its write before the writers' lock, so the row it
read may have changed, gone, or (SQLite reuses a deleted last row's pk)
become another document by the time it writes."""

import threading

import testscenarios

from freezer_core import errors
from freezer_core.storage import rewriting
from tests.functional import backends
from tests.functional.storage import base
from tests.functional.storage import resources


def _generic_update_scenarios():
    # Sessions are left out: their API writes take the lock first
    # (``update_session``), and deleting one needs the jobs repository.
    return [(name, params) for name, params in resources.scenarios()
            if params['resource'].repository.update
            is rewriting.Rewriting.update and name != 'sessions']


class TestUpdateRaces(base.ResourceTestCase):

    scenarios = testscenarios.multiply_scenarios(
        backends.scenarios(), _generic_update_scenarios())

    def setUp(self):
        super().setUp()
        self.repository = self.repository_with()
        self.id_name = self.resource.id_name

    def create(self, project_id, value):
        return self.repository.create(project_id, 'u', self.resource.body(
            {'k0': value}, False))

    def value(self, record, key='k0'):
        """``<key>`` of a record's free-form part."""
        view = self.resource.search_view(record)
        for name in self.resource.nested.split('.'):
            view = view[name]
        return view[key]

    def update_with(self, project_id, identifier, between):
        """Update ``identifier`` to k0 = 'mine', running ``between`` in
        another thread after the first read, as a writer that committed
        meanwhile; returns the update's result (None: not found) and the
        number of calls of the transform."""
        seen = []

        def transform(current):
            seen.append(current)
            if len(seen) == 1:
                other = threading.Thread(target=between)
                other.start()
                other.join(10)
                self.assertFalse(other.is_alive(), 'the writer was blocked')
            return self.resource.patch(current, {'k0': 'mine'})
        try:
            return self.repository.update(project_id, identifier,
                                          transform), len(seen)
        except errors.NotFound:
            return None, len(seen)

    def test_a_row_reused_after_a_delete_is_not_written(self):
        first = self.create('A', 'a')
        made = {}

        def between():
            self.repository.delete('A', first[self.id_name])
            made['other'] = self.create('B', 'b')

        result, calls = self.update_with('A', first[self.id_name], between)
        self.assertEqual((None, 1), (result, calls))
        other = made['other']
        self.assertEqual(other, self.repository.get(
            'B', other[self.id_name]))

    def test_a_changed_row_is_read_and_changed_again(self):
        first = self.create('A', 'a')
        identifier = first[self.id_name]

        def between():
            self.repository.update(
                'A', identifier,
                lambda current: self.resource.patch(current, {'k1': 'b'}))

        result, calls = self.update_with('A', identifier, between)
        # Transformed again from the version the other writer left.
        self.assertEqual(2, calls)
        self.assertEqual(3, result['_version'])
        stored = self.repository.get('A', identifier)
        self.assertEqual(result, stored)
        self.assertEqual(('mine', 'b'), (self.value(stored),
                                         self.value(stored, 'k1')))
