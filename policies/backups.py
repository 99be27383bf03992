"""Policy defaults for the backups resource (the agent's records).

The defaults are those of the "Project access" section of
``spec/backups.md``. Writes include ``service``: a central scheduler files
its agents' metadata in the job's project with its service account.
"""

from policies import base

GET_ALL = 'backups:get_all'
GET = 'backups:get'
CREATE = 'backups:create'
UPDATE = 'backups:update'
DELETE = 'backups:delete'

COLLECTION_PATH = '/v2/{project_id}/backups'
ITEM_PATH = '/v2/{project_id}/backups/{backup_id}'

rules = [
    base.rule(GET_ALL, base.ADMIN_OR_SERVICE_OR_PROJECT_READER_OR_MEMBER,
              'List and search the backup records of a project.',
              base.reading(COLLECTION_PATH)),
    base.rule(CREATE, base.ADMIN_OR_SERVICE_OR_PROJECT_MEMBER,
              'Record the metadata of a backup in a project.',
              [('POST', COLLECTION_PATH)]),
    base.rule(GET, base.ADMIN_OR_SERVICE_OR_PROJECT_READER_OR_MEMBER,
              'Show one backup record of a project.',
              base.reading(ITEM_PATH)),
    base.rule(UPDATE, base.ADMIN_OR_SERVICE_OR_PROJECT_MEMBER,
              'Change the status or metadata of a backup record.',
              [('PATCH', ITEM_PATH)]),
    base.rule(DELETE, base.ADMIN_OR_SERVICE_OR_PROJECT_MEMBER,
              'Delete a backup record (the stored backup data stays).',
              [('DELETE', ITEM_PATH)]),
]


def list_rules():
    """Return the policy defaults of the backups resource.

    :returns: list of :class:`oslo_policy.policy.DocumentedRuleDefault`,
        one per rule constant of this module.
    """
    return rules
