"""The clients table and its search index (spec ``clients.md``).

Revision ID: 0004_clients
Revises: 0003_exact_strings
Create Date: 2026-12-01
"""

revision = '0004_clients'
down_revision = '0003_exact_strings'
branch_labels = None
depends_on = None


def upgrade():
    """Create the clients table, its indexes and its search index."""

