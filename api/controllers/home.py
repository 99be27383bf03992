"""The documents that carry no project data: versions and JSON home."""

from api import render
from api import routes

#: The media type of the ``/v2`` document (spec, "Media types").
JSON_HOME = 'application/json-home'
#: When the v2 API last changed (shown in the versions document).
V2_UPDATED = '2026-11-29T00:00:00Z'


class VersionsController(object):
    """``/``: the API versions this service offers (no auth)."""

    def versions(self, request):
        """200 ``{"versions": [{"id": "v2", ...}]}``."""
        return render.json_response(200, {'versions': [{
            'id': routes.API_VERSION,
            'status': 'CURRENT',
            'updated': V2_UPDATED,
            'links': [{'rel': 'self', 'href': '%s/%s/' % (
                request.application_url, routes.API_VERSION)}],
        }]})


class HomeController(object):
    """``/v2``: the JSON-home document, built from the route registry."""

    def home(self, request):
        """200 with :func:`api.routes.json_home`, as
        ``application/json-home`` for every Accept that admits JSON or
        JSON-home (spec, "Media types"; others are 406 before this)."""
        response = render.json_response(200, routes.json_home())
        response.content_type = JSON_HOME
        return response
