"""Policy enforcement: the oslo.policy enforcer and the one check call.

The rule defaults live in :mod:`policies`; this module loads them into an
enforcer bound to the service's configuration (so ``[oslo_policy]
policy_file`` overrides apply) and checks a rule for a request context
against the URL's project.

oslo.policy's own enforcer re-reads the policy file's modification time
on every check, and when the file is missing for a moment (an editor
replacing it, a configuration tool rewriting it) it silently falls back
to the rules in code, logging an ERROR per request, while a reload
racing a check can see no rule at all: authorised callers got an
occasional 403 (issue 20). :class:`ReloadingEnforcer` loads the rules
once per worker, looks at the files again at most every
:data:`RECHECK_SECONDS`, and only swaps in a complete new rule set built
from files that were read and parsed whole; otherwise it keeps the last
good rules, logs the problem once, and reports it to ``/healthcheck``
(:mod:`api.healthcheck`).
"""

import logging as std_logging
import os
import threading
import time
import weakref

from oslo_config import cfg
from oslo_log import log as logging
from oslo_policy import policy as oslo_policy

from api import errors
from api import policy_decisions
import policies

LOG = logging.getLogger(__name__)

#: Seconds between two looks at the policy files in a worker (a ``stat``
#: each); a changed file takes effect within this time, or at once on
#: SIGHUP (which restarts the workers).
RECHECK_SECONDS = 5.0

# Enforcers by id() of their ConfigOpts, for the health check backend,
# which oslo.middleware builds from the same ConfigOpts (a ConfigOpts is
# a Mapping, so not hashable itself). Weak: an enforcer lives as long as
# its application, and keeps its ConfigOpts (hence the id) alive.
_ENFORCERS = weakref.WeakValueDictionary()


