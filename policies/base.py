"""Personas shared by every resource's policy defaults.

Each persona is an oslo.policy check string, defined once here so that the
per-resource modules compose them instead of spelling out role checks. The
personas follow the "Project access" section of the wire contract
(``spec/actions.md``): an admin reaches every project, a service account
may read every project, and members and readers act only inside the
project named in the URL. ``%(project_id)s`` is filled from the policy
target, which the API builds from the URL, never from the request body.
"""

ADMIN = 'role:admin'
SERVICE = 'role:service'
PROJECT_MEMBER = 'role:member and project_id:%(project_id)s'
PROJECT_READER = 'role:reader and project_id:%(project_id)s'

# Composites used by the resource modules. Parentheses keep each persona's
# "and" bound to its own role when the personas are joined with "or".
ADMIN_OR_PROJECT_MEMBER = f'({ADMIN}) or ({PROJECT_MEMBER})'
ADMIN_OR_SERVICE_OR_PROJECT_READER_OR_MEMBER = (
    f'({ADMIN}) or ({SERVICE}) or ({PROJECT_MEMBER}) or ({PROJECT_READER})')

# Every rule of this service acts on data owned by a project, so only
# project-scoped tokens may use it (system- and domain-scoped tokens are
# refused by oslo.policy before the check string is evaluated).
PROJECT_SCOPE = ['project']
