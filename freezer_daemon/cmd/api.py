"""``freezer-api``: the API daemon.

Runs ``[api] workers`` processes under oslo.service's ProcessLauncher (the
threading backend, selected by ``freezer_daemon``), each serving the WSGI
application of ``api.deploy`` with cheroot on ``[DEFAULT] bind_host`` and
``bind_port``. At start it logs every option's effective value, secrets
masked. SIGTERM closes the port at once (new connections are refused),
lets the requests in flight finish (up to cheroot's 5 s shutdown
timeout, within ``graceful_shutdown_timeout``), closes kept-alive idle
connections and exits 0; SIGHUP re-reads the configuration files and
restarts the workers, which build a new application and so a new policy
enforcer from the new configuration and policy file (the listening
socket, bound once here, stays open, so ``bind_host``/``bind_port``
changes need a full restart).
"""

import sys

from oslo_config import cfg
from oslo_log import log as logging
from oslo_service import service

from freezer_daemon import balance
from freezer_daemon import conf as freezer_conf
from freezer_daemon import service as wsgi_service
from freezer_daemon import startup
from freezer_daemon import wiring

LOG = logging.getLogger(__name__)


def main(argv=None):
    """Check the configuration and database, then serve until SIGTERM.

    :param argv: arguments without the program name; ``None`` reads
        ``sys.argv[1:]``.
    :returns: process exit status (int): 0 after a SIGTERM shutdown, 1
        when startup is refused (message on stderr and in the log), 2 on
        an invalid command line or configuration.
    """
    argv = sys.argv[1:] if argv is None else argv
    try:
        conf = startup.load_config(argv, prog='freezer-api')
    except cfg.Error as exc:
        sys.stderr.write('freezer-api: %s\n' % exc)
        return 2
    try:
        listener = _prepare(conf)
    except startup.StartupError as exc:
        refusal = exc
    else:
        return _serve(conf, listener)
    # Reported outside the except block: oslo.log would append the active
    # exception's summary, repeating the message.
    return startup.refuse('freezer-api', refusal)


def _prepare(conf):
    startup.check_auth_strategy(conf, bind_host=conf.bind_host)
    startup.ensure_state_path(conf)
    startup.check_schema(conf)
    return _bind(conf)


def _serve(conf, listener):
    startup.log_options(conf)
    workers = freezer_conf.api_workers(conf)
    LOG.info('Starting %d API workers on %s:%s', workers,
             *listener.getsockname()[:2])
    launcher = service.ProcessLauncher(conf, restart_method='reload')
    launcher.launch_service(
        wsgi_service.WSGIService(conf, listener, wiring.build_app,
                                 threads=conf.api.threads,
                                 loads=balance.WorkerLoads(workers)),
        workers=workers)
    if not wsgi_service.close_on_terminate(launcher, listener):
        LOG.warning('The launcher offers no SIGTERM hook: on SIGTERM the '
                    'port stays open until the exit.')
    # Returns only through the SystemExit the launcher raises on SIGTERM
    # (status 0) or on a fatal error; the return value is a fallback.
    return launcher.wait() or 0


def _bind(conf):
    try:
        return wsgi_service.bind_listener(conf.bind_host, conf.bind_port)
    except OSError as exc:
        raise startup.StartupError('cannot listen on %s:%s: %s' % (
            conf.bind_host, conf.bind_port, exc.strerror or exc))