class _Collect(std_logging.Handler):
    """Collect the ERROR records oslo.policy's parser logs."""

    def __init__(self):
        super().__init__(std_logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def unparsable_rules(rules):
    """Find the rules of a policy file oslo.policy cannot parse.

    oslo.policy does not raise on a check string it does not understand
    (``role:admin and and``): it logs "Failed to understand rule" and
    makes the rule deny everyone. This parses each one as the service
    will and reports those.

    :param rules: dict of rule name (str) to check string, as read from
        a policy file.
    :returns: sorted list of ``(name, reason)`` pairs of str; empty when
        every rule parses.
    """
    parser_log = std_logging.getLogger('oslo_policy._parser')
    problems = []
    for name, check in sorted(rules.items(), key=lambda item: str(item[0])):
        if not isinstance(check, str):
            problems.append((str(name), 'the check must be a string, not '
                             '%s' % type(check).__name__))
            continue
        collect = _Collect()
        parser_log.addHandler(collect)
        try:
            oslo_policy.RuleDefault(str(name), check)
        finally:
            parser_log.removeHandler(collect)
        if collect.messages:
            problems.append((str(name), collect.messages[0]))
    return problems


def read_policy_file(path):
    """Read and check one policy file.

    :param path: str, the file's path.
    :returns: dict of rule name to check string (empty for an empty file).
    :raises PolicyFileError: unreadable, not YAML, not a mapping, or a
        rule that does not parse (:func:`unparsable_rules`).
    """
    try:
        with open(path) as policy_file:
            text = policy_file.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyFileError('cannot read the policy file %s: %s' % (
            path, getattr(exc, 'strerror', None) or exc))
    try:
        rules = oslo_policy.parse_file_contents(text)
    except ValueError as exc:
        raise PolicyFileError('the policy file %s is not valid YAML: %s'
                              % (path, exc))
    if not isinstance(rules, dict):
        raise PolicyFileError('the policy file %s must map rule names to '
                              'check strings, not hold a %s' % (
                                  path, type(rules).__name__))
    bad = unparsable_rules(rules)
    if bad:
        raise PolicyFileError('the policy file %s has rules that do not '
                              'parse: %s' % (path, '; '.join(
                                  '%s (%s)' % pair for pair in bad)))
    return rules


class PolicyFileError(Exception):
    """A policy file cannot be used; the message says which and why."""


class ReloadingEnforcer(policy_decisions.DecisionCache,
                        oslo_policy.Enforcer):
    """An enforcer that loads its rules once and again only on change.

    :param conf: a parsed :class:`oslo_config.cfg.ConfigOpts`.
    :param recheck_seconds: float, seconds between looks at the files;
        None for :data:`RECHECK_SECONDS`.
    :param clock: callable returning monotonic seconds (tests pass a
        fake one).

    ``problem`` is None while the rules in force come from the files as
    they are, else a str saying what is wrong with the files;
    ``denying`` is True when no good rules were ever loaded (a broken
    file at start), in which case every check is denied (fail closed).
    """

    def __init__(self, conf, recheck_seconds=None, clock=time.monotonic):
        super().__init__(conf)
        policy_decisions.init_decisions(self)
        self._lock = threading.Lock()
        self._recheck_seconds = (RECHECK_SECONDS if recheck_seconds is None
                                 else recheck_seconds)
        self._clock = clock
        self._next_check = None
        self._loaded_from = None
        self._seen = None
        self.problem = None
        self.denying = False

    def load_rules(self, force_reload=False):
        """Load the rules if the policy files changed since the last load.

        Called by oslo.policy before every check; returns at once until
        ``recheck_seconds`` have passed since the last look.

        :param force_reload: bool, look at the files now.
        :returns: None
        """
        if (not force_reload and self._next_check is not None
                and self._clock() < self._next_check):
            return
        with self._lock:
            if (not force_reload and self._next_check is not None
                    and self._clock() < self._next_check):
                return
            self._reload(force_reload)
            self._next_check = self._clock() + self._recheck_seconds

    def _files(self):
        """The policy file and the files of the policy directories."""
        found = []
        path = self.conf.find_file(self.conf.oslo_policy.policy_file)
        found.append(('file', self.conf.oslo_policy.policy_file, path))
        for directory in self.conf.oslo_policy.policy_dirs:
            path = self.conf.find_file(directory)
            if path and os.path.isdir(path):
                for name in sorted(os.listdir(path)):
                    found.append(('dir', name, os.path.join(path, name)))
        return found

    @staticmethod
    def _signature(files):
        signature = []
        for kind, name, path in files:
            try:
                stat = os.stat(path) if path else None
            except OSError:
                stat = None
            signature.append((kind, name, path, stat and (
                stat.st_ino, stat.st_size, stat.st_mtime_ns)))
        return tuple(signature)

    def _check(self, files):
        """Say what is wrong with the files, or None."""
        for kind, name, path in files:
            if path is None:
                had = self._loaded_from and any(
                    entry[:2] == (kind, name) and entry[2]
                    for entry in self._loaded_from)
                if had:
                    return 'the policy file %s is gone' % name
                continue
            try:
                read_policy_file(path)
            except PolicyFileError as exc:
                return str(exc)
        return None

    def _reload(self, force_reload):
        files = self._files()
        signature = self._signature(files)
        # Files already looked at, good or bad, are not parsed again: a
        # broken file is reported once, not every RECHECK_SECONDS.
        if not force_reload and signature == self._seen:
            return
        problem = self._check(files)
        self._seen = signature
        if problem is None:
            candidate = oslo_policy.Enforcer(self.conf)
            candidate.register_defaults(self.registered_rules.values())
            candidate.load_rules(force_reload=True)
            if self._signature(self._files()) != signature:
                # Changed while being read: look again next time.
                self._seen = None
                return
            self.rules = candidate.rules
            self.file_rules = candidate.file_rules
            self._loaded_from = signature
            self.denying = False
            if self.problem is not None:
                LOG.warning('Policy files usable again; rules reloaded.')
                self.problem = None
            return
        if self._loaded_from is None and not self.denying:
            # No good rules yet: deny everything rather than guess.
            self.rules = oslo_policy.Rules({}, self.default_rule)
            self.denying = True
        if problem != self.problem:
            self.problem = problem
            LOG.error('Policy files unusable: %s; %s.', problem,
                      'every request is denied' if self.denying else
                      'the last good rules stay in force')

    def status(self):
        """Report the state of the rules for the health check.

        :returns: ``(available, reason)``: bool, False only when every
            request is denied; str.
        """
        self.load_rules()
        if self.denying:
            return False, ('policy unusable, every request denied: %s'
                           % self.problem)
        if self.problem is not None:
            return True, ('policy file problem, last good rules in force: '
                          '%s' % self.problem)
        return True, 'policy rules loaded'


def make_enforcer(conf):
    """Build an enforcer holding every registered rule default.

    :param conf: a parsed :class:`oslo_config.cfg.ConfigOpts`.
    :returns: :class:`ReloadingEnforcer`, also found by
        :func:`enforcer_for` with the same ``conf``.
    """
    enforcer = ReloadingEnforcer(conf)
    enforcer.register_defaults(policies.list_rules())
    _ENFORCERS[id(conf)] = enforcer
    return enforcer


def enforcer_for(conf):
    """The enforcer :func:`make_enforcer` built last for ``conf``.

    :param conf: the ConfigOpts given to :func:`make_enforcer`.
    :returns: :class:`ReloadingEnforcer` or None.
    """
    return _ENFORCERS.get(id(conf))


def get_enforcer():
    """Enforcer for the ``oslo.policy.enforcer`` entry point.

    Used by ``oslopolicy-policy-generator`` and friends, which know no
    service configuration: it reads the default configuration files of
    project ``freezer-api``.

    :returns: :class:`oslo_policy.policy.Enforcer`.
    """
    conf = cfg.ConfigOpts()
    conf([], project='freezer-api')
    return make_enforcer(conf)


def authorize(enforcer, context, rule, project_id):
    """Check one rule for a caller against a project.

    :param enforcer: the :class:`oslo_policy.policy.Enforcer`.
    :param context: the caller's :class:`oslo_context.context.RequestContext`.
    :param rule: str, a registered rule name (a constant of
        :mod:`policies.actions`); an unregistered name raises
        :class:`oslo_policy.policy.PolicyNotRegistered`, never falling back
        to a default rule.
    :param project_id: str, the project of the URL (the policy target).
    :returns: None
    :raises api.errors.Forbidden: the rule denies the caller.
    """
    target = {'project_id': project_id}
    try:
        enforcer.authorize(rule, target, context, do_raise=True)
    except oslo_policy.PolicyNotAuthorized:
        raise errors.Forbidden(rule)
    except oslo_policy.InvalidScope:
        raise errors.Forbidden(rule)


def authorize_any(enforcer, context, rules, project_id):
    """Check that a caller passes at least one of several rules.

    The first step of a check in two steps (spec ``clients.md``,
    "Routes": before the body is read a registration needs
    ``clients:create`` or ``clients:create_central``; the controller
    checks the one the body needs once it is parsed).

    :param enforcer: as :func:`authorize`.
    :param context: as :func:`authorize`.
    :param rules: tuple of registered rule names, in the order they are
        tried; the first is the one a refusal names.
    :param project_id: str, the project of the URL.
    :returns: None
    :raises api.errors.Forbidden: every rule denies the caller.
    """
    for rule in rules[1:]:
        try:
            authorize(enforcer, context, rule, project_id)
            return
        except errors.Forbidden:
            continue
    authorize(enforcer, context, rules[0], project_id)
