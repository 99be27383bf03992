"""The backends of oslo.middleware's health check for this service.

Registered in ``setup.cfg`` under the ``oslo.middleware.healthcheck``
entry point namespace and enabled by default (``[healthcheck] backends =
freezer_database, freezer_policy``, set in
:func:`freezer_daemon.conf.register_opts`):

* ``freezer_database``: ``GET /healthcheck`` answers 200 while the
  database answers ``SELECT 1`` within ``[healthcheck] database_timeout``
  seconds, and 503 otherwise;
* ``freezer_policy``: the state of the worker's policy rules
  (:class:`api.policy.ReloadingEnforcer`): a policy file that went
  missing or became unreadable is reported (the last good rules stay in
  force, still 200); 503 only when no usable rules were ever loaded and
  every request is denied.
"""

from oslo_config import cfg
from oslo_middleware.healthcheck import pluginbase

from api import policy
from freezer_core.storage import health

#: The entry point name of the database backend.
NAME = 'freezer_database'
#: The entry point name of the policy backend.
POLICY_NAME = 'freezer_policy'

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


class PolicyHealthcheck(pluginbase.HealthcheckBaseExtension):
    """Reports whether the policy rules in force come from usable files.

    :param oslo_conf: the service's ConfigOpts, the one given to
        :func:`api.policy.make_enforcer` by :func:`api.deploy.build_app`.
    :param conf: oslo.middleware's local options (unused).
    """

    def healthcheck(self, server_port):
        """Ask this worker's enforcer for the state of its rules.

        :param server_port: int, the port the request came to (unused).
        :returns: :class:`pluginbase.HealthcheckResult`.
        """
        enforcer = policy.enforcer_for(self.oslo_conf)
        if enforcer is None:
            return pluginbase.HealthcheckResult(
                available=True, reason='policy rules not loaded yet')
        available, reason = enforcer.status()
        return pluginbase.HealthcheckResult(available=available,
                                            reason=reason)
