"""``freezer-status upgrade check``: is this deployment ready to serve?

Run by operators (and by deployment tools) after installing a new release
and before restarting the API, with the same configuration file as the
service. Built on oslo.upgradecheck, so the output and the exit statuses
are those of every OpenStack ``*-status`` command: 0 success, 1 warning,
2 failure, 255 when a check itself crashed.

Checks:

``Database schema``
    The schema is at the newest migration of this release
    (:func:`freezer_core.storage.migration.is_current`); the API refuses
    to start otherwise.
``Policy file``
    ``[oslo_policy] policy_file``, when it exists, is readable, is YAML
    (not the JSON format oslo.policy deprecated) and is a mapping of rule
    names whose every check string parses (oslo.policy turns a check it
    cannot parse, e.g. ``role:admin and and``, into one that denies
    everyone, without an error: a failure here); a rule the service does
    not define and no other rule refers to is a warning, because
    oslo.policy ignores it silently (usually a typo or a rule of another
    release).
"""

import re
import sys

from oslo_config import cfg
from oslo_policy import opts as policy_opts
from oslo_serialization import jsonutils
from oslo_upgradecheck import common_checks
from oslo_upgradecheck import upgradecheck
import sqlalchemy

from api import policy
from freezer_core.storage import migration
from freezer_daemon import conf as freezer_conf
import policies

Code = upgradecheck.Code
Result = upgradecheck.Result

# "rule:NAME" in a check string refers to another rule of the file.
_RULE_REFERENCE = re.compile(r'rule:([^\s()]+)')


class Checks(upgradecheck.UpgradeCommands):
    """The upgrade checks of freezer-api.

    :param conf: a :class:`oslo_config.cfg.ConfigOpts` with the service's
        options and ``[oslo_policy]`` registered; parsed before
        :meth:`check` runs.
    """

    def __init__(self, conf):
        self._conf = conf

    def _check_schema(self):
        url = self._conf.database.connection
        try:
            if migration.is_current(url):
                return Result(Code.SUCCESS)
            revision = migration.current(url)
        except sqlalchemy.exc.SQLAlchemyError as exc:
            return Result(Code.FAILURE, 'Cannot read the database schema: %s'
                          % (getattr(exc, 'orig', None) or exc))
        return Result(Code.FAILURE, (
            'The database schema is at revision %s, not at the newest '
            'revision %s. Run: freezer-manage db sync'
            % (revision, migration.head())))

    def _check_policy_file(self):
        path = self._conf.find_file(self._conf.oslo_policy.policy_file)
        if path is None:
            return Result(Code.SUCCESS, 'No policy file: the rules in code '
                                        'apply.')
        # The same reading and parsing as the running service
        # (api.policy.ReloadingEnforcer): unreadable, not YAML, not a
        # mapping, or a check string that does not parse.
        try:
            rules = policy.read_policy_file(path)
        except policy.PolicyFileError as exc:
            message = str(exc)
            return Result(Code.FAILURE, message[:1].upper() + message[1:])
        # oslo.upgradecheck's shared check refuses a JSON policy file (which
        # YAML would parse); it opens the file itself, so only once it is
        # known to be readable.
        json_result = common_checks.check_policy_json(self, self._conf)
        if json_result.code != Code.SUCCESS:
            return json_result
        if not rules:
            return Result(Code.SUCCESS, 'The policy file %s is empty: the '
                                        'rules in code apply.' % path)
        known = {rule.name for rule in policies.list_rules()}
        # An alias (e.g. "owner: project_id:%(project_id)s" used as
        # "rule:owner") is defined by the file itself.
        referenced = set(_RULE_REFERENCE.findall(
            ' '.join(str(check) for check in rules.values())))
        unknown = sorted(name for name in rules
                         if name not in known and name not in referenced)
        if unknown:
            # oslo.policy ignores them; the service still works, hence a
            # warning rather than a failure.
            return Result(Code.WARNING, (
                'The policy file %s sets rules the service does not define '
                '(ignored unless another rule refers to them): %s'
                % (path, jsonutils.dumps(unknown))))
        return Result(Code.SUCCESS)

    _upgrade_checks = (
        ('Database schema', _check_schema),
        ('Policy file', _check_policy_file),
    )


def main(argv=None):
    """Run ``freezer-status``; oslo.upgradecheck parses the command line.

    :param argv: arguments without the program name; ``None`` reads
        ``sys.argv[1:]``.
    :returns: exit status (int): the highest :class:`Code` of the checks
        (0 success, 1 warning, 2 failure), 255 when a check raised.
    """
    argv = sys.argv[1:] if argv is None else argv
    conf = cfg.ConfigOpts()
    freezer_conf.register_opts(conf)
    policy_opts.set_defaults(conf)
    # The same files freezer-api reads when none is named.
    default_files = cfg.find_config_files(project='freezer',
                                          prog='freezer-api')
    return upgradecheck.main(conf, project='freezer',
                             upgrade_command=Checks(conf), argv=argv,
                             default_config_files=default_files)
