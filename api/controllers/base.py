"""What every controller shares: the endpoint that dispatches a routed
request, and the helpers of the controllers' fixed rhythm.

:class:`Endpoint` is what routing hands to Pecan. It runs, in this order,
for every route of :data:`api.routes.ROUTES`:

1. 405 with ``Allow`` for a method the route does not serve;
2. the route's policy rule, with the URL project as target (before the
   body is read, so 403 wins over 400);
3. the check of the URL's ``{project_id}`` (once, here, not in every
   controller method);
4. the controller method, given the request and the URL variables.
"""

import urllib.parse

import pecan
import webob.exc

from api import inputs
from api import policy
from api import render

# Pecan negotiates on the content type a controller declares: without
# it, a request with ``Accept: application/json`` would get 406.
JSON = 'application/json'


def not_allowed(method, methods):
    """Answer 405 naming the allowed methods (also in ``Allow``).

    :param method: str, the request's method.
    :param methods: iterable of str, the methods the route serves.
    :raises webob.exc.HTTPMethodNotAllowed: always.
    """
    allowed = ', '.join(methods)
    raise webob.exc.HTTPMethodNotAllowed(
        detail='Method %s is not allowed here; allowed: %s.' % (
            method, allowed),
        headers=[('Allow', allowed)])


def authorize(request, rule, project_id):
    """Check a policy rule for the caller, the URL project as target.

    :param request: the Pecan request (``enforcer`` and
        ``freezer_context`` attached by :class:`api.hooks.ServiceHook`).
    :param rule: str, a rule name constant of :mod:`policies`; or a
        tuple of them, any one of which lets the caller through (the
        first is named in a refusal; :func:`api.policy.authorize_any`).
    :param project_id: str or None, the URL's project.
    :raises api.policy.Forbidden: (403) the rule refuses the caller.
    """
    if isinstance(rule, tuple):
        policy.authorize_any(request.enforcer, request.freezer_context,
                             rule, project_id)
    else:
        policy.authorize(request.enforcer, request.freezer_context, rule,
                         project_id)


def location(request, *segments):
    """The absolute URL of a path below the application.

    Header values are Latin-1 on the wire: every segment is
    percent-encoded, so a non-ASCII project id (a valid id) cannot make
    the server fail to send the header.

    :param request: the Pecan request.
    :param segments: str path segments, e.g. ``('v2', project, 'actions',
        id)``.
    :returns: str.
    """
    return '%s/%s' % (request.application_url, '/'.join(
        urllib.parse.quote(segment, safe='') for segment in segments))


def created(request, id_name, record, *segments):
    """201 ``{"<id_name>": id}`` with the new document's ``Location``.

    :param request: the Pecan request.
    :param id_name: str, e.g. ``'action_id'``.
    :param record: the stored record (a dict holding ``id_name``).
    :param segments: the collection's path segments (the id is appended).
    :returns: :class:`webob.Response`.
    """
    identifier = record[id_name]
    return render.json_response(
        201, {id_name: identifier},
        {'Location': location(request, *(segments + (identifier,)))})


def written(status, id_name, record):
    """A write's answer: ``{"<id_name>": id, "version": n}`` and ``ETag``.

    :param status: int, 200 (PATCH) or 201 (replace).
    :param id_name: str, e.g. ``'action_id'``.
    :param record: the stored record (``_version`` included).
    :returns: :class:`webob.Response`.
    """
    return render.json_response(
        status, {id_name: record[id_name], 'version': record['_version']},
        {'ETag': render.etag(record['_version'])})


class Endpoint(object):
    """One routed request: a route of the registry and its URL variables.

    :param route: :class:`api.routes.Route`.
    :param variables: dict name -> str, from the path.
    """

    def __init__(self, route, variables):
        self.route = route
        self.variables = variables

    @pecan.expose(content_type=JSON)
    def dispatch(self, request):
        """Check, then call the controller method of the request's method.

        :param request: the Pecan request (:class:`pecan.Request`).
        :returns: the controller's :class:`webob.Response`.
        :raises webob.exc.HTTPMethodNotAllowed: method not served.
        """
        operation = self.route.methods.get(request.method)
        if operation is None:
            not_allowed(request.method, self.route.allowed)
        project_id = self.variables.get('project_id')
        if operation.rule is not None:
            authorize(request, operation.rule, project_id)
        if project_id is not None:
            inputs.project_id(project_id)
        handler = getattr(self.route.controller(), operation.handler)
        return handler(request, **self.variables)
