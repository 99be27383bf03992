"""The root of the controller tree: routing from the registry.

Every path is looked up in :data:`api.routes.ROUTES`; anything else is
404. Routing is explicit, not by attribute lookup, so no path segment
(``index``, ``_lookup``, ``actions.json``) can reach an unintended method.
"""

import pecan
import webob.exc

from api.controllers import base
from api import routes


class RootController(object):
    """``/`` and everything below it, through :func:`api.routes.match`."""

    @pecan.expose()
    def _route(self, args, request=None):
        """Map the path segments to the endpoint of one route.

        :param args: list of str, the path split on ``/`` (percent-decoded).
        :param request: the Pecan request.
        :returns: ``(endpoint method, [])``.
        :raises webob.exc.HTTPNotFound: no route has this path.
        """
        found = routes.match([part for part in args if part])
        if found is None:
            raise webob.exc.HTTPNotFound()
        route, variables = found
        return base.Endpoint(route, variables).dispatch, []
