"""A quick probe of the database, for the service's health check.

``/healthcheck`` (oslo.middleware) asks :class:`DatabaseProbe` whether the
database answers ``SELECT 1`` within a few seconds; a load balancer then
takes a daemon whose database is unreachable out of rotation, and puts it
back once the database answers again (no restart needed).
"""

import os

import sqlalchemy as sa

#: Seconds the probe may take to connect and answer.
DEFAULT_TIMEOUT = 3


def _connect_args(backend, timeout):
    """Driver arguments bounding the connect and the query by ``timeout``.

    :param backend: the URL's backend name.
    :param timeout: int seconds.
    :returns: dict for ``create_engine(connect_args=...)``.
    """
    if backend == 'postgresql':
        # libpq's connect_timeout, and a server-side bound on the query.
        return {'connect_timeout': timeout,
                'options': '-c statement_timeout=%d' % (timeout * 1000)}
    if backend == 'mysql':
        return {'connect_timeout': timeout, 'read_timeout': timeout,
                'write_timeout': timeout}
    if backend == 'sqlite':
        # Seconds to wait on a locked file.
        return {'timeout': timeout}
    return {}


class DatabaseProbe(object):
    """Tells whether the database answers.

    One pooled connection per process (opened lazily, so a probe made
    before the API workers fork never shares a socket with them), checked
    before each use; a failed probe drops it, so the next probe connects
    again.

    :param connection: SQLAlchemy database URL (``[database]
        connection``).
    :param timeout: int seconds for connecting and for the query.
    """

    def __init__(self, connection, timeout=DEFAULT_TIMEOUT):
        self._url = sa.engine.make_url(connection)
        self._timeout = timeout
        self._engine = None
        self._pid = None

    def _get_engine(self):
        if self._engine is None or self._pid != os.getpid():
            backend = self._url.get_backend_name()
            options = {'connect_args': _connect_args(backend,
                                                     self._timeout),
                       'pool_pre_ping': True}
            if backend != 'sqlite':
                options.update(pool_size=1, max_overflow=0,
                               pool_timeout=self._timeout)
            self._engine = sa.create_engine(self._url, **options)
            self._pid = os.getpid()
        return self._engine

    def check(self):
        """Run ``SELECT 1``.

        :returns: ``(available, reason)``: bool, and a short str naming
            neither the server nor the driver (the health check is
            unauthenticated).
        """
        if self._url.get_backend_name() == 'sqlite':
            path = self._url.database
            # SQLite would create a missing file; the daemon's database
            # must exist already.
            if path not in (None, '', ':memory:') and not os.path.exists(
                    path):
                return False, 'database unavailable'
        engine = self._get_engine()
        try:
            with engine.connect() as connection:
                connection.execute(sa.text('SELECT 1')).scalar()
        except sa.exc.SQLAlchemyError:
            engine.dispose()
            return False, 'database unavailable'
        return True, 'database available'

    def close(self):
        """Release the pooled connection (tests, shutdown)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
