"""The backups table and its search index (spec ``backups.md``).

``backups`` holds one row per backup record; see
:class:`freezer_core.storage.models.Backup` for its indexed columns
(``status``, ``job_id``, ``time_stamp``).

Revision ID: 0007_backups
Revises: 0006_sessions
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

from freezer_core.storage import models
from freezer_core.storage.migrations import search_tables

revision = '0007_backups'
down_revision = '0006_sessions'
branch_labels = None
depends_on = None

_TABLE_ARGS = {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'}


def upgrade():
    """Create the backups table, its indexes and its search index."""
    op.create_table(
        'backups',
        sa.Column('id', models.BigId, primary_key=True, autoincrement=True),
        sa.Column('backup_id', models.ExactString(models.BACKUP_ID_LENGTH),
                  nullable=False),
        sa.Column('project_id', models.ExactString(models.ID_LENGTH),
                  nullable=False),
        sa.Column('user_id', models.ExactString(models.ID_LENGTH),
                  nullable=False),
        sa.Column('status',
                  models.ExactString(models.BACKUP_STATUS_LENGTH),
                  nullable=False),
        sa.Column('job_id', models.ExactString(models.BACKUP_JOB_ID_LENGTH),
                  nullable=True),
        sa.Column('time_stamp', sa.BigInteger, nullable=True),
        sa.Column('backup_metadata', models.LongText, nullable=False),
        sa.Column('version', sa.Integer, nullable=False),
        sa.Column('created_at', models.Timestamp, nullable=False),
        sa.Column('updated_at', models.Timestamp, nullable=False),
        sa.UniqueConstraint('backup_id', name='uniq_backups0backup_id'),
        **_TABLE_ARGS)
    op.create_index('ix_backups_project_order', 'backups',
                    ['project_id', 'created_at', 'backup_id'])
    op.create_index('ix_backups_project_time', 'backups',
                    ['project_id', 'time_stamp'])
    op.create_index('ix_backups_project_job', 'backups',
                    ['project_id', 'job_id'])
    search_tables.create('backup', 'backups', batched=False)
