"""What every browser scenario works with: the registry and :class:`Run`.

A scenario is a function taking a :class:`Run`, registered with
:func:`scenario` (its name is the scenario's name); it raises
:class:`ScenarioFailed` (or lets an assertion or a Selenium error
propagate) to fail. :class:`Run` drives the browser through Horizon and
calls the API with a Keystone user's own token, so each scenario checks
what the page shows and then what the API holds. The scenario modules
(``panels``, ``workflows``, ``readers``) register themselves when
``scenarios.py`` imports them.
"""

import os
import re
import uuid

from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from selenium.common import exceptions as se
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
#: Readings of a page that is being replaced before its staleness is an
#: error (:meth:`Run.error_text`).
STALE_READS = 3
#: What Horizon writes in place of a page it could not build.
NOT_A_PAGE = ('You are not authorized to access this page',
              'Something went wrong', 'Server error')

SCENARIOS = []
#: What Chromium says, instead of a stale-element error, when an element
#: found on a page is read after the page was replaced.
DETACHED_NODE = 'does not belong to the document'


def page_replaced(exc):
    """Whether WebDriver error ``exc`` means the page was replaced.

    Selenium raises StaleElementReferenceException for an element of a
    replaced page; Chromium's inspector sometimes answers the same race
    with a plain WebDriverException "Node with given id does not belong
    to the document" (seen in CI on a table reloaded after a delete).

    :param exc: a ``selenium.common.exceptions.WebDriverException``.
    :returns: True for either form of the race, False for any other error.
    """
    return (isinstance(exc, se.StaleElementReferenceException)
            or DETACHED_NODE in (exc.msg or ''))


