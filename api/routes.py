"""The route registry: every path of the API in one declarative table.

Placement's ``ROUTE_DECLARATIONS`` is the model. Each :class:`Route` names
its path template, the controller class answering it and, per HTTP method,
the controller method and the policy rule guarding it. Everything else is
derived from :data:`ROUTES`, so a resource is added by adding its lines
here:

* routing (:meth:`api.controllers.root.RootController._route`, through
  :func:`match`), the 405 ``Allow`` header and the policy check made
  before any controller method runs (:class:`api.controllers.base.Endpoint`);
* the JSON-home document of ``GET /v2`` (:func:`json_home`);
* the URL project of the request context in ``noauth`` mode
  (:func:`url_project_id`);
* the route/policy drift test and the persona walk of the tests.

Path rules (spec ``actions.md``, "Routes" and "Rules every resource
shares"): runs of slashes collapse to one and a trailing slash is
accepted, never redirected; a ``{variable}`` segment takes one non-empty
path segment verbatim (a client id is an FQDN, dots included). Anything
no route matches is 404.
"""

import collections
import re

from api.controllers import actions
from api.controllers import backups
from api.controllers import clients
from api.controllers import home
from api.controllers import jobs
from api.controllers import sessions
from policies import actions as action_policies
from policies import backups as backup_policies
from policies import clients as client_policies
from policies import jobs as job_policies
from policies import sessions as session_policies

API_VERSION = 'v2'
#: The suffix of a collection's JSON-home ``href-template``.
PAGED = '{?limit,offset,marker}'

Operation = collections.namedtuple('Operation', ['handler', 'rule'])
Operation.__doc__ = """What one method of a route runs.

:param handler: str, the controller method's name; it is called with the
    request and the URL variables as keyword arguments.
:param rule: str, the policy rule checked (with the URL project as
    target) before the handler runs, or None for an open route; a tuple
    of rules lets through a caller passing any of them (the first step
    of a check the handler completes once the body is parsed: client
    registration, spec ``clients.md``).
"""


class Route(object):
    """One path template and the methods it serves.

    :param template: str, e.g. ``'/v2/{project_id}/actions/{action_id}'``.
    :param controller: the controller class (instantiated per request,
        without arguments).
    :param methods: dict HTTP method -> :class:`Operation`; ``HEAD`` must
        be listed explicitly (usually the GET operation).
    :param rel: str, the JSON-home relation name, or None (not listed).
    :param home_suffix: str appended to ``template`` in the JSON-home
        ``href-template`` (query variables, or a trailing slash).
    """

    def __init__(self, template, controller, methods, rel=None,
                 home_suffix=''):
        self.template = template
        self.controller = controller
        self.methods = methods
        self.rel = rel
        self.home_suffix = home_suffix
        self.segments = tuple(split(template))
        self.variables = tuple(s[1:-1] for s in self.segments
                               if _is_variable(s))

    @property
    def allowed(self):
        """The methods served, sorted (the ``Allow`` header's order)."""
        return tuple(sorted(self.methods))

    def match(self, parts):
        """The URL variables if ``parts`` is a path of this route.

        :param parts: list of str, the collapsed path segments.
        :returns: dict name -> str, or None.
        """
        if len(parts) != len(self.segments):
            return None
        variables = {}
        for segment, part in zip(self.segments, parts):
            if _is_variable(segment):
                variables[segment[1:-1]] = part
            elif segment != part:
                return None
        return variables


def _is_variable(segment):
    return segment.startswith('{') and segment.endswith('}')


def split(path):
    """The segments of a path, runs of slashes collapsed.

    :param path: str, e.g. ``'//v2/p/actions/'``.
    :returns: list of non-empty str (``[]`` for ``/``).
    """
    return [part for part in path.split('/') if part]


def read_only(handler, rule):
    """GET and HEAD of one handler (HEAD answers GET without the body)."""
    return {'GET': Operation(handler, rule), 'HEAD': Operation(handler, rule)}


def _methods(reads, **writes):
    methods = dict(reads)
    methods.update(writes)
    return methods


