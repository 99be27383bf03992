"""Policy defaults for the actions resource.

Rule names are the ones freezer-api has always used, so operators'
existing ``policy.yaml`` overrides keep applying; the defaults are those of
the "Project access" section of the wire contract (``spec/actions.md``).
"""

from policies import base

GET_ALL = 'actions:get_all'
GET = 'actions:get'
CREATE = 'actions:create'
UPDATE = 'actions:update'
REPLACE = 'actions:replace'
DELETE = 'actions:delete'

COLLECTION_PATH = '/v2/{project_id}/actions'
ITEM_PATH = '/v2/{project_id}/actions/{action_id}'

rules = [
    base.rule(GET_ALL, base.ADMIN_OR_SERVICE_OR_PROJECT_READER_OR_MEMBER,
              'List and search the actions of a project.',
              base.reading(COLLECTION_PATH)),
    base.rule(CREATE, base.ADMIN_OR_PROJECT_MEMBER,
              'Create an action in a project, with a generated id.',
              [('POST', COLLECTION_PATH)]),
    base.rule(GET, base.ADMIN_OR_SERVICE_OR_PROJECT_READER_OR_MEMBER,
              'Show one action of a project.', base.reading(ITEM_PATH)),
    base.rule(UPDATE, base.ADMIN_OR_PROJECT_MEMBER,
              'Merge changes into an action of a project.',
              [('PATCH', ITEM_PATH)]),
    base.rule(REPLACE, base.ADMIN_OR_PROJECT_MEMBER,
              'Replace an action of a project, or create it with the id '
              'given in the URL.', [('POST', ITEM_PATH)]),
    base.rule(DELETE, base.ADMIN_OR_PROJECT_MEMBER,
              'Delete an action of a project.', [('DELETE', ITEM_PATH)]),
]


def list_rules():
    """Return the policy defaults of the actions resource.

    :returns: list of :class:`oslo_policy.policy.DocumentedRuleDefault`,
        one per rule constant of this module.
    """
    return rules
