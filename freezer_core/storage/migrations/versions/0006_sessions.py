"""The sessions table and its search index (spec ``sessions.md``).

Revision ID: 0006_sessions
Revises: 0005_jobs
Create Date: 2026-12-01
"""

revision = '0006_sessions'
down_revision = '0005_jobs'
branch_labels = None
depends_on = None


def upgrade():
    """Create the sessions table, its indexes and its search index."""

