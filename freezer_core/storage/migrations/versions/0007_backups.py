"""The backups table and its search index (spec ``backups.md``).

Revision ID: 0007_backups
Revises: 0006_sessions
Create Date: 2026-12-01
"""

revision = '0007_backups'
down_revision = '0006_sessions'
branch_labels = None
depends_on = None


def upgrade():
    """Create the backups table, its indexes and its search index."""

