"""HTTP behaviour (spec ``actions.md``, "Routes", "Errors", "Identity").

JSON error bodies on every error (routing included) with no internals;
753 for bodies that are not strict JSON; 413 before routing, chunked
bodies included; 406; bodies without a JSON Content-Type; HEAD mirroring
GET; trailing slashes without redirects; ``x-openstack-request-id`` on
every response; no path suffix that bypasses the route table.
"""

import io
import json
import re

import fixtures
from keystonemiddleware import auth_token
import webob

from api import deploy
from api import routes
from freezer_core import pagination
from freezer_core import search
from freezer_core import storage
from freezer_core.storage import actions as action_storage
from freezer_core.storage import database
from freezer_daemon import wiring
from tests.functional.api import base
from tests.functional.api import resources

#: Bodies that are not strict JSON, each answered 753 Malformed JSON.
MALFORMED = (
    ('cut off', b'{"freezer_action":'),
    ('invalid UTF-8 (FF FE 7B 7D)', b'\xff\xfe{}'),
    ('truncated UTF-8 sequence', b'{"freezer_action": {"action": "\xc3"}}'),
    ('overlong UTF-8', b'{"freezer_action": {"action": "\xc0\xaf"}}'),
    ('UTF-8 encoded surrogate', b'{"freezer_action": {"a": "\xed\xa0\x80"}}'),
    ('Latin-1 text', '{"freezer_action": {"a": "é"}}'.encode('latin-1')),
    ('UTF-16', '{"freezer_action": {}}'.encode('utf-16')),
    ('byte order mark', b'\xef\xbb\xbf{"freezer_action": {}}'),
    ('duplicate top-level key',
     b'{"freezer_action": {"action": "backup"}, '
     b'"freezer_action": {"action": "info"}}'),
    ('duplicate agent key',
     b'{"freezer_action": {"action": "backup", "action": "info"}}'),
    ('duplicate nested key',
     b'{"freezer_action": {"action": "backup", "x": [{"k": 1, "k": 2}]}}'),
    ('NaN', b'{"freezer_action": {"action": "backup", "x": NaN}}'),
    ('Infinity', b'{"freezer_action": {"action": "backup"}, '
                 b'"max_retries": Infinity}'),
    ('-Infinity', b'{"freezer_action": {"action": "backup", '
                  b'"x": -Infinity}}'),
    ('nesting of 65 arrays', b'[' * 65 + b']' * 65),
    ('nesting of 65 objects', b'{"a":' * 64 + b'{}' + b'}' * 64),
    ('nesting of 100000 arrays', b'[' * 100000),
    ('single quotes', b"{'freezer_action': {}}"),
    ('trailing comma', b'{"freezer_action": {"action": "backup"},}'),
    ('two documents', b'{} {}'),
    ('comment', b'{"freezer_action": {} /* c */}'),
    ('bare word', b'freezer'),
)


def nested(depth):
    """A JSON value of ``depth`` nested containers (lists, then {})."""
    value = {}
    for _ in range(depth - 1):
        value = [value]
    return value


class HttpTestCase(base.ActionsTestCase):

    def setUp(self):
        super().setUp()
        self.action_id = self.create()
        self.item = '/v2/A/actions/%s' % self.action_id
        self.before = self.show(self.action_id)

    def assertNothingChanged(self):
        self.assertUnchanged(self.before)
        self.assertEqual([self.action_id], self.all_ids())


