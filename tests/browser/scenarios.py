"""Browser scenarios: freezer-web-ui in Horizon against this service.

Run by ``run.sh`` with the Python of the harness's virtualenv (Selenium,
keystoneauth1), never by stestr: it needs a running Keystone, API and
Horizon. Each scenario drives headless Chromium through the panel, checks
what the page shows and then what the API holds (read back with the
member's own Keystone token), and saves a screenshot of its last page as
``<artifacts>/<scenario>.png``.

A scenario names the API resources it needs (``needs``); ``run.sh`` runs
only those whose resources have landed (``FZ_BROWSER_RESOURCES``) and whose
name matches ``FZ_BROWSER_SELECT``, so CI never holds expected failures.
To add one, write a function taking a :class:`Run` and decorate it with
:func:`scenario`; raise :class:`ScenarioFailed` (or let an assertion or a
Selenium error propagate) to fail it.

Output: ``PASS|FAIL name: detail`` per scenario, then ``N passed, N
failed``; exit status 0 only when every selected scenario passed.
"""

import argparse
import json
import os
import re
import sys
import time
import traceback
import uuid

from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from selenium import webdriver
from selenium.common import exceptions as se
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support.ui import WebDriverWait

#: Every resource a scenario may need, in the order the panels show them.
RESOURCES = ('actions', 'jobs', 'sessions', 'clients', 'backups')
#: Panel slug (URL ``/project/<slug>/``) per resource.
PANELS = {name: 'freezer-' + name for name in RESOURCES}
#: Seconds a page or element may take to appear.
WAIT = 30
#: What Horizon writes in place of a page it could not build.
NOT_A_PAGE = ('You are not authorized to access this page',
              'Something went wrong', 'Server error')

SCENARIOS = []


class ScenarioFailed(Exception):
    """A scenario's check did not hold; the message says what was seen."""


def scenario(needs=()):
    """Register the decorated function as a scenario.

    :param needs: names from :data:`RESOURCES` the scenario needs the
        service to implement.
    :returns: the decorator; the function keeps its name, which is the
        scenario's name.
    """
    def register(func):
        unknown = set(needs) - set(RESOURCES)
        assert not unknown, unknown
        SCENARIOS.append((func.__name__, tuple(needs), func))
        return func
    return register