ROUTES = (
    Route('/', home.VersionsController, read_only('versions', None)),
    Route('/v2', home.HomeController, read_only('home', None)),
    Route('/v2/{project_id}/actions', actions.ActionsController,
          _methods(read_only('get_all', action_policies.GET_ALL),
                   POST=Operation('create', action_policies.CREATE)),
          rel='rel/actions', home_suffix='/'),
    Route('/v2/{project_id}/actions/{action_id}', actions.ActionsController,
          _methods(read_only('show', action_policies.GET),
                   PATCH=Operation('update', action_policies.UPDATE),
                   POST=Operation('replace', action_policies.REPLACE),
                   DELETE=Operation('delete', action_policies.DELETE)),
          rel='rel/action'),
    Route('/v2/{project_id}/clients', clients.ClientsController,
          _methods(read_only('get_all', client_policies.GET_ALL),
                   POST=Operation('create', (client_policies.CREATE,
                                             client_policies.CREATE_CENTRAL))),
          rel='rel/clients', home_suffix='/'),
    # No PATCH or POST: a client changes by registering again.
    Route('/v2/{project_id}/clients/{client_id}', clients.ClientsController,
          _methods(read_only('show', client_policies.GET),
                   DELETE=Operation('delete', client_policies.DELETE)),
          rel='rel/client'),
    Route('/v2/{project_id}/jobs', jobs.JobsController,
          # jobs:get_all_projects is checked instead of jobs:get_all
          # when ?all_projects=true (the controller decides).
          _methods(read_only('get_all', (job_policies.GET_ALL,
                                         job_policies.GET_ALL_PROJECTS)),
                   POST=Operation('create', job_policies.CREATE)),
          rel='rel/jobs', home_suffix='{?all_projects,offset,marker,limit}'),
    Route('/v2/{project_id}/jobs/{job_id}', jobs.JobsController,
          _methods(read_only('show', job_policies.GET),
                   PATCH=Operation('update', job_policies.UPDATE),
                   POST=Operation('replace', job_policies.CREATE),
                   DELETE=Operation('delete', job_policies.DELETE)),
          rel='rel/job'),
    Route('/v2/{project_id}/jobs/{job_id}/event', jobs.JobsController,
          {'POST': Operation('event', job_policies.EVENT_CREATE)},
          rel='rel/job_event'),
    # Compat: tempest's version test reads the item as ``rel/backups``.
    Route('/v2/{project_id}/backups', backups.BackupsController,
          _methods(read_only('get_all', backup_policies.GET_ALL),
                   POST=Operation('create', backup_policies.CREATE)),
          rel='rel/backup_list', home_suffix=PAGED),
    Route('/v2/{project_id}/backups/{backup_id}', backups.BackupsController,
          _methods(read_only('show', backup_policies.GET),
                   PATCH=Operation('update', backup_policies.UPDATE),
                   DELETE=Operation('delete', backup_policies.DELETE)),
          rel='rel/backups'),
    Route('/v2/{project_id}/sessions', sessions.SessionsController,
          _methods(read_only('get_all', session_policies.GET_ALL),
                   POST=Operation('create', session_policies.CREATE)),
          rel='rel/sessions', home_suffix='/'),
    Route('/v2/{project_id}/sessions/{session_id}',
          sessions.SessionsController,
          _methods(read_only('show', session_policies.GET),
                   PATCH=Operation('update', session_policies.UPDATE),
                   POST=Operation('replace', session_policies.REPLACE),
                   DELETE=Operation('delete', session_policies.DELETE)),
          rel='rel/session'),
    Route('/v2/{project_id}/sessions/{session_id}/action',
          sessions.SessionsController,
          {'POST': Operation('action', session_policies.ACTION_CREATE)},
          rel='rel/session_action'),
    Route('/v2/{project_id}/sessions/{session_id}/jobs/{job_id}',
          sessions.SessionsController,
          {'PUT': Operation('add_job', session_policies.JOB_ADD),
           'DELETE': Operation('remove_job', session_policies.JOB_REMOVE)},
          rel='rel/session_job'),
)


def match(parts, routes=ROUTES):
    """The route serving a path, and its URL variables.

    :param parts: list of str, the path's segments (:func:`split`).
    :param routes: the registry (default :data:`ROUTES`).
    :returns: ``(Route, dict of variables)`` or None (404).
    """
    for route in routes:
        variables = route.match(parts)
        if variables is not None:
            return route, variables
    return None


def url_project_id(path, routes=ROUTES):
    """Return the ``{project_id}`` of a routed path, or None.

    :param path: str, the request's PATH_INFO. WSGI hands it over as
        latin-1 decoded bytes; it is re-decoded as UTF-8, as Pecan does
        for routing, so that a non-ASCII project id in the URL is the same
        string as the one the policy target is built from.
    :returns: str or None (no route, or a route without a project).
    """
    try:
        path = path.encode('latin-1').decode('utf-8')
    except UnicodeError:
        # Not UTF-8 (Pecan answers 400 for such a path) or already text.
        pass
    found = match(split(path), routes)
    return found[1].get('project_id') if found else None


_VARIABLE = re.compile(r'\{([a-z_]+)\}')


def home_allow(route):
    """A route's methods as its JSON-home ``hints.allow`` lists them.

    GET comes first, then the others sorted (compat: tempest's
    ``test_api_version_v2`` asserts ``allow[0] == 'GET'`` for
    ``rel/backups``; spec ``backups.md``, "JSON home").

    :param route: :class:`Route`.
    :returns: list of str.
    """
    return sorted(route.allowed, key=lambda method: (method != 'GET',
                                                     method))


def json_home(routes=ROUTES):
    """The JSON-home document of the v2 API (RFC draft json-home).

    :param routes: the registry (default :data:`ROUTES`).
    :returns: dict ``{"resources": {rel: {"href-template", "href-vars",
        "hints": {"allow", "formats"}}}}``, one entry per route with a
        ``rel``.
    """
    resources = {}
    for route in routes:
        if route.rel is None:
            continue
        resources[route.rel] = {
            'href-template': route.template + route.home_suffix,
            'href-vars': {name: 'param/' + name
                          for name in _VARIABLE.findall(route.template)},
            'hints': {'allow': home_allow(route),
                      'formats': {'application/json': {}}},
        }
    return {'resources': resources}


def route_of(template, routes=ROUTES):
    """The route of a path template.

    :param template: str, exactly as declared.
    :returns: :class:`Route`.
    :raises KeyError: no such route.
    """
    for route in routes:
        if route.template == template:
            return route
    raise KeyError(template)