class TestErrorBodies(HttpTestCase):

    def test_routing_404_is_json(self):
        """Unknown paths: 404 with a JSON error body."""
        for path in ('/v3', '/v2/A', '/v2/A/', '/v2/A/Jobs', '/v2/A/Actions',
                     '/v2/A/actions/x/y', '/v2//actions', '/favicon.ico',
                     '/v2/A/actions/%s/' % self.action_id + 'extra',
                     '/index.html', '/v2/A/actions/x/index'):
            resp = self.request('GET', path)
            body = self.assertError(404, resp)
            self.assertEqual('Not Found', body['title'])
            self.assertNoInternals(resp)

    def test_other_methods_are_405_with_allow(self):
        """Methods a route does not serve: 405 JSON, ``Allow`` listing
        the ones it does."""
        for path, allowed in (
                ('/', 'GET, HEAD'), ('/v2', 'GET, HEAD'),
                ('/v2/A/actions', 'GET, HEAD, POST'),
                ('/v2/A/actions/', 'GET, HEAD, POST'),
                (self.item, 'DELETE, GET, HEAD, PATCH, POST'),
                ('/v2/A/actions/missing', 'DELETE, GET, HEAD, PATCH, POST')):
            served = allowed.split(', ')
            for method in ('PUT', 'DELETE', 'PATCH', 'POST', 'OPTIONS',
                           'TRACE', 'FOO'):
                if method in served:
                    continue
                resp = self.request(method, path, {})
                self.assertError(405, resp)
                self.assertEqual(allowed, resp.headers['Allow'])
        self.assertNothingChanged()

    def test_unexpected_errors_are_json_and_reveal_nothing(self):
        """A database without tables (a broken deployment) answers a JSON
        500 with no SQL, table, driver or class name."""
        directory = self.useFixture(fixtures.TempDir()).path
        empty = 'sqlite:///%s/empty.sqlite' % directory
        self.app = deploy.build_app(
            self.conf, storage.Repositories(database.Database(empty)))
        for method, path, body in (('GET', '/v2/A/actions', None),
                                   ('GET', self.item, None),
                                   ('POST', '/v2/A/actions', base.ACTION),
                                   ('DELETE', self.item, None)):
            resp = self.request(method, path, body)
            self.assertIn(resp.status_int, (500, 503))
            self.assertError(resp.status_int, resp)
            self.assertNoInternals(resp)
            self.assertNotIn(b'no such table', resp.body)
            self.assertIn('x-openstack-request-id', resp.headers)


class TestMalformedJson(HttpTestCase):

    def assertMalformed(self, resp, label):
        self.assertEqual(753, resp.status_int, (label, resp.body))
        self.assertEqual('753 Malformed JSON', resp.status)
        body = self.assertError(753, resp)
        self.assertEqual('Malformed JSON', body['title'])
        self.assertStrictJson(resp)
        self.assertNoInternals(resp)

    def test_malformed_bodies_are_753_on_every_route_taking_a_body(self):
        """Create, PATCH, replace, replace-as-create and a GET search
        body: 753; nothing stored or changed."""
        for label, raw in MALFORMED:
            for method, path in (('POST', '/v2/A/actions'),
                                 ('POST', '/v2/A/actions/'),
                                 ('PATCH', self.item),
                                 ('POST', self.item),
                                 ('POST', '/v2/A/actions/newid'),
                                 ('GET', '/v2/A/actions')):
                self.assertMalformed(self.request(method, path, raw), label)
        self.assertNothingChanged()

    def test_nesting_of_64_levels_is_accepted(self):
        """64 nested containers (the whole body counted) round-trip; the
        65th level is refused."""
        # body (1) > freezer_action (2) > deep value (3 .. 64)
        body = base.agent(deep=nested(62))
        resp = self.request('POST', '/v2/A/actions', body)
        self.assertEqual(201, resp.status_int, resp.body)
        doc = self.show(resp.json['action_id'])
        self.assertEqual(nested(62), doc['freezer_action']['deep'])
        resp = self.request('POST', '/v2/A/actions',
                            base.agent(deep=nested(63)))
        self.assertMalformed(resp, '65 levels')
        resp = self.request('PATCH', self.item,
                            {'freezer_action': {'deep': nested(63)}})
        self.assertMalformed(resp, '65 levels on PATCH')

    def test_overflowing_numbers_are_malformed(self):
        """``1e400`` is Infinity once decoded: 753 (or 400) on create,
        PATCH, replace and search, never a 500; nothing changed."""
        for raw in ('{"freezer_action": {"action": "backup", "x": 1e400}}',
                    '{"freezer_action": {"action": "backup", '
                    '"x": [-1e999]}}'):
            for method, path in (('POST', '/v2/A/actions'),
                                 ('PATCH', self.item),
                                 ('POST', self.item)):
                resp = self.request(method, path, raw)
                self.assertIn(resp.status_int, (400, 753), resp.body)
                self.assertError(resp.status_int, resp)
        resp = self.request('GET', '/v2/A/actions',
                            '{"match": [{"x": 1e400}]}')
        self.assertIn(resp.status_int, (400, 753), resp.body)
        self.assertNothingChanged()

    def test_overlong_integer_message_reveals_no_internals(self):
        """A 5000-digit number: 753 without Python internals."""
        raw = '{"freezer_action": {"action": "backup", "x": %s}}' % (
            '9' * 5000)
        resp = self.request('POST', '/v2/A/actions', raw)
        self.assertError(753, resp)
        self.assertNotIn(b'sys.', resp.body)

    def test_responses_never_hold_non_json_tokens(self):
        """Every answer to a lenient-JSON body is strict JSON."""
        for label, raw in MALFORMED:
            resp = self.request('POST', '/v2/A/actions', raw)
            decoded = self.assertStrictJson(resp)
            self.assertNotIn('NaN', json.dumps(decoded['title']))


