"""Alembic environment of the Freezer API schema.

The URL comes from ``config.attributes['url']`` (set by
:mod:`freezer_core.storage.migration`), never from an ini file.
"""

from alembic import context
import sqlalchemy as sa

from freezer_core.storage import models


def _run():
    url = context.config.attributes['url']
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection,
                          target_metadata=models.Base.metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


_run()
