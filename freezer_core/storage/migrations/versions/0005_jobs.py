"""The jobs table and its search index (spec ``jobs.md``).

Revision ID: 0005_jobs
Revises: 0004_clients
Create Date: 2026-12-01
"""

revision = '0005_jobs'
down_revision = '0004_clients'
branch_labels = None
depends_on = None


def upgrade():
    """Create the jobs table, its indexes and its search index."""

