"""The secure-RBAC matrix in ``noauth`` mode (identity from headers).

Runs every cell of the persona tables in ``policy_matrix/`` through the
whole in-process WSGI stack. In ``noauth`` mode the service trusts
``X-Project-Id``, ``X-Roles`` and ``X-User-Id`` (spec, "Identity"), which
is exactly what keystonemiddleware hands it after validating a token, so
these tests check the policy itself, fast; the Keystone runner
(``tests/functional/keystone/``) repeats them with real tokens.
"""

import testtools

from tests.functional.api import base
from tests.functional.api import policy_matrix

#: Project ids behind the caller symbols of the persona files.
PROJECTS = {
    policy_matrix.URL_PROJECT: 'project-a',
    policy_matrix.OTHER_PROJECT: 'project-b',
    'admin': 'admin-project',
    'service': 'service-project',
}


def headers_of(caller, user_id):
    """Identity headers of a persona's ``caller`` entry."""
    return {'X-Project-Id': PROJECTS[caller['project']],
            'X-Roles': ','.join(caller['roles']),
            'X-User-Id': user_id}


@policy_matrix.add_matrix_tests
class TestPolicyMatrixNoauth(policy_matrix.MatrixMixin, base.ApiTestCase):
    """Every route for every persona, identity from headers."""

    project_a = PROJECTS[policy_matrix.URL_PROJECT]
    project_b = PROJECTS[policy_matrix.OTHER_PROJECT]

    def caller(self, persona):
        table = policy_matrix.PERSONAS[persona]
        return {'headers': headers_of(table['caller'],
                                      self.user_id_of(persona))}

    def admin_caller(self):
        return self.caller('admin')

    def user_id_of(self, persona):
        return 'user-' + persona


class TestMatrixIsComplete(testtools.TestCase):
    """The tables cover every route, method and persona of the issue."""

    def test_every_persona_of_the_issue_has_a_table(self):
        self.assertEqual(
            {'admin', 'member', 'reader', 'service', 'no_role',
             'other_project_member'},
            set(policy_matrix.PERSONAS))

    def test_every_table_covers_every_operation(self):
        for persona, table in policy_matrix.PERSONAS.items():
            self.assertEqual(set(policy_matrix.OPERATIONS),
                             set(table['expect']), persona)
            self.assertTrue(table['description'], persona)
            self.assertTrue(table['keystone_user'], persona)

    def test_operations_cover_every_method_of_every_route(self):
        covered = {'collection': set(), 'item': set()}
        for method, target, _ in policy_matrix.OPERATIONS.values():
            route = 'collection' if target == 'collection' else 'item'
            covered[route].add(method)
        self.assertEqual({k: set(v) for k, v in
                          policy_matrix.ROUTE_METHODS.items()}, covered)
