"""A second resource that exists only in the tests: widgets.

It proves that the storage framework is generic: a resource is a table,
a :class:`freezer_core.storage.models.SearchIndex` from the table factory,
a :class:`freezer_core.storage.repository.Repository` subclass holding the
row mapping, and a migration calling
:func:`freezer_core.storage.migrations.search_tables.create`. Its tables
live in their own MetaData and are created by :func:`create_schema` in a
test's database, never by the real migration chain.

A widget document is ``{"body": <any JSON object>}``; search looks at
``widget_id``, ``project_id``, ``user_id`` and ``body`` (any depth).
"""

import json
import uuid

from alembic import migration as alembic_migration
from alembic import operations
import sqlalchemy as sa

from freezer_core import jsondoc
from freezer_core.storage import models
from freezer_core.storage.migrations import search_tables
from freezer_core.storage import repository

METADATA = sa.MetaData()
WIDGETS = sa.Table(
    'widgets', METADATA,
    sa.Column('id', models.BigId, primary_key=True, autoincrement=True),
    sa.Column('widget_id', models.ExactString(64), nullable=False),
    sa.Column('project_id', models.ExactString(models.ID_LENGTH),
              nullable=False),
    sa.Column('user_id', models.ExactString(models.ID_LENGTH),
              nullable=False),
    sa.Column('body', models.LongText, nullable=False),
    sa.Column('version', sa.Integer, nullable=False),
    sa.Column('created_at', models.Timestamp, nullable=False),
    sa.Column('updated_at', models.Timestamp, nullable=False),
    sa.UniqueConstraint('widget_id', name='uniq_widgets0widget_id'),
    sa.Index('ix_widgets_project_order', 'project_id', 'created_at',
             'widget_id'),
    mysql_charset='utf8mb4', mysql_engine='InnoDB')
INDEX = models.search_index(WIDGETS, 'widget', metadata=METADATA)


def create_schema(url):
    """Create the widget tables in a migrated database, as a resource's
    migration would (the document table, then its search index).

    :param url: str, SQLAlchemy URL of a database at head.
    """
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            context = alembic_migration.MigrationContext.configure(
                connection)
            with operations.Operations.context(context) as op:
                op.create_table(
                    'widgets', *[column.copy() for column in WIDGETS.c],
                    sa.UniqueConstraint('widget_id',
                                        name='uniq_widgets0widget_id'),
                    mysql_charset='utf8mb4', mysql_engine='InnoDB')
                op.create_index('ix_widgets_project_order', 'widgets',
                                ['project_id', 'created_at', 'widget_id'])
                search_tables.create('widget', 'widgets')
    finally:
        engine.dispose()


def drop_schema(url):
    """Drop the widget tables (the server engines' database is shared).

    :param url: str, SQLAlchemy URL.
    """
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            METADATA.drop_all(connection)
            if connection.dialect.name == 'sqlite':
                connection.exec_driver_sql(
                    'DROP TABLE IF EXISTS widget_texts_fts')
    finally:
        engine.dispose()


def search_view(record):
    """What search looks at in a widget record."""
    return {key: record[key]
            for key in ('widget_id', 'project_id', 'user_id', 'body')}


class WidgetRepository(repository.Repository):
    """The widgets' row mapping; everything else is generic."""

    index = INDEX
    id_name = 'widget_id'
    noun = 'Widget'

    def content_columns(self, document):
        """The ``body`` column: the JSON text of the body."""
        return {'body': jsondoc.dumps(document['body'])}

    def content(self, row):
        """``{"body": dict}``."""
        return {'body': json.loads(row.body)}

    def search_view(self, record):
        """:func:`search_view`."""
        return search_view(record)

    def client_document(self, record):
        """``{"body": ...}``."""
        return {'body': record['body']}

    def new_id(self):
        """A uuid4 in hex."""
        return uuid.uuid4().hex
