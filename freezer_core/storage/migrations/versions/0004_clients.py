"""The clients table and its search index (spec ``clients.md``).

``clients`` holds one row per registration: the client part as JSON,
plus the columns the identity rules and the lists are answered from
(``client_id``, ``scope``, ``uuid``, ``is_central``); ``client_ids``
holds one row per registered id, locked by its registrations. See
:class:`freezer_core.storage.models.Client` and ``ClientId``.

Revision ID: 0004_clients
Revises: 0003_exact_strings
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

from freezer_core.storage import models
from freezer_core.storage.migrations import search_tables

revision = '0004_clients'
down_revision = '0003_exact_strings'
branch_labels = None
depends_on = None

_TABLE_ARGS = {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'}


def upgrade():
    """Create the clients table, its indexes and its search index."""
    op.create_table(
        'clients',
        sa.Column('id', models.BigId, primary_key=True, autoincrement=True),
        sa.Column('client_id', models.ExactString(models.CLIENT_ID_LENGTH),
                  nullable=False),
        sa.Column('project_id', models.ExactString(models.ID_LENGTH),
                  nullable=False),
        sa.Column('scope', models.ExactString(models.ID_LENGTH),
                  nullable=False),
        sa.Column('user_id', models.ExactString(models.ID_LENGTH),
                  nullable=False),
        sa.Column('uuid', models.ExactString(models.CLIENT_UUID_LENGTH),
                  nullable=False),
        sa.Column('is_central', sa.Boolean, nullable=False),
        sa.Column('client', models.LongText, nullable=False),
        sa.Column('version', sa.Integer, nullable=False),
        sa.Column('created_at', models.Timestamp, nullable=False),
        sa.Column('updated_at', models.Timestamp, nullable=False),
        sa.UniqueConstraint('project_id', 'client_id',
                            name='uniq_clients0project_id0client_id'),
        sa.UniqueConstraint('scope', 'client_id',
                            name='uniq_clients0scope0client_id'),
        sa.UniqueConstraint('uuid', name='uniq_clients0uuid'),
        **_TABLE_ARGS)
    op.create_index('ix_clients_scope_order', 'clients',
                    ['scope', 'created_at', 'client_id'])
    op.create_index('ix_clients_client_id', 'clients', ['client_id'])
    search_tables.create('client', 'clients', batched=False)
    op.create_table(
        'client_ids',
        sa.Column('client_id', models.ExactString(models.CLIENT_ID_LENGTH),
                  primary_key=True),
        **_TABLE_ARGS)