class TestSizeLimit(HttpTestCase):

    #: A 2 MiB document: far over the default 112 KiB limit.
    BIG = json.dumps(base.agent(backup_name='x' * (2 * 1024 * 1024))).encode()

    ROUTES = (('POST', '/v2/A/actions'), ('POST', '/v2/A/actions/'),
              ('POST', '/v2/A/actions/newid'),
              ('GET', '/v2/A/actions'), ('DELETE', '/v2/A/actions/missing'),
              ('PATCH', '/v2/A/actions/missing'), ('PUT', '/v2/A/actions'),
              ('POST', '/v2/A/nothing'), ('POST', '/'))

    def assertTooLarge(self, resp, label):
        self.assertEqual(413, resp.status_int, (label, resp.body[:200]))
        self.assertError(413, resp)
        self.assertIn('x-openstack-request-id', resp.headers)

    def _body_routes(self):
        """Every route taking a body, on existing, missing and foreign ids
        (another project's id under this URL, this id under another)."""
        foreign = self.create(project='B')
        return self.ROUTES + (
            ('PATCH', self.item), ('POST', self.item),
            ('DELETE', self.item),
            ('PATCH', '/v2/A/actions/%s' % foreign),
            ('PATCH', '/v2/B/actions/%s' % self.action_id))

    def test_oversized_body_is_413_before_routing(self):
        """With Content-Length: 413 on every route, existing or not, on
        existing, missing and foreign ids alike."""
        routes = self._body_routes()
        for method, path in routes:
            self.assertTooLarge(self.request(method, path, self.BIG),
                                (method, path))
        self.assertNothingChanged()

    def test_oversized_chunked_body_is_413_before_routing(self):
        """The same with ``Transfer-Encoding: chunked`` and no
        Content-Length."""
        routes = self._body_routes()
        for method, path in routes:
            self.assertTooLarge(self.chunked(method, path, self.BIG),
                                (method, path))
        self.assertNothingChanged()

    def test_oversized_body_is_413_whatever_the_caller(self):
        """Size is decided before policy: a caller of another project
        learns nothing but 413."""
        for method, path in (('PATCH', self.item), ('POST', self.item),
                             ('POST', '/v2/A/actions')):
            self.assertTooLarge(self.request(method, path, self.BIG,
                                             project='B', roles='member'),
                                method)
            self.assertTooLarge(self.chunked(method, path, self.BIG,
                                             project='B', roles='member'),
                                method)
        self.assertNothingChanged()

    def test_small_chunked_bodies_are_read(self):
        """A chunked body under the limit is read as usual: create,
        PATCH and a GET search."""
        resp = self.chunked('POST', '/v2/A/actions',
                            json.dumps(base.agent(backup_name='ch')).encode())
        self.assertEqual(201, resp.status_int, resp.body)
        new = resp.json['action_id']
        resp = self.chunked('PATCH', '/v2/A/actions/%s' % new,
                            b'{"max_retries": 0}')
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual(0, self.show(new)['max_retries'])
        resp = self.chunked('GET', '/v2/A/actions',
                            b'{"match": [{"backup_name": "ch"}]}')
        self.assertEqual([new], [a['action_id']
                                 for a in resp.json['actions']])
        resp = self.chunked('POST', '/v2/A/actions', b'{"freezer_action":')
        self.assertEqual(753, resp.status_int)

    def test_a_body_the_server_cannot_read_is_411_never_dropped(self):
        """A server that does not de-chunk (no ``wsgi.input_terminated``,
        e.g. mod_wsgi without ``WSGIChunkedRequest On``) leaves the body
        unreadable: 411, not a create of ``null`` or an ignored search."""
        for method, path in (('POST', '/v2/A/actions'),
                             ('GET', '/v2/A/actions')):
            request = webob.Request.blank(path, method=method)
            request.headers['Transfer-Encoding'] = 'chunked'
            request.environ['wsgi.input'] = io.BytesIO(b'{"match": []}')
            request.environ.pop('CONTENT_LENGTH', None)
            self.assertFalse(request.is_body_readable)
            self.assertError(411, request.get_response(self.app),
                             'send Content-Length')
        self.assertNothingChanged()


