"""``freezer-manage``: administrative commands run by operators.

``freezer-manage [--config-file F] db sync``
    Upgrade the database schema to the newest migration (creating the
    database and ``state_path`` when needed). Safe to run again: an
    up-to-date schema is left as it is.
``freezer-manage [--config-file F] db version``
    Print the current schema revision, or ``None`` for an empty database.
``freezer-manage [--config-file F] db import-reference --source URL``
    Copy the documents of a reference freezer-api 19.0.0 database (its
    SQL driver; ``URL`` is its SQLAlchemy URL) into ``[database]
    connection``, which must be at the newest revision (``db sync``).
    Prints, per resource, how many documents were imported and which were
    skipped or changed, and why (:mod:`freezer_core.storage.
    reference_writes`); a second run skips every id already present.
    Exit status 1 when the source or the target is refused (nothing
    written), 0 otherwise. See ``docs/migrating-from-freezer-api.rst``.
``freezer-manage action validate FILE [FILE ...]``
    Check action documents offline (no database, no service), as
    ``freezer-action-lint`` does (:mod:`freezer_core.lint`): one line per
    problem, ``FILE: JSON-PATH: MESSAGE (rule: RULE)``; exit status 1 when
    any problem was found, 0 when every document is valid.
"""

import sys

from oslo_config import cfg
from oslo_log import log as logging

from freezer_core import lint
from freezer_core.storage import migration
from freezer_core.storage import reference_import
from freezer_core.storage import reference_writes
from freezer_daemon import startup
from freezer_daemon import wiring

LOG = logging.getLogger(__name__)


def _db_sync(conf):
    startup.ensure_state_path(conf)
    migration.upgrade(conf.database.connection)
    print('Database schema is at revision %s'
          % migration.current(conf.database.connection))


def _db_version(conf):
    print(migration.current(conf.database.connection))


def _print_outcomes(outcomes, out):
    """Print the import summary: one line per resource, then one line
    per skipped or changed document."""
    for name, outcome in outcomes.items():
        out.write('%s: %d imported, %d skipped\n' % (
            name, len(outcome.imported), len(outcome.skipped)))
        for identifier, reason in outcome.skipped:
            out.write('  skipped %s: %s\n' % (identifier, reason))
        for identifier, note in outcome.notes:
            out.write('  changed %s: %s\n' % (identifier, note))


def _db_import_reference(conf):
    url = conf.database.connection
    if migration.current(url) != migration.head():
        sys.stderr.write('freezer-manage: the database is not at the '
                         'newest revision; run "freezer-manage db sync" '
                         'first\n')
        return 1
    try:
        outcomes = reference_writes.import_reference(
            conf.command.source, wiring.repositories(conf))
    except reference_import.SourceRefused as exc:
        sys.stderr.write('freezer-manage: %s\n' % exc)
        return 1
    _print_outcomes(outcomes, sys.stdout)
    return 0


def _action_validate(conf):
    # The same checks and output as freezer-action-lint; no database is
    # opened, so this works on a machine without the service's state.
    return lint.report(conf.command.action_files, sys.stdout, sys.stderr)


def _command_words(conf):
    """Name the command run, e.g. ``'db sync'``, for log records."""
    sub = 'db_action' if conf.command.name == 'db' else 'action_command'
    return '%s %s' % (conf.command.name, getattr(conf.command, sub))


def _add_command_parsers(subparsers):
    db = subparsers.add_parser('db', help='Manage the database schema.')
    db_actions = db.add_subparsers(dest='db_action',
                                   metavar='{sync,version,import-reference}')
    db_actions.required = True
    sync = db_actions.add_parser(
        'sync', help='Upgrade the schema to the newest revision.')
    sync.set_defaults(action_fn=_db_sync)
    version = db_actions.add_parser(
        'version', help='Print the current schema revision.')
    version.set_defaults(action_fn=_db_version)
    reference = db_actions.add_parser(
        'import-reference',
        help='Import a reference freezer-api 19.0.0 database.')
    reference.add_argument(
        '--source', required=True, metavar='URL',
        help='SQLAlchemy URL of the reference freezer-api database, '
             'e.g. mysql+pymysql://freezer:secret@db/freezer.')
    reference.set_defaults(action_fn=_db_import_reference)

    action = subparsers.add_parser(
        'action', help='Work on action documents.')
    action_commands = action.add_subparsers(dest='action_command',
                                            metavar='{validate}')
    action_commands.required = True
    validate = action_commands.add_parser(
        'validate', help='Check action documents offline (JSON files, each '
                         'one document or a list of them; "-" is stdin).')
    validate.add_argument('action_files', metavar='FILE', nargs='+')
    validate.set_defaults(action_fn=_action_validate)


COMMAND_OPT = cfg.SubCommandOpt(
    'command', title='Commands', handler=_add_command_parsers,
    help='Available commands')


def main(argv=None):
    """Run one ``freezer-manage`` command.

    :param argv: arguments without the program name; ``None`` reads
        ``sys.argv[1:]``.
    :returns: process exit status (int): 0 on success, 1 when the command
        failed (message on stderr) or, for ``action validate``, found a
        problem in a document, 2 on an invalid command line (argparse
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
        # Commands that print a verdict return their exit status; the
        # others return None when they succeed.
        status = conf.command.action_fn(conf)
    except startup.StartupError as exc:
        refusal = exc
    except Exception as exc:
        LOG.exception('freezer-manage %s failed', _command_words(conf))
        sys.stderr.write('freezer-manage: %s\n' % exc)
        return 1
    else:
        return status or 0
    return startup.refuse('freezer-manage', refusal)
