"""Controller of ``/v2/{project_id}/clients[/{client_id}]``.

Routing, 405, the first policy step and the URL project check happen
before any method here runs (:class:`api.controllers.base.Endpoint`,
rules from :data:`api.routes.ROUTES`). Statuses and bodies are those of
spec ``clients.md``, "Routes"; there is no PATCH and no POST on the item.
"""

from api.controllers import base
from api import inputs
from api import pages
from api import render
from freezer_core import clients
from freezer_core import errors
from policies import clients as client_policies

ID = 'client_id'
COLLECTION = 'clients'


def _url_client_id(value):
    """The ``{client_id}`` of an item URL; one no client can have (a NUL,
    too long, not the pattern) is simply not found, on every engine."""
    try:
        clients.validate_client_id(value)
    except errors.ValidationError:
        raise errors.NotFound('Client %s not found.' % value[:80])
    return value


def _shown(record):
    # The wire document holds client_id inside "client" only.
    return render.record({key: record[key] for key in clients.RECORD_KEYS})


class ClientsController(object):
    """The clients a project sees: its own and the central ones."""

    def get_all(self, request, project_id):
        """List or search clients: 200 ``{"clients": [record, ...]}``."""
        _params, page, search = inputs.listing(request)
        rows = request.repositories.clients.page(
            project_id, search, page, batch_size=pages.batch_size(request))
        return pages.response(COLLECTION, rows, pages.each(_shown))

    def create(self, request, project_id):
        """Register a client (again): 201 ``{"client_id": id}`` and
        ``Location``, created or replaced alike (compat: the scheduler).

        The registry let through a caller holding ``clients:create`` or
        ``clients:create_central``; the parsed ``is_central`` now picks
        the one it needs.
        """
        expected = inputs.if_match(request)
        document = clients.parse_registration(inputs.json_body(request),
                                              inputs.limits(request))
        rule = (client_policies.CREATE_CENTRAL
                if clients.needs_central(document) else client_policies.CREATE)
        base.authorize(request, rule, project_id)
        record, _created = request.repositories.clients.register(
            project_id, request.freezer_context.user_id or '', document,
            expected)
        return base.created(request, ID, record, 'v2', project_id,
                            COLLECTION)

    def show(self, request, project_id, client_id):
        """Show a client of the project, or a central one: 200 and
        ``ETag``."""
        record = request.repositories.clients.get(
            project_id, _url_client_id(client_id))
        return render.json_response(
            200, _shown(record), {'ETag': render.etag(record['_version'])})

    def delete(self, request, project_id, client_id):
        """Delete a client of the project (its jobs stay): 204."""
        request.repositories.clients.delete(
            project_id, _url_client_id(client_id), inputs.if_match(request))
        return render.json_response(204)
