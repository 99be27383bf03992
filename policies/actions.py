"""Policy defaults for the actions resource.

Rule names are the ones freezer-api has always used, so operators'
existing ``policy.yaml`` overrides keep applying; the defaults are those of
the "Project access" section of the wire contract (``spec/actions.md``).
"""

from oslo_policy import policy

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
    policy.DocumentedRuleDefault(
        name=GET_ALL,
        check_str=base.ADMIN_OR_SERVICE_OR_PROJECT_READER_OR_MEMBER,
        description='List and search the actions of a project.',
        operations=[{'method': 'GET', 'path': COLLECTION_PATH},
                    {'method': 'HEAD', 'path': COLLECTION_PATH}],
        scope_types=base.PROJECT_SCOPE),
    policy.DocumentedRuleDefault(
        name=CREATE,
        check_str=base.ADMIN_OR_PROJECT_MEMBER,
        description='Create an action in a project, with a generated id.',
        operations=[{'method': 'POST', 'path': COLLECTION_PATH}],
        scope_types=base.PROJECT_SCOPE),
    policy.DocumentedRuleDefault(
        name=GET,
        check_str=base.ADMIN_OR_SERVICE_OR_PROJECT_READER_OR_MEMBER,
        description='Show one action of a project.',
        operations=[{'method': 'GET', 'path': ITEM_PATH},
                    {'method': 'HEAD', 'path': ITEM_PATH}],
        scope_types=base.PROJECT_SCOPE),
    policy.DocumentedRuleDefault(
        name=UPDATE,
        check_str=base.ADMIN_OR_PROJECT_MEMBER,
        description='Merge changes into an action of a project.',
        operations=[{'method': 'PATCH', 'path': ITEM_PATH}],
        scope_types=base.PROJECT_SCOPE),
    policy.DocumentedRuleDefault(
        name=REPLACE,
        check_str=base.ADMIN_OR_PROJECT_MEMBER,
        description='Replace an action of a project, or create it with the '
                    'id given in the URL.',
        operations=[{'method': 'POST', 'path': ITEM_PATH}],
        scope_types=base.PROJECT_SCOPE),
    policy.DocumentedRuleDefault(
        name=DELETE,
        check_str=base.ADMIN_OR_PROJECT_MEMBER,
        description='Delete an action of a project.',
        operations=[{'method': 'DELETE', 'path': ITEM_PATH}],
        scope_types=base.PROJECT_SCOPE),
]


def list_rules():
    """Return the policy defaults of the actions resource.

    :returns: list of :class:`oslo_policy.policy.DocumentedRuleDefault`,
        one per rule constant of this module.
    """
    return rules
