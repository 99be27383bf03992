"""Alembic environment of the Freezer API schema.

The URL comes from ``config.attributes['url']`` (set by
:mod:`freezer_core.storage.migration`), never from an ini file.
"""

from alembic import context
import sqlalchemy as sa

from freezer_core.storage import migration
from freezer_core.storage import models


def _run():
    url = context.config.attributes['url']
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        if connection.dialect.name == 'sqlite':
            # WAL lets readers run while a writer commits (several API
            # workers on one file); the mode is stored in the file.
            connection.exec_driver_sql('PRAGMA journal_mode=WAL')
            # SQLAlchemy began a transaction for the PRAGMA; end it so
            # that alembic's own transaction is the one that commits.
            connection.commit()
        context.configure(connection=connection,
                          target_metadata=models.Base.metadata,
                          include_object=migration.include_object,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


_run()
