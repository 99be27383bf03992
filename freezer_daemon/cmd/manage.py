"""``freezer-manage``: administrative commands run by operators.

``freezer-manage [--config-file F] db sync``
    Upgrade the database schema to the newest migration (creating the
    database and ``state_path`` when needed). Safe to run again: an
    up-to-date schema is left as it is.
``freezer-manage [--config-file F] db version``
    Print the current schema revision, or ``None`` for an empty database.
"""

import sys

from oslo_config import cfg
from oslo_log import log as logging

from freezer_core.storage import migration
from freezer_daemon import startup

LOG = logging.getLogger(__name__)


def _db_sync(conf):
    startup.ensure_state_path(conf)
    migration.upgrade(conf.database.connection)
    print('Database schema is at revision %s'
          % migration.current(conf.database.connection))


def _db_version(conf):
    print(migration.current(conf.database.connection))


def _add_command_parsers(subparsers):
    db = subparsers.add_parser('db', help='Manage the database schema.')
    db_actions = db.add_subparsers(dest='db_action', metavar='{sync,version}')
    db_actions.required = True
    sync = db_actions.add_parser(
        'sync', help='Upgrade the schema to the newest revision.')
    sync.set_defaults(action_fn=_db_sync)
    version = db_actions.add_parser(
        'version', help='Print the current schema revision.')
    version.set_defaults(action_fn=_db_version)


COMMAND_OPT = cfg.SubCommandOpt(
    'command', title='Commands', handler=_add_command_parsers,
    help='Available commands')


def main(argv=None):
    """Run one ``freezer-manage`` command.

    :param argv: arguments without the program name; ``None`` reads
        ``sys.argv[1:]``.
    :returns: process exit status (int): 0 on success, 1 when the command
        failed (message on stderr), 2 on an invalid command line (argparse
        prints the usage).
    """
    argv = sys.argv[1:] if argv is None else argv
    conf = cfg.ConfigOpts()
    # Sub-commands are command-line only; registering them before parsing
    # is what makes argparse know them.
    conf.register_cli_opt(COMMAND_OPT)
    # stdout carries the command's answer (``db version`` is read by
    # scripts), so log records go to stderr unless configured otherwise.
    logging.register_options(conf)
    conf.set_default('use_stderr', True)
    try:
        conf = startup.load_config(argv, prog='freezer-manage', conf=conf)
    except cfg.Error as exc:
        sys.stderr.write('freezer-manage: %s\n' % exc)
        return 2
    try:
        conf.command.action_fn(conf)
    except startup.StartupError as exc:
        refusal = exc
    except Exception as exc:
        LOG.exception('freezer-manage %s %s failed', conf.command.name,
                      conf.command.db_action)
        sys.stderr.write('freezer-manage: %s\n' % exc)
        return 1
    else:
        return 0
    return startup.refuse('freezer-manage', refusal)
