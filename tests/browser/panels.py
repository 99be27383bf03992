"""Scenarios: logging in, every panel loading, API documents listed, and
the actions panel's create and edit (issue 19).

Registered in :mod:`harness` on import; ``scenarios.py`` runs them.
"""

import time

from selenium.webdriver.common.by import By

import harness

Failed = harness.ScenarioFailed


@harness.scenario()
def login_member(run):
    """A member logs in; API Access lists this service as ``backup``.

    Horizon's landing page (the compute overview) needs Nova, which this
    deployment lacks, so the check is on the API Access panel: the
    user's catalog, as Horizon got it from Keystone.
    """
    run.login('demo')
    run.open('/project/api_access/')
    errors = run.error_text()
    if errors:
        raise Failed('error after login: ' + errors)
    menu = run.driver.find_element(By.CSS_SELECTOR, '.navbar').text
    if 'demo' not in menu:
        raise Failed('the navigation bar does not name demo: %r'
                     % menu)
    catalog = run.driver.find_element(By.CSS_SELECTOR, 'table').text
    backup_url = run.identity['backup_url']
    if backup_url not in catalog:
        raise Failed('API Access does not list %s: %r'
                     % (backup_url, catalog))
    return 'demo logged in; API Access lists %s' % backup_url


def _panel_scenario(resource):
    def check(run):
        run.login('demo')
        text = run.open_panel(resource)
        return '%s panel loads without an error banner (%d lines)' % (
            resource, len(text.splitlines()))
    check.__name__ = 'panel_%s_loads' % resource
    check.__doc__ = 'The %s panel loads without an error banner.' % resource
    return harness.scenario(needs=(resource,))(check)


for _resource in harness.RESOURCES:
    _panel_scenario(_resource)


@harness.scenario(needs=('actions',))
def actions_api_action_listed(run):
    """An action posted through the API is listed in the actions panel."""
    name = run.tag + '-listed'
    created = run.api('POST', '/actions/', {'freezer_action': {
        'action': 'backup', 'mode': 'fs', 'backup_name': name,
        'path_to_backup': '/srv/data', 'container': '/var/backups',
        'storage': 'local'}})
    run.cleanups.append(('DELETE', '/actions/%s' % created['action_id']))
    run.login('demo')
    text = run.open_panel('actions')
    if name not in text:
        raise Failed('%s (action %s) not in the actions table'
                     % (name, created['action_id']))
    return 'action %s listed as %s' % (created['action_id'], name)


@harness.scenario(needs=('actions',))
def actions_create_in_panel(run):
    """The panel's Create Action form creates the action in the API."""
    name = run.tag + '-created'
    run.login('demo')
    run.open('/project/%s/create/' % harness.PANELS['actions'])
    errors = run.error_text()
    if errors:
        raise Failed('create form shows: ' + errors)
    harness.fill_action_form(run, name, '/srv/web')
    run.submit_form('/create/')
    text = run.open_panel('actions')
    if name not in text:
        raise Failed('%s not in the actions table' % name)
    listed = run.api('GET', '/actions/?limit=100', None)['actions']
    mine = [a for a in listed
            if a.get('freezer_action', {}).get('backup_name') == name]
    for action in mine:
        run.cleanups.append(('DELETE', '/actions/%s' % action['action_id']))
    if len(mine) != 1:
        raise Failed('the API holds %d actions named %s'
                     % (len(mine), name))
    held = mine[0]['freezer_action']
    wanted = {'action': 'backup', 'mode': 'fs', 'storage': 'local',
              'path_to_backup': '/srv/web', 'container': '/var/backups'}
    wrong = {k: held.get(k) for k, v in wanted.items() if held.get(k) != v}
    if wrong:
        raise Failed('the API holds %s instead of %s'
                     % (wrong, wanted))
    return 'action %s created through the panel' % mine[0]['action_id']


@harness.scenario(needs=('actions',))
def actions_edit_in_panel(run):
    """The panel's Edit form changes an action; the API holds the change."""
    action_id = run.post_action(run.tag + '-edit', '/srv/before')
    run.login('demo')
    path = '/project/%s/create/%s' % (harness.PANELS['actions'], action_id)
    run.open(path)
    errors = run.error_text()
    if errors:
        raise Failed('edit form shows: ' + errors)
    field = run.driver.find_element(By.ID, 'id_path_to_backup')
    if field.get_attribute('value') != '/srv/before':
        raise Failed('the form shows path_to_backup %r, not the '
                     'stored /srv/before' % field.get_attribute('value'))
    field.clear()
    field.send_keys('/srv/after')
    run.submit_form('/create/')
    run.open_panel('actions')
    held = run.api('GET', '/actions/%s' % action_id)['freezer_action']
    if held.get('path_to_backup') != '/srv/after':
        raise Failed('the API holds path_to_backup %r'
                     % held.get('path_to_backup'))
    return 'action %s edited: path_to_backup /srv/before -> /srv/after' % (
        action_id)


