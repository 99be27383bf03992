"""Configuration options of the Freezer API service.

Every option the service reads is declared here, registered on a
:class:`oslo_config.cfg.ConfigOpts` passed in by the caller (no global
``CONF`` is used by the library layers), and listed for
``oslo-config-generator --namespace freezer-api`` by :func:`list_opts`.
"""

import os

from oslo_config import cfg
from oslo_db import options as db_options
from oslo_log import log as logging
from oslo_middleware import sizelimit

DEFAULT_OPTS = [
    cfg.HostAddressOpt(
        'bind_host', default='0.0.0.0',
        help='Address on which the API listens. The noauth strategy is '
             'refused unless this is a loopback address.'),
    cfg.PortOpt('bind_port', default=9090,
                help='TCP port on which the API listens.'),
    cfg.StrOpt('state_path', default='/var/lib/freezer',
               help='Directory holding the service state; the default '
                    'SQLite database lives here.'),
    cfg.StrOpt('auth_strategy', default='keystone',
               choices=[('keystone', 'Validate tokens with '
                                     'keystonemiddleware auth_token.'),
                        ('noauth', 'Trust identity headers; development '
                                   'and tests only, loopback only.')],
               help='How callers are authenticated.'),
]

API_OPTS = [
    cfg.IntOpt('workers', min=1,
               default=None, sample_default='<number of CPUs>',
               help='Number of API worker processes. Defaults to the '
                    'number of CPUs.'),
    cfg.IntOpt('max_limit', default=1000, min=1,
               help='Largest page size a list request may ask for; larger '
                    '``limit`` values are clamped to it.'),
    cfg.IntOpt('default_limit', default=10, min=1,
               help='Page size used when a list request gives no '
                    '``limit``.'),
]

api_group = cfg.OptGroup('api', title='API options')

_DEFAULT_SQLITE_FILE = 'freezer.sqlite'


def register_opts(conf):
    """Register every service option on ``conf``.

    :param conf: an :class:`oslo_config.cfg.ConfigOpts` instance; options
        already registered are left as they are.
    :returns: None
    """
    conf.register_opts(DEFAULT_OPTS)
    conf.register_group(api_group)
    conf.register_opts(API_OPTS, group=api_group)
    db_options.set_defaults(
        conf, connection='sqlite:///$state_path/' + _DEFAULT_SQLITE_FILE)
    conf.register_opts(sizelimit.OPTS, group='oslo_middleware')
    logging.register_options(conf)


def api_workers(conf):
    """Return the number of API worker processes to run.

    :param conf: a parsed ConfigOpts with the options registered.
    :returns: int >= 1; ``[api] workers`` when set, else the CPU count.
    """
    return conf.api.workers or os.cpu_count() or 1


def list_opts():
    """List the options for ``oslo-config-generator``.

    :returns: list of ``(group name or None, [Opt, ...])`` pairs, the
        ``oslo.config.opts`` entry point of namespace ``freezer-api``.
    """
    return [
        (None, DEFAULT_OPTS),
        (api_group.name, API_OPTS),
    ]
