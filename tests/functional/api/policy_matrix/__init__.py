"""The secure-RBAC matrix: every route for every persona, as data.

One YAML file per persona (the way placement keeps one gabbi file per
persona) gives the caller and the expected status of every operation
below. :class:`MatrixMixin` turns each (persona, operation) pair into one
test; the runners supply the caller's identity:

* ``tests/functional/api/test_policy_matrix.py``: ``noauth`` mode with
  ``X-Project-Id`` / ``X-Roles`` / ``X-User-Id`` headers (fast, always);
* ``tests/functional/keystone/test_policy_matrix_keystone.py``: real
  Keystone tokens through keystonemiddleware (the ``keystone_user`` of each
  file).

Each test starts from the same state: the action ``existing`` in the URL
project ``A`` and the action ``foreign`` in another project ``B``. A
permitted operation must have its effect and show only project A's data; a
refused one must answer a JSON error that names no action, and leave both
projects exactly as they were. Expected statuses are those of
``spec/actions.md`` ("Routes", "Project access").
"""

import copy
import os

import yaml

from api import routes
from tests.functional.api import base

HERE = os.path.dirname(os.path.abspath(__file__))

#: Project symbols of the caller in the persona files: ``url`` is the URL
#: project A, ``other`` is project B, which owns the foreign action.
URL_PROJECT = 'url'
OTHER_PROJECT = 'other'

EXISTING_ID = 'existing-action'
FOREIGN_ID = 'foreign-action'
NEW_ID = 'new-action'

#: The replacing document: differs from ``base.ACTION`` in a visible way.
REPLACEMENT = dict(copy.deepcopy(base.ACTION), max_retries=7)
#: The merge patch of ``update``.
PATCH = {'max_retries': 9}

#: operation -> (method, target, body). Targets: ``collection`` is
#: /v2/A/actions/, ``item`` the existing action, ``new_item`` an id no
#: project holds, ``foreign_item`` B's action through A's URL.
OPERATIONS = {
    'list': ('GET', 'collection', None),
    'list_head': ('HEAD', 'collection', None),
    'create': ('POST', 'collection', base.ACTION),
    'show': ('GET', 'item', None),
    'show_head': ('HEAD', 'item', None),
    'update': ('PATCH', 'item', PATCH),
    'replace': ('POST', 'item', REPLACEMENT),
    'create_by_id': ('POST', 'new_item', base.ACTION),
    'delete': ('DELETE', 'item', None),
    'show_foreign': ('GET', 'foreign_item', None),
    'update_foreign': ('PATCH', 'foreign_item', PATCH),
    'delete_foreign': ('DELETE', 'foreign_item', None),
}

#: The action routes of the registry (:data:`api.routes.ROUTES`) and the
#: methods each serves.
ROUTE_METHODS = {
    'collection': frozenset(routes.route_of(
        '/v2/{project_id}/actions').methods),
    'item': frozenset(routes.route_of(
        '/v2/{project_id}/actions/{action_id}').methods),
}


def load_personas():
    """Read every persona file of this directory.

    :returns: dict persona name (file stem) -> the decoded file: keys
        ``description`` (str), ``caller`` ({``project``: symbol,
        ``roles``: [str]}), ``keystone_user`` (str) and ``expect``
        ({operation: int status}).
    """
    personas = {}
    for name in sorted(os.listdir(HERE)):
        if name.endswith('.yaml'):
            with open(os.path.join(HERE, name)) as f:
                personas[name[:-len('.yaml')]] = yaml.safe_load(f)
    return personas


PERSONAS = load_personas()


def path_of(target, project, foreign_id=FOREIGN_ID):
    """The URL of an operation target in ``project`` (A's id)."""
    collection = '/v2/%s/actions' % project
    return {
        'collection': collection + '/',
        'item': '%s/%s' % (collection, EXISTING_ID),
        'new_item': '%s/%s' % (collection, NEW_ID),
        'foreign_item': '%s/%s' % (collection, foreign_id),
    }[target]


def add_matrix_tests(cls):
    """Class decorator: one ``test_<persona>_<operation>_<status>`` method
    per cell of every persona table.

    :param cls: a :class:`MatrixMixin` test case class.
    :returns: ``cls``.
    """
    for persona, table in PERSONAS.items():
        for operation, status in table['expect'].items():
            def test(self, persona=persona, operation=operation,
                     status=status):
                self.check_cell(persona, operation, status)
            test.__name__ = 'test_%s_%s_%s' % (persona, operation, status)
            test.__doc__ = '%s: %s %s -> %s' % (
                table['description'], OPERATIONS[operation][0],
                OPERATIONS[operation][1], status)
            setattr(cls, test.__name__, test)
    return cls


