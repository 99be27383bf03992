"""Configuration options of the Freezer API service.

Every option the service reads is declared here, registered on a
:class:`oslo_config.cfg.ConfigOpts` passed in by the caller (no global
``CONF`` is used by the library layers), and listed for
``oslo-config-generator --namespace freezer-api`` by :func:`list_opts`.
"""

import os

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import loading as ks_loading
from keystonemiddleware import auth_token
from oslo_config import cfg
from oslo_db import options as db_options
from oslo_log import log as logging
from oslo_middleware.healthcheck import opts as healthcheck_opts
from oslo_middleware import sizelimit

from api import healthcheck as api_healthcheck
from freezer_core import limits
from freezer_daemon import trusts

LOG = logging.getLogger(__name__)

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
    # Issue 18: see api.gate and freezer_daemon.idle_threads.
    cfg.IntOpt('threads', default=16, min=1,
               help='Request threads of each freezer-api daemon worker. '
                    'A thread reads a request, waits its turn to run it '
                    '(``concurrent_requests``) and writes the answer, so '
                    'this bounds the clients one worker serves at once, '
                    'slow ones included. Idle keep-alive connections hold '
                    'no thread. Not used under uwsgi or mod_wsgi, which '
                    'have their own setting.'),
    cfg.IntOpt('concurrent_requests', default=1, min=1,
               help='Requests one worker process runs through the '
                    'application at once, after authentication and after '
                    'the body is read; the others wait their turn. The '
                    'application runs Python under one interpreter lock '
                    'per process, so on SQLite more only interleave and '
                    'cost CPU; raise it when the database server is far '
                    'enough that requests mostly wait on it, or add '
                    'workers.'),
    cfg.IntOpt('max_limit', default=1000, min=1,
               help='Largest page size a list request may ask for; larger '
                    '``limit`` values are clamped to it.'),
    cfg.IntOpt('default_limit', default=10, min=1,
               help='Page size used when a list request gives no '
                    '``limit``.'),
    # Issue 20: a page of 1000 documents of 110 KB was read and rendered
    # whole (about 110 MB), and the worker kept the memory.
    cfg.IntOpt('list_batch_size', default=1048576, min=4096,
               help='Most stored bytes of documents a list answer reads '
                    'and renders at a time. A page whose documents add '
                    'up to no more is answered in one piece, with '
                    'Content-Length; a larger one is read in batches of '
                    'about this size and sent as each is rendered '
                    '(chunked transfer encoding), so one answer holds '
                    'about one batch in the worker\'s memory. Pages are '
                    'never cut short: every page holds ``limit`` '
                    'documents while there are more.'),
    # Limits on what one request may hold (freezer_core.limits). The body
    # as a whole is bounded by [oslo_middleware] max_request_body_size
    # (oslo.middleware's option, default 114688 bytes, answered 413).
    # Python's JSON decoder recurses once per level, so the depth is
    # capped well below its recursion limit.
    cfg.IntOpt('max_json_depth', default=limits.MAX_JSON_DEPTH, min=1,
               max=512,
               help='Deepest nesting of JSON objects and arrays in a '
                    'request body or search, in levels (the outermost '
                    'object is level 1). Deeper bodies are answered 753 '
                    'Malformed JSON. The whole body is bounded by '
                    '[oslo_middleware] max_request_body_size (413).'),
    # Unset by default: a document the body size limit lets through is
    # never refused for its strings or keys (spec, "Errors").
    cfg.IntOpt('max_string_length', default=None, min=1,
               sample_default='<no limit>',
               help='Most characters of any string value or key in an '
                    'action document; longer ones are answered 400. '
                    'Unset (the default): no limit other than '
                    '[oslo_middleware] max_request_body_size.'),
    cfg.IntOpt('max_action_keys', default=None, min=1,
               sample_default='<no limit>',
               help='Most keys at the top level of an action\'s '
                    '``freezer_action``; more are answered 400. Unset '
                    '(the default): no limit other than '
                    '[oslo_middleware] max_request_body_size.'),
    # Unset by default for the same reason: the body size bounds the
    # entries (at most one per two bytes; freezer_core.limits).
    cfg.IntOpt('max_document_terms', default=None, min=1,
               sample_default='<no limit>',
               help='Most search index entries of one stored document of '
                    'any resource: one per distinct key/value and '
                    'dotted-path/value pair at any depth, plus one per '
                    'distinct string value (an action of 11,000 nested '
                    'keys, 98 KB, has from 11,000 to 22,000). A write '
                    '(create, replace, PATCH, job event, session action) '
                    'whose document would have more is answered 400 and '
                    'writes nothing. Unset (the default): no limit other '
                    'than [oslo_middleware] max_request_body_size, which '
                    'allows at most about one entry per two bytes (57,344 '
                    'at the default body size). Read when the workers '
                    'start.'),
    # At most 256: each term is one subquery, and SQLite refuses a query
    # whose expression tree is 1000 levels deep.
    cfg.IntOpt('max_search_terms', default=limits.MAX_SEARCH_TERMS, min=1,
               max=256,
               help='Most terms in one search (``match`` and '
                    '``match_not`` pairs together, after ``_all`` lists '
                    'are expanded); more are answered 400. At most 256, '
                    'which every database engine can run.'),
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
    # A new OptGroup for each ConfigOpts: oslo.config copies the group
    # shallowly, so one shared group object would share its overrides
    # between every ConfigOpts of the process.
    conf.register_group(cfg.OptGroup(api_group.name, title=api_group.title))
    conf.register_opts(API_OPTS, group=api_group.name)
    db_options.set_defaults(
        conf, connection='sqlite:///$state_path/' + _DEFAULT_SQLITE_FILE)
    # oslo.db retries a failed first connection max_retries times,
    # retry_interval (10 s) apart, and the engine starts at a worker's
    # first request: a worker started while the database is down would
    # hold that request for minutes. With 0 the engine starts without the
    # probe; the repository retries briefly itself and answers 503
    # (freezer_core.storage.actions). The daemon checks the database
    # before it serves (freezer_daemon.startup) anyway.
    conf.set_default('max_retries', 0, group='database')
    conf.register_opts(sizelimit.OPTS, group='oslo_middleware')
    # /healthcheck reports the database's state by default, so that a
    # load balancer in front of several daemons skips one whose database
    # is unreachable, and the state of the policy files (api.healthcheck).
    conf.register_opts(healthcheck_opts.HEALTHCHECK_OPTS, group='healthcheck')
    conf.register_opts(api_healthcheck.OPTS, group='healthcheck')
    # keystonemiddleware registers [keystone_authtoken] only when its
    # filter is built, in the workers, after the start has logged the
    # options: registered here, they are in that log (and checked by a
    # SIGHUP reload) like the service's own.
    for group, options in auth_token.list_opts():
        conf.register_opts(options, group=group)
    conf.set_default('backends', [api_healthcheck.NAME,
                                  api_healthcheck.POLICY_NAME],
                     group='healthcheck')
    trusts.register_opts(conf)
    logging.register_options(conf)


