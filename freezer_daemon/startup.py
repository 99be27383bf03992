"""What every entry point does before serving: parse, log, check, prepare.

``freezer-api``, ``freezer-manage`` and the WSGI module share these steps
so that the three refuse the same misconfigurations with the same words.
"""

import ipaddress
import os
import socket
import sys

from oslo_config import cfg
from oslo_log import log as logging
import sqlalchemy

from freezer_core.storage import migration
from freezer_daemon import conf as freezer_conf

LOG = logging.getLogger(__name__)


class StartupError(Exception):
    """The service must not start; the message tells the operator why."""


def refuse(prog, error):
    """Tell the operator why ``prog`` will not run: in the log and on stderr.

    Both, because the log may go to a file the person at the terminal is
    not reading. Call it outside an ``except`` block: oslo.log appends the
    active exception's summary to error records.

    :param prog: program name, e.g. ``'freezer-api'``.
    :param error: the :class:`StartupError` (or its message).
    :returns: 1, the exit status for a refused start.
    """
    LOG.error('%s refuses to start: %s', prog, error)
    sys.stderr.write('%s refuses to start: %s\n' % (prog, error))
    return 1


def load_config(argv, prog, default_config_files=None, conf=None):
    """Register and parse the service's configuration, then set up logging.

    :param argv: command-line arguments without the program name, e.g.
        ``['--config-file', 'etc/freezer/freezer-api.conf']``.
    :param prog: program name, used in ``--help`` and in log records.
    :param default_config_files: list of paths read when ``argv`` names
        none; ``None`` looks for ``freezer-api.conf`` (and
        ``freezer.conf``) in oslo.config's standard places, so that
        ``freezer-manage`` reads the same file as the daemon.
    :param conf: an unparsed ConfigOpts holding extra options (e.g. a
        command's sub-commands); a new one when ``None``.
    :returns: the parsed :class:`oslo_config.cfg.ConfigOpts`.
    :raises oslo_config.cfg.Error: on unreadable files or invalid values.
    """
    conf = freezer_conf.ServiceConfigOpts() if conf is None else conf
    freezer_conf.register_opts(conf)
    if default_config_files is None:
        default_config_files = cfg.find_config_files(
            project='freezer', prog='freezer-api')
    conf(argv, project='freezer', prog=prog,
         default_config_files=default_config_files)
    freezer_conf.check_values(conf)
    logging.setup(conf, prog)
    return conf


def log_options(conf):
    """Log every option's effective value at INFO, secrets masked.

    Operators read this to learn which files and values a running service
    took; oslo.config prints options declared ``secret`` (``[database]
    connection``, ``[keystone_authtoken] password``, ...) as ``****``.
    ``[keystone_authtoken]`` is included, its auth plugin's options too
    (:func:`freezer_daemon.conf.register_auth_plugin_opts`).

    :param conf: parsed ConfigOpts.
    :returns: None
    """
    freezer_conf.register_auth_plugin_opts(conf)
    conf.log_opt_values(LOG, logging.INFO)


def is_loopback(host):
    """Tell whether every address ``host`` resolves to is a loopback one.

    :param host: an IPv4/IPv6 literal or a host name, as ``bind_host``.
    :returns: bool; False when ``host`` cannot be resolved, so that an
        unknown name is never taken for a safe one.
    """
    try:
        infos = socket.getaddrinfo(host, None, socket.AF_UNSPEC,
                                   socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return False
    try:
        return all(ipaddress.ip_address(info[4][0]).is_loopback
                   for info in infos)
    except ValueError:
        return False


def check_auth_strategy(conf, bind_host=None):
    """Warn about noauth, and refuse it off the loopback interface.

    The rule comes from the "Identity" section of the wire contract:
    noauth trusts identity headers, so anyone who can reach the port can
    act as any project's admin.

    :param conf: parsed ConfigOpts.
    :param bind_host: the address the server will listen on; ``None``
        when the caller does not own the socket (WSGI containers), in
        which case only the warning is given.
    :returns: None
    :raises StartupError: noauth with a ``bind_host`` that is not loopback.
    """
    if conf.auth_strategy != 'noauth':
        return
    if bind_host is not None and not is_loopback(bind_host):
        raise StartupError(
            'auth_strategy = noauth trusts the identity headers of every '
            'caller and is allowed only on a loopback bind_host; '
            'bind_host is %r. Use auth_strategy = keystone, or set '
            'bind_host = 127.0.0.1.' % bind_host)
    LOG.warning('auth_strategy = noauth: requests are NOT authenticated; '
                'callers choose their own identity. For development and '
                'tests only.')


def ensure_state_path(conf):
    """Create ``[DEFAULT] state_path`` when it is missing.

    The default database is a SQLite file in this directory, and SQLite
    does not create directories.

    :param conf: parsed ConfigOpts.
    :returns: the directory's path (str), as configured.
    :raises StartupError: the directory cannot be created.
    """
    try:
        os.makedirs(conf.state_path, exist_ok=True)
    except OSError as exc:
        raise StartupError('cannot create state_path %r: %s'
                           % (conf.state_path, exc.strerror or exc))
    return conf.state_path


def check_schema(conf):
    """Refuse to serve from a database whose schema is not the newest.

    :param conf: parsed ConfigOpts; its configuration files are named in
        the message so the operator can paste the command.
    :returns: None
    :raises StartupError: the schema is missing or behind head, or the
        database cannot be read.
    """
    url = conf.database.connection
    try:
        if migration.is_current(url):
            return
        revision = migration.current(url)
    except sqlalchemy.exc.SQLAlchemyError as exc:
        # The driver's message, not a traceback: the operator needs to know
        # which database and why, e.g. "unable to open database file".
        raise StartupError('cannot read the database schema: %s'
                           % (getattr(exc, 'orig', None) or exc))
    config_files = conf.config_file or conf.default_config_files or []
    files = ' '.join('--config-file %s' % path for path in config_files)
    raise StartupError(
        'the database schema is at revision %s, not at the newest '
        'revision %s; run: freezer-manage %s db sync'
        % (revision, migration.head(), files or '--config-file F'))
