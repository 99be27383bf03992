"""Keystone trusts for jobs run by central schedulers (spec ``jobs.md``,
"Trusts (central clients)").

A central freezer-scheduler serves many projects with one service
account; to act in a job's project it needs a trust from the job's
owner. When ``[centralized_scheduler] enabled`` is true and a job is
written for a central client (or ``enforce_trusts`` is true), the API
asks Keystone, with the caller's own token, for a trust:

* trustor: the caller; project: the URL project;
* trustee: the user of the ``[centralized_scheduler]`` keystoneauth1
  options (``auth_type``/``auth_section``: the central scheduler's
  account);
* roles: ``trusts_delegated_roles`` (default ``member``); no
  impersonation.

An unexpired trust of the same trustor, project and trustee holding
those roles is reused (tempest ``test_trust_creation_and_reuse``: two jobs
share one ``trust_id``). The broker is built by the daemon (the
composition root) and handed to the API; ``auth_strategy = noauth``
turns trusts off (there is no token to delegate from).
"""

import datetime

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
from oslo_config import cfg
from oslo_log import log as logging

from freezer_core import errors

LOG = logging.getLogger(__name__)

GROUP = 'centralized_scheduler'

OPTS = [
    cfg.BoolOpt('enabled', default=False,
                help='Give jobs of central clients a Keystone trust from '
                     'their owner, so that a central freezer-scheduler can '
                     "act in the job's project."),
    cfg.BoolOpt('enforce_trusts', default=False,
                help='With enabled, give every job a trust, not only '
                     'the jobs of central clients.'),
    cfg.ListOpt('trusts_delegated_roles', default=['member'],
                help='Roles the trustor delegates to the central '
                     "scheduler's account in the job's project."),
]

#: Seconds a Keystone request may take before the write answers 503.
KEYSTONE_TIMEOUT = 10


class IdentityUnavailable(errors.StorageUnavailable):
    """Keystone cannot be reached, or the trustee is not configured.

    Answered 503 like any unavailable collaborator; nothing is written.
    """

    title = 'Service Unavailable'


class TrustRefused(errors.Unprocessable):
    """Keystone refused to create the trust (the caller cannot delegate).

    Answered 422 ``Missing required credentials`` (spec ``jobs.md``,
    "Trusts"); nothing is written.
    """

    title = 'Missing required credentials'


def register_opts(conf):
    """Register ``[centralized_scheduler]`` on a ConfigOpts.

    :param conf: :class:`oslo_config.cfg.ConfigOpts`.
    :returns: None
    """
    conf.register_opts(OPTS, group=GROUP)
    ks_loading.register_auth_conf_options(conf, GROUP)
    ks_loading.register_session_conf_options(conf, GROUP)


def list_opts():
    """The options of this module, for the sample configuration.

    :returns: list of one ``(group, [Opt, ...])`` pair.
    """
    return [(GROUP, OPTS + ks_loading.get_session_conf_options()
             + ks_loading.get_auth_common_conf_options())]


def _expired(trust, now):
    expires_at = trust.get('expires_at')
    if not expires_at:
        return False
    when = datetime.datetime.fromisoformat(expires_at.replace('Z', '+00:00'))
    return when <= now


