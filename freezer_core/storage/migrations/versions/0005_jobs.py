"""The jobs table, its action references and its search index (spec
``jobs.md``).

``jobs`` holds one row per job (the document as JSON, plus the columns
the scheduler's poll is answered from: ``client_id``, ``status``);
``job_actions`` holds its ordered references to ``actions`` rows. See
:class:`freezer_core.storage.models.Job` and ``JobAction``.

Revision ID: 0005_jobs
Revises: 0004_clients
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

from freezer_core.storage import models
from freezer_core.storage.migrations import search_tables

revision = '0005_jobs'
down_revision = '0004_clients'
branch_labels = None
depends_on = None

_TABLE_ARGS = {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'}


def upgrade():
    """Create the jobs table, its indexes and its search index."""
    op.create_table(
        'jobs',
        sa.Column('id', models.BigId, primary_key=True, autoincrement=True),
        sa.Column('job_id', models.ExactString(models.JOB_ID_LENGTH),
                  nullable=False),
        sa.Column('project_id', models.ExactString(models.ID_LENGTH),
                  nullable=False),
        sa.Column('user_id', models.ExactString(models.ID_LENGTH),
                  nullable=False),
        sa.Column('client_id', models.ExactString(models.CLIENT_ID_LENGTH),
                  nullable=False),
        sa.Column('session_id', models.ExactString(models.JOB_ID_LENGTH),
                  nullable=False),
        sa.Column('status', models.ExactString(models.JOB_STATUS_LENGTH),
                  nullable=False),
        sa.Column('document', models.LongText, nullable=False),
        sa.Column('version', sa.Integer, nullable=False),
        sa.Column('created_at', models.Timestamp, nullable=False),
        sa.Column('updated_at', models.Timestamp, nullable=False),
        sa.UniqueConstraint('job_id', name='uniq_jobs0job_id'),
        **_TABLE_ARGS)
    op.create_index('ix_jobs_project_order', 'jobs',
                    ['project_id', 'created_at', 'job_id'])
    op.create_index('ix_jobs_project_client', 'jobs',
                    ['project_id', 'client_id'])
    op.create_index('ix_jobs_status', 'jobs', ['status'])
    op.create_table(
        'job_actions',
        sa.Column('job_pk', models.BigId,
                  sa.ForeignKey('jobs.id', ondelete='CASCADE'),
                  primary_key=True),
        sa.Column('position', sa.Integer, primary_key=True,
                  autoincrement=False),
        sa.Column('action_pk', models.BigId,
                  sa.ForeignKey('actions.id', ondelete='CASCADE'),
                  nullable=False),
        **_TABLE_ARGS)
    op.create_index('ix_job_actions_action', 'job_actions', ['action_pk'])
    search_tables.create('job', 'jobs', batched=False)
