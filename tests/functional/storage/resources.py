"""Per-resource fixtures of the storage tests, in one place.

Each :class:`StorageResource` tells the shared storage tests (the
SQL-versus-matcher property test first) how to build a repository of the
resource, a valid document from generated content, a change to it, and
what search looks at. A new resource adds one entry to :data:`RESOURCES`.
"""

import collections
import uuid

from freezer_core import actions
from freezer_core import backups
from freezer_core import clients
from freezer_core import jobs
from freezer_core import sessions
from freezer_core.storage import actions as action_storage
from freezer_core.storage import backups as backup_storage
from freezer_core.storage import clients as client_storage
from freezer_core.storage import database
from freezer_core.storage import jobs as job_storage
from freezer_core.storage import sessions as session_storage
from tests.functional.storage import widgets

StorageResource = collections.namedtuple('StorageResource', [
    'name', 'repository', 'id_name', 'body', 'patch', 'search_view',
    'nested', 'top_keys', 'setup', 'visible', 'rule_pairs'],
    defaults=(None, ()))
StorageResource.__doc__ = """How the shared storage tests use a resource.

:param name: str, the scenario name.
:param repository: the Repository class (``(database, driver_limit=)``).
:param id_name: str, the id key of a record.
:param body: callable ``(content dict, flag bool) -> document`` giving a
    valid create document holding ``content`` as its free-form part.
:param patch: callable ``(client document, change dict) -> document``;
    a None value in ``change`` removes that key of the free-form part.
:param search_view: callable record -> what search looks at.
:param nested: str, the key of the free-form part (dotted paths start
    with it).
:param top_keys: tuple of str, other keys a search may name.
:param setup: callable ``(test case, url)`` preparing the database, or
    None (the migration chain creates the resource's tables).
:param visible: callable ``(record, project_id) -> bool``, whether a
    project's list holds a record, for a resource whose lists show
    other projects' documents (central clients); None: only the
    project's own. The property test then checks every list against
    every document stored so far, other projects' included.
:param rule_pairs: tuple of ``{key: value}`` search pairs a rule of the
    resource singles out (a field hidden from some views); the property
    test adds one to every search, so each example exercises the rule.
"""


def _without_nones(current, change):
    merged = dict(current)
    for key, value in change.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _widget_setup(test, url):
    widgets.create_schema(url)
    test.addCleanup(widgets.drop_schema, url)


ACTIONS = StorageResource(
    name='actions', repository=action_storage.ActionRepository,
    id_name='action_id',
    body=lambda content, flag: actions.validate_create(
        {'freezer_action': dict(content, action='backup'),
         'mandatory': flag}),
    patch=lambda current, change: actions.merge_patch(
        current, {'freezer_action': change}),
    search_view=actions.search_view, nested='freezer_action',
    top_keys=('mandatory', 'max_retries'), setup=None)

WIDGETS = StorageResource(
    name='widgets', repository=widgets.WidgetRepository,
    id_name='widget_id',
    body=lambda content, flag: {'body': dict(content, flag=flag)},
    patch=lambda current, change: {
        'body': _without_nones(current['body'], change)},
    search_view=widgets.search_view, nested='body',
    top_keys=('body.flag', 'user_id'), setup=_widget_setup)


BACKUPS = StorageResource(
    name='backups', repository=backup_storage.BackupRepository,
    id_name='backup_id',
    body=lambda content, flag: backups.client_document(*backups.parse_create(
        dict(content, backup_name='b', container='c', hostname='h',
             status='available' if flag else 'error'))),
    patch=lambda current, change: backups.client_document(*backups.merge_patch(
        current['status'], current['backup_metadata'],
        {'backup_metadata': change})),
    search_view=backups.search_view, nested='backup_metadata',
    top_keys=('status', 'backup_metadata.backup_name'), setup=None)


# The jobs map is the session's free-form part: the storage writes
# whatever the protocol puts there, and search sees it.
SESSIONS = StorageResource(
    name='sessions', repository=session_storage.SessionRepository,
    id_name='session_id',
    body=lambda content, flag: dict(
        sessions.validate_create({'hold_off': int(flag)}).document,
        jobs=content),
    patch=lambda current, change: dict(
        current, jobs=_without_nones(current['jobs'], change)),
    search_view=sessions.search_view, nested='jobs',
    top_keys=('hold_off', 'status'), setup=None)