class TestSizeLimitBoundary(HttpTestCase):

    max_request_body_size = 2048

    def body_of(self, size):
        body = base.agent(backup_name='')
        filler = size - len(json.dumps(body).encode())
        body['freezer_action']['backup_name'] = 'x' * filler
        raw = json.dumps(body).encode()
        self.assertEqual(size, len(raw))
        return raw

    def test_body_at_the_limit_is_accepted_one_byte_more_is_413(self):
        """``[oslo_middleware] max_request_body_size`` bytes pass, one
        more does not, with or without Content-Length."""
        resp = self.request('POST', '/v2/A/actions', self.body_of(2048))
        self.assertEqual(201, resp.status_int, resp.body)
        resp = self.chunked('POST', '/v2/A/actions', self.body_of(2048))
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertError(413, self.request('POST', '/v2/A/actions',
                                           self.body_of(2049)))
        self.assertError(413, self.chunked('POST', '/v2/A/actions',
                                           self.body_of(2049)))
        self.assertEqual(3, len(self.all_ids()))


class TestNegotiation(HttpTestCase):

    def test_accept_excluding_json_is_406_and_does_nothing(self):
        """``Accept`` without JSON: 406 JSON error on every route, and no
        write happens."""
        for accept in ('text/html', 'application/xml', 'text/plain',
                       'application/json;q=0', 'text/html, image/*'):
            headers = {'Accept': accept}
            for method, path, body in (
                    ('GET', '/v2/A/actions', None),
                    ('GET', self.item, None),
                    ('POST', '/v2/A/actions', base.ACTION),
                    ('POST', '/v2/A/actions/newid', base.ACTION),
                    ('PATCH', self.item, {'max_retries': 0}),
                    ('DELETE', self.item, None)):
                resp = self.request(method, path, body, headers=headers)
                error = self.assertError(406, resp)
                self.assertEqual('Not Acceptable', error['title'])
        self.assertNothingChanged()
        self.assertGone('newid')

    def test_accept_including_json_is_served(self):
        """``*/*``, ``application/*``, JSON with a low q, or JSON among
        others: 200 JSON."""
        for accept in ('*/*', 'application/*', 'application/json',
                       'text/html, application/json;q=0.1',
                       'application/json; charset=utf-8', '', '  '):
            resp = self.request('GET', self.item,
                                headers={'Accept': accept})
            self.assertEqual(200, resp.status_int, (accept, resp.body))
            self.assertEqual('application/json', resp.content_type)

    def test_bodies_without_a_json_content_type_are_read_as_json(self):
        """No Content-Type, ``text/plain``, JSON with a charset: read as
        JSON on create, PATCH, replace and search."""
        for content_type in (None, 'text/plain',
                             'text/plain; charset=utf-8',
                             'application/json',
                             'application/json; charset=UTF-8'):
            headers = {} if content_type is None else {
                'Content-Type': content_type}
            name = 'ct-%s' % (content_type or 'none')
            resp = self.request('POST', '/v2/A/actions',
                                base.agent(backup_name=name),
                                headers=headers)
            self.assertEqual(201, resp.status_int, resp.body)
            new = resp.json['action_id']
            self.assertEqual(name,
                             self.show(new)['freezer_action']['backup_name'])
            resp = self.request('PATCH', '/v2/A/actions/%s' % new,
                                {'max_retries': 1}, headers=headers)
            self.assertEqual(200, resp.status_int, resp.body)
            resp = self.request('POST', '/v2/A/actions/%s' % new,
                                base.agent(backup_name=name),
                                headers=headers)
            self.assertEqual(201, resp.status_int, resp.body)
            self.assertEqual([new], self.listed(
                body={'match': [{'backup_name': name}]}, headers=headers))

    def test_json_is_served_as_utf8_json(self):
        """Successful answers are ``application/json`` UTF-8."""
        resp = self.request('GET', self.item)
        self.assertEqual('application/json', resp.content_type)
        json.loads(resp.body.decode('utf-8'))


class TestHead(HttpTestCase):

    def test_head_mirrors_get_on_every_readable_route(self):
        """Same status and headers (ETag, Content-Type, Content-Length),
        no body."""
        for path in ('/', '/v2', '/v2/A/actions', '/v2/A/actions/',
                     self.item, self.item + '/', '/v2/A/actions?limit=1'):
            get = self.request('GET', path)
            head = self.request('HEAD', path)
            self.assertEqual(get.status_int, head.status_int, path)
            self.assertEqual(b'', head.body)
            for name in ('Content-Type', 'Content-Length', 'ETag'):
                self.assertEqual(get.headers.get(name),
                                 head.headers.get(name), (path, name))

    def test_head_mirrors_get_errors(self):
        """404, 400 and 403 are the same for HEAD, without a body."""
        for path, status, kwargs in (
                ('/v2/A/actions/missing', 404, {}),
                ('/v2/A/nothing', 404, {}),
                ('/v2/A/actions?limit=0', 400, {}),
                (self.item, 403, {'project': 'B', 'roles': 'member'}),
                ('/v2/A/actions', 403, {'project': 'B', 'roles': 'member'})):
            get = self.request('GET', path, **kwargs)
            head = self.request('HEAD', path, **kwargs)
            self.assertEqual((status, status), (get.status_int,
                                                head.status_int), path)
            self.assertEqual(b'', head.body)
            self.assertEqual(get.headers['Content-Type'],
                             head.headers['Content-Type'])


