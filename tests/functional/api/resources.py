"""Per-resource fixtures of the API tests, in one place.

The shared API tests (the policy walk, 405 and ``Allow``, HEAD, request
ids, error shapes) iterate the route registry (:data:`api.routes.ROUTES`)
and take from here, for each resource, the ids a walk uses, a valid body
per write method and how to create the documents the walk reads. A new
resource adds one :class:`ApiResource` to :data:`RESOURCES`; its routes
come from the registry.
"""

import collections
import copy

from api import routes
from tests.functional.api import base

ApiResource = collections.namedtuple('ApiResource', [
    'name', 'ids', 'bodies', 'setup'])
ApiResource.__doc__ = """How the shared API tests use a resource.

:param name: str, the collection's path segment (``'actions'``); the
    resource owns the registry routes below ``/v2/{project_id}/<name>``.
:param ids: dict URL variable -> the id the walks use (``action_id``).
:param bodies: dict ``(method, template)`` -> a valid body, for each
    route and method that takes one.
:param setup: callable ``(case, project)`` creating, as a member of
    ``project``, the documents the ids name (asserting success).
"""

ACTION_ID = 'walked-action'
ACTION_COLLECTION = '/v2/{project_id}/actions'
ACTION_ITEM = '/v2/{project_id}/actions/{action_id}'


def _create_action(case, project):
    resp = case.request('POST', '/v2/%s/actions/%s' % (project, ACTION_ID),
                        base.ACTION, project=project, roles='member')
    case.assertEqual(201, resp.status_int, resp.body)


ACTIONS = ApiResource(
    name='actions',
    ids={'action_id': ACTION_ID},
    bodies={('POST', ACTION_COLLECTION): base.ACTION,
            ('POST', ACTION_ITEM): dict(copy.deepcopy(base.ACTION),
                                        max_retries=7),
            ('PATCH', ACTION_ITEM): {'max_retries': 9}},
    setup=_create_action)

#: Every resource the shared API tests run on.
RESOURCES = (ACTIONS,)

Step = collections.namedtuple('Step', ['method', 'route', 'path', 'body'])
Step.__doc__ = """One request of a walk: method, :class:`api.routes.Route`,
concrete path and body (None, or the resource's valid body)."""


def resource_of(route):
    """The :class:`ApiResource` owning a route, or None (``/``, ``/v2``)."""
    for resource in RESOURCES:
        if route.template.startswith('/v2/{project_id}/%s' % resource.name):
            return resource
    return None


def path_of(route, project):
    """A route's path with the project and the resources' walk ids.

    :param route: :class:`api.routes.Route`.
    :param project: str, the URL project.
    :returns: str.
    """
    variables = {'project_id': project}
    for resource in RESOURCES:
        variables.update(resource.ids)
    return route.template.format(**variables)


def walk(project, guarded_only=True):
    """Every method of every route of the registry, as concrete requests.

    :param project: str, the URL project.
    :param guarded_only: bool; True leaves out the open documents (``/``
        and ``/v2``, which no rule guards).
    :returns: list of :class:`Step`, in registry order.
    """
    steps = []
    for route in routes.ROUTES:
        resource = resource_of(route)
        for method, operation in sorted(route.methods.items()):
            if guarded_only and operation.rule is None:
                continue
            body = (resource.bodies.get((method, route.template))
                    if resource is not None else None)
            steps.append(Step(method, route, path_of(route, project), body))
    return steps


def setup(case, project):
    """Create every resource's walked documents in ``project``."""
    for resource in RESOURCES:
        resource.setup(case, project)