def in_process(connection, state_path):
    """A parsed configuration for running the application in this process
    (benchmarks and tests): no configuration files, ``noauth``.

    :param connection: str, the SQLAlchemy database URL.
    :param state_path: str, the directory of ``[DEFAULT] state_path``.
    :returns: a new :class:`oslo_config.cfg.ConfigOpts` with every option
        of :func:`register_opts`; give it to
        :func:`freezer_daemon.wiring.build_app`.
    """
    conf = cfg.ConfigOpts()
    register_opts(conf)
    conf([], project='freezer-api', default_config_files=[],
         default_config_dirs=[])
    conf.set_override('connection', connection, group='database')
    conf.set_override('auth_strategy', 'noauth')
    conf.set_override('state_path', state_path)
    return conf


def register_auth_plugin_opts(conf):
    """Register the options of the ``[keystone_authtoken]`` auth plugin.

    Which options exist depends on ``auth_type`` (``password`` has
    ``username``, ``password``, ...), so they can only be registered
    once the files are parsed; keystonemiddleware registers the same
    ones later.

    :param conf: a parsed ConfigOpts with :func:`register_opts` applied.
    :returns: None; an unknown ``auth_type`` (refused by
        keystonemiddleware later) or one set through ``auth_section``
        registers nothing.
    """
    section = conf.keystone_authtoken
    if not section.auth_type or section.auth_section:
        return
    try:
        options = ks_loading.get_auth_plugin_conf_options(section.auth_type)
    except ks_exceptions.NoMatchingPlugin:
        return
    conf.register_opts(options, group='keystone_authtoken')


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
        ('healthcheck', api_healthcheck.OPTS),
    ] + trusts.list_opts()


def check_values(conf):
    """Read every registered option once, so that a bad value fails now.

    oslo.config converts a value from the files only when it is first
    read: an invalid ``[api] max_limit = abc`` would otherwise surface as
    a 500 on the first request that reads it.

    :param conf: a parsed ConfigOpts.
    :returns: None
    :raises oslo_config.cfg.Error: (``ConfigFileValueError``) naming the
        option whose value is invalid.
    """
    for name in list(conf):
        value = conf[name]
        if isinstance(value, cfg.ConfigOpts.GroupAttr):
            for option in list(value):
                value[option]


class ServiceConfigOpts(cfg.ConfigOpts):
    """ConfigOpts whose SIGHUP reload refuses invalid files.

    oslo.service reloads the files on SIGHUP and restarts the workers.
    The new files are first parsed into a throwaway ConfigOpts and every
    option read (:func:`check_values`); if any value is invalid the
    reload is refused and the running configuration is kept, instead of
    workers starting on a configuration they cannot use.
    """

    def reload_config_files(self):
        """Reload the configuration files unless they hold a bad value.

        :returns: bool, True when the new files were applied.
        """
        candidate = cfg.ConfigOpts()
        register_opts(candidate)
        try:
            candidate([], project=self.project, prog=self.prog,
                      default_config_files=list(self.config_file or []),
                      default_config_dirs=list(self.config_dir or [])
                      if isinstance(self.config_dir, list)
                      else ([self.config_dir] if self.config_dir else []))
            check_values(candidate)
        except (cfg.Error, SystemExit) as exc:
            LOG.error('Configuration reload refused, the running '
                      'configuration is kept: %s', exc)
            return False
        reloaded = super().reload_config_files()
        if reloaded:
            LOG.info('Configuration reloaded from %s; the workers restart '
                     'with it.', ', '.join(self.config_file or [])
                     or '(no file)')
        return reloaded
