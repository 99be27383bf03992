"""Policy defaults for the sessions resource.

The defaults are those of the "Project access" section of
``spec/sessions.md``: readers read, members (and admins) write, run the
start/end protocol and change membership.
"""

from policies import base

GET_ALL = 'sessions:get_all'
GET = 'sessions:get'
CREATE = 'sessions:create'
UPDATE = 'sessions:update'
REPLACE = 'sessions:replace'
DELETE = 'sessions:delete'
ACTION_CREATE = 'sessions:action:create'
JOB_ADD = 'sessions:job:add'
JOB_REMOVE = 'sessions:job:remove'

COLLECTION_PATH = '/v2/{project_id}/sessions'
ITEM_PATH = '/v2/{project_id}/sessions/{session_id}'
ACTION_PATH = '/v2/{project_id}/sessions/{session_id}/action'
JOB_PATH = '/v2/{project_id}/sessions/{session_id}/jobs/{job_id}'

rules = [
    base.rule(GET_ALL, base.ADMIN_OR_SERVICE_OR_PROJECT_READER_OR_MEMBER,
              'List and search the sessions of a project.',
              base.reading(COLLECTION_PATH)),
    base.rule(CREATE, base.ADMIN_OR_PROJECT_MEMBER,
              'Create a session in a project, with a generated id.',
              [('POST', COLLECTION_PATH)]),
    base.rule(GET, base.ADMIN_OR_SERVICE_OR_PROJECT_READER_OR_MEMBER,
              'Show one session of a project.', base.reading(ITEM_PATH)),
    base.rule(UPDATE, base.ADMIN_OR_PROJECT_MEMBER,
              'Merge changes into a session of a project.',
              [('PATCH', ITEM_PATH)]),
    base.rule(REPLACE, base.ADMIN_OR_PROJECT_MEMBER,
              'Replace a session of a project, or create it with the id '
              'given in the URL.', [('POST', ITEM_PATH)]),
    base.rule(DELETE, base.ADMIN_OR_PROJECT_MEMBER,
              'Delete a session of a project, detaching its jobs.',
              [('DELETE', ITEM_PATH)]),
    base.rule(ACTION_CREATE, base.ADMIN_OR_PROJECT_MEMBER,
              'Start or end a run of a session (the scheduler protocol).',
              [('POST', ACTION_PATH)]),
    base.rule(JOB_ADD, base.ADMIN_OR_PROJECT_MEMBER,
              'Add a job of a project to one of its sessions.',
              [('PUT', JOB_PATH)]),
    base.rule(JOB_REMOVE, base.ADMIN_OR_PROJECT_MEMBER,
              'Remove a job from a session, stopping it.',
              [('DELETE', JOB_PATH)]),
]


def list_rules():
    """Return the policy defaults of the sessions resource.

    :returns: list of :class:`oslo_policy.policy.DocumentedRuleDefault`,
        one per rule constant of this module.
    """
    return rules
