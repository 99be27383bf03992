"""Create the identities the Freezer API tests need in a test Keystone.

Run by ``server.sh start`` with the Python of the Keystone virtualenv
(keystoneauth1 comes with keystone), as the bootstrap ``admin`` user of
project ``admin``. Every step finds before it creates, so running it twice
changes nothing but the passwords (reset to ``--password``).

Identities (domain ``Default``), one per persona of the policy matrix
(``tests/functional/api/policy_matrix/``):

=============  =========  ==========  ===================================
user           project    role        persona
=============  =========  ==========  ===================================
admin          admin      admin       admin (from ``bootstrap``)
demo           demo       member      member of the URL project
demo_reader    demo       reader      reader of the URL project
demo_observer  demo       observer    a role the service knows nothing of
alt_demo       alt_demo   member      member of another project
freezer        service    service     service account; also the user
                                      keystonemiddleware validates with
=============  =========  ==========  ===================================

Keystone's bootstrap makes ``admin`` imply ``manager``, ``manager`` imply
``member`` and ``member`` imply ``reader``, so tokens carry those too.

Registers the service type ``backup`` (name ``freezer``) with public,
internal and admin endpoints at ``--backup-url``.

Writes into ``--state-dir``:

* ``test-keystone.json``: URLs, password, and per user its id, project
  name, project id and assigned roles (read by the tests);
* ``keystone_authtoken.conf``: the ``[keystone_authtoken]`` section for
  the API under test;
* ``tempest-accounts.yaml``: pre-provisioned accounts for tempest;
* ``env.sh``: ``FREEZER_TEST_KEYSTONE_URL`` and
  ``FREEZER_TEST_KEYSTONE_CREDENTIALS`` for the test run.
"""

import argparse
import json
import os
import sys

from keystoneauth1.identity import v3
from keystoneauth1 import session

DOMAIN = 'default'
INTERFACES = ('public', 'internal', 'admin')
PROJECTS = ('demo', 'alt_demo', 'service')
#: user -> (project, role); the role is assigned on that project only.
USERS = {
    'demo': ('demo', 'member'),
    'demo_reader': ('demo', 'reader'),
    'demo_observer': ('demo', 'observer'),
    'alt_demo': ('alt_demo', 'member'),
    'freezer': ('service', 'service'),
}
#: Roles created when missing (bootstrap makes the standard ones).
EXTRA_ROLES = ('observer',)


class Keystone(object):
    """JSON calls to Keystone's v3 API as the bootstrap admin.

    :param auth_url: str, the v3 URL.
    :param password: str, the admin password.
    """

    def __init__(self, auth_url, password):
        auth = v3.Password(auth_url=auth_url, username='admin',
                           password=password, project_name='admin',
                           user_domain_id=DOMAIN, project_domain_id=DOMAIN)
        self.session = session.Session(auth=auth)
        self.base = auth_url.rstrip('/')

    def call(self, method, path, body=None, **params):
        """Send one request; exit with the answer on any HTTP error.

        :returns: the decoded JSON body, or None when empty.
        """
        resp = self.session.request(self.base + path, method, json=body,
                                    params=params or None, raise_exc=False)
        if resp.status_code >= 400:
            sys.exit('provision: %s %s answered %s: %s' % (
                method, path, resp.status_code, resp.text[:300]))
        return resp.json() if resp.content else None

    def find_or_create(self, collection, key, query, body):
        """Return the id of the first match of ``query``, or create it."""
        found = self.call('GET', '/' + collection, **query)[collection]
        if found:
            return found[0]['id']
        return self.call('POST', '/' + collection, {key: body})[key]['id']


