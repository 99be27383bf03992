"""Listing and pagination (spec ``actions.md``, "Listing, search and
pagination").

``limit`` (default 10, 1..``[api] max_limit``, clamped), ``offset``
(default 0, >= 0) and ``marker`` (an action id to start after); an empty
value means absent; bad, repeated or overflowing values are 400 naming the
parameter. Order is ``created_at`` then ``action_id``, and paging through
an unchanged collection returns every item exactly once.
"""

import datetime
import urllib.parse

import hypothesis
from hypothesis import strategies
import sqlalchemy

from freezer_core.storage import models
from tests.functional.api import base


class ListingTestCase(base.ActionsTestCase):

    #: How many actions setUp stores in project A.
    stored = 15

    def setUp(self):
        super().setUp()
        self.ids = [self.create(document=base.agent(backup_name='n%02d' % i))
                    for i in range(self.stored)]

    def assertBadParameter(self, query, name):
        resp = self.request('GET', '/v2/A/actions' + query)
        body = self.assertError(400, resp, '"%s"' % name)
        self.assertNoInternals(resp)
        return body


class TestDefaultsAndBounds(ListingTestCase):

    def test_default_page_is_the_first_10_in_creation_order(self):
        """No parameters: limit 10, offset 0."""
        self.assertEqual(self.ids[:10], self.listed())

    def test_list_items_are_whole_records(self):
        """Each item is the record GET returns for that id."""
        resp = self.request('GET', '/v2/A/actions?limit=3')
        self.assertEqual([self.show(i) for i in self.ids[:3]],
                         resp.json['actions'])
        self.assertEqual({'actions'}, set(resp.json))

    def test_limit_and_offset_select_the_page(self):
        """``limit`` items starting at ``offset``; never longer than
        asked; past the end is an empty list."""
        self.assertEqual(self.ids[:1], self.listed(query='?limit=1'))
        self.assertEqual(self.ids[4:9],
                         self.listed(query='?limit=5&offset=4'))
        self.assertEqual(self.ids[12:],
                         self.listed(query='?limit=5&offset=12'))
        self.assertEqual(self.ids[5:15],
                         self.listed(query='?offset=5'))
        self.assertEqual([], self.listed(query='?offset=15'))
        self.assertEqual([], self.listed(query='?offset=%d' % (2 ** 63 - 1)))
        self.assertEqual(self.ids, self.listed(query='?limit=15'))
        self.assertEqual(self.ids, self.listed(query='?limit=1000'))

    def test_limit_above_the_maximum_is_clamped(self):
        """``limit`` larger than ``[api] max_limit`` returns max_limit
        items, not an error."""
        self.conf.set_override('max_limit', 4, group='api')
        self.addCleanup(self.conf.clear_override, 'max_limit', group='api')
        self.assertEqual(self.ids[:4], self.listed(query='?limit=5'))
        self.assertEqual(self.ids[:4], self.listed(query='?limit=1000'))
        self.assertEqual(self.ids[:4],
                         self.listed(query='?limit=%d' % (2 ** 63 - 1)))
        self.assertEqual(self.ids[:3], self.listed(query='?limit=3'))

    def test_default_page_size_follows_the_option(self):
        """``[api] default_limit`` is the page size without ``limit``."""
        self.assertEqual(10, self.conf.api.default_limit)
        self.conf.set_override('default_limit', 3, group='api')
        self.addCleanup(self.conf.clear_override, 'default_limit',
                        group='api')
        self.assertEqual(self.ids[:3], self.listed())
        self.assertEqual(self.ids[:3], self.listed(query='?limit='))
        self.assertEqual(self.ids[:5], self.listed(query='?limit=5'))

    def test_default_limit_of_1000_clamps_larger_values(self):
        """The default ``[api] max_limit`` is 1000."""
        self.assertEqual(1000, self.conf.api.max_limit)
        self.assertEqual(self.ids, self.listed(query='?limit=1001'))

    def test_empty_values_mean_absent(self):
        """``limit=``, ``offset=``, ``marker=``, ``search=``: defaults."""
        for query in ('?limit=', '?offset=', '?marker=', '?search=',
                      '?limit=&offset=&marker=&search='):
            self.assertEqual(self.ids[:10], self.listed(query=query))

    def test_unknown_parameters_are_ignored(self):
        """Other query parameters do not change the answer."""
        self.assertEqual(self.ids[:10], self.listed(query='?foo=1&x='))

    def test_limit_below_one_is_400_naming_limit(self):
        """``limit`` of 0 or negative: 400 naming ``limit``."""
        for value in ('0', '-1', '-0', '-9223372036854775808'):
            self.assertBadParameter('?limit=' + value, 'limit')

    def test_negative_offset_is_400_naming_offset(self):
        """``offset`` below 0: 400 naming ``offset``."""
        for value in ('-1', '-100', '-9223372036854775809'):
            self.assertBadParameter('?offset=' + value, 'offset')

    def test_non_integers_are_400_naming_the_parameter(self):
        """Text, fractions, exponents, hex, spaces, NUL, unicode digits
        and plus signs: 400 naming the parameter."""
        for value in ('abc', '1.5', '1e3', '0x10', '%201', '1%20', '%00',
                      '1%00', '%D9%A3', '+5', 'true', '[1]', '%E2%88%9E'):
            self.assertBadParameter('?limit=' + value, 'limit')
            self.assertBadParameter('?offset=' + value, 'offset')

    def test_overflowing_numbers_are_400_naming_the_parameter(self):
        """Numbers beyond a signed 64-bit integer: 400, never a 500."""
        for value in (str(2 ** 63), str(10 ** 30), '9' * 400):
            self.assertBadParameter('?limit=' + value, 'limit')
            self.assertBadParameter('?offset=' + value, 'offset')

    def test_repeated_parameters_are_400_naming_the_parameter(self):
        """``limit``, ``offset``, ``marker``, ``search`` given twice: 400
        naming it, even when one of the values is empty."""
        for name, value in (('limit', '2'), ('offset', '1'),
                            ('marker', self.ids[0]),
                            ('search', '{}')):
            for query in ('?{0}={1}&{0}={1}', '?{0}={1}&{0}=',
                          '?{0}=&{0}='):
                self.assertBadParameter(query.format(name, value), name)

    def test_bad_parameters_are_refused_with_a_search_body_too(self):
        """The bounds hold on searches as on plain lists."""
        body = {'match': [{'action': 'backup'}]}
        for query, name in (('?limit=0', 'limit'), ('?offset=-1', 'offset'),
                            ('?marker=nope', 'marker')):
            resp = self.request('GET', '/v2/A/actions' + query, body)
            self.assertError(400, resp, name)


