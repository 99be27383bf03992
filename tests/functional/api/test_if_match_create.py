"""``If-Match`` on a write that would create (spec ``actions.md``, "Rules
every resource shares", **If-Match** and **Error precedence**).

A POST that would create has no current version, so any ``If-Match``
(``*`` included: ``*`` means "exists") answers 412 and stores nothing;
403, 753/400 and 404 still come first. The requests are walked from the
route registry (:data:`api.routes.ROUTES`) with the resources' valid
bodies (:mod:`tests.functional.api.resources`), so a new route that
creates is covered without being listed here: every POST and PUT is sent
to ids no document holds.
"""

import collections
import copy

from api import routes
from tests.functional.api import base
from tests.functional.api import resources

PROJECT = 'A'
MEMBER = {'project': PROJECT, 'roles': 'member'}
#: Ids no document holds, one per URL variable of the registry.
FRESH_IDS = {'action_id': 'fresh-action', 'job_id': 'fresh-job',
             'session_id': 'fresh-session',
             'client_id': 'fresh-client.example.org',
             'backup_id': 'fedcba9876543210fedcba9876543210'}
#: Handlers that create a document when its id is new (every collection
#: POST creates; a client registration creates a new client id).
CREATING = ('create', 'replace')
CONDITIONS = ('*', '"1"', 'W/"1"')


def fresh_body(body):
    """A route's valid body, naming a client id no registration holds
    (a registration of a known id replaces it and creates nothing)."""
    body = copy.deepcopy(body)
    if isinstance(body, dict) and 'hostname' in body:
        body['client_id'] = FRESH_IDS['client_id']
    return body


Write = collections.namedtuple('Write', ['method', 'path', 'body',
                                         'creates', 'template'])
Write.__doc__ = """One write of the walk: ``creates`` is True when the
route's handler would create the document; ``template`` is the route's."""


def fresh_writes():
    """Every POST and PUT of the registry, to ids no document holds.

    :returns: list of :class:`Write`.
    """
    writes = []
    for route in routes.ROUTES:
        resource = resources.resource_of(route)
        if resource is None:
            continue
        path = route.template.format(project_id=PROJECT, **FRESH_IDS)
        for method, operation in sorted(route.methods.items()):
            if method not in ('POST', 'PUT'):
                continue
            body = fresh_body(resource.bodies.get((method, route.template)))
            writes.append(Write(method, path, body,
                                operation.handler in CREATING,
                                route.template))
    return writes


class IfMatchCreateTestCase(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        resources.setup(self, PROJECT)
        self.writes = fresh_writes()
        self.creating = [w for w in self.writes if w.creates]

    def stored(self):
        """Every document id of the project, per collection."""
        found = {}
        for resource in resources.RESOURCES:
            resp = self.request('GET', '/v2/%s/%s?limit=1000' % (
                PROJECT, resource.name), **MEMBER)
            self.assertEqual(200, resp.status_int, resp.body)
            found[resource.name] = resp.json[resource.name]
        return found


class TestIfMatchNeverCreates(IfMatchCreateTestCase):

    def test_walk_holds_every_creating_route(self):
        """The walk reaches each collection POST, each replace route and
        client registration (a route added to the registry joins it)."""
        self.assertEqual(
            sorted([('POST', '/v2/A/actions', True),
                    ('POST', '/v2/A/actions/fresh-action', True),
                    ('POST', '/v2/A/backups', True),
                    ('POST', '/v2/A/clients', True),
                    ('POST', '/v2/A/jobs', True),
                    ('POST', '/v2/A/jobs/fresh-job', True),
                    ('POST', '/v2/A/sessions', True),
                    ('POST', '/v2/A/sessions/fresh-session', True)]),
            sorted((w.method, w.path, w.creates) for w in self.creating))

    def test_any_if_match_on_a_create_is_412_and_stores_nothing(self):
        """``*``, a version and a weak tag: 412 on every creating route,
        nothing stored; the same requests without If-Match create (201),
        so each 412 stood for a real create."""
        before = self.stored()
        for method, path, body, _creates, _template in self.creating:
            for condition in CONDITIONS:
                resp = self.request(method, path, body,
                                    headers={'If-Match': condition},
                                    **MEMBER)
                self.assertError(412, resp)
        self.assertEqual(before, self.stored())
        for method, path, body, _creates, _template in self.creating:
            resp = self.request(method, path, body, **MEMBER)
            self.assertEqual(201, resp.status_int, (method, path, resp.body))
        self.assertNotEqual(before, self.stored())

    def test_writes_below_a_missing_item_are_404_not_412(self):
        """Events, session actions and membership create nothing: a
        missing item is 404 first, whatever If-Match says."""
        others = [w for w in self.writes if not w.creates]
        self.assertEqual(3, len(others))
        before = self.stored()
        for method, path, body, _creates, _template in others:
            for condition in CONDITIONS:
                resp = self.request(method, path, body,
                                    headers={'If-Match': condition},
                                    **MEMBER)
                self.assertError(404, resp)
        self.assertEqual(before, self.stored())


class TestIfMatchOnExistingDocuments(IfMatchCreateTestCase):
    """``*`` means "exists": on a replace or a registration of an existing
    document it lets the write through; a wrong version is 412."""

    def existing_writes(self):
        """The creating writes that name their document: the replace
        routes (walked ids) and the walked client's registration."""
        writes = []
        for write in self.creating:
            route = routes.route_of(write.template)
            resource = resources.resource_of(route)
            if route.variables == ('project_id',) and (
                    resource is not resources.CLIENTS):
                continue
            writes.append((write.method, resources.path_of(route, PROJECT),
                           resource.bodies[(write.method, write.template)]))
        return writes

    def test_star_replaces_an_existing_document(self):
        writes = self.existing_writes()
        self.assertEqual(4, len(writes))
        for method, path, body in writes:
            resp = self.request(method, path, body,
                                headers={'If-Match': '*'}, **MEMBER)
            self.assertEqual(201, resp.status_int, (path, resp.body))

    def test_wrong_version_on_an_existing_document_is_412(self):
        before = self.stored()
        for method, path, body in self.existing_writes():
            resp = self.request(method, path, body,
                                headers={'If-Match': '"99"'}, **MEMBER)
            self.assertError(412, resp)
        self.assertEqual(before, self.stored())


class TestIfMatchCreatePrecedence(IfMatchCreateTestCase):
    """403 before 753/400 before 412 (spec, "Error precedence")."""

    def assertRefused(self, status, roles='member', body=None,
                      condition='*'):
        before = self.stored()
        for method, path, valid, _creates, _template in self.creating:
            resp = self.request(
                method, path, valid if body is None else body,
                headers={'If-Match': condition}, project=PROJECT,
                roles=roles)
            self.assertError(status, resp)
        self.assertEqual(before, self.stored())

    def test_policy_refusal_comes_first(self):
        self.assertRefused(403, roles='reader')

    def test_malformed_body_comes_before_412(self):
        self.assertRefused(753, body=b'{"cut":')

    def test_invalid_body_comes_before_412(self):
        self.assertRefused(400, body=[1])

    def test_malformed_if_match_is_400(self):
        self.assertRefused(400, condition='abc')