def _client_document(content, flag):
    # The flag makes the client central: visible to every project.
    document = clients.parse_registration(dict(
        content, client_id='c' + uuid.uuid4().hex, is_central=flag))
    return clients.registration(None, document)[0]


CLIENTS = StorageResource(
    name='clients', repository=client_storage.ClientRepository,
    id_name='client_id', body=_client_document,
    patch=_without_nones, search_view=clients.search_view, nested='client',
    top_keys=('is_central', 'client.is_central', 'project_id'),
    setup=None,
    visible=lambda record, project_id: (
        record['project_id'] == project_id
        or record['client']['is_central']))


#: The client of the jobs: another project's central one (its pids are
#: hidden from the listing project) or the project's own.
CENTRAL_CLIENT = 'central.example.org'
OWN_CLIENT = 'own.example.org'
#: The schedule's pid of every job; an agent key ``current_pid`` (held
#: when the agent has ``a``) is another value.
SCHEDULE_PID, AGENT_PID = 10, 1


def _register(database_, project_id, client_id, central=False):
    client_storage.ClientRepository(database_).register(
        project_id, 'u', clients.parse_registration({
            'client_id': client_id, 'hostname': 'h',
            'is_central': central}))


def _jobs_setup(test, url):
    _register(database.Database(url), 'central-owner', CENTRAL_CLIENT,
              central=True)


class JobFixtureRepository(job_storage.JobRepository):
    """The jobs repository as the shared tests call every repository:
    built from a database alone, ``update(project_id, job_id,
    transform)``, and a create that first registers the project's own
    client. Lists are a tenant's (other projects' central pids hidden).
    """

    def __init__(self, database_, **kwargs):
        super().__init__(database_,
                         action_storage.ActionRepository(database_),
                         client_storage.ClientRepository(database_),
                         **kwargs)

    def create(self, project_id, user_id, write):
        _register(self.database, project_id, OWN_CLIENT)
        return super().create(project_id, user_id, write)

    def update(self, project_id, identifier, transform):
        return super().update(project_id, 'u', identifier, transform)


def _job_body(content, flag):
    agent = dict(content, action='backup')
    if 'a' in content:
        agent['current_pid'] = AGENT_PID
    return jobs.validate_create({
        'client_id': CENTRAL_CLIENT if flag else OWN_CLIENT,
        'job_schedule': {'current_pid': SCHEDULE_PID, 'status': 'running'},
        'job_actions': [{'freezer_action': agent, 'mandatory': flag}]}, 0)


def _job_patch(current, change):
    # An inline action replaces the job's one (a new action is stored).
    action = current['job_actions'][0]
    return jobs.merge_patch(current, {'job_actions': [{
        'freezer_action': _without_nones(action['freezer_action'], change),
        'mandatory': action['mandatory']}]})


# Search sees the tenant's GET view: a central client's pid is hidden.
JOBS = StorageResource(
    name='jobs', repository=JobFixtureRepository, id_name='job_id',
    body=_job_body, patch=_job_patch,
    search_view=lambda record: jobs.search_view(
        record, hide_current_pid=record['client_id'] == CENTRAL_CLIENT),
    nested='job_actions.freezer_action',
    top_keys=('current_pid', 'job_schedule.current_pid', 'client_id',
              'job_actions.mandatory', 'mandatory'),
    setup=_jobs_setup,
    rule_pairs=tuple({key: pid} for key in (
        'current_pid', 'job_schedule.current_pid',
        'job_actions.freezer_action.current_pid')
        for pid in (SCHEDULE_PID, AGENT_PID)))


#: Every resource the shared storage tests run on.
RESOURCES = (ACTIONS, WIDGETS, BACKUPS, SESSIONS, CLIENTS, JOBS)


def scenarios():
    """testscenarios scenarios, one per resource.

    :returns: list of ``(name, {'resource': StorageResource})``.
    """
    return [(resource.name, {'resource': resource})
            for resource in RESOURCES]