def _listed_scenario(resource, path, body, shown):
    """A scenario: a document posted through the API shows in its panel.

    :param resource: the panel, a name of :data:`harness.RESOURCES`; the
        scenario needs only that resource.
    :param path: collection path to POST to, after ``/v2/<project>``.
    :param body: callable ``body(run)`` returning the document.
    :param shown: callable ``shown(run)`` returning the texts one row of
        the panel's table must hold (the first finds the row).
    """
    def check(run):
        created = run.api('POST', path, body(run))
        item_id = [v for k, v in created.items() if k.endswith('_id')][0]
        run.cleanups.append(('DELETE', '%s%s' % (path, item_id)))
        run.login('demo')
        run.open_panel(resource)
        texts = shown(run)
        row = run.row(resource, texts[0]).text
        missing = [t for t in texts if t not in row]
        if missing:
            raise Failed('the %s row %r lacks %s' % (resource, row, missing))
        return '%s %s listed: %s' % (resource, item_id, ', '.join(texts))
    check.__name__ = '%s_api_%s_listed' % (resource, resource[:-1])
    check.__doc__ = ('A %s posted through the API is listed in its panel.'
                     % resource[:-1])
    return harness.scenario(needs=(resource,))(check)


_listed_scenario(
    'clients', '/clients/',
    lambda run: {'client_id': 'demo_%s.example.org' % run.tag,
                 'hostname': '%s.example.org' % run.tag,
                 'description': run.tag},
    lambda run: ('demo_%s.example.org' % run.tag,
                 '%s.example.org' % run.tag))
_listed_scenario(
    'backups', '/backups/', lambda run: backup_document(run.tag),
    lambda run: (run.tag, 'host.example.org'))
_listed_scenario(
    'sessions', '/sessions/',
    lambda run: {'description': run.tag, 'schedule': {}},
    lambda run: (run.tag,))


def backup_document(name):
    """A backup record as freezer-agent posts it: ``name``, level 0, now.

    :returns: the flat metadata document (``hostname`` is
        ``host.example.org``, ``time_stamp`` the current Unix time).
    """
    return {'backup_name': name, 'container': '/var/backups',
            'hostname': 'host.example.org', 'mode': 'fs',
            'storage': 'local', 'engine_name': 'tar',
            'time_stamp': int(time.time()), 'level': 0,
            'path_to_backup': '/srv/data', 'action': 'backup'}


@harness.scenario(needs=('jobs', 'clients'))
def jobs_api_job_listed(run):
    """A job posted through the API, for a registered client, is listed."""
    client_id = run.register_client()
    job_id = run.post_job(client_id, run.tag, [run.tag])
    run.login('demo')
    run.open_panel('jobs')
    row = run.row('jobs', run.tag).text
    # The Host column shows the client_id (the panel strips a
    # "<project_id>_" prefix only).
    if client_id not in row:
        raise Failed('the jobs row %r lacks the host %s' % (row, client_id))
    return 'job %s listed as %s on %s' % (job_id, run.tag, client_id)


#: One document of each resource, made through the API as demo, for the
#: delete and reader scenarios: resource -> (resources needed, the panel's
#: table, its delete action, ``make(run)`` returning ``(id, the text its
#: row shows)``).
FIXTURES = {
    'actions': (('actions',), 'actions_table', 'delete_multiple_actions',
                lambda run: (run.post_action(run.tag), run.tag)),
    'jobs': (('jobs', 'clients'), 'jobs', 'delete_multiple_jobs',
             lambda run: (run.post_job(run.register_client(), run.tag,
                                       [run.tag]), run.tag)),
    'sessions': (('sessions',), 'sessions', 'delete_multiple_actions',
                 lambda run: (run.post('/sessions/', {
                     'description': run.tag, 'schedule': {}}, 'session_id'),
                     run.tag)),
    'clients': (('clients',), 'clients', 'delete_multiple_clients',
                lambda run: (run.register_client(),
                             'demo_%s.example.org' % run.tag)),
    'backups': (('backups',), 'backups', 'delete_multiple_backups',
                lambda run: (run.post('/backups/', backup_document(run.tag),
                                      'backup_id'), run.tag)),
}
