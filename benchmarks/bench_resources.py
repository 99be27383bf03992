"""The resources ``search_bench.py`` measures: documents, needles, searches.

Each :class:`BenchResource` says how to seed N documents of one resource
(realistic bodies, with "needles" planted in the middle of the target
project so that every measured search matches exactly
:data:`MATCHES` documents) and which requests to time besides the common
create, show, list and PATCH.
"""

import collections

from freezer_core import actions
from freezer_core import backups
from freezer_core.storage import actions as action_storage
from freezer_core.storage import backups as backup_storage

#: Documents each measured search matches in the target project.
MATCHES = 10
#: Documents of the target project that may carry a needle.
NEEDLES = 5 * MATCHES

BenchResource = collections.namedtuple('BenchResource', [
    'name', 'repository', 'id_name', 'document', 'plant', 'client',
    'patch', 'searches'])
BenchResource.__doc__ = """One resource as the benchmark drives it.

:param name: str, the collection's path segment (``'actions'``).
:param repository: the Repository class (``(database)``).
:param id_name: str, the id key of a created record.
:param document: callable ``(i, project) -> body`` a client would POST.
:param plant: callable ``(body, k) -> None`` planting needle ``k``
    (0 <= k < :data:`NEEDLES`) in a body of the target project.
:param client: callable body -> the client document
    ``Repository.create_many`` stores (the domain's validation).
:param patch: callable ``rng -> body`` of a PATCH.
:param searches: callable ``per_project -> dict`` name -> search
    document (GET body), each matching exactly :data:`MATCHES` documents
    of the target project.
"""


def _action_document(i, project):
    """A realistic action document (keys the agent and scheduler use)."""
    mode = ('fs', 'mysql', 'mongo', 'cinder', 'nova')[i % 5]
    return {
        'freezer_action': {
            'action': 'backup' if i % 4 else 'restore',
            'mode': mode,
            'backup_name': 'backup-%s-%d' % (project, i),
            'container': 'freezer_%s_%d' % (project, i % 200),
            'path_to_backup': '/var/lib/app%d/data' % (i % 1000),
            'storage': 'swift',
            'hostname': 'node-%d.example.org' % (i % 500),
            'max_level': i % 7,
            'remove_older_than': 30,
            'log_file': '/var/log/freezer/agent-%d.log' % (i % 50),
            'metadata': {'owner': 'team-%d' % (i % 40),
                         'tags': ['daily', 'tier%d' % (i % 3)]},
        },
        'max_retries': i % 6,
        'max_retries_interval': 6,
        'mandatory': bool(i % 2),
    }


def _needle_keys(k):
    """The needle ``k`` as keys of the agent's document (actions'
    ``freezer_action``, backups' metadata)."""
    if k < MATCHES:
        return {'backup_name': 'needle-top'}
    if k < 2 * MATCHES:
        return {'metadata': {'owner': 'needle-owner', 'tags': ['x']}}
    if k < 3 * MATCHES:
        return {'log_file': '/var/log/ZQ-Needle-Text-%d.log' % k}
    return {'container': 'needle-pair',
            'mode': 'mysql' if k < 4 * MATCHES else 'fs'}


#: The searches of both resources (the needles are the same keys).
COMMON_SEARCHES = {
    'search top-level key': {'match': [{'backup_name': 'needle-top'}]},
    'search nested key': {'match': [{'owner': 'needle-owner'}]},
    'search _all text': {'match': [{'_all': 'zq-needle-text'}]},
    'search match_not': {'match': [{'container': 'needle-pair'}],
                         'match_not': [{'mode': 'mysql'}]},
}

ACTIONS = BenchResource(
    name='actions', repository=action_storage.ActionRepository,
    id_name='action_id', document=_action_document,
    plant=lambda body, k: body['freezer_action'].update(_needle_keys(k)),
    client=actions.validate_create,
    patch=lambda rng: {'max_retries': rng.randrange(5)},
    searches=lambda per_project: COMMON_SEARCHES)

#: Epoch second of the first backup of each project; backup ``i`` is one
#: hour later than backup ``i - 1``.
EPOCH = 1700000000
HOUR = 3600


def _backup_document(i, project):
    """An agent's metadata as freezer 19 reports it after a run."""
    return {
        'backup_name': 'backup-%s-%d' % (project, i % 5000),
        'container': 'freezer_%s_%d' % (project, i % 200),
        'hostname': 'node-%d.example.org' % (i % 500),
        'job_id': '%032x' % (i % 2000),
        'time_stamp': EPOCH + HOUR * i,
        'curr_backup_level': i % 7,
        'mode': ('fs', 'mysql', 'mongo', 'cinder', 'nova')[i % 5],
        'path_to_backup': '/var/lib/app%d/data' % (i % 1000),
        'storage': 'swift', 'action': 'backup', 'client_os': 'linux',
        'log_file': '/var/log/freezer/agent-%d.log' % (i % 50),
        'backup_size_compressed': 1000 * i, 'encrypted': False,
        'metadata': {'owner': 'team-%d' % (i % 40)},
        'status': 'available',
    }


def _plant_backup(body, k):
    body.update(_needle_keys(k))
    if MATCHES <= k < 2 * MATCHES:
        body['job_id'] = 'needle-job'


def _backup_searches(per_project):
    first = EPOCH + HOUR * (per_project // 3)
    return dict(COMMON_SEARCHES, **{
        'search job_id': {'match': [{'job_id': 'needle-job'}],
                          'match_not': [{'status': 'error'}]},
        # A range in the project's first third: no needle there, every
        # backup has its own hour.
        'search time range': {'time_after': first,
                              'time_before': first + HOUR * (MATCHES - 1)},
    })


BACKUPS = BenchResource(
    name='backups', repository=backup_storage.BackupRepository,
    id_name='backup_id', document=_backup_document,
    plant=_plant_backup,
    client=lambda body: backups.client_document(
        *backups.parse_create(body)),
    patch=lambda rng: {'status': 'available',
                       'curr_backup_level': rng.randrange(7)},
    searches=_backup_searches)

#: The resources by name.
RESOURCES = {resource.name: resource for resource in (ACTIONS, BACKUPS)}