class TrustBroker(object):
    """Creates or reuses the trust a central client's job needs.

    :param conf: the parsed configuration (``[DEFAULT] auth_strategy`` and
        ``[centralized_scheduler]``).
    """

    def __init__(self, conf):
        self._conf = conf
        self._group = conf[GROUP]
        self._trustee_auth = None
        self._session = None
        self._trustee_user_id = None

    def needed(self, client_is_central):
        """Tell whether a job write must carry a trust.

        :param client_is_central: bool, the job's client is central.
        :returns: bool: trusts are enabled, the service validates real
            tokens, and the client is central or trusts are enforced.
        """
        return (self._group.enabled
                and self._conf.auth_strategy == 'keystone'
                and (client_is_central or self._group.enforce_trusts))

    def _trustee(self):
        """The trustee's auth plugin and a session, loaded once.

        :raises IdentityUnavailable: no ``[centralized_scheduler]``
            credentials are configured.
        """
        if self._trustee_auth is None:
            auth = ks_loading.load_auth_from_conf_options(self._conf, GROUP)
            if auth is None:
                raise IdentityUnavailable(
                    'Trusts are enabled but [%s] names no Keystone '
                    'credentials for the central scheduler.' % GROUP)
            self._session = ks_loading.load_session_from_conf_options(
                self._conf, GROUP, auth=auth)
            self._session.timeout = (self._session.timeout
                                     or KEYSTONE_TIMEOUT)
            self._trustee_auth = auth
        return self._trustee_auth, self._session

    def _identity_url(self, auth, session):
        url = getattr(auth, 'auth_url', None) or session.get_endpoint(
            auth=auth, service_type='identity', interface='public')
        url = url.rstrip('/')
        return url if url.endswith('/v3') else url + '/v3'

    def ensure(self, token, trustor_user_id, project_id):
        """Return the trust a job of this caller and project runs under.

        :param token: str, the caller's Keystone token (``X-Auth-Token``).
        :param trustor_user_id: str, the caller's user id.
        :param project_id: str, the URL project.
        :returns: dict ``{"trust_id": str, "trustor_user_id": str}``, the
            job's ``user_credentials``.
        :raises IdentityUnavailable: Keystone is unreachable or the
            trustee is not configured (503).
        :raises TrustRefused: Keystone refused the delegation (422).
        """
        auth, session = self._trustee()
        try:
            if self._trustee_user_id is None:
                self._trustee_user_id = auth.get_user_id(session)
            url = self._identity_url(auth, session) + '/OS-TRUST/trusts'
            caller = ks_session.Session(
                auth=token_endpoint.Token(url, token),
                timeout=session.timeout)
            trust = (self._reusable(caller, url, trustor_user_id,
                                    project_id)
                     or self._create(caller, url, trustor_user_id,
                                     project_id))
        except (ks_exceptions.ConnectFailure, ks_exceptions.ConnectionError,
                ks_exceptions.DiscoveryFailure,
                ks_exceptions.ServiceUnavailable) as exc:
            LOG.warning('Keystone unreachable for a trust: %s', exc)
            raise IdentityUnavailable(
                'The identity service cannot be reached to delegate the '
                'job; retry later.') from exc
        except ks_exceptions.Unauthorized as exc:
            if self._trustee_user_id is None:
                raise IdentityUnavailable(
                    'The central scheduler credentials of [%s] are '
                    'refused by Keystone.' % GROUP) from exc
            raise TrustRefused(
                'Missing required credentials: Keystone refused to '
                'delegate to the central scheduler.') from exc
        except (ks_exceptions.Forbidden, ks_exceptions.NotFound,
                ks_exceptions.BadRequest) as exc:
            raise TrustRefused(
                'Missing required credentials: Keystone refused to '
                'delegate to the central scheduler.') from exc
        return {'trust_id': trust['id'],
                'trustor_user_id': trustor_user_id}

    def forget(self, token, trust_id):
        """Delete a trust no job uses any more, as the caller; best effort.

        Keystone lets the trustor (or an admin) delete a trust, so a job
        deleted by another member leaves its trust in place. Every failure
        (Keystone unreachable or refusing, the trustee unconfigured) is
        logged and swallowed: the job is already deleted (spec
        ``jobs.md``, "Writes", DELETE: "never fails the delete").

        :param token: str, the caller's Keystone token.
        :param trust_id: str, the trust's id.
        :returns: bool, True when Keystone deleted it (or had no such
            trust any more).
        """
        try:
            auth, session = self._trustee()
            url = '%s/OS-TRUST/trusts/%s' % (
                self._identity_url(auth, session), trust_id)
            caller = ks_session.Session(
                auth=token_endpoint.Token(url, token),
                timeout=session.timeout)
            caller.delete(url)
        except ks_exceptions.NotFound:
            return True
        except (errors.StorageUnavailable,
                ks_exceptions.ClientException) as exc:
            LOG.warning('Trust %s is no longer used by any job but was '
                        'not deleted: %s', trust_id, exc)
            return False
        LOG.info('Trust %s deleted with the last job using it', trust_id)
        return True

    def _reusable(self, caller, url, trustor_user_id, project_id):
        """An unexpired trust of the same trio and roles, or None.

        Keystone's trust list leaves the roles out, so each candidate of
        the right trio is read whole before it is reused; one deleted in
        between is passed over.
        """
        trusts = caller.get(
            url, params={'trustor_user_id': trustor_user_id}).json()['trusts']
        now = datetime.datetime.now(datetime.timezone.utc)
        wanted = set(self._group.trusts_delegated_roles)
        for trust in trusts:
            if (trust.get('project_id') != project_id
                    or trust.get('trustee_user_id') != self._trustee_user_id
                    or trust.get('impersonation')
                    or trust.get('remaining_uses') is not None
                    or _expired(trust, now)):
                continue
            found = caller.get('%s/%s' % (url, trust['id']),
                               raise_exc=False)
            if found.status_code == 404:
                # Deleted since it was listed (the last job using it was
                # deleted meanwhile): not reusable.
                continue
            if found.status_code >= 400:
                raise ks_exceptions.from_response(found, 'GET', url)
            whole = found.json()['trust']
            if wanted <= {role.get('name') for role in whole['roles']}:
                return whole
        return None

    def _create(self, caller, url, trustor_user_id, project_id):
        body = {'trust': {
            'trustor_user_id': trustor_user_id,
            'trustee_user_id': self._trustee_user_id,
            'project_id': project_id,
            'impersonation': False,
            'roles': [{'name': name}
                      for name in self._group.trusts_delegated_roles],
        }}
        trust = caller.post(url, json=body).json()['trust']
        LOG.info('Trust %s created for user %s in project %s',
                 trust['id'], trustor_user_id, project_id)
        return trust