class TestTrailingSlash(HttpTestCase):

    def test_every_route_accepts_a_trailing_slash_without_redirect(self):
        """The collection, the item, ``/v2`` and ``/`` answer the same
        with a trailing slash; nothing is ever a 3xx."""
        self.assertEqual(200, self.request('GET', '/v2/').status_int)
        self.assertEqual(self.request('GET', '/v2').json,
                         self.request('GET', '/v2/').json)
        self.assertEqual(self.listed(), self.listed(query='/'))
        self.assertEqual(self.before, self.request(
            'GET', self.item + '/').json)
        resp = self.request('POST', '/v2/A/actions/', base.ACTION)
        self.assertEqual(201, resp.status_int)
        new = resp.json['action_id']
        item = '/v2/A/actions/%s/' % new
        self.assertEqual(200, self.request('PATCH', item,
                                           {'max_retries': 2}).status_int)
        self.assertEqual(201, self.request('POST', item,
                                           base.ACTION).status_int)
        self.assertEqual(201, self.request('POST', '/v2/A/actions/slashid/',
                                           base.ACTION).status_int)
        self.assertEqual('slashid', self.show('slashid')['action_id'])
        self.assertEqual(204, self.request('DELETE', item).status_int)
        self.assertGone(new)

    def test_runs_of_slashes_collapse(self):
        """spec actions.md, "Rules every resource shares": clients up to
        6.3 send ``//v2/...`` when the catalog URL ends with a slash; the
        path is routed as if each run were one slash, never redirected,
        and the noauth project is the URL's."""
        self.assertEqual(self.before, self.request(
            'GET', '/%s' % self.item.replace('/', '//')).json)
        self.assertEqual(self.all_ids(), self.listed(query='//'))
        resp = self.request('GET', '//v2//A///actions', headers={
            'X-Roles': 'member'})
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual([self.action_id],
                         [a['action_id'] for a in resp.json['actions']])
        resp = self.request('POST', '//v2//A//actions//collapsed-id',
                            base.ACTION)
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual('A', self.show('collapsed-id')['project_id'])

    def test_no_response_is_a_redirect(self):
        """Paths with and without slashes, good and bad: never 3xx."""
        for method, path in (('GET', '/v2'), ('GET', '/v2/'),
                             ('GET', '/v2/A/actions'),
                             ('GET', '/v2/A/actions/'),
                             ('GET', '/v2/A/actions//'),
                             ('GET', '/v2/A/actions.json'),
                             ('GET', self.item + '/'),
                             ('POST', '/v2/A/actions/'),
                             ('GET', '/healthcheck/')):
            resp = self.request(method, path, base.ACTION if method == 'POST'
                                else None)
            self.assertFalse(300 <= resp.status_int < 400, (path, resp))
            self.assertNotIn('Location', resp.headers
                             if resp.status_int != 201 else {})


class TestEveryRoute(HttpTestCase):
    """Behaviour every route of the registry shares, walked from the
    registry and the per-resource fixtures (:mod:`.resources`)."""

    def setUp(self):
        super().setUp()
        resources.setup(self, 'A')

    def test_unserved_methods_are_405_naming_the_allowed_ones(self):
        for route in routes.ROUTES:
            path = resources.path_of(route, 'A')
            for method in ('PUT', 'DELETE', 'PATCH', 'POST', 'OPTIONS',
                           'TRACE', 'FOO'):
                if method in route.methods:
                    continue
                resp = self.request(method, path, {})
                self.assertError(405, resp)
                self.assertEqual(', '.join(route.allowed),
                                 resp.headers['Allow'], path)

    def test_head_is_get_without_a_body(self):
        for step in resources.walk('A', guarded_only=False):
            if step.method != 'HEAD':
                continue
            get = self.request('GET', step.path)
            head = self.request('HEAD', step.path)
            self.assertEqual(get.status_int, head.status_int, step.path)
            self.assertEqual(b'', head.body)

    def test_every_answer_carries_a_request_id_and_errors_are_json(self):
        # Each method of each route, as a member (mostly successes) and
        # as a caller with no role (403): ids are unique per request.
        seen = set()
        steps = resources.walk('A', guarded_only=False)
        for roles in ('member', ''):
            for step in steps:
                resp = self.request(step.method, step.path, step.body,
                                    project='A', roles=roles)
                request_id = resp.headers.get('x-openstack-request-id')
                self.assertTrue(re.match(r'^req-[0-9a-f-]{36}$',
                                         request_id or ''), step)
                seen.add(request_id)
                if resp.status_int >= 400 and step.method != 'HEAD':
                    self.assertError(resp.status_int, resp)
        self.assertEqual(2 * len(steps), len(seen))