class Run(object):
    """What a scenario works with: the browser, Horizon, the API.

    :param driver: a Selenium WebDriver (headless Chromium).
    :param horizon_url: Horizon's base URL, ``http://127.0.0.1:PORT``.
    :param identity: the provisioning facts of ``tools/keystone``
        (``test-keystone.json``: ``auth_url``, ``password``, ``users``).
    :param artifacts: directory for the screenshots.
    """

    def __init__(self, driver, horizon_url, identity, artifacts):
        self.driver = driver
        self.horizon_url = horizon_url.rstrip('/')
        self.identity = identity
        self.artifacts = artifacts
        self.tag = 'fzbrowser-' + uuid.uuid4().hex[:8]
        self._sessions = {}
        self.cleanups = []

    # -- the browser --------------------------------------------------
    def open(self, path):
        """Load ``horizon_url + path`` and wait for the page to be ready.

        :returns: None
        """
        self.driver.get(self.horizon_url + path)
        WebDriverWait(self.driver, WAIT).until(
            lambda d: d.execute_script('return document.readyState')
            == 'complete')

    def login(self, user='demo'):
        """Log in through Horizon's login form as ``user``.

        :returns: None
        :raises ScenarioFailed: the login page comes back (wrong
            credentials, Keystone unreachable: its message is quoted).
        """
        self.driver.delete_all_cookies()
        self.open('/auth/login/')
        self.driver.find_element(By.ID, 'id_username').send_keys(user)
        self.driver.find_element(By.ID, 'id_password').send_keys(
            self.identity['password'])
        self.driver.find_element(By.ID, 'loginBtn').click()
        try:
            WebDriverWait(self.driver, WAIT).until(
                lambda d: '/auth/login' not in d.current_url)
        except se.TimeoutException:
            raise ScenarioFailed('still on the login page: %s'
                                 % self.error_text())

    def error_text(self):
        """The text of every error banner and error page on the page.

        Horizon shows errors as ``.alert-danger`` messages; a server
        error is a page titled with the status; a view whose service is
        refused shows "You are not authorized to access this page".

        :returns: the texts joined by `` | ``, '' when there is none.
        """
        texts = [e.text.strip() for e in self.driver.find_elements(
            By.CSS_SELECTOR, '.alert-danger, .alert-error, .error-box')]
        title = self.driver.title or ''
        if re.search(r'\b(500|404|403|Error)\b', title):
            texts.append('title: ' + title)
        body = self.driver.find_element(By.TAG_NAME, 'body').text
        for phrase in NOT_A_PAGE:
            if phrase in body:
                texts.append(phrase)
        return ' | '.join(t for t in texts if t)

    def open_panel(self, resource):
        """Open the panel of ``resource`` and check it has no error.

        :returns: the text of the panel's table.
        :raises ScenarioFailed: an error banner or error page is shown, or
            the panel has no table.
        """
        self.open('/project/%s/' % PANELS[resource])
        errors = self.error_text()
        if errors:
            raise ScenarioFailed('%s panel shows: %s' % (resource, errors))
        tables = self.driver.find_elements(By.CSS_SELECTOR, 'table')
        if not tables:
            raise ScenarioFailed('%s panel has no table' % resource)
        return tables[0].text

    def screenshot(self, name):
        """Save the current page as ``<artifacts>/<name>.png``.

        :returns: the file's path.
        """
        path = os.path.join(self.artifacts, name + '.png')
        self.driver.save_screenshot(path)
        return path

    # -- the API ------------------------------------------------------
    def api(self, method, path, body=None, user='demo', ok=(200, 201, 204)):
        """Call the service as ``user``, with that user's Keystone token.

        The endpoint is the catalog's ``backup`` endpoint, as for the
        panel; ``path`` follows ``/v2/<project_id>``.

        :returns: the decoded JSON answer, or None for an empty one.
        :raises ScenarioFailed: the status is not in ``ok``.
        """
        sess = self._session(user)
        project_id = self.identity['users'][user]['project_id']
        resp = sess.request(
            '/v2/%s%s' % (project_id, path), method, json=body,
            endpoint_filter={'service_type': 'backup',
                             'interface': 'public'},
            raise_exc=False)
        if resp.status_code not in ok:
            raise ScenarioFailed('%s %s answered %s: %s' % (
                method, path, resp.status_code, resp.text[:300]))
        return resp.json() if resp.content else None

    def _session(self, user):
        if user not in self._sessions:
            facts = self.identity['users'][user]
            auth = v3.Password(
                auth_url=self.identity['auth_url'], username=user,
                password=self.identity['password'],
                user_domain_id='default', project_id=facts['project_id'])
            self._sessions[user] = ks_session.Session(auth=auth)
        return self._sessions[user]


def _wait_for(run, condition, what):
    try:
        return WebDriverWait(run.driver, WAIT).until(condition)
    except se.TimeoutException:
        raise ScenarioFailed('no %s after %d s; page shows: %s' % (
            what, WAIT, run.error_text() or run.driver.title))


