"""Alembic environment of the Freezer API schema.

The URL comes from ``config.attributes['url']`` (set by
:mod:`freezer_core.storage.migration`), never from an ini file.
"""

from alembic import context
import sqlalchemy as sa

from freezer_core.storage import models


def _include_object(obj, name, type_, reflected, compare_to):
    """Leave the engine-specific search structures out of comparisons.

    The FTS5 table (and its shadow tables) and the pg_trgm index exist
    only in migrations, not in the models.
    """
    if type_ == 'table' and name.startswith('action_texts_fts'):
        return False
    if type_ == 'index' and name == 'ix_action_texts_trgm':
        return False
    return True


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
                          include_object=_include_object,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


_run()
