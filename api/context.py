"""The request context (oslo.context) of each request.

With ``auth_strategy = keystone`` the identity comes from the headers that
keystonemiddleware's auth_token sets. With ``noauth`` (development and
tests) the caller is trusted (spec, "Identity"): the same headers are read
when sent, and when absent the project is the URL's, the user ``noauth``
and the roles ``member,reader``, so the unmodified clients, which send only
``X-Auth-Token``, work.
"""

import re

from oslo_context import context as oslo_context

from api import routes
from freezer_core import action_schema
from freezer_core import errors

NOAUTH_USER_ID = 'noauth'
NOAUTH_ROLES = ('member', 'reader')


#: Longest identity header value accepted in noauth mode (the user and
#: project columns hold 255 characters).
MAX_IDENTITY_LENGTH = action_schema.MAX_ID_LENGTH
_IDENTITY_HEADERS = (('HTTP_X_USER_ID', 'X-User-Id'),
                     ('HTTP_X_PROJECT_ID', 'X-Project-Id'),
                     ('HTTP_X_ROLES', 'X-Roles'))
_CONTROL = re.compile('[\x00-\x1f\x7f]')


def _check_identity_headers(environ):
    """Refuse identity headers no identity service would issue.

    In noauth mode the caller's headers become the stored ``user_id`` and
    the log's identity, so an over-long value (more than the column
    holds: a database error on some engines) or control characters (log
    line forging) are refused alike on every engine.

    :raises freezer_core.errors.ValidationError: naming the header.
    """
    for key, name in _IDENTITY_HEADERS:
        value = environ.get(key)
        if value is None:
            continue
        if len(value) > MAX_IDENTITY_LENGTH or _CONTROL.search(value):
            raise errors.ValidationError(
                'Header %s must be at most %d characters without control '
                'characters.' % (name, MAX_IDENTITY_LENGTH), name)


def from_environ(environ, auth_strategy):
    """Build the caller's context.

    :param environ: the WSGI environ (after auth_token, if any).
    :param auth_strategy: ``'keystone'`` or ``'noauth'``.
    :returns: :class:`oslo_context.context.RequestContext`.
    :raises freezer_core.errors.ValidationError: (noauth) an identity
        header that is too long or holds control characters.
    """
    if auth_strategy == 'noauth':
        _check_identity_headers(environ)
    context = oslo_context.RequestContext.from_environ(environ)
    if auth_strategy == 'noauth':
        if not environ.get('HTTP_X_PROJECT_ID'):
            context.project_id = routes.url_project_id(
                environ.get('PATH_INFO', ''))
        if not environ.get('HTTP_X_USER_ID'):
            context.user_id = NOAUTH_USER_ID
        # Presence, not truth: an empty ``X-Roles`` was sent and means
        # "no role" (spec: the headers are read "when sent"); treating it
        # as absent would hand such a caller member and reader.
        if 'HTTP_X_ROLES' not in environ:
            context.roles = list(NOAUTH_ROLES)
    return context
