"""The root of the controller tree and its explicit route table.

Routes (spec ``actions.md``, "Routes"; a trailing slash is accepted on
every one and never redirected):

=========================================  ==============================
path                                       controller
=========================================  ==============================
``/``                                      versions (no auth)
``/v2``                                    JSON-home document
``/v2/{project_id}/actions``               :class:`ActionsController`
``/v2/{project_id}/actions/{action_id}``   :class:`ActionController`
=========================================  ==============================

Anything else is 404. Routing is explicit, not by attribute lookup, so no
path segment (``index``, ``_lookup``, ``actions.json``) can reach an
unintended method.
"""

import pecan
import webob.exc

from api.controllers import actions
from api import render

JSON = actions.JSON
#: The media type of the ``/v2`` document.
JSON_HOME = 'application/json-home'
API_VERSION = 'v2'
#: When the v2 API last changed (shown in the versions document).
V2_UPDATED = '2026-11-29T00:00:00Z'


def _strip_slash(parts):
    """Drop one trailing empty segment (a trailing slash)."""
    if parts and parts[-1] == '':
        return parts[:-1]
    return parts


def _not_found():
    raise webob.exc.HTTPNotFound()


class V2Controller(object):
    """``/v2``: the JSON-home document of the v2 API."""

    @pecan.expose(generic=True, content_type=JSON)
    def home(self, *args, **kwargs):
        """Any method other than GET/HEAD: 405."""
        actions.not_allowed(('GET', 'HEAD'))

    @home.when(method='GET', content_type=JSON)
    @home.when(method='HEAD', content_type=JSON)
    def get_home(self, *args, **kwargs):
        """200 with the JSON-home document (RFC draft json-home), as
        ``application/json-home`` for every Accept that admits JSON or
        JSON-home (spec, "Media types"; others are 406 before this)."""
        home = render.json_response(200, {'resources': {
            'rel/actions': {
                'href-template': '/v2/{project_id}/actions/',
                'href-vars': {'project_id': 'param/project_id'},
                'hints': {'allow': ['GET', 'HEAD', 'POST'],
                          'formats': {'application/json': {}}},
            },
            'rel/action': {
                'href-template': '/v2/{project_id}/actions/{action_id}',
                'href-vars': {'project_id': 'param/project_id',
                              'action_id': 'param/action_id'},
                'hints': {'allow': list(actions.ITEM_METHODS),
                          'formats': {'application/json': {}}},
            },
        }})
        home.content_type = JSON_HOME
        return home


class RootController(object):
    """``/``: the versions document, and the route table for the rest."""

    v2_home = V2Controller()

    @pecan.expose(generic=True, content_type=JSON)
    def versions(self, *args, **kwargs):
        """Any method other than GET/HEAD: 405."""
        actions.not_allowed(('GET', 'HEAD'))

    @versions.when(method='GET', content_type=JSON)
    @versions.when(method='HEAD', content_type=JSON)
    def get_versions(self, *args, **kwargs):
        """200 with the API versions this service offers."""
        base = pecan.request.application_url
        return render.json_response(200, {'versions': [{
            'id': API_VERSION,
            'status': 'CURRENT',
            'updated': V2_UPDATED,
            'links': [{'rel': 'self', 'href': '%s/%s/' % (base,
                                                          API_VERSION)}],
        }]})

    @pecan.expose()
    def _route(self, args, request=None):
        """Map the path segments to one controller method.

        :param args: list of str, the path split on ``/`` (percent-decoded).
        :param request: the Pecan request.
        :returns: ``(controller method, [])``.
        :raises webob.exc.HTTPNotFound: no route has this path.
        """
        parts = _strip_slash(list(args))
        if not parts:
            return self.versions, []
        if parts[0] != API_VERSION:
            _not_found()
        if len(parts) == 1:
            return self.v2_home.home, []
        if len(parts) in (3, 4) and parts[1] and parts[2] == 'actions':
            project_id = parts[1]
            if len(parts) == 3:
                return actions.ActionsController(project_id).collection, []
            if parts[3]:
                return actions.ActionController(project_id,
                                                parts[3]).item, []
        _not_found()