def provision(ks, password, backup_url, region):
    """Create every identity; returns the facts written for the tests.

    :returns: dict with ``projects`` {name: id}, ``users`` {name: {id,
        project, project_id, roles}}, ``backup_service_id``.
    """
    projects = {'admin': ks.find_or_create(
        'projects', 'project', {'name': 'admin', 'domain_id': DOMAIN}, None)}
    for name in PROJECTS:
        projects[name] = ks.find_or_create(
            'projects', 'project', {'name': name, 'domain_id': DOMAIN},
            {'name': name, 'domain_id': DOMAIN, 'enabled': True,
             'description': 'freezer-api tests'})
    for name in EXTRA_ROLES:
        ks.find_or_create('roles', 'role', {'name': name}, {'name': name})
    roles = {r['name']: r['id'] for r in ks.call('GET', '/roles')['roles']}

    users = {'admin': {'project': 'admin', 'roles': ['admin']}}
    users['admin']['id'] = ks.find_or_create(
        'users', 'user', {'name': 'admin', 'domain_id': DOMAIN}, None)
    for name, (project, role) in sorted(USERS.items()):
        user_id = ks.find_or_create(
            'users', 'user', {'name': name, 'domain_id': DOMAIN},
            {'name': name, 'domain_id': DOMAIN, 'password': password,
             'enabled': True, 'default_project_id': projects[project]})
        # Re-runs keep the password given now.
        ks.call('PATCH', '/users/' + user_id,
                {'user': {'password': password, 'enabled': True}})
        ks.call('PUT', '/projects/%s/users/%s/roles/%s' % (
            projects[project], user_id, roles[role]))
        users[name] = {'id': user_id, 'project': project, 'roles': [role]}
    for user in users.values():
        user['project_id'] = projects[user['project']]

    service_id = ks.find_or_create(
        'services', 'service', {'type': 'backup'},
        {'type': 'backup', 'name': 'freezer', 'enabled': True,
         'description': 'Backup and restore (freezer-api)'})
    existing = ks.call('GET', '/endpoints', service_id=service_id)
    by_interface = {e['interface']: e for e in existing['endpoints']}
    for interface in INTERFACES:
        endpoint = by_interface.get(interface)
        if endpoint is None:
            ks.call('POST', '/endpoints', {'endpoint': {
                'service_id': service_id, 'interface': interface,
                'url': backup_url, 'region_id': region, 'enabled': True}})
        elif endpoint['url'] != backup_url:
            ks.call('PATCH', '/endpoints/' + endpoint['id'],
                    {'endpoint': {'url': backup_url}})
    return {'projects': projects, 'users': users,
            'backup_service_id': service_id}


def write_files(state_dir, facts, auth_url, password, region, backup_url):
    """Write the files listed in the module docstring."""
    base_url = auth_url.rsplit('/v3', 1)[0]
    facts = dict(facts, auth_url=auth_url, www_authenticate_uri=base_url,
                 password=password, region=region, backup_url=backup_url,
                 service_user='freezer')
    path = os.path.join(state_dir, 'test-keystone.json')
    _write(path, json.dumps(facts, indent=2, sort_keys=True) + '\n')
    _write(os.path.join(state_dir, 'keystone_authtoken.conf'), '\n'.join([
        '[keystone_authtoken]',
        'www_authenticate_uri = %s' % base_url,
        'auth_url = %s' % base_url,
        'auth_type = password',
        'username = freezer',
        'password = %s' % password,
        'project_name = service',
        'user_domain_name = Default',
        'project_domain_name = Default',
        'region_name = %s' % region,
        'interface = public',
        'service_type = backup',
        '']))
    accounts = []
    for user, extra in (('demo', "roles: ['member']"),
                        ('alt_demo', "roles: ['member']"),
                        ('admin', "types: ['admin']")):
        accounts += ["- username: '%s'" % user,
                     "  project_name: '%s'" % facts['users'][user]['project'],
                     "  password: '%s'" % password,
                     '  ' + extra]
    _write(os.path.join(state_dir, 'tempest-accounts.yaml'),
           '\n'.join(accounts) + '\n')
    _write(os.path.join(state_dir, 'env.sh'), '\n'.join([
        'export FREEZER_TEST_KEYSTONE_URL=%s' % auth_url,
        'export FREEZER_TEST_KEYSTONE_CREDENTIALS=%s' % path,
        '']))


def _write(path, text):
    tmp = path + '.tmp'
    with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
              'w') as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--auth-url', required=True)
    parser.add_argument('--password', required=True)
    parser.add_argument('--region', default='RegionOne')
    parser.add_argument('--backup-url', required=True)
    parser.add_argument('--state-dir', required=True)
    args = parser.parse_args()
    ks = Keystone(args.auth_url, args.password)
    facts = provision(ks, args.password, args.backup_url, args.region)
    write_files(args.state_dir, facts, args.auth_url, args.password,
                args.region, args.backup_url)
    print('provisioned users %s' % ', '.join(sorted(facts['users'])))
    return 0


if __name__ == '__main__':
    sys.exit(main())