class TestRequestId(HttpTestCase):

    def test_every_response_carries_a_request_id(self):
        """Successes, errors of every kind, HEAD, the versions document
        and the health check all carry ``x-openstack-request-id``."""
        seen = set()
        for method, path, body, kwargs in (
                ('GET', '/', None, {}),
                ('GET', '/v2', None, {}),
                ('GET', '/healthcheck', None, {}),
                ('GET', '/v2/A/actions', None, {}),
                ('HEAD', self.item, None, {}),
                ('POST', '/v2/A/actions', base.ACTION, {}),
                ('PATCH', self.item, {}, {}),
                ('PATCH', self.item, {}, {'headers': {'If-Match': '"9"'}}),
                ('POST', '/v2/B/actions/%s' % self.action_id, base.ACTION,
                 {}),
                ('GET', '/v2/A/actions?limit=0', None, {}),
                ('GET', '/v2/A/actions', b'{', {}),
                ('GET', '/v2/A/actions', None, {'headers': {
                    'Accept': 'text/html'}}),
                ('GET', self.item, None, {'project': 'B',
                                          'roles': 'member'}),
                ('GET', '/nothing', None, {}),
                ('PUT', self.item, None, {}),
                ('POST', '/v2/A/actions', b'x' * 200000, {}),
                ('DELETE', self.item, None, {})):
            resp = self.request(method, path, body, **kwargs)
            request_id = resp.headers.get('x-openstack-request-id')
            self.assertIsNotNone(request_id, (method, path, resp.status))
            self.assertTrue(re.match(r'^req-[0-9a-f-]{36}$', request_id),
                            request_id)
            seen.add(request_id)
        self.assertEqual(17, len(seen))


