"""Personas shared by every resource's policy defaults.

Each persona is an oslo.policy check string, defined once here so that the
per-resource modules compose them instead of spelling out role checks. The
personas follow the "Project access" section of the wire contract
(``spec/actions.md``): an admin reaches every project, a service account
may read every project, and members and readers act only inside the
project named in the URL. ``%(project_id)s`` is filled from the policy
target, which the API builds from the URL, never from the request body.
"""

from oslo_policy import policy

ADMIN = 'role:admin'
SERVICE = 'role:service'
PROJECT_MEMBER = 'role:member and project_id:%(project_id)s'
PROJECT_READER = 'role:reader and project_id:%(project_id)s'

# Composites used by the resource modules. Parentheses keep each persona's
# "and" bound to its own role when the personas are joined with "or".
ADMIN_OR_PROJECT_MEMBER = f'({ADMIN}) or ({PROJECT_MEMBER})'
ADMIN_OR_SERVICE_OR_PROJECT_READER_OR_MEMBER = (
    f'({ADMIN}) or ({SERVICE}) or ({PROJECT_MEMBER}) or ({PROJECT_READER})')
ADMIN_OR_SERVICE = f'({ADMIN}) or ({SERVICE})'
ADMIN_OR_SERVICE_OR_PROJECT_MEMBER = (
    f'({ADMIN}) or ({SERVICE}) or ({PROJECT_MEMBER})')

# Every rule of this service acts on data owned by a project, so only
# project-scoped tokens may use it (system- and domain-scoped tokens are
# refused by oslo.policy before the check string is evaluated).
PROJECT_SCOPE = ['project']


def rule(name, check_str, description, operations):
    """One project-scoped policy default.

    Every rule of the service has the same shape (STYLE.md, rule 3): a
    check string composed of the personas above, a description, the
    operations it guards and ``scope_types=['project']``.

    :param name: str, the rule name (e.g. ``'jobs:get_all'``).
    :param check_str: str, a persona or composite of this module.
    :param description: str, one sentence for the sample policy file.
    :param operations: iterable of ``(method, path)`` pairs, e.g.
        ``[('GET', '/v2/{project_id}/jobs')]``.
    :returns: :class:`oslo_policy.policy.DocumentedRuleDefault`.
    """
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=[{'method': method, 'path': path}
                    for method, path in operations],
        scope_types=PROJECT_SCOPE)


def reading(path):
    """The operations of a read route: GET and its HEAD mirror.

    :param path: str, the route's path template.
    :returns: list of ``(method, path)`` pairs.
    """
    return [('GET', path), ('HEAD', path)]