# ---------------------------------------------------------------- scenarios
@scenario()
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
        raise ScenarioFailed('error after login: ' + errors)
    menu = run.driver.find_element(By.CSS_SELECTOR, '.navbar').text
    if 'demo' not in menu:
        raise ScenarioFailed('the navigation bar does not name demo: %r'
                             % menu)
    catalog = run.driver.find_element(By.CSS_SELECTOR, 'table').text
    backup_url = run.identity['backup_url']
    if backup_url not in catalog:
        raise ScenarioFailed('API Access does not list %s: %r'
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
    return scenario(needs=(resource,))(check)


for _resource in RESOURCES:
    _panel_scenario(_resource)


@scenario(needs=('actions',))
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
        raise ScenarioFailed('%s (action %s) not in the actions table'
                             % (name, created['action_id']))
    return 'action %s listed as %s' % (created['action_id'], name)


@scenario(needs=('actions',))
def actions_create_in_panel(run):
    """The panel's Create Action form creates the action in the API."""
    name = run.tag + '-created'
    run.login('demo')
    run.open('/project/%s/create/' % PANELS['actions'])
    errors = run.error_text()
    if errors:
        raise ScenarioFailed('create form shows: ' + errors)
    _fill_action_form(run, name, '/srv/web')
    _submit_form(run, '/create/')
    text = run.open_panel('actions')
    if name not in text:
        raise ScenarioFailed('%s not in the actions table' % name)
    listed = run.api('GET', '/actions/?limit=100', None)['actions']
    mine = [a for a in listed
            if a.get('freezer_action', {}).get('backup_name') == name]
    for action in mine:
        run.cleanups.append(('DELETE', '/actions/%s' % action['action_id']))
    if len(mine) != 1:
        raise ScenarioFailed('the API holds %d actions named %s'
                             % (len(mine), name))
    held = mine[0]['freezer_action']
    wanted = {'action': 'backup', 'mode': 'fs', 'storage': 'local',
              'path_to_backup': '/srv/web', 'container': '/var/backups'}
    wrong = {k: held.get(k) for k, v in wanted.items() if held.get(k) != v}
    if wrong:
        raise ScenarioFailed('the API holds %s instead of %s'
                             % (wrong, wanted))
    return 'action %s created through the panel' % mine[0]['action_id']


def _post_action(run, name, path='/srv/data'):
    """Create a backup action through the API; deleted after the scenario.

    :returns: its ``action_id``.
    """
    created = run.api('POST', '/actions/', {'freezer_action': {
        'action': 'backup', 'mode': 'fs', 'backup_name': name,
        'path_to_backup': path, 'container': '/var/backups',
        'storage': 'local'}})
    run.cleanups.append(('DELETE', '/actions/%s' % created['action_id']))
    return created['action_id']


def _fill_action_form(run, name, path):
    """Fill the Create Action form: a backup of ``path``, local storage."""
    driver = run.driver
    driver.find_element(By.ID, 'id_backup_name').send_keys(name)
    Select(driver.find_element(By.ID, 'id_action')).select_by_value('backup')
    Select(driver.find_element(By.ID, 'id_mode')).select_by_value('fs')
    Select(driver.find_element(By.ID, 'id_storage')).select_by_value('local')
    driver.find_element(By.ID, 'id_path_to_backup').send_keys(path)
    driver.find_element(By.ID, 'id_container').send_keys('/var/backups')


def _submit_form(run, leaving):
    """Submit the page's workflow form; wait until the URL leaves ``leaving``.

    :raises ScenarioFailed: the form stays (its field errors are quoted)
        or the next page shows an error.
    """
    run.driver.find_element(
        By.CSS_SELECTOR, 'form [type=submit].btn-primary').click()
    try:
        WebDriverWait(run.driver, WAIT).until(
            lambda d: leaving not in d.current_url)
    except se.TimeoutException:
        fields = [e.text for e in run.driver.find_elements(
            By.CSS_SELECTOR, '.has-error, .help-block.error, .alert')]
        raise ScenarioFailed('the form stayed: %s'
                             % (' | '.join(fields) or run.error_text()))
    errors = run.error_text()
    if errors:
        raise ScenarioFailed('after submitting: ' + errors)


@scenario(needs=('actions',))
def actions_edit_in_panel(run):
    """The panel's Edit form changes an action; the API holds the change."""
    action_id = _post_action(run, run.tag + '-edit', '/srv/before')
    run.login('demo')
    path = '/project/%s/create/%s' % (PANELS['actions'], action_id)
    run.open(path)
    errors = run.error_text()
    if errors:
        raise ScenarioFailed('edit form shows: ' + errors)
    field = run.driver.find_element(By.ID, 'id_path_to_backup')
    if field.get_attribute('value') != '/srv/before':
        raise ScenarioFailed('the form shows path_to_backup %r, not the '
                             'stored /srv/before' % field.get_attribute('value'))
    field.clear()
    field.send_keys('/srv/after')
    _submit_form(run, '/create/')
    run.open_panel('actions')
    held = run.api('GET', '/actions/%s' % action_id)['freezer_action']
    if held.get('path_to_backup') != '/srv/after':
        raise ScenarioFailed('the API holds path_to_backup %r'
                             % held.get('path_to_backup'))
    return 'action %s edited: path_to_backup /srv/before -> /srv/after' % (
        action_id)


@scenario(needs=('actions',))
def actions_delete_in_panel(run):
    """Deleting an action in the panel removes it from the API (404)."""
    name = run.tag + '-delete'
    action_id = _post_action(run, name)
    run.login('demo')
    run.open_panel('actions')
    driver = run.driver
    row = driver.find_element(
        By.XPATH, '//tr[.//a[normalize-space()="%s"]]' % name)
    # Horizon's theme hides the checkbox itself behind a styled label.
    driver.execute_script('arguments[0].click()', row.find_element(
        By.CSS_SELECTOR, 'input[type=checkbox]'))
    driver.find_element(
        By.ID, 'actions_table__action_delete_multiple_actions').click()
    _wait_for(run, ec.element_to_be_clickable(
        (By.CSS_SELECTOR, '.modal-footer .btn-danger')),
        'confirmation dialog').click()
    _wait_for(run, ec.staleness_of(row), 'reloaded actions table')
    errors = run.error_text()
    if errors:
        raise ScenarioFailed('after delete: ' + errors)
    text = run.open_panel('actions')
    if name in text:
        raise ScenarioFailed('%s still listed after delete' % name)
    run.api('GET', '/actions/%s' % action_id, ok=(404,))
    return 'action %s deleted in the panel; the API answers 404' % action_id


@scenario(needs=('actions',))
def reader_actions_listed(run):
    """A reader of the project sees its actions in the panel."""
    listed = run.tag + '-seen'
    _post_action(run, listed)
    run.login('demo_reader')
    text = run.open_panel('actions')
    if listed not in text:
        raise ScenarioFailed('the reader does not see %s' % listed)
    return 'demo_reader sees %s' % listed


@scenario(needs=('actions',))
def reader_actions_create_refused(run):
    """A reader's Create Action is refused with Horizon's error message.

    Issue 19: every write of a reader is refused with Horizon's error
    message, not a 500 page, and the API holds nothing new. Fails with
    freezer-web-ui 19.0.0 as Horizon is set up by default: the panel
    lets freezerclient's ApiClientException (raised for the API's 403)
    escape, which Horizon answers with a 500 page ("Something went
    wrong"); see README.rst.
    """
    refused = run.tag + '-refused'
    run.login('demo_reader')
    run.open('/project/%s/create/' % PANELS['actions'])
    _fill_action_form(run, refused, '/srv/web')
    run.driver.find_element(
        By.CSS_SELECTOR, 'form [type=submit].btn-primary').click()
    shown = _wait_for(run, lambda d: run.error_text() or None,
                      "Horizon's error message")
    if any(phrase in shown for phrase in NOT_A_PAGE):
        raise ScenarioFailed('an error page instead of a message: ' + shown)
    held = run.api('GET', '/actions/?limit=100')['actions']
    if any(a.get('freezer_action', {}).get('backup_name') == refused
           for a in held):
        raise ScenarioFailed('the API holds the refused action')
    return 'create refused with %r' % shown[:120]


def _listed_scenario(resource, needs, path, body, shown):
    """A scenario: a document posted through the API shows in its panel.

    :param resource: the panel, a name of :data:`RESOURCES`.
    :param needs: resources the scenario needs.
    :param path: collection path to POST to, after ``/v2/<project>``.
    :param body: callable ``body(run)`` returning the document.
    :param shown: callable ``shown(run)`` returning the text the panel's
        table must hold.
    """
    def check(run):
        created = run.api('POST', path, body(run))
        item_id = [v for k, v in created.items() if k.endswith('_id')][0]
        run.cleanups.append(('DELETE', '%s%s' % (path, item_id)))
        run.login('demo')
        text = run.open_panel(resource)
        if shown(run) not in text:
            raise ScenarioFailed('%s not in the %s table'
                                 % (shown(run), resource))
        return '%s %s listed as %s' % (resource, item_id, shown(run))
    check.__name__ = '%s_api_%s_listed' % (resource, resource[:-1])
    check.__doc__ = ('A %s posted through the API is listed in its panel.'
                     % resource[:-1])
    return scenario(needs=needs)(check)


# Written from shared/spec and the panels' tables; not yet run against
# the service (the resources have not landed).
_listed_scenario(
    'clients', ('clients',), '/clients/',
    lambda run: {'client_id': 'demo_%s.example.org' % run.tag,
                 'hostname': '%s.example.org' % run.tag,
                 'description': run.tag},
    lambda run: 'demo_%s.example.org' % run.tag)
_listed_scenario(
    'backups', ('backups',), '/backups/',
    lambda run: {'backup_name': run.tag, 'container': '/var/backups',
                 'hostname': 'host.example.org', 'mode': 'fs',
                 'storage': 'local', 'engine_name': 'tar',
                 'time_stamp': int(time.time()), 'level': 0,
                 'path_to_backup': '/srv/data', 'action': 'backup'},
    lambda run: run.tag)
_listed_scenario(
    'sessions', ('sessions',), '/sessions/',
    lambda run: {'description': run.tag, 'schedule': {}},
    lambda run: run.tag)


@scenario(needs=('jobs', 'clients'))
def jobs_api_job_listed(run):
    """A job posted through the API, for a registered client, is listed."""
    client_id = 'demo_%s.example.org' % run.tag
    run.api('POST', '/clients/', {'client_id': client_id,
                                  'hostname': '%s.example.org' % run.tag})
    run.cleanups.append(('DELETE', '/clients/%s' % client_id))
    created = run.api('POST', '/jobs/', {
        'client_id': client_id, 'description': run.tag, 'job_schedule': {},
        'job_actions': [{'freezer_action': {
            'action': 'backup', 'mode': 'fs', 'backup_name': run.tag,
            'path_to_backup': '/srv/data', 'container': '/var/backups',
            'storage': 'local'}, 'max_retries': 1}]})
    run.cleanups.append(('DELETE', '/jobs/%s' % created['job_id']))
    run.login('demo')
    text = run.open_panel('jobs')
    if run.tag not in text:
        raise ScenarioFailed('%s not in the jobs table' % run.tag)
    return 'job %s listed as %s' % (created['job_id'], run.tag)


# ------------------------------------------------------------------ runner
def _driver(chromium, chromedriver):
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ('--headless=new', '--no-sandbox', '--disable-gpu',
                '--disable-dev-shm-usage', '--window-size=1400,1000'):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(executable_path=chromedriver),
                            options=options)


