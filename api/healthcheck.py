"""The ``freezer_database`` backend of oslo.middleware's health check.

Registered in ``setup.cfg`` under the ``oslo.middleware.healthcheck``
entry point namespace and enabled by default (``[healthcheck] backends =
freezer_database``, set in :func:`freezer_daemon.conf.register_opts`):
``GET /healthcheck`` answers 200 while the database answers ``SELECT 1``
within ``[healthcheck] database_timeout`` seconds, and 503 otherwise.
"""

from oslo_config import cfg
from oslo_middleware.healthcheck import pluginbase

from freezer_core.storage import health

#: The entry point name of this backend.
NAME = 'freezer_database'

OPTS = [
    cfg.IntOpt('database_timeout', default=health.DEFAULT_TIMEOUT, min=1,
               help='Seconds the freezer_database health check may take '
                    'to connect to the database and run SELECT 1 before '
                    'it reports the database unavailable.'),
]


class DatabaseHealthcheck(pluginbase.HealthcheckBaseExtension):
    """Reports whether ``[database] connection`` answers.

    :param oslo_conf: the service's ConfigOpts (``[database]
        connection``, ``[healthcheck] database_timeout``).
    :param conf: oslo.middleware's local options (unused).
    """

    def __init__(self, oslo_conf, conf):
        super().__init__(oslo_conf, conf)
        oslo_conf.register_opts(OPTS, group='healthcheck')
        self._probe = health.DatabaseProbe(
            oslo_conf.database.connection,
            timeout=oslo_conf.healthcheck.database_timeout)

    def healthcheck(self, server_port):
        """Probe the database.

        :param server_port: int, the port the request came to (unused).
        :returns: :class:`pluginbase.HealthcheckResult`; ``available``
            False makes ``/healthcheck`` answer 503.
        """
        available, reason = self._probe.check()
        return pluginbase.HealthcheckResult(available=available,
                                            reason=reason)