class TestMarker(ListingTestCase):

    def test_marker_starts_after_the_named_action(self):
        """``marker`` = an id: the items after it, in order."""
        self.assertEqual(self.ids[4:14],
                         self.listed(query='?marker=%s' % self.ids[3]))
        self.assertEqual(self.ids[4:6],
                         self.listed(query='?marker=%s&limit=2' % self.ids[3]))
        self.assertEqual([], self.listed(query='?marker=%s' % self.ids[-1]))

    def test_marker_and_offset_combine(self):
        """``offset`` skips items after the marker."""
        self.assertEqual(self.ids[7:9], self.listed(
            query='?marker=%s&offset=3&limit=2' % self.ids[3]))

    def test_unknown_marker_is_400_naming_marker(self):
        """A marker that is no action of this project: 400."""
        other = self.create(project='B')
        for marker in ('doesnotexist', other, 'x' * 300, 'a%00b'):
            self.assertBadParameter('?marker=' + marker, 'marker')

    def test_marker_of_a_deleted_action_is_400(self):
        """A deleted marker is unknown."""
        self.request('DELETE', '/v2/A/actions/%s' % self.ids[3])
        self.assertBadParameter('?marker=%s' % self.ids[3], 'marker')


class TestStableOrder(ListingTestCase):

    stored = 13

    def test_offset_pages_never_overlap_or_skip(self):
        """Every page size walks the collection exactly once."""
        for size in (1, 2, 3, 4, 5, 12, 13, 14):
            seen = []
            offset = 0
            while True:
                page = self.listed(
                    query='?limit=%d&offset=%d' % (size, offset))
                self.assertLessEqual(len(page), size)
                if not page:
                    break
                seen.extend(page)
                offset += size
            self.assertEqual(self.ids, seen, size)

    def test_marker_pages_never_overlap_or_skip(self):
        """Following the last id of each page walks the collection
        exactly once."""
        for size in (1, 3, 5, 13):
            seen = self.listed(query='?limit=%d' % size)
            while True:
                page = self.listed(query='?limit=%d&marker=%s' % (
                    size, seen[-1]))
                if not page:
                    break
                seen.extend(page)
            self.assertEqual(self.ids, seen, size)

    def test_order_is_not_changed_by_writes(self):
        """A PATCH or replace does not move an action: the order is by
        creation time, not update time."""
        self.request('PATCH', '/v2/A/actions/%s' % self.ids[0],
                     {'max_retries': 0})
        self.request('POST', '/v2/A/actions/%s' % self.ids[1], base.ACTION)
        self.assertEqual(self.ids, self.all_ids())

    def test_equal_creation_times_are_ordered_by_action_id(self):
        """Actions created in the same microsecond are ordered by id, and
        pages still never overlap or skip."""
        # No request can make two creation times equal, so the test sets
        # them in the database itself (whatever the engine).
        engine = sqlalchemy.create_engine(self.database_url)
        self.addCleanup(engine.dispose)
        with engine.begin() as connection:
            # Through the model's column type, so that each engine
            # stores the value in its own format.
            result = connection.execute(
                sqlalchemy.update(models.Action.__table__).values(
                    created_at=datetime.datetime(2026, 1, 1)))
            self.assertEqual(self.stored, result.rowcount)
        expected = sorted(self.ids)
        self.assertEqual(expected, self.all_ids())
        seen = []
        for offset in range(0, 13, 4):
            seen.extend(self.listed(query='?limit=4&offset=%d' % offset))
        self.assertEqual(expected, seen)
        seen = self.listed(query='?limit=4')
        while True:
            page = self.listed(query='?limit=4&marker=%s' % seen[-1])
            if not page:
                break
            seen.extend(page)
        self.assertEqual(expected, seen)