def selected(select, resources):
    """The scenarios to run.

    :param select: regex searched in each scenario's name.
    :param resources: names of the landed resources.
    :returns: list of ``(name, needs, func)``.
    """
    pattern = re.compile(select)
    return [s for s in SCENARIOS
            if pattern.search(s[0]) and set(s[1]) <= set(resources)]


def main(argv=None):
    """Run the selected scenarios; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--horizon-url', required=True)
    parser.add_argument('--identity', required=True,
                        help='test-keystone.json of tools/keystone')
    parser.add_argument('--artifacts', required=True)
    parser.add_argument('--select', default='.')
    parser.add_argument('--resources', default=','.join(RESOURCES))
    parser.add_argument('--chromium', default='/usr/bin/chromium')
    parser.add_argument('--chromedriver', default='/usr/bin/chromedriver')
    parser.add_argument('--list', action='store_true')
    args = parser.parse_args(argv)
    chosen = selected(args.select, args.resources.split(','))
    if args.list:
        for name, needs, _func in SCENARIOS:
            print('%s needs=%s%s' % (name, ','.join(needs) or '-',
                                     '' if (name, needs, _func) in chosen
                                     else ' (not selected)'))
        return 0
    with open(args.identity) as f:
        identity = json.load(f)
    os.makedirs(args.artifacts, exist_ok=True)
    driver = _driver(args.chromium, args.chromedriver)
    passed = failed = 0
    try:
        for name, _needs, func in chosen:
            run = Run(driver, args.horizon_url, identity, args.artifacts)
            start = time.monotonic()
            try:
                detail = func(run)
                status = 'PASS'
            except Exception as exc:
                status = 'FAIL'
                detail = '%s: %s' % (type(exc).__name__,
                                     (str(exc).strip().splitlines()
                                      or [''])[0])
                traceback.print_exc(file=sys.stderr)
            try:
                run.screenshot(name)
            except se.WebDriverException as exc:
                detail += ' (no screenshot: %s)' % exc
            for method, path in reversed(run.cleanups):
                try:
                    run.api(method, path, ok=(200, 204, 404))
                except Exception as exc:
                    print('cleanup %s %s: %s' % (method, path, exc),
                          file=sys.stderr)
            print('%s %s: %s [%.1fs]' % (status, name, detail,
                                         time.monotonic() - start))
            sys.stdout.flush()
            if status == 'PASS':
                passed += 1
            else:
                failed += 1
    finally:
        driver.quit()
    print('%d passed, %d failed' % (passed, failed))
    return 0 if passed and not failed else 1


if __name__ == '__main__':
    sys.exit(main())