class TestRouteTable(HttpTestCase):

    def test_json_suffix_never_bypasses_routing(self):
        """``/v2/A/actions.json`` and ``.../{id}.json`` are not the
        collection or the item: 404, nothing created, whatever the
        caller."""
        for kwargs in ({}, {'project': 'B', 'roles': 'member'},
                       {'project': 'B', 'roles': 'admin'}):
            for path in ('/v2/A/actions.json', '/v2/A/actions.xml',
                         '/v2/A/actions.json/'):
                resp = self.request('GET', path, **kwargs)
                self.assertError(404, resp)
                self.assertNotIn(self.action_id.encode(), resp.body)
                resp = self.request('POST', path, base.ACTION, **kwargs)
                self.assertIn(resp.status_int, (404, 405))
                self.assertError(resp.status_int, resp)
            resp = self.request('GET', self.item + '.json', **kwargs)
            self.assertIn(resp.status_int, (403, 404))
            self.assertNotIn(b'freezer_action', resp.body)
        self.assertNothingChanged()

    def test_method_names_in_paths_are_not_routes(self):
        """Segments naming controller methods reach nothing."""
        for path in ('/v2/A/actions/%s/delete' % self.action_id,
                     '/v2/A/actions/%s/update' % self.action_id,
                     '/v2/A/collection', '/v2/A/get_all', '/_route',
                     '/versions', '/v2/home', '/v2/A/actions/_lookup/x'):
            for method in ('GET', 'POST', 'DELETE'):
                resp = self.request(method, path, {})
                self.assertIn(resp.status_int, (404, 405), path)
                self.assertError(resp.status_int, resp)
        self.assertNothingChanged()

    def test_method_overrides_are_not_honoured(self):
        """``?_method=``, a ``_method`` form field and
        ``X-HTTP-Method-Override`` never turn a POST into another
        method (and its policy)."""
        resp = self.request('POST', self.item + '?_method=DELETE',
                            base.ACTION)
        self.assertEqual(201, resp.status_int)
        resp = self.request('POST', self.item, base.ACTION,
                            headers={'X-HTTP-Method-Override': 'DELETE'})
        self.assertEqual(201, resp.status_int)
        resp = self.request('POST', self.item, '_method=DELETE', headers={
            'Content-Type': 'application/x-www-form-urlencoded'})
        self.assertError(753, resp)
        self.assertEqual(3, self.show(self.action_id)['_version'])
        resp = self.request('POST', '/v2/A/actions?_method=GET', base.ACTION,
                            project='A', roles='reader')
        self.assertError(403, resp, 'actions:create')

    def test_form_bodies_are_not_parameters(self):
        """A form-encoded GET body is not read as query parameters: it is
        a (malformed) search body."""
        resp = self.request('GET', '/v2/A/actions', 'limit=0', headers={
            'Content-Type': 'application/x-www-form-urlencoded'})
        self.assertError(753, resp)

    def test_versions_and_home_documents(self):
        """``/`` lists v2 as CURRENT with a link; ``/v2`` is the
        JSON-home document naming both resources."""
        resp = self.request('GET', '/')
        self.assertEqual(200, resp.status_int)
        (version,) = resp.json['versions']
        self.assertEqual(('v2', 'CURRENT'), (version['id'],
                                             version['status']))
        self.assertEqual([{'rel': 'self', 'href': 'http://localhost/v2/'}],
                         version['links'])
        resp = self.request('GET', '/v2')
        self.assertLessEqual({'rel/actions', 'rel/action'},
                             set(resp.json['resources']))
        self.assertEqual('/v2/{project_id}/actions/',
                         resp.json['resources']['rel/actions'][
                             'href-template'])

    def test_v2_is_json_home_for_every_accept_admitting_json(self):
        """Spec, "Media types": ``application/json-home`` whether the
        client asks for JSON, JSON-home, anything or nothing."""
        for accept in (None, '', '*/*', 'application/json',
                       'application/json-home', 'application/*',
                       'application/json; charset=utf-8',
                       'text/html;q=0.9, application/json;q=0.5'):
            headers = {} if accept is None else {'Accept': accept}
            for method in ('GET', 'HEAD'):
                resp = self.request(method, '/v2', headers=headers)
                self.assertEqual(200, resp.status_int, accept)
                self.assertEqual('application/json-home',
                                 resp.headers['Content-Type'], accept)
            self.assertIn('rel/actions', json.loads(self.request(
                'GET', '/v2', headers=headers).body)['resources'])
        self.assertError(406, self.request('GET', '/v2', headers={
            'Accept': 'text/html'}))

    def test_healthcheck_answers(self):
        """``/healthcheck`` is oslo.middleware's health check: 200."""
        self.assertEqual(200, self.request('GET', '/healthcheck').status_int)


class TestKeystoneStrategy(base.ActionsTestCase):
    """With ``auth_strategy = keystone`` and no token (no Keystone is
    contacted for a request that has none)."""

    auth_strategy = 'keystone'

    def setUp(self):
        super().setUp()
        for group, opts in auth_token.list_opts():
            self.conf.register_opts(opts, group=group)
        self.conf.set_override('www_authenticate_uri',
                               'http://keystone.invalid/v3',
                               group='keystone_authtoken')
        self.app = wiring.build_app(self.conf)

    def test_requests_without_a_token_are_401_json(self):
        """Every API route answers 401 JSON with ``WWW-Authenticate``,
        identity headers alone are not trusted, and nothing is
        written."""
        for method, path, body in (('GET', '/v2/A/actions', None),
                                   ('POST', '/v2/A/actions', base.ACTION),
                                   ('POST', '/v2/A/actions/kid', base.ACTION),
                                   ('GET', '/v2', None),
                                   ('GET', '/nothing', None)):
            resp = self.request(method, path, body, project='A',
                                roles='admin', user='u')
            self.assertError(401, resp)
            self.assertEqual('Keystone uri="http://keystone.invalid/v3"',
                             resp.headers['WWW-Authenticate'])
            self.assertIn('x-openstack-request-id', resp.headers)
        # Nothing reached storage (read without the API, which would
        # want a token).
        repository = action_storage.ActionRepository(
            database.Database(self.database_url))
        self.assertEqual([], repository.list(
            'A', search.EMPTY, pagination.Page(limit=10, offset=0,
                                               marker=None)))

    def test_oversized_body_is_413_before_authentication(self):
        """Without a token, a 2 MiB body (with or without Content-Length)
        is 413, not 401: the size is decided before anything else."""
        for method, path in (('POST', '/v2/A/actions'),
                             ('PATCH', '/v2/A/actions/someid'),
                             ('POST', '/nothing')):
            resp = self.request(method, path, TestSizeLimit.BIG)
            self.assertError(413, resp)
            resp = self.chunked(method, path, TestSizeLimit.BIG)
            self.assertError(413, resp)

    def test_versions_and_healthcheck_need_no_token(self):
        """``GET /`` and ``/healthcheck`` answer without a token."""
        resp = self.request('GET', '/')
        self.assertEqual(200, resp.status_int)
        self.assertEqual('v2', resp.json['versions'][0]['id'])
        self.assertEqual(200, self.request('GET', '/healthcheck').status_int)


