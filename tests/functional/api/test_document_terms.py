"""Index work per document (issue 20 item 7): a large document is stored
and searched correctly by default, a write of one key rewrites only the
index rows that changed, and ``[api] max_document_terms`` refuses a
write over it on every write route of every resource, writing nothing.

The index rows a write touches are counted with a SQLAlchemy event on
every engine (the statements the repository sends), never timed.
"""

import json

from api import routes
from freezer_daemon import wiring
from tests.functional.api import base
from tests.functional.api import resources
from tests.functional import large_documents

#: The index entries of ``{"freezer_action": {"action": "backup"}}``
#: stored as ``a1``: nine terms (the seven top-level keys,
#: ``action`` and the path ``freezer_action.action``) and two texts
#: (``a1`` and ``backup``; the owner fields are not free text).
MINIMAL_TERMS = 11
#: The walk's body of a route where it would change nothing, made to
#: change something: re-registering a client as it is writes nothing
#: (and so is not refused, see the test).
CHANGED = {('POST', resources.CLIENT_COLLECTION): dict(
    resources.CLIENT, description='changed')}


class TestLargeDocument(base.ActionsTestCase):
    """The 11,000-key document of the trial, with the default limits."""

    def setUp(self):
        super().setUp()
        self.agent = large_documents.large_agent()
        self.item = '/v2/A/actions/large'
        resp = self.write('POST', self.item, {'freezer_action': self.agent})
        self.assertEqual(201, resp.status_int, resp.body[:300])
        # Within the default body limit (114,688 bytes), as the trial's
        # 95 KB document.
        self.assertLess(len(self.sent), 100 * 1024)

    def write(self, method, path, body):
        """Send a body as compact JSON, as the agent's client does."""
        self.sent = json.dumps(body, separators=(',', ':'))
        return self.request(method, path, self.sent)

    def count_index_writes(self):
        counter = large_documents.IndexWrites()
        counter.start()
        self.addCleanup(counter.stop)
        return counter.rows

    def found(self, *pairs):
        resp = self.request('GET', '/v2/A/actions',
                            {'match': [dict([pair]) for pair in pairs]})
        self.assertEqual(200, resp.status_int, resp.body)
        return [a['action_id'] for a in resp.json['actions']]

    def test_default_limits_store_it_and_read_it_back(self):
        shown = self.request('GET', self.item)
        self.assertEqual(self.agent, shown.json['freezer_action'])
        resp = self.write('POST', '/v2/A/actions',
                          {'freezer_action': self.agent})
        self.assertEqual(201, resp.status_int, resp.body[:300])

    #: Out: backup_name's key and path terms, freezer_action's key term
    #: (its value is the whole agent) and the text "first-name"; in: the
    #: same four for the new value.
    ONE_KEY = {('action_terms', 'delete'): 3, ('action_terms', 'insert'): 3,
               ('action_texts', 'delete'): 1, ('action_texts', 'insert'): 1}

    def test_a_one_key_patch_writes_only_the_changed_rows(self):
        rows = self.count_index_writes()
        resp = self.request('PATCH', self.item,
                            {'freezer_action': {'backup_name': 'renamed'}})
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual(self.ONE_KEY, dict(rows))

    def test_a_one_key_replace_writes_only_the_changed_rows(self):
        rows = self.count_index_writes()
        resp = self.write('POST', self.item, {'freezer_action': dict(
            self.agent, backup_name='renamed')})
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual(self.ONE_KEY, dict(rows))

    def test_a_deep_change_writes_only_its_ancestors_rows(self):
        group = dict(self.agent['g5'], k7=1000)
        rows = self.count_index_writes()
        resp = self.write('PATCH', self.item,
                          {'freezer_action': {'g5': group}})
        self.assertEqual(200, resp.status_int, resp.body)
        # Out: freezer_action's and g5's key terms, g5's path term and
        # the path term of g5.k7 = 7 (the key term k7 = 7 stays: 109
        # other groups hold it). In: those four with the new values,
        # and the key term k7 = 1000.
        self.assertEqual({('action_terms', 'delete'): 4,
                          ('action_terms', 'insert'): 5}, dict(rows))

    def test_search_follows_a_patch(self):
        group = dict(self.agent['g5'], k7=1000)
        self.write('PATCH', self.item, {'freezer_action': {'g5': group}})
        self.assertEqual(['large'], self.found(('freezer_action.g5.k7',
                                                1000)))
        self.assertEqual(['large'], self.found(('k7', 1000)))
        self.assertEqual([], self.found(('freezer_action.g5.k7', 7)))
        self.assertEqual(['large'], self.found(('freezer_action.g6.k7', 7),
                                               ('k7', 7)))

    def test_search_follows_a_replace(self):
        agent = dict(self.agent, backup_name='replaced')
        del agent['g109']
        agent['g110'] = {'deep': {'needle': 'Found-Here'}}
        resp = self.write('POST', self.item, {'freezer_action': agent})
        self.assertEqual(201, resp.status_int, resp.body[:300])
        self.assertEqual(['large'], self.found(
            ('freezer_action.g110.deep.needle', 'Found-Here')))
        self.assertEqual(['large'], self.found(('_all', 'found-here')))
        self.assertEqual(['large'], self.found(('freezer_action.g108.k99',
                                                99)))
        self.assertEqual([], self.found(('freezer_action.g109.k99', 99)))
        self.assertEqual([], self.found(('backup_name', 'first-name')))
        self.assertEqual([], self.found(('_all', 'first-name')))


