"""Controller of ``/v2/{project_id}/actions[/{action_id}]``.

Routing, 405, the policy rule and the URL project check happen before any
method here runs (:class:`api.controllers.base.Endpoint`, rules from
:data:`api.routes.ROUTES`). Each method follows one rhythm: parse and
validate, one core call, render. Statuses and bodies are the spec's
(``actions.md``, "Routes").
"""

from api.controllers import base
from api import inputs
from api import pages
from api import render
from freezer_core import actions

ID = 'action_id'
COLLECTION = 'actions'


class ActionsController(object):
    """The actions of a project: the collection and its items."""

    def get_all(self, request, project_id):
        """List or search actions: 200 ``{"actions": [record, ...]}``."""
        _params, page, search = inputs.listing(request)
        rows = request.repositories.actions.page(
            project_id, search, page, batch_size=pages.batch_size(request))
        return pages.response(COLLECTION, rows, pages.each(render.record))

    def create(self, request, project_id):
        """Create an action: 201 ``{"action_id": id}`` and ``Location``."""
        document = actions.validate_create(inputs.json_body(request),
                                           inputs.limits(request))
        inputs.refuse_if_match(request, 'Action')
        record = request.repositories.actions.create(
            project_id, request.freezer_context.user_id or '', document)
        return base.created(request, ID, record, 'v2', project_id,
                            COLLECTION)

    def show(self, request, project_id, action_id):
        """Show an action: 200 record and ``ETag``."""
        inputs.action_id(action_id)
        record = request.repositories.actions.get(project_id, action_id)
        return render.json_response(
            200, render.record(record),
            {'ETag': render.etag(record['_version'])})

    def update(self, request, project_id, action_id):
        """Merge a change: 200 ``{"action_id", "version"}``."""
        inputs.action_id(action_id)
        expected = inputs.if_match(request)
        patch = inputs.json_body(request)
        limits = inputs.limits(request)
        record = request.repositories.actions.update(
            project_id, action_id,
            lambda current: actions.merge_patch(current, patch, limits),
            expected)
        return base.written(200, ID, record)

    def replace(self, request, project_id, action_id):
        """Replace or create: 201 ``{"action_id", "version"}``."""
        inputs.action_id(action_id, creating=True)
        expected = inputs.if_match(request)
        document = actions.validate_replace(inputs.json_body(request),
                                            inputs.limits(request))
        record, _created = request.repositories.actions.replace(
            project_id, request.freezer_context.user_id or '', action_id,
            document, expected)
        return base.written(201, ID, record)

    def delete(self, request, project_id, action_id):
        """Delete an action: 204, empty body."""
        inputs.action_id(action_id)
        request.repositories.actions.delete(
            project_id, action_id, inputs.if_match(request))
        return render.json_response(204)