class TestProjectScope(ListingTestCase):

    stored = 3

    def test_listing_shows_only_the_url_project(self):
        """Other projects' actions are never listed or counted."""
        other = [self.create(project='B') for _ in range(2)]
        self.assertEqual(self.ids, self.all_ids('A'))
        self.assertEqual(other, self.all_ids('B'))
        self.assertEqual([], self.all_ids('C'))
        self.assertEqual(self.ids[1:], self.listed(query='?offset=1'))

    def test_head_of_the_collection_mirrors_get(self):
        """HEAD: the same status and headers as GET, no body."""
        get = self.request('GET', '/v2/A/actions?limit=2')
        head = self.request('HEAD', '/v2/A/actions?limit=2')
        self.assertEqual((200, b''), (head.status_int, head.body))
        self.assertEqual(get.content_type, head.content_type)
        self.assertEqual(get.headers['Content-Length'],
                         head.headers['Content-Length'])
        head = self.request('HEAD', '/v2/A/actions?limit=0')
        self.assertEqual((400, b''), (head.status_int, head.body))


class TestAnyQuery(ListingTestCase):

    stored = 3

    @hypothesis.settings(max_examples=150, deadline=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(strategies.lists(
        strategies.tuples(
            strategies.sampled_from(['limit', 'offset', 'marker', 'search',
                                     'other']),
            strategies.one_of(
                strategies.text(max_size=30),
                strategies.integers(min_value=-2 ** 70,
                                    max_value=2 ** 70).map(str),
                strategies.sampled_from(['', '0', '1', '-0', '00', '+1',
                                         '1.0', '1e2', '{}', 'null',
                                         '{"match": []}']))),
        max_size=4))
    def test_any_query_is_answered_or_refused_never_500(self, pairs):
        """Whatever the query string, the answer is 200 with at most
        ``limit`` actions of the project, or 400 naming a parameter."""
        query = urllib.parse.urlencode(pairs)
        resp = self.request('GET', '/v2/A/actions?' + query)
        self.assertIn(resp.status_int, (200, 400), (query, resp.body))
        if resp.status_int == 400:
            error = self.assertError(400, resp)
            self.assertTrue(any('"%s"' % name in error['description']
                                for name in ('limit', 'offset', 'marker',
                                             'search'))
                            or 'search' in error['description'].lower(),
                            (query, error))
            return
        ids = [a['action_id'] for a in resp.json['actions']]
        self.assertTrue(set(ids) <= set(self.ids), query)
        self.assertEqual([i for i in self.ids if i in ids], ids, query)
