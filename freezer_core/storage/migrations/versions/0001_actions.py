"""Create the actions table and its search index tables.

Revision ID: 0001_actions
Revises:
Create Date: 2026-11-29
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0001_actions'
down_revision = None
branch_labels = None
depends_on = None

_TABLE_ARGS = {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'}


def upgrade():
    """Create ``actions``, ``action_terms`` and ``action_texts``."""
    timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql')
    big_id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
    long_text = sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql')
    op.create_table(
        'actions',
        sa.Column('id', big_id, primary_key=True, autoincrement=True),
        sa.Column('action_id', sa.String(64), nullable=False),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('user_id', sa.String(255), nullable=False),
        sa.Column('freezer_action', long_text, nullable=False),
        sa.Column('max_retries', sa.Integer, nullable=False),
        sa.Column('max_retries_interval', sa.Integer, nullable=False),
        sa.Column('mandatory', sa.Boolean, nullable=False),
        sa.Column('version', sa.Integer, nullable=False),
        sa.Column('created_at', timestamp, nullable=False),
        sa.Column('updated_at', timestamp, nullable=False),
        sa.UniqueConstraint('action_id', name='uniq_actions0action_id'),
        **_TABLE_ARGS)
    op.create_index('ix_actions_project_order', 'actions',
                    ['project_id', 'created_at', 'action_id'])
    op.create_table(
        'action_terms',
        sa.Column('id', big_id, primary_key=True, autoincrement=True),
        sa.Column('action_pk', big_id,
                  sa.ForeignKey('actions.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('name', sa.String(130), nullable=False),
        sa.Column('value', sa.String(130), nullable=False),
        **_TABLE_ARGS)
    op.create_index('ix_action_terms_lookup', 'action_terms',
                    ['project_id', 'name', 'value', 'action_pk'])
    op.create_index('ix_action_terms_action', 'action_terms', ['action_pk'])
    op.create_table(
        'action_texts',
        sa.Column('id', big_id, primary_key=True, autoincrement=True),
        sa.Column('action_pk', big_id,
                  sa.ForeignKey('actions.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('text', long_text, nullable=False),
        **_TABLE_ARGS)
    op.create_index('ix_action_texts_action', 'action_texts', ['action_pk'])
    op.create_index('ix_action_texts_project', 'action_texts',
                    ['project_id'])
