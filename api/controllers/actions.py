"""Controllers of ``/v2/{project_id}/actions[/{action_id}]``.

Each method follows one rhythm: policy check (before the body is read, so
403 wins over 400), parse and validate, one core call, render. Statuses
and bodies are the spec's ("Routes").
"""

import urllib.parse

import pecan
import webob.exc

from api import inputs
from api import policy
from api import render
from freezer_core import actions
from freezer_core import pagination
from policies import actions as action_policies

# Pecan negotiates on the content type a controller declares: without
# it, a request with ``Accept: application/json`` would get 406.
JSON = 'application/json'
COLLECTION_METHODS = ('GET', 'HEAD', 'POST')
ITEM_METHODS = ('DELETE', 'GET', 'HEAD', 'PATCH', 'POST')


def not_allowed(methods):
    """Answer 405 naming the allowed methods (also in ``Allow``).

    :param methods: iterable of str, the methods the route serves.
    :raises webob.exc.HTTPMethodNotAllowed: always.
    """
    allowed = ', '.join(methods)
    raise webob.exc.HTTPMethodNotAllowed(
        detail='Method %s is not allowed here; allowed: %s.' % (
            pecan.request.method, allowed),
        headers=[('Allow', allowed)])


def _authorize(rule, project_id):
    request = pecan.request
    policy.authorize(request.enforcer, request.freezer_context, rule,
                     project_id)


class ActionsController(object):
    """The collection ``/v2/{project_id}/actions``.

    :param project_id: str, the URL's project.
    """

    def __init__(self, project_id):
        self.project_id = project_id

    @pecan.expose(generic=True, content_type=JSON)
    def collection(self, *args, **kwargs):
        """Any method without a handler: 405 with ``Allow``."""
        not_allowed(COLLECTION_METHODS)

    @collection.when(method='GET', content_type=JSON)
    @collection.when(method='HEAD', content_type=JSON)
    def get_all(self, *args, **kwargs):
        """List or search actions: 200 ``{"actions": [record, ...]}``."""
        _authorize(action_policies.GET_ALL, self.project_id)
        inputs.project_id(self.project_id)
        request = pecan.request
        params = inputs.query(request)
        page = pagination.parse(params,
                                default_limit=request.conf.api.default_limit,
                                max_limit=request.conf.api.max_limit)
        search = inputs.search_document(request, params)
        records = request.repository.list(self.project_id, search, page)
        return render.json_response(200, {'actions': records})

    @collection.when(method='POST', content_type=JSON)
    def create(self, *args, **kwargs):
        """Create an action: 201 ``{"action_id": id}`` and ``Location``."""
        _authorize(action_policies.CREATE, self.project_id)
        inputs.project_id(self.project_id)
        request = pecan.request
        document = actions.validate_create(inputs.json_body(request),
                                           inputs.limits(request))
        record = request.repository.create(
            self.project_id, request.freezer_context.user_id or '',
            document)
        # Header values are Latin-1 on the wire: a non-ASCII project id
        # (a valid id) is percent-encoded, or the server fails to send.
        location = '%s/v2/%s/actions/%s' % (
            request.application_url,
            urllib.parse.quote(self.project_id, safe=''),
            record['action_id'])
        return render.json_response(
            201, {'action_id': record['action_id']},
            {'Location': location})


class ActionController(object):
    """One action, ``/v2/{project_id}/actions/{action_id}``.

    :param project_id: str, the URL's project.
    :param action_id: str, the URL's action id.
    """

    def __init__(self, project_id, action_id):
        self.project_id = project_id
        self.action_id = action_id

    @pecan.expose(generic=True, content_type=JSON)
    def item(self, *args, **kwargs):
        """Any method without a handler: 405 with ``Allow``."""
        not_allowed(ITEM_METHODS)

    @item.when(method='GET', content_type=JSON)
    @item.when(method='HEAD', content_type=JSON)
    def show(self, *args, **kwargs):
        """Show an action: 200 record and ``ETag``."""
        _authorize(action_policies.GET, self.project_id)
        inputs.project_id(self.project_id)
        inputs.action_id(self.action_id)
        record = pecan.request.repository.get(self.project_id,
                                              self.action_id)
        return render.json_response(
            200, record, {'ETag': render.etag(record['_version'])})

    @item.when(method='PATCH', content_type=JSON)
    def update(self, *args, **kwargs):
        """Merge a change: 200 ``{"action_id", "version"}``."""
        _authorize(action_policies.UPDATE, self.project_id)
        inputs.project_id(self.project_id)
        request = pecan.request
        inputs.action_id(self.action_id)
        expected = inputs.if_match(request)
        patch = inputs.json_body(request)
        limits = inputs.limits(request)
        record = request.repository.update(
            self.project_id, self.action_id,
            lambda current: actions.merge_patch(current, patch, limits),
            expected)
        return self._written(200, record)

    @item.when(method='POST', content_type=JSON)
    def replace(self, *args, **kwargs):
        """Replace or create: 201 ``{"action_id", "version"}``."""
        _authorize(action_policies.REPLACE, self.project_id)
        inputs.project_id(self.project_id)
        request = pecan.request
        inputs.action_id(self.action_id, creating=True)
        expected = inputs.if_match(request)
        document = actions.validate_replace(inputs.json_body(request),
                                            inputs.limits(request))
        record, _created = request.repository.replace(
            self.project_id, request.freezer_context.user_id or '',
            self.action_id, document, expected)
        return self._written(201, record)

    @item.when(method='DELETE', content_type=JSON)
    def delete(self, *args, **kwargs):
        """Delete an action: 204, empty body."""
        _authorize(action_policies.DELETE, self.project_id)
        inputs.project_id(self.project_id)
        request = pecan.request
        inputs.action_id(self.action_id)
        expected = inputs.if_match(request)
        request.repository.delete(self.project_id, self.action_id, expected)
        return render.json_response(204)

    @staticmethod
    def _written(status, record):
        return render.json_response(
            status, {'action_id': record['action_id'],
                     'version': record['_version']},
            {'ETag': render.etag(record['_version'])})