class TestMiddlewareOptions(HttpTestCase):
    """oslo.middleware reads the service's own configuration, not the
    process-global one."""

    def test_proxy_headers_follow_the_service_option(self):
        """``[oslo_middleware] enable_proxy_headers_parsing``: off, the
        forwarded scheme and host are ignored; on, ``Location`` and the
        versions links use them."""
        headers = {'X-Forwarded-Proto': 'https',
                   'X-Forwarded-Host': 'api.example.org'}
        resp = self.request('POST', '/v2/A/actions', base.ACTION,
                            headers=headers)
        self.assertTrue(resp.headers['Location'].startswith(
            'http://localhost/v2/A/actions/'))
        self.conf.set_override('enable_proxy_headers_parsing', True,
                               group='oslo_middleware')
        resp = self.request('POST', '/v2/A/actions', base.ACTION,
                            headers=headers)
        self.assertEqual('https://api.example.org/v2/A/actions/%s'
                         % resp.json['action_id'], resp.headers['Location'])
        resp = self.request('GET', '/', headers=headers)
        self.assertEqual('https://api.example.org/v2/',
                         resp.json['versions'][0]['links'][0]['href'])

    def test_body_size_limit_follows_the_service_option(self):
        """``[oslo_middleware] max_request_body_size`` of this service's
        configuration is the limit (checked per request)."""
        body = json.dumps(base.agent(backup_name='x' * 5000)).encode()
        self.assertEqual(201, self.request('POST', '/v2/A/actions',
                                           body).status_int)
        self.conf.set_override('max_request_body_size', 4096,
                               group='oslo_middleware')
        self.assertError(413, self.request('POST', '/v2/A/actions', body))
        self.assertError(413, self.chunked('POST', '/v2/A/actions', body))


class TestUrlInput(HttpTestCase):
    """Path segments and query strings are client input like bodies."""

    def test_project_id_with_nul_or_too_long_is_400_on_every_route(self):
        """A URL project holding NUL or longer than the column (255): 400
        naming project_id on every route; nothing stored."""
        for project in ('a%00b', 'p' * 256):
            for method, path, body in (
                    ('GET', '/v2/%s/actions', None),
                    ('POST', '/v2/%s/actions', base.ACTION),
                    ('GET', '/v2/%s/actions/someid', None),
                    ('PATCH', '/v2/%s/actions/someid', {}),
                    ('POST', '/v2/%s/actions/someid', base.ACTION),
                    ('DELETE', '/v2/%s/actions/someid', None)):
                resp = self.request(method, path % project, body,
                                    roles='admin')
                self.assertError(400, resp, 'project_id')
        self.assertNothingChanged()

    def test_project_ids_up_to_255_characters_and_unicode_are_kept(self):
        """255 characters and a non-ASCII project (noauth default identity
        from the URL): 201 and intact."""
        for project, quoted in (('p' * 255, 'p' * 255),
                                ('projé😀', 'proj%C3%A9%F0%9F%98%80')):
            resp = self.request('POST', '/v2/%s/actions' % quoted,
                                base.ACTION)
            self.assertEqual(201, resp.status_int, resp.body)
            doc = self.show(resp.json['action_id'], quoted)
            self.assertEqual(project, doc['project_id'])

    def test_invalid_utf8_in_the_url_is_400_json(self):
        """Percent-encoded bytes that are not UTF-8, in the path or in any
        query parameter: 400 JSON, never a 500."""
        for path in ('/v2/A/actions/%ff', '/v2/%ff/actions',
                     '/v2/A/actions?limit=%ff', '/v2/A/actions?marker=%ff',
                     '/v2/A/actions?search=%ff', '/v2/A/actions?x=%ff',
                     '/v2/A/actions?%ff=1'):
            resp = self.request('GET', path)
            self.assertError(400, resp)
            self.assertNoInternals(resp)
        resp = self.request('POST', '/v2/%ff/actions', base.ACTION)
        self.assertError(400, resp)
        self.assertNothingChanged()
