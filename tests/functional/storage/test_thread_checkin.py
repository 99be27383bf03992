"""No connection checkin yields the interpreter lock (issue 18): oslo.db's
``thread_checkin`` sleep(0), meant for eventlet's green threads, is turned
off on every engine, and a transaction still reaches the database."""

import threading
import time

import fixtures

from tests.functional import backends
from tests.functional.storage import base


class TestThreadCheckin(base.RepositoryTestCase):

    scenarios = backends.scenarios()

    def test_no_checkin_listener_sleeps(self):
        names = [listener.__name__ for listener in
                 self.repository.database.engine.pool.dispatch.checkin]
        self.assertNotIn('_thread_yield', names)

    def test_a_transaction_sleeps_nowhere(self):
        self.repository.create('A', 'u', base.document('a-1'))
        sleep = self.useFixture(fixtures.MockPatchObject(
            time, 'sleep', side_effect=time.sleep)).mock
        read = []

        def transactions():
            read.append(self.repository.get('A', 'a-1'))
            self.repository.update('A', 'a-1', lambda current: current)

        # On another thread than the test's: on SQLite the thread that
        # keeps the database open reuses that connection, never checking
        # it in, while a request thread checks its own in after each
        # transaction.
        thread = threading.Thread(target=transactions)
        thread.start()
        thread.join(30)
        self.assertEqual('a-1', read[0]['action_id'])
        self.assertEqual([], sleep.call_args_list)
