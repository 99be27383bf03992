"""The secure-RBAC matrix with real Keystone tokens.

Every cell of the persona tables in ``tests/functional/api/policy_matrix/``
again, each persona being its ``keystone_user`` with a real
project-scoped token validated by keystonemiddleware. URL project A is
Keystone project ``demo``, project B is ``alt_demo``.
"""

from tests.functional.api import policy_matrix
from tests.functional.keystone import base


@policy_matrix.add_matrix_tests
class TestPolicyMatrixKeystone(policy_matrix.MatrixMixin,
                               base.KeystoneTestCase):
    """Every route for every persona, identity from Keystone tokens."""

    @property
    def project_a(self):
        return self.project_id('demo')

    @property
    def project_b(self):
        return self.project_id('alt_demo')

    def caller(self, persona):
        user = policy_matrix.PERSONAS[persona]['keystone_user']
        return {'headers': {'X-Auth-Token': self.token(user)}}

    def admin_caller(self):
        return self.caller('admin')

    def user_id_of(self, persona):
        user = policy_matrix.PERSONAS[persona]['keystone_user']
        return self.facts['users'][user]['id']
