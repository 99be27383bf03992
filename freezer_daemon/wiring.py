"""The composition root: the database, the repositories, the application.

The daemon's workers (:mod:`freezer_daemon.cmd.api`) and the WSGI entry
point (:mod:`freezer_daemon.wsgi`) build the application here, after
fork, so that no database connection is shared across processes.
"""

from api import deploy
from freezer_core import limits
from freezer_core import storage
from freezer_core.storage import database as database_mod
from freezer_daemon import trusts


def engine_options(conf):
    """The ``[database]`` options handed to oslo.db's engine facade.

    :param conf: parsed ConfigOpts with the ``[database]`` group.
    :returns: dict of the options that are set (None ones left out).
    """
    db = conf.database
    options = {
        'max_pool_size': db.max_pool_size,
        'max_overflow': db.max_overflow,
        'pool_timeout': db.pool_timeout,
        'connection_recycle_time': db.connection_recycle_time,
        'sqlite_synchronous': db.sqlite_synchronous,
        'mysql_sql_mode': db.mysql_sql_mode,
        'max_retries': db.max_retries,
        'retry_interval': db.retry_interval,
    }
    return {k: v for k, v in options.items() if v is not None}


def repositories(conf):
    """Open the database of ``[database] connection`` and its repositories.

    :param conf: parsed ConfigOpts.
    :returns: :class:`freezer_core.storage.Repositories` (connections are
        opened lazily, on the first request), holding ``[api]
        max_document_terms`` (read once: a SIGHUP restarts the workers,
        which build them again).
    """
    database = database_mod.Database(
        conf.database.connection, engine_options=engine_options(conf))
    return storage.Repositories(
        database, max_document_terms=(conf.api.max_document_terms
                                      or limits.NO_LIMIT))


def build_app(conf):
    """Build the WSGI application on the configured database.

    :param conf: parsed ConfigOpts.
    :returns: the WSGI application of :func:`api.deploy.build_app`,
        with the Keystone trust broker of job writes (spec ``jobs.md``,
        "Trusts"; it answers ``needed`` False in noauth or when
        ``[centralized_scheduler] enabled`` is false).
    """
    return deploy.build_app(conf, repositories(conf),
                            trusts.TrustBroker(conf))
