"""Schema migrations: run the alembic chain in ``migrations/``.

``freezer-manage db sync`` calls :func:`upgrade`; the daemon calls
:func:`is_current` at start and refuses to serve an older schema.
"""

import os
import re

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script
import sqlalchemy as sa

_HERE = os.path.dirname(os.path.abspath(__file__))
MIGRATIONS_DIR = os.path.join(_HERE, 'migrations')


#: Tables that only migrations create (never the models): SQLite's FTS5
#: table over each resource's ``<stem>_texts`` (``action_texts_fts``,
#: migration 0002; :mod:`.migrations.search_tables`) and its shadow
#: tables (``action_texts_fts_data``, ...).
ENGINE_ONLY_TABLE = re.compile(r'^[a-z]+_texts_fts(_[a-z]+)?$')
#: Indexes that only migrations create: PostgreSQL's pg_trgm index of
#: each resource's texts (``ix_action_texts_trgm``).
ENGINE_ONLY_INDEX = re.compile(r'^ix_[a-z]+_texts_trgm$')


def include_object(obj, name, type_, reflected, compare_to):
    """Tell alembic's comparison which schema objects the models hold.

    The engine-specific search structures of migration 0002 exist only in
    the database, so a models-versus-database comparison
    (``alembic.autogenerate.compare_metadata``) leaves them out; anything
    else is compared.

    :param obj: the schema item (unused).
    :param name: str, its name.
    :param type_: ``'table'``, ``'index'``, ``'column'``, ...
    :param reflected: bool (unused).
    :param compare_to: the other side's item or None (unused).
    :returns: bool, False for the engine-only structures.
    """
    if type_ == 'table' and ENGINE_ONLY_TABLE.match(name):
        return False
    if type_ == 'index' and ENGINE_ONLY_INDEX.match(name):
        return False
    return True


def _config(url):
    cfg = alembic_config.Config()
    cfg.set_main_option('script_location', MIGRATIONS_DIR)
    # Passed as an attribute, not an ini option: a URL may contain '%',
    # which alembic's ini interpolation would mangle.
    cfg.attributes['url'] = url
    return cfg


def _ensure_sqlite_dir(url):
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == 'sqlite' and parsed.database not in (
            None, '', ':memory:'):
        directory = os.path.dirname(os.path.abspath(parsed.database))
        os.makedirs(directory, exist_ok=True)


def upgrade(url, revision='head'):
    """Upgrade the database schema (idempotent).

    :param url: SQLAlchemy database URL, as ``[database] connection``. For
        SQLite, the file's directory is created when missing.
    :param revision: alembic revision to reach; ``'head'`` is the newest.
    :returns: None
    :raises sqlalchemy.exc.SQLAlchemyError: the database cannot be reached
        or a migration fails.
    """
    _ensure_sqlite_dir(url)
    command.upgrade(_config(url), revision)


def head():
    """Return the newest revision of the migration chain.

    :returns: str, an alembic revision id.
    """
    scripts = alembic_script.ScriptDirectory.from_config(_config(''))
    return scripts.get_current_head()


def current(url):
    """Return the database's current schema revision.

    :param url: SQLAlchemy database URL.
    :returns: str revision id, or None for a database never migrated (or,
        for SQLite, a file that does not exist yet).
    :raises sqlalchemy.exc.SQLAlchemyError: the database cannot be reached.
    """
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == 'sqlite' and parsed.database not in (
            None, '', ':memory:') and not os.path.exists(parsed.database):
        return None
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            context = alembic_migration.MigrationContext.configure(
                connection)
            return context.get_current_revision()
    finally:
        engine.dispose()


def is_current(url):
    """Tell whether the schema is at the newest revision.

    :param url: SQLAlchemy database URL.
    :returns: bool.
    :raises sqlalchemy.exc.SQLAlchemyError: the database cannot be reached.
    """
    return current(url) == head()
