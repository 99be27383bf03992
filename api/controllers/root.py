"""The root of the controller tree: routing from the registry.

Every path is looked up in :data:`api.routes.ROUTES`; anything else is
404. Routing is explicit, not by attribute lookup, so no path segment
(``index``, ``_lookup``, ``actions.json``) can reach an unintended method.
"""

import webob.exc

from api.controllers import base
from api import routes


class RootController(object):
    """``/`` and everything below it, through :func:`api.routes.match`."""

    def endpoint(self, path):
        """Map a request path to the endpoint of one route.

        :param path: str, the request's ``PATH_INFO`` (percent-decoded,
            starting with ``/``); empty segments (a trailing slash, ``//``)
            are ignored.
        :returns: the bound :meth:`api.controllers.base.Endpoint.dispatch`
            of the matched route.
        :raises webob.exc.HTTPNotFound: no route has this path.
        """
        found = routes.match([part for part in path.split('/') if part])
        if found is None:
            raise webob.exc.HTTPNotFound()
        route, variables = found
        return base.Endpoint(route, variables).dispatch