class MatrixMixin(object):
    """Runs one matrix cell; mixed into a :class:`base.ApiTestCase`.

    A runner defines:

    * ``caller(persona)``: request keyword arguments (``headers`` etc.)
      identifying the persona;
    * ``admin_caller()``: the same for an admin (used to set up and to
      inspect state);
    * ``project_a`` / ``project_b``: the project ids of symbols ``url``
      and ``other``;
    * ``user_id_of(persona)``: the user id the service will record.
    """

    def setUp(self):
        super().setUp()
        self.create_as_admin(self.project_a, EXISTING_ID)
        self.create_as_admin(self.project_b, FOREIGN_ID)
        self.before = self.state()

    def create_as_admin(self, project, action_id):
        resp = self.request('POST', '/v2/%s/actions/%s' % (project,
                                                           action_id),
                            base.ACTION, **self.admin_caller())
        self.assertEqual(201, resp.status_int, resp.body)

    def state(self):
        """Every record of projects A and B, as the admin sees them.

        :returns: dict project id -> list of records (list order).
        """
        found = {}
        for project in (self.project_a, self.project_b):
            resp = self.request('GET', '/v2/%s/actions/?limit=1000' % project,
                                **self.admin_caller())
            self.assertEqual(200, resp.status_int, resp.body)
            found[project] = resp.json['actions']
        return found

    def record(self, project, action_id):
        """The admin's view of one action, or None when it is absent."""
        for record in self.state()[project]:
            if record['action_id'] == action_id:
                return record
        return None

    def check_cell(self, persona, operation, status):
        """Send one operation as one persona and check status and effect.

        :param persona: str, a persona file stem.
        :param operation: str, a key of :data:`OPERATIONS`.
        :param status: int, the expected status.
        """
        method, target, body = OPERATIONS[operation]
        path = path_of(target, self.project_a)
        resp = self.request(method, path, body, **self.caller(persona))
        self.assertEqual(status, resp.status_int, resp.body)
        if status >= 400:
            self.assertRefusedCleanly(resp, status, method, path)
            return
        check = getattr(self, '_effect_of_' + operation)
        check(resp, persona)

    def assertRefusedCleanly(self, resp, status, method, path):
        """A refusal is a JSON error that shows nothing the caller did not
        send (no other action id, no document content, not project B), and
        it changes nothing.
        """
        if method == 'HEAD':
            self.assertEqual(b'', resp.body)
        else:
            self.assertError(status, resp)
            text = resp.body.decode('utf-8')
            for leak in (EXISTING_ID, FOREIGN_ID, NEW_ID, 'freezer_etc',
                         'path_to_backup', self.project_b):
                if leak not in path:
                    self.assertNotIn(leak, text)
        self.assertEqual(self.before, self.state())

    def assertOnlyProjectA(self, records):
        self.assertEqual({self.project_a},
                         {record['project_id'] for record in records})
        self.assertNotIn(FOREIGN_ID, [r['action_id'] for r in records])

    def assertOthersUnchanged(self, *changed_ids):
        """Every record but ``changed_ids`` is as it was; B untouched."""
        after = self.state()
        self.assertEqual(self.before[self.project_b], after[self.project_b])
        keep = [r for r in self.before[self.project_a]
                if r['action_id'] not in changed_ids]
        self.assertEqual(keep, [r for r in after[self.project_a]
                                if r['action_id'] not in changed_ids])

    def _effect_of_list(self, resp, persona):
        self.assertOnlyProjectA(resp.json['actions'])
        self.assertEqual(self.before[self.project_a], resp.json['actions'])

    def _effect_of_list_head(self, resp, persona):
        self.assertEqual(b'', resp.body)

    def _effect_of_show(self, resp, persona):
        self.assertEqual(self.record(self.project_a, EXISTING_ID), resp.json)
        self.assertEqual(self.project_a, resp.json['project_id'])

    def _effect_of_show_head(self, resp, persona):
        self.assertEqual(b'', resp.body)
        self.assertEqual('"1"', resp.headers['ETag'])

    def _effect_of_create(self, resp, persona):
        new_id = resp.json['action_id']
        record = self.record(self.project_a, new_id)
        self.assertEqual(self.user_id_of(persona), record['user_id'])
        self.assertOthersUnchanged(new_id)

    def _effect_of_create_by_id(self, resp, persona):
        self.assertEqual({'action_id': NEW_ID, 'version': 1}, resp.json)
        record = self.record(self.project_a, NEW_ID)
        self.assertEqual(self.user_id_of(persona), record['user_id'])
        self.assertOthersUnchanged(NEW_ID)

    def _effect_of_update(self, resp, persona):
        self.assertEqual({'action_id': EXISTING_ID, 'version': 2}, resp.json)
        self.assertEqual(9, self.record(self.project_a,
                                        EXISTING_ID)['max_retries'])
        self.assertOthersUnchanged(EXISTING_ID)

    def _effect_of_replace(self, resp, persona):
        self.assertEqual({'action_id': EXISTING_ID, 'version': 2}, resp.json)
        self.assertEqual(7, self.record(self.project_a,
                                        EXISTING_ID)['max_retries'])
        self.assertOthersUnchanged(EXISTING_ID)

    def _effect_of_delete(self, resp, persona):
        self.assertEqual(b'', resp.body)
        self.assertIsNone(self.record(self.project_a, EXISTING_ID))
        self.assertOthersUnchanged(EXISTING_ID)
