"""The route registry: matching, variables, JSON home, the URL project.

Besides the real registry, a registry shaped like the coming resources
(sub-resources of jobs and sessions, client ids that are FQDNs) proves
the matcher can serve them before their controllers exist.
"""

import testtools

from api import routes

OP = routes.Operation

#: Routes shaped like those of spec/jobs.md, sessions.md and clients.md;
#: the controllers are irrelevant to matching.
FUTURE = (
    routes.Route('/v2/{project_id}/jobs', object,
                 routes.read_only('get_all', 'jobs:get_all'),
                 rel='rel/jobs', home_suffix='{?all_projects,offset,marker,'
                                             'limit}'),
    routes.Route('/v2/{project_id}/jobs/{job_id}', object,
                 routes.read_only('show', 'jobs:get'), rel='rel/job'),
    routes.Route('/v2/{project_id}/jobs/{job_id}/event', object,
                 {'POST': OP('event', 'jobs:event:create')},
                 rel='rel/job_event'),
    routes.Route('/v2/{project_id}/sessions/{session_id}/action', object,
                 {'POST': OP('action', 'sessions:action:create')},
                 rel='rel/session_action'),
    routes.Route('/v2/{project_id}/sessions/{session_id}/jobs/{job_id}',
                 object, {'PUT': OP('add_job', 'sessions:job:add'),
                          'DELETE': OP('remove_job', 'sessions:job:remove')},
                 rel='rel/session_job'),
    routes.Route('/v2/{project_id}/clients/{client_id}', object,
                 routes.read_only('show', 'clients:get'), rel='rel/client'),
)


class TestMatch(testtools.TestCase):

    def match(self, path, registry=routes.ROUTES):
        found = routes.match(routes.split(path), registry)
        if found is None:
            return None
        return found[0].template, found[1]

    def test_actions_collection_and_item(self):
        self.assertEqual(('/v2/{project_id}/actions', {'project_id': 'p'}),
                         self.match('/v2/p/actions'))
        self.assertEqual(('/v2/{project_id}/actions/{action_id}',
                          {'project_id': 'p', 'action_id': 'a-1'}),
                         self.match('/v2/p/actions/a-1/'))

    def test_runs_of_slashes_collapse(self):
        # spec actions.md "Rules every resource shares": clients up to 6.3
        # send //v2/... when the catalog URL ends with a slash.
        self.assertEqual(('/v2/{project_id}/actions/{action_id}',
                          {'project_id': 'p', 'action_id': 'a'}),
                         self.match('//v2//p///actions/a//'))
        self.assertEqual(('/', {}), self.match('//'))
        self.assertEqual(('/v2', {}), self.match('/v2//'))

    def test_unknown_paths_do_not_match(self):
        for path in ('/v3', '/v2/p', '/v2/p/Actions', '/v2/p/actions/a/b',
                     '/v2/p/jobs/j/events', '/v2/p/jobs/j/event/x'):
            self.assertIsNone(self.match(path), path)

    def test_sub_resources_of_the_coming_resources(self):
        self.assertEqual(
            ('/v2/{project_id}/jobs/{job_id}/event',
             {'project_id': 'p', 'job_id': 'j1'}),
            self.match('/v2/p/jobs/j1/event', FUTURE))
        self.assertEqual(
            ('/v2/{project_id}/sessions/{session_id}/action',
             {'project_id': 'p', 'session_id': 's1'}),
            self.match('/v2/p/sessions/s1/action', FUTURE))
        self.assertEqual(
            ('/v2/{project_id}/sessions/{session_id}/jobs/{job_id}',
             {'project_id': 'p', 'session_id': 's1', 'job_id': 'j1'}),
            self.match('/v2/p/sessions/s1/jobs/j1', FUTURE))
        self.assertEqual(('/v2/{project_id}/jobs/{job_id}',
                          {'project_id': 'p', 'job_id': 'event'}),
                         self.match('/v2/p/jobs/event', FUTURE))

    def test_ids_with_dots_are_taken_verbatim(self):
        # A client id is the agent's FQDN.
        self.assertEqual(
            ('/v2/{project_id}/clients/{client_id}',
             {'project_id': 'p', 'client_id': 'node-1.example.com'}),
            self.match('/v2/p/clients/node-1.example.com', FUTURE))
        self.assertEqual({'project_id': 'p', 'action_id': 'x.json'},
                         self.match('/v2/p/actions/x.json')[1])

    def test_allowed_methods_are_sorted(self):
        route = routes.route_of('/v2/{project_id}/actions/{action_id}')
        self.assertEqual(('DELETE', 'GET', 'HEAD', 'PATCH', 'POST'),
                         route.allowed)
        self.assertEqual(('DELETE', 'PUT'), FUTURE[4].allowed)

    def test_every_route_with_a_project_has_a_rule_per_method(self):
        for route in routes.ROUTES:
            for method, operation in route.methods.items():
                if 'project_id' in route.variables:
                    self.assertIsNotNone(operation.rule, route.template)
                else:
                    self.assertIsNone(operation.rule, route.template)
                self.assertTrue(callable(getattr(route.controller,
                                                 operation.handler)))


