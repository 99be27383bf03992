"""WSGI entry point for uwsgi, mod_wsgi and other WSGI containers.

The container imports this module and serves ``application``; see
``etc/freezer/uwsgi.ini``. The configuration file is named by the
``FREEZER_CONFIG_FILE`` environment variable (default
``/etc/freezer/freezer-api.conf``), because containers pass no command
line. The same startup checks as ``freezer-api`` apply, except that the
container, not this module, owns the listening socket, so noauth is only
warned about. Under uwsgi, chunked request bodies are read through
uwsgi's own call (:mod:`freezer_daemon.uwsgi_input`).
"""

import os

from freezer_daemon import startup
from freezer_daemon import uwsgi_input
from freezer_daemon import wiring

DEFAULT_CONFIG_FILE = '/etc/freezer/freezer-api.conf'
CONFIG_FILE_ENV = 'FREEZER_CONFIG_FILE'


def init_application(environ=None):
    """Load the configuration, check it and build the WSGI application.

    :param environ: mapping read for ``FREEZER_CONFIG_FILE``; ``None``
        reads :data:`os.environ`.
    :returns: the WSGI application of :func:`api.deploy.build_app`.
    :raises freezer_daemon.startup.StartupError: the schema is not at head
        or ``state_path`` cannot be created; the container then fails to
        load the application and logs why.
    :raises oslo_config.cfg.Error: the configuration file is unreadable
        or invalid.
    """
    environ = os.environ if environ is None else environ
    config_file = environ.get(CONFIG_FILE_ENV) or DEFAULT_CONFIG_FILE
    conf = startup.load_config(['--config-file', config_file],
                               prog='freezer-api-wsgi')
    startup.log_options(conf)
    startup.check_auth_strategy(conf)
    startup.ensure_state_path(conf)
    startup.check_schema(conf)
    return uwsgi_input.serve_chunked_input(wiring.build_app(conf))


application = init_application()
