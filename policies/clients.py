"""Policy defaults for the clients resource (registered schedulers).

The defaults are those of the "Project access" section of
``spec/clients.md``. Registration is checked in two steps (spec, "Routes"):
before the body is read the caller must pass :data:`CREATE` or
:data:`CREATE_CENTRAL`; once the body is parsed, ``is_central: true``
needs :data:`CREATE_CENTRAL` and anything else :data:`CREATE`. So a
scheduler account holding only ``service`` registers a central client,
and a member cannot.
"""

from policies import base

GET_ALL = 'clients:get_all'
GET = 'clients:get'
CREATE = 'clients:create'
CREATE_CENTRAL = 'clients:create_central'
DELETE = 'clients:delete'

COLLECTION_PATH = '/v2/{project_id}/clients'
ITEM_PATH = '/v2/{project_id}/clients/{client_id}'

rules = [
    base.rule(GET_ALL, base.ADMIN_OR_SERVICE_OR_PROJECT_READER_OR_MEMBER,
              "List and search a project's clients and every central "
              'client.', base.reading(COLLECTION_PATH)),
    base.rule(CREATE, base.ADMIN_OR_PROJECT_MEMBER,
              'Register (or register again) a client of a project that is '
              'not central.', [('POST', COLLECTION_PATH)]),
    base.rule(CREATE_CENTRAL, base.ADMIN_OR_SERVICE,
              'Register (or register again) a central client, visible to '
              'every project.', [('POST', COLLECTION_PATH)]),
    base.rule(GET, base.ADMIN_OR_SERVICE_OR_PROJECT_READER_OR_MEMBER,
              'Show a client of a project, or a central client.',
              base.reading(ITEM_PATH)),
    base.rule(DELETE, base.ADMIN_OR_PROJECT_MEMBER,
              'Delete a client registered by a project.',
              [('DELETE', ITEM_PATH)]),
]


def list_rules():
    """Return the policy defaults of the clients resource.

    :returns: list of :class:`oslo_policy.policy.DocumentedRuleDefault`,
        one per rule constant of this module.
    """
    return rules
