"""The sessions table and its search index (spec ``sessions.md``).

``sessions`` holds one row per session, its document (client document,
run state and ``jobs`` map) as JSON; see
:class:`freezer_core.storage.models.Session`.

Revision ID: 0006_sessions
Revises: 0005_jobs
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

from freezer_core.storage import models
from freezer_core.storage.migrations import search_tables

revision = '0006_sessions'
down_revision = '0005_jobs'
branch_labels = None
depends_on = None

_TABLE_ARGS = {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'}


def upgrade():
    """Create the sessions table, its indexes and its search index."""
    op.create_table(
        'sessions',
        sa.Column('id', models.BigId, primary_key=True, autoincrement=True),
        sa.Column('session_id', models.ExactString(models.SESSION_ID_LENGTH),
                  nullable=False),
        sa.Column('project_id', models.ExactString(models.ID_LENGTH),
                  nullable=False),
        sa.Column('user_id', models.ExactString(models.ID_LENGTH),
                  nullable=False),
        sa.Column('document', models.LongText, nullable=False),
        sa.Column('version', sa.Integer, nullable=False),
        sa.Column('created_at', models.Timestamp, nullable=False),
        sa.Column('updated_at', models.Timestamp, nullable=False),
        sa.UniqueConstraint('session_id', name='uniq_sessions0session_id'),
        **_TABLE_ARGS)
    op.create_index('ix_sessions_project_order', 'sessions',
                    ['project_id', 'created_at', 'session_id'])
    search_tables.create('session', 'sessions', batched=False)