class TestDocumentTermsLimit(base.ApiTestCase):
    """``[api] max_document_terms`` on every write route of every
    resource (the walk's bodies, :mod:`tests.functional.api.resources`)."""

    def limit(self, value):
        self.conf.set_override('max_document_terms', value, group='api')
        # Read when the workers start (wiring), as after a SIGHUP.
        self.app = wiring.build_app(self.conf)

    def versions(self):
        """``_version`` of every walked document, by path."""
        found = {}
        for resource in resources.RESOURCES:
            for name, identifier in resource.ids.items():
                path = '/v2/A/%s/%s' % (resource.name, identifier)
                resp = self.request('GET', path, project='A',
                                    roles='member')
                self.assertEqual(200, resp.status_int, resp.body)
                found[path] = resp.json.get('_version')
        return found

    def test_every_write_route_refuses_a_document_over_the_limit(self):
        for resource in resources.RESOURCES:
            resource.setup(self, 'A')
        before = self.versions()
        self.limit(MINIMAL_TERMS - 1)
        sent = 0
        for resource in resources.RESOURCES:
            for (method, template), body in sorted(resource.bodies.items()):
                body = CHANGED.get((method, template), body)
                route, = [r for r in routes.ROUTES
                          if r.template == template]
                path = resources.path_of(route, 'A')
                resp = self.request(method, path, body, project='A',
                                    roles='member')
                self.assertError(400, resp, 'limit: max_document_terms')
                sent += 1
        # Create, replace, PATCH, the job event and the session action.
        self.assertEqual(14, sent)
        self.assertEqual(before, self.versions())
        resp = self.request('POST', '/v2/A/clients', resources.CLIENT,
                            project='A', roles='member')
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual(before, self.versions())
        listed = self.request('GET', '/v2/A/actions', project='A',
                              roles='member')
        self.assertEqual([resources.ACTION_ID],
                         [a['action_id'] for a in listed.json['actions']])

    def test_a_document_at_the_limit_is_stored_one_more_is_not(self):
        self.limit(MINIMAL_TERMS)
        resp = self.request('POST', '/v2/A/actions/a1',
                            {'freezer_action': {'action': 'backup'}})
        self.assertEqual(201, resp.status_int, resp.body)
        resp = self.request('PATCH', '/v2/A/actions/a1',
                            {'freezer_action': {'mode': 'fs'}})
        body = self.assertError(400, resp, 'limit: max_document_terms')
        self.assertEqual(
            'The action document has 14 search terms (keys and string '
            'values at any depth), more than the 11 allowed (rule: '
            'maxTerms; limit: max_document_terms).', body['description'])
        shown = self.request('GET', '/v2/A/actions/a1')
        self.assertEqual({'action': 'backup'},
                         shown.json['freezer_action'])
        self.assertEqual(1, shown.json['_version'])

    def test_a_document_over_a_new_limit_may_shrink_not_change(self):
        # 14 entries: the minimal 11, mode's key and path terms, "fs".
        resp = self.request('POST', '/v2/A/actions/a1', {
            'freezer_action': {'action': 'backup', 'mode': 'fs'}})
        self.assertEqual(201, resp.status_int, resp.body)
        self.limit(MINIMAL_TERMS)
        resp = self.request('PATCH', '/v2/A/actions/a1',
                            {'freezer_action': {'mode': 'mysql'}})
        self.assertError(400, resp, 'has 14 search terms')
        resp = self.request('PATCH', '/v2/A/actions/a1',
                            {'freezer_action': {'mode': None}})
        self.assertEqual(200, resp.status_int, resp.body)
        shown = self.request('GET', '/v2/A/actions/a1')
        self.assertEqual({'action': 'backup'},
                         shown.json['freezer_action'])