class TestUrlProjectId(testtools.TestCase):

    def test_the_project_of_a_routed_path(self):
        self.assertEqual('p', routes.url_project_id('/v2/p/actions'))
        self.assertEqual('p', routes.url_project_id('//v2/p/actions/a'))

    def test_non_ascii_project_as_wsgi_hands_it_over(self):
        path = '/v2/prøject/actions'.encode('utf-8').decode('latin-1')
        self.assertEqual('prøject', routes.url_project_id(path))

    def test_no_project(self):
        for path in ('/', '/v2', '/v2/p', '/healthcheck'):
            self.assertIsNone(routes.url_project_id(path), path)


class TestJsonHome(testtools.TestCase):

    def test_actions_entries_as_clients_know_them(self):
        home = routes.json_home()['resources']
        self.assertLessEqual({'rel/actions', 'rel/action'}, set(home))
        self.assertEqual({
            'href-template': '/v2/{project_id}/actions/{action_id}',
            'href-vars': {'project_id': 'param/project_id',
                          'action_id': 'param/action_id'},
            'hints': {'allow': ['GET', 'DELETE', 'HEAD', 'PATCH', 'POST'],
                      'formats': {'application/json': {}}},
        }, home['rel/action'])
        self.assertEqual('/v2/{project_id}/actions/',
                         home['rel/actions']['href-template'])

    def test_backups_entries_as_tempest_checks_them(self):
        """Spec ``backups.md``, "JSON home": the item is ``rel/backups``
        (tempest ``test_api_version_v2``: ``allow[0]`` is GET), the
        collection ``rel/backup_list`` with the paging variables."""
        home = routes.json_home()['resources']
        self.assertEqual({
            'href-template': '/v2/{project_id}/backups/{backup_id}',
            'href-vars': {'project_id': 'param/project_id',
                          'backup_id': 'param/backup_id'},
            'hints': {'allow': ['GET', 'DELETE', 'HEAD', 'PATCH'],
                      'formats': {'application/json': {}}},
        }, home['rel/backups'])
        self.assertEqual({
            'href-template': '/v2/{project_id}/backups{?limit,offset,'
                             'marker}',
            'href-vars': {'project_id': 'param/project_id'},
            'hints': {'allow': ['GET', 'HEAD', 'POST'],
                      'formats': {'application/json': {}}},
        }, home['rel/backup_list'])

    def test_jobs_entries_as_the_spec_names_them(self):
        """Spec ``backups.md``, "JSON home": ``rel/jobs`` and ``rel/job``
        keep their names and meaning."""
        home = routes.json_home()['resources']
        self.assertEqual('/v2/{project_id}/jobs{?all_projects,offset,'
                         'marker,limit}', home['rel/jobs']['href-template'])
        self.assertEqual('/v2/{project_id}/jobs/{job_id}',
                         home['rel/job']['href-template'])
        self.assertEqual('GET', home['rel/jobs']['hints']['allow'][0])

    def test_get_comes_first_in_every_allow_hint(self):
        for rel, entry in routes.json_home()['resources'].items():
            allow = entry['hints']['allow']
            if 'GET' in allow:
                self.assertEqual('GET', allow[0], rel)
            self.assertEqual(sorted(allow[1:]), allow[1:], rel)

    def test_sub_resources_and_query_templates(self):
        home = routes.json_home(FUTURE)['resources']
        self.assertEqual('/v2/{project_id}/jobs{?all_projects,offset,'
                         'marker,limit}', home['rel/jobs']['href-template'])
        self.assertEqual({'project_id': 'param/project_id'},
                         home['rel/jobs']['href-vars'])
        self.assertEqual(['DELETE', 'PUT'],
                         home['rel/session_job']['hints']['allow'])
        self.assertEqual({'project_id': 'param/project_id',
                          'session_id': 'param/session_id',
                          'job_id': 'param/job_id'},
                         home['rel/session_job']['href-vars'])
