"""Policy defaults for the jobs resource.

Rule names are upstream freezer-api's (there is no ``jobs:replace``: the
item POST is guarded by :data:`CREATE`, spec ``jobs.md`` "Routes"), plus
:data:`GET_ALL_PROJECTS` for ``?all_projects=true`` and for seeing the
``current_pid`` of jobs run by another project's central client. The
defaults are those of the "Project access" section of ``spec/jobs.md``.
"""

from policies import base

GET_ALL = 'jobs:get_all'
GET_ALL_PROJECTS = 'jobs:get_all_projects'
GET = 'jobs:get'
CREATE = 'jobs:create'
UPDATE = 'jobs:update'
DELETE = 'jobs:delete'
EVENT_CREATE = 'jobs:event:create'

COLLECTION_PATH = '/v2/{project_id}/jobs'
ITEM_PATH = '/v2/{project_id}/jobs/{job_id}'
EVENT_PATH = '/v2/{project_id}/jobs/{job_id}/event'

rules = [
    base.rule(GET_ALL, base.ADMIN_OR_SERVICE_OR_PROJECT_READER_OR_MEMBER,
              'List and search the jobs of a project.',
              base.reading(COLLECTION_PATH)),
    base.rule(GET_ALL_PROJECTS, base.ADMIN_OR_SERVICE,
              'List the jobs of every project (all_projects=true), and see '
              'the process ids of jobs run by central clients.',
              base.reading(COLLECTION_PATH)),
    base.rule(CREATE, base.ADMIN_OR_PROJECT_MEMBER,
              'Create a job in a project, or replace it through its item '
              'URL.', [('POST', COLLECTION_PATH), ('POST', ITEM_PATH)]),
    base.rule(GET, base.ADMIN_OR_SERVICE_OR_PROJECT_READER_OR_MEMBER,
              'Show one job of a project.', base.reading(ITEM_PATH)),
    base.rule(UPDATE, base.ADMIN_OR_PROJECT_MEMBER,
              'Merge changes into a job of a project (users and '
              'schedulers).', [('PATCH', ITEM_PATH)]),
    base.rule(DELETE, base.ADMIN_OR_PROJECT_MEMBER,
              'Delete a job of a project.', [('DELETE', ITEM_PATH)]),
    base.rule(EVENT_CREATE, base.ADMIN_OR_PROJECT_MEMBER,
              'Start, stop or abort a job of a project.',
              [('POST', EVENT_PATH)]),
]


def list_rules():
    """Return the policy defaults of the jobs resource.

    :returns: list of :class:`oslo_policy.policy.DocumentedRuleDefault`,
        one per rule constant of this module.
    """
    return rules