def replaced(element):
    """A wait condition: ``element``'s page has been replaced.

    Selenium's ``staleness_of`` knows only the stale-element error, so the
    Chromium form of the race (:func:`page_replaced`) would escape it.

    :param element: a WebElement found on the current page.
    :returns: a callable of the driver answering True once the element
        is gone with its page, False while it is still there.
    """
    def check(_driver):
        try:
            element.is_enabled()
        except se.WebDriverException as exc:
            if page_replaced(exc):
                return True
            raise
        return False
    return check


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
        :raises se.WebDriverException: the page was replaced
            (:func:`page_replaced`) under every one of :data:`STALE_READS`
            readings, or any other WebDriver error.
        """
        for attempt in range(STALE_READS):
            try:
                return self._error_texts()
            except se.WebDriverException as exc:
                # The page was replaced between finding and reading.
                if not page_replaced(exc) or attempt == STALE_READS - 1:
                    raise

    def _error_texts(self):
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

    # -- page helpers -------------------------------------------------
    def wait_for(self, condition, what):
        """Wait until ``condition(driver)`` is truthy.

        :returns: the condition's value.
        :raises ScenarioFailed: not within :data:`WAIT` seconds; the page's
            errors (or title) are quoted.
        """
        # A condition reading the page while it is replaced (a form
        # posted, a panel reloaded) finds its element gone: asked again.
        def asked(driver):
            try:
                return condition(driver)
            except se.WebDriverException as exc:
                if page_replaced(exc):
                    return False
                raise
        try:
            return WebDriverWait(self.driver, WAIT).until(asked)
        except se.TimeoutException:
            raise ScenarioFailed('no %s after %d s; page shows: %s' % (
                what, WAIT, self.error_text() or self.driver.title))

    def open_form(self, path):
        """Open a form page (a workflow served as a whole page).

        :raises ScenarioFailed: the page shows an error instead.
        """
        self.open(path)
        errors = self.error_text()
        if errors:
            raise ScenarioFailed('%s shows: %s' % (path, errors))

    def click_submit(self):
        """Click the page's primary submit button (a workflow's Save)."""
        self.driver.find_element(
            By.CSS_SELECTOR, 'form [type=submit].btn-primary').click()

    def submit_form(self, leaving):
        """Submit the page's form; wait until the URL leaves ``leaving``.

        :raises ScenarioFailed: the form stays (its field errors are
            quoted) or the next page shows an error.
        """
        self.click_submit()
        try:
            WebDriverWait(self.driver, WAIT).until(
                lambda d: leaving not in d.current_url)
        except se.TimeoutException:
            fields = [e.text for e in self.driver.find_elements(
                By.CSS_SELECTOR, '.has-error, .help-block.error, .alert')]
            raise ScenarioFailed('the form stayed: %s'
                                 % (' | '.join(fields) or self.error_text()))
        errors = self.error_text()
        if errors:
            raise ScenarioFailed('after submitting: ' + errors)

    def open_modal(self, link_id):
        """Click link ``link_id`` (a table's or row's ``ajax-modal`` link)
        and wait for its form in Horizon's modal, as a user opens it.

        :returns: the modal element.
        """
        link = self.driver.find_element(By.ID, link_id)
        self.driver.execute_script('arguments[0].click()', link)
        return self.wait_for(ec.visibility_of_element_located(
            (By.CSS_SELECTOR, '.modal form [type=submit].btn-primary')),
            'modal form of %s' % link_id)

    def submit_modal(self):
        """Submit the open modal form; wait for Horizon's answer.

        Horizon posts the form in the background and then loads the next
        page, which shows a success or error message; a form with field
        errors comes back in the modal.

        :returns: the success message.
        :raises ScenarioFailed: the form comes back (its field errors are
            quoted) or the next page shows an error.
        """
        self.driver.find_element(
            By.CSS_SELECTOR, '.modal form [type=submit].btn-primary').click()
        self.wait_for(lambda d: d.find_elements(
            By.CSS_SELECTOR, '.alert-success, .alert-danger, .alert-error, '
            '.modal form .has-error') or self.error_text(),
            "Horizon's answer to the form")
        fields = [e.text for e in self.driver.find_elements(
            By.CSS_SELECTOR, '.modal form .has-error')]
        if fields:
            raise ScenarioFailed('the form stayed: ' + ' | '.join(fields))
        errors = self.error_text()
        if errors:
            raise ScenarioFailed('after submitting: ' + errors)
        return self.driver.find_element(
            By.CSS_SELECTOR, '.alert-success').text

    def expect_refusal(self):
        """Wait for Horizon's error message after a refused write.

        :returns: the message's text.
        :raises ScenarioFailed: no message, or an error page (a 500 or
            "not authorized") instead of a message.
        """
        shown = self.wait_for(lambda d: self.error_text() or None,
                              "Horizon's error message")
        if any(phrase in shown for phrase in NOT_A_PAGE):
            raise ScenarioFailed('an error page instead of a message: '
                                 + shown)
        return shown

    def row(self, table, text):
        """The row of Horizon table ``table`` (its name) holding ``text``.

        :raises ScenarioFailed: no such row.
        """
        rows = self.driver.find_elements(
            By.XPATH, '//table[@id="%s"]//tbody/tr[contains(., "%s")]'
            % (table, text))
        if not rows:
            raise ScenarioFailed('no row with %s in the %s table'
                                 % (text, table))
        return rows[0]

    def click_row_action(self, table, text, action):
        """Click row action ``action`` (its name) in the row holding ``text``.

        Row actions after the first sit in a closed dropdown; the click is
        the browser's own click event on the hidden button, as when the
        dropdown is open.
        """
        button = self.row(table, text).find_element(
            By.CSS_SELECTOR, '[id$="__action_%s"]' % action)
        self.driver.execute_script('arguments[0].click()', button)

    def delete_row(self, table, text, table_action):
        """Select the row holding ``text`` and delete it, confirming.

        :param table_action: the table's delete action
            (``delete_multiple_jobs`` ...).
        :raises ScenarioFailed: the table is not reloaded, or shows an
            error afterwards.
        """
        row = self.row(table, text)
        # Horizon's theme hides the checkbox itself behind a styled label.
        self.driver.execute_script('arguments[0].click()', row.find_element(
            By.CSS_SELECTOR, 'input[type=checkbox]'))
        self.driver.find_element(
            By.ID, '%s__action_%s' % (table, table_action)).click()
        self.wait_for(ec.element_to_be_clickable(
            (By.CSS_SELECTOR, '.modal-footer .btn-danger')),
            'confirmation dialog').click()
        self.wait_for(replaced(row), 'reloaded %s table' % table)

    # -- API fixtures -------------------------------------------------
    def post_action(self, name, path='/srv/data', user='demo'):
        """Create a backup action through the API; deleted afterwards.

        :returns: its ``action_id``.
        """
        created = self.api('POST', '/actions/', {'freezer_action': {
            'action': 'backup', 'mode': 'fs', 'backup_name': name,
            'path_to_backup': path, 'container': '/var/backups',
            'storage': 'local'}}, user=user)
        self.cleanups.append(('DELETE', '/actions/%s' % created['action_id']))
        return created['action_id']

    def post(self, path, body, id_key):
        """POST ``body`` to collection ``path``; deleted afterwards.

        :returns: the new document's id (the answer's ``id_key``).
        """
        created = self.api('POST', path, body)
        self.cleanups.append(('DELETE', '%s%s' % (path, created[id_key])))
        return created[id_key]

    def register_client(self):
        """Register the client ``demo_<tag>.example.org``; removed afterwards.

        :returns: its ``client_id``.
        """
        client_id = 'demo_%s.example.org' % self.tag
        self.api('POST', '/clients/', {'client_id': client_id,
                                       'hostname': '%s.example.org' % self.tag,
                                       'description': self.tag})
        self.cleanups.append(('DELETE', '/clients/%s' % client_id))
        return client_id

    def post_job(self, client_id, description, action_names):
        """Create a job of backup actions through the API; deleted afterwards.

        :param action_names: a ``backup_name`` per action, in order.
        :returns: its ``job_id``.
        """
        created = self.api('POST', '/jobs/', {
            'client_id': client_id, 'description': description,
            'job_schedule': {},
            'job_actions': [{'freezer_action': {
                'action': 'backup', 'mode': 'fs', 'backup_name': name,
                'path_to_backup': '/srv/data', 'container': '/var/backups',
                'storage': 'local'}, 'max_retries': 1}
                for name in action_names]})
        self.cleanups.append(('DELETE', '/jobs/%s' % created['job_id']))
        return created['job_id']

    def listed(self, resource, user='demo', **match):
        """The documents of ``resource`` whose top-level keys match.

        :returns: list of documents (the API's list, up to 100).
        """
        docs = self.api('GET', '/%s/?limit=100' % resource, user=user)[
            resource]
        return [d for d in docs
                if all(d.get(k) == v for k, v in match.items())]


def fill_action_form(run, name, path):
    """Fill the Create Action form: a backup of ``path``, local storage."""
    driver = run.driver
    driver.find_element(By.ID, 'id_backup_name').send_keys(name)
    Select(driver.find_element(By.ID, 'id_action')).select_by_value('backup')
    Select(driver.find_element(By.ID, 'id_mode')).select_by_value('fs')
    Select(driver.find_element(By.ID, 'id_storage')).select_by_value('local')
    driver.find_element(By.ID, 'id_path_to_backup').send_keys(path)
    driver.find_element(By.ID, 'id_container').send_keys('/var/backups')
