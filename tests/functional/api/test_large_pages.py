"""A list page larger than ``[api] list_batch_size`` is streamed (issue 20,
item 6; :mod:`api.pages`).

A page of 1000 documents of 110 KB each was read, decoded and encoded
whole (about 110 MB, held several times over). A page whose stored
documents exceed ``list_batch_size`` is now read batch by batch and sent
as each batch is rendered: the same bytes as the one-piece answer, in the
same order, for every resource; no ``Content-Length``; about one batch
held at a time. The wire contract is unchanged: the page is never cut
short by its size. The tests lower the batch size to its minimum (4096)
so that a few documents of 1-2 KB make a streamed page.
"""

import json
import logging
import tracemalloc

import fixtures
import sqlalchemy

from tests.functional.api import base

#: The smallest [api] list_batch_size: pages over it are streamed.
SMALL_BATCH = 4096
#: A batch size no test page reaches: pages are answered in one piece.
WHOLE = 1 << 30
#: Documents per resource, of about PAD bytes each: several batches.
COUNT = 12
PAD = 1500


def _pad(i):
    # Not one repeated character: the bytes differ from one document to
    # the next, and non-ASCII text is encoded as the one-piece answer
    # encodes it (UTF-8, not escaped).
    return ('%04d-é-' % i) * (PAD // 8)


def _key(name):
    return lambda document: document[name]


class LargePageTestCase(base.ActionsTestCase):

    def setUp(self):
        super().setUp()
        self.batch(SMALL_BATCH)

    def batch(self, size):
        """Set ``[api] list_batch_size`` (read per request)."""
        self.conf.set_override('list_batch_size', size, group='api')

    def sql(self, statement):
        """Run one statement on the test's database, from outside the
        service."""
        engine = sqlalchemy.create_engine(self.database_url)
        try:
            with engine.begin() as connection:
                connection.execute(sqlalchemy.text(statement))
        finally:
            engine.dispose()

    def created(self, path, bodies, key):
        """POST each body to ``path``; returns the ids, in order."""
        ids = []
        for body in bodies:
            resp = self.request('POST', path, body)
            self.assertEqual(201, resp.status_int, resp.body)
            ids.append(resp.json[key])
        return ids

    def assertStreamedAsWhole(self, path, collection, key, ids):
        """The streamed page is byte for byte the one-piece page, and
        lists ``ids`` (``key(document)`` of each, or ``document[key]``).
        """
        if isinstance(key, str):
            key = _key(key)
        self.batch(WHOLE)
        whole = self.request('GET', path)
        self.assertEqual(200, whole.status_int, whole.body)
        self.assertEqual(len(whole.body), whole.content_length)
        self.batch(SMALL_BATCH)
        streamed = self.request('GET', path)
        # Before .body, which sets a Content-Length once it has read it.
        self.assertIsNone(streamed.content_length)
        self.assertEqual(200, streamed.status_int, streamed.body)
        self.assertEqual('application/json', streamed.content_type)
        self.assertGreater(len(streamed.body), SMALL_BATCH)
        self.assertEqual(whole.body, streamed.body)
        self.assertEqual(ids, [key(document) for document
                               in json.loads(streamed.body)[collection]])


class TestEveryResource(LargePageTestCase):

    def test_actions(self):
        ids = self.created('/v2/A/actions', [
            base.agent(backup_name='a%02d' % i, note=_pad(i))
            for i in range(COUNT)], 'action_id')
        self.assertStreamedAsWhole('/v2/A/actions?limit=1000', 'actions',
                                   'action_id', ids)

    def test_clients(self):
        ids = self.created('/v2/A/clients', [
            {'client_id': 'node-%02d.example.org' % i, 'hostname': 'node',
             'description': _pad(i)[:200], 'note': _pad(i)}
            for i in range(COUNT)], 'client_id')
        # The wire document holds client_id inside "client" only.
        self.assertStreamedAsWhole(
            '/v2/A/clients?limit=1000', 'clients',
            lambda document: document['client']['client_id'], ids)

    def test_jobs(self):
        self.created('/v2/A/clients', [{'client_id': 'node.example.org',
                                        'hostname': 'node'}], 'client_id')
        action_id = self.create()
        ids = self.created('/v2/A/jobs', [
            {'client_id': 'node.example.org', 'description': _pad(i)[:200],
             'job_schedule': {'schedule_interval': '1 days'},
             'job_actions': [{'action_id': action_id},
                             {'freezer_action': {'action': 'info',
                                                 'note': _pad(i)}}]}
            for i in range(COUNT)], 'job_id')
        self.assertStreamedAsWhole('/v2/A/jobs?limit=1000', 'jobs',
                                   'job_id', ids)

    def test_sessions(self):
        ids = self.created('/v2/A/sessions', [
            # Descriptions are short (255): 12 sessions still make
            # several batches of 4096 bytes.
            {'description': _pad(i)[:250], 'hold_off': 30,
             'schedule': {'schedule_interval': '1 days'}}
            for i in range(COUNT)], 'session_id')
        self.assertStreamedAsWhole('/v2/A/sessions?limit=1000', 'sessions',
                                   'session_id', ids)

    def test_backups(self):
        ids = self.created('/v2/A/backups', [
            {'backup_name': 'b%02d' % i, 'container': 'c', 'hostname': 'h',
             'time_stamp': 1700000000 + i, 'level': 0, 'note': _pad(i)}
            for i in range(COUNT)], 'backup_id')
        self.assertStreamedAsWhole(
            '/v2/A/backups?limit=1000&time_after=1700000000', 'backups',
            'backup_id', ids)


class TestStreamedPages(LargePageTestCase):

    def setUp(self):
        super().setUp()
        self.ids = self.created('/v2/A/actions', [
            base.agent(backup_name='a%02d' % i, note=_pad(i))
            for i in range(COUNT)], 'action_id')

    def test_paging_and_search_are_those_of_a_whole_page(self):
        # limit, offset, marker and a search count as ever: a client
        # paging with offset += len(page) sees every document once.
        for query in ('?limit=5', '?limit=5&offset=5', '?limit=7&offset=9',
                      '?limit=4&marker=%s' % self.ids[3],
                      '?limit=1000&search=' + json.dumps(
                          {'match_not': [{'backup_name': 'a03'}]})):
            self.assertStreamedAsWhole(
                '/v2/A/actions' + query, 'actions', 'action_id',
                self.listed(query=query))
        seen, offset = [], 0
        while True:
            page = self.listed(query='?limit=5&offset=%d' % offset)
            seen.extend(page)
            offset += len(page)
            if len(page) < 5:
                break
        self.assertEqual(self.ids, seen)

    def test_a_small_page_keeps_its_content_length(self):
        resp = self.request('GET', '/v2/A/actions?limit=2')
        self.assertEqual(200, resp.status_int)
        self.assertEqual(len(resp.body), resp.content_length)
        self.assertEqual(self.ids[:2], [a['action_id']
                                        for a in resp.json['actions']])

    def test_a_document_deleted_between_batches_is_left_out(self):
        resp = self.request('GET', '/v2/A/actions?limit=1000')
        self.assertIsNone(resp.content_length)
        chunks = iter(resp.app_iter)
        received = [next(chunks), next(chunks)]
        # The first batch is sent; the last document is in a later one.
        self.assertNotIn(self.ids[-1].encode(), b''.join(received))
        deleted = self.request('DELETE', '/v2/A/actions/' + self.ids[-1])
        self.assertEqual(204, deleted.status_int)
        received.extend(chunks)
        resp.app_iter.close()
        listed = json.loads(b''.join(received))['actions']
        self.assertEqual(self.ids[:-1], [a['action_id'] for a in listed])

    def test_a_failure_mid_stream_is_logged_and_raised(self):
        logger = self.useFixture(fixtures.FakeLogger(
            name='api', level=logging.INFO, format='%(name)s %(message)s'))
        resp = self.request('GET', '/v2/A/actions?limit=1000')
        chunks = iter(resp.app_iter)
        received = [next(chunks), next(chunks)]
        # The table is gone: the next batch's read fails.
        self.sql('ALTER TABLE actions RENAME TO actions_gone')
        self.addCleanup(self.sql, 'ALTER TABLE actions_gone RENAME TO '
                                  'actions')
        self.assertRaises(Exception, list, chunks)
        resp.app_iter.close()
        self.assertRaises(ValueError, json.loads, b''.join(received))
        self.assertIn('api.pages A streamed actions page failed after',
                      logger.output)
        self.assertRegex(logger.output, r'api.access \S+ "GET /v2/A/actions'
                                        r'\?limit=1000" status: 200 len: '
                                        r'\d+ time: [0-9.]+ reason: cut '
                                        r'short by an error')

    def test_the_access_log_counts_the_bytes_sent(self):
        logger = self.useFixture(fixtures.FakeLogger(
            name='api.access', level=logging.INFO, format='%(message)s'))
        resp = self.request('GET', '/v2/A/actions?limit=1000')
        size = len(resp.body)
        self.assertIn('"GET /v2/A/actions?limit=1000" status: 200 len: %d '
                      % size, logger.output)

    def test_a_streamed_page_holds_about_one_batch(self):
        # Bigger documents, so that the answer dwarfs what a request
        # allocates anyway.
        batch = 64 * 1024
        self.created('/v2/B/actions', [
            base.agent(backup_name='b%02d' % i, note=_pad(i) * 20)
            for i in range(COUNT * 4)], 'action_id')
        self.batch(batch)
        path = '/v2/B/actions?limit=1000'
        self.request('GET', path).body  # compiled statements, caches
        tracemalloc.start()
        self.addCleanup(tracemalloc.stop)
        resp = self.request('GET', path)
        size = sum(len(chunk) for chunk in resp.app_iter)
        _current, peak = tracemalloc.get_traced_memory()
        self.assertGreater(size, 20 * batch)
        # Whole, the page was held several times over (rows, records,
        # text, bytes); streamed, a batch a few times over (its rows,
        # records, encoded documents and chunk).
        self.assertLess(peak, 8 * batch)
