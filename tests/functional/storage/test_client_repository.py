"""ClientRepository on every engine: the lookup other resources use
(``find``, inside their transaction), the identity rules when requests
race, and the index following a client's visibility.
"""

import threading

import sqlalchemy as sa

from freezer_core import clients
from freezer_core import errors
from freezer_core import search
from freezer_core.storage import clients as client_storage
from freezer_core.storage import database
from tests.functional.storage import base

THREADS = 4


def registration(client_id, **info):
    return clients.parse_registration(dict(info, client_id=client_id))


class TestClientRepository(base.RepositoryTestCase):

    def setUp(self):
        super().setUp()
        self.clients = client_storage.ClientRepository(
            database.Database(self.url))

    def ids(self, project, document=None):
        found = self.clients.list(project, search.parse(document or {}),
                                  base.ALL)
        return [record['client_id'] for record in found]

    def race(self, calls):
        """Run the calls at once; returns their results or exceptions."""
        barrier = threading.Barrier(len(calls))
        results = [None] * len(calls)

        def run(i, call):
            barrier.wait()
            try:
                results[i] = call()
            except errors.FreezerError as exc:
                results[i] = exc
        threads = [threading.Thread(target=run, args=(i, call))
                   for i, call in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def test_find_inside_another_transaction(self):
        self.clients.register('A', 'u', registration('own'))
        self.clients.register('C', 'u', registration('central',
                                                     is_central=True))
        self.clients.register('B', 'u', registration('foreign'))
        with self.clients.database.writer() as connection:
            own = self.clients.find('A', 'own', connection)
            central = self.clients.find('A', 'central', connection)
            self.assertIsNone(self.clients.find('A', 'foreign', connection))
            self.assertIsNone(self.clients.find('A', 'nope', connection))
        self.assertEqual(('A', 'own', False),
                         (own['project_id'], own['client']['client_id'],
                          own['client']['is_central']))
        self.assertEqual(('C', True), (central['project_id'],
                                       central['client']['is_central']))
        self.assertEqual(own, self.clients.find('A', 'own'))

    def test_the_projects_own_client_wins_over_nothing_else(self):
        # A project's own client of an id is found before any central
        # one; the rules keep the two from coexisting across projects.
        self.clients.register('A', 'u', registration('x', hostname='a'))
        self.assertRaises(errors.Conflict, self.clients.register, 'C', 'u',
                          registration('x', is_central=True))
        self.assertEqual('a', self.clients.find('A', 'x')['client'][
            'hostname'])

    def test_concurrent_first_registrations_all_succeed(self):
        results = self.race([
            lambda i=i: self.clients.register('A', 'u%d' % i, registration(
                'node1', hostname='h%d' % i))
            for i in range(THREADS)])
        created = [result[1] for result in results]
        self.assertEqual(1, created.count(True), results)
        self.assertEqual(['node1'], self.ids('A'))

    def test_concurrent_central_registrations_of_one_id(self):
        results = self.race([
            lambda p=p: self.clients.register(p, 'u', registration(
                'central', is_central=True))
            for p in ('P%d' % i for i in range(THREADS))])
        winners = [r for r in results if not isinstance(r, Exception)]
        self.assertEqual(1, len(winners), results)
        for result in results:
            if isinstance(result, Exception):
                self.assertIsInstance(result, errors.Conflict)
                self.assertEqual('Client central is registered by another '
                                 'project.', result.description)
        self.assertEqual(['central'], self.ids('Z'))

    def test_central_and_plain_registrations_of_one_id_race(self):
        # A central id has no other holder, whichever request wins.
        for attempt in range(3):
            client_id = 'contested%d' % attempt
            results = self.race([
                lambda p=p, c=c: self.clients.register(p, 'u', registration(
                    client_id, is_central=c))
                for p, c in (('P', True), ('Q', False), ('R', False))])
            holders = {r[0]['project_id']: r[0]['client']['is_central']
                       for r in results if not isinstance(r, Exception)}
            if holders.get('P'):
                self.assertEqual({'P': True}, holders, results)
            else:
                self.assertEqual({'Q': False, 'R': False}, holders, results)
            for result in results:
                if isinstance(result, Exception):
                    self.assertIsInstance(result, errors.Conflict)

    def test_index_follows_visibility(self):
        self.clients.register('A', 'u', registration('n1', hostname='hx'))
        by_host = {'match': [{'hostname': 'hx'}]}
        self.assertEqual([], self.ids('B', by_host))
        self.clients.register('A', 'u', registration('n1', hostname='hx',
                                                     is_central=True))
        self.assertEqual(['n1'], self.ids('B', by_host))
        self.assertEqual(['n1'], self.ids('A', by_host))
        self.clients.register('A', 'u', registration('n1', hostname='hy'))
        self.assertEqual([], self.ids('B', by_host))
        self.assertEqual([], self.ids('A', by_host))
        self.assertEqual(['n1'], self.ids('A', {'match': [{'_all': 'HY'}]}))
        # Exactly one set of index entries is left.
        table = self.clients.index.terms
        with self.clients.database.reader() as connection:
            scopes = connection.execute(sa.select(
                sa.distinct(table.c.project_id))).scalars().all()
        self.assertEqual(['A'], scopes)

    def test_unchanged_registration_writes_nothing(self):
        first, _ = self.clients.register('A', 'u', registration('n1'))
        again, created = self.clients.register('A', 'v', registration('n1'))
        self.assertFalse(created)
        self.assertEqual(first, again)

    def test_delete_keeps_other_projects_clients_of_that_id(self):
        self.clients.register('A', 'u', registration('n1'))
        self.clients.register('B', 'u', registration('n1'))
        self.clients.delete('A', 'n1')
        self.assertIsNone(self.clients.find('A', 'n1'))
        self.assertEqual('B', self.clients.find('B', 'n1')['project_id'])
