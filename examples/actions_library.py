"""Use freezer_core as a library: store, search and page Freezer actions.

No daemon, no web framework: the program keeps actions in its own SQLite
file, migrated with :func:`freezer_core.storage.migration.upgrade`, and
uses the same rules the Freezer API applies (validation, search, paging).
It needs only the ``freezer-core`` distribution::

    pip install freezer-core        # or: pip install -e . (freezer-api)
    python examples/actions_library.py [DATABASE_FILE]

DATABASE_FILE defaults to ``actions-example.sqlite`` in the current
directory. Running it again on the same file stores nothing new (the ids
are taken) and prints the same listings.
"""

import sys

from freezer_core import actions
from freezer_core import errors
from freezer_core import pagination
from freezer_core import search
from freezer_core.storage import actions as storage
from freezer_core.storage import database
from freezer_core.storage import migration

PROJECT_ID = 'example-project'
USER_ID = 'example-operator'

#: The documents a backup operator would keep in a configuration
#: repository; ids in creation order, so listings read naturally.
DOCUMENTS = [
    {'action_id': 'a01-etc-nightly',
     'freezer_action': {'action': 'backup', 'mode': 'fs',
                        'backup_name': 'etc', 'path_to_backup': '/etc',
                        'storage': 'swift', 'container': 'backups'},
     'max_retries': 3},
    {'action_id': 'a02-mysql-nightly',
     'freezer_action': {'action': 'backup', 'mode': 'mysql',
                        'backup_name': 'db', 'mysql_conf': '/etc/my.cnf',
                        'storage': 'swift', 'container': 'backups'},
     'mandatory': True},
    {'action_id': 'a03-home-weekly',
     'freezer_action': {'action': 'backup', 'mode': 'fs',
                        'backup_name': 'home', 'path_to_backup': '/home',
                        'storage': 'ssh', 'ssh_host': 'vault.example.org'}},
    {'action_id': 'a04-etc-restore',
     'freezer_action': {'action': 'restore', 'mode': 'fs',
                        'backup_name': 'etc', 'restore_abs_path': '/etc',
                        'storage': 'swift', 'container': 'backups'}},
    {'action_id': 'a05-mysql-restore',
     'freezer_action': {'action': 'restore', 'mode': 'mysql',
                        'backup_name': 'db', 'storage': 'swift',
                        'container': 'backups'}},
]

#: A document the API would refuse: ``tape`` is no storage.
BAD_DOCUMENT = {'freezer_action': {'action': 'backup', 'storage': 'tape'}}


def _summary(record):
    agent = record['freezer_action']
    return '%-18s %-7s %-5s %-5s %s' % (
        record['action_id'], agent['action'], agent.get('mode'),
        agent.get('storage'), agent.get('backup_name'))


def store(repository):
    """Validate and store :data:`DOCUMENTS`; show a refused document."""
    for body in DOCUMENTS:
        document = actions.validate_create(body)
        try:
            record = repository.create(PROJECT_ID, USER_ID, document)
        except errors.Conflict:
            print('kept     %s (already stored)' % body['action_id'])
        else:
            print('stored   %s (_version %d)' % (record['action_id'],
                                                 record['_version']))
    try:
        actions.validate_create(BAD_DOCUMENT)
    except errors.ValidationError as exc:
        print('refused  %s' % exc.description)


def show_search(repository, title, document):
    """Print every action matching a search document (one page of 100)."""
    page = pagination.parse({'limit': ['100']})
    records = repository.list(PROJECT_ID, search.parse(document), page)
    print('%s: %d' % (title, len(records)))
    for record in records:
        print('  ' + _summary(record))


def show_pages(repository, limit):
    """Walk all actions ``limit`` at a time, each page after the marker."""
    marker = None
    number = 0
    while True:
        params = {'limit': [str(limit)]}
        if marker is not None:
            params['marker'] = [marker]
        records = repository.list(PROJECT_ID, search.EMPTY,
                                  pagination.parse(params))
        if not records:
            return
        number += 1
        print('page %d: %s' % (number,
                               ', '.join(r['action_id'] for r in records)))
        marker = records[-1]['action_id']


def main(argv):
    """Run the example.

    :param argv: ``[DATABASE_FILE]`` (optional).
    :returns: exit status (int), 0.
    """
    path = argv[0] if argv else 'actions-example.sqlite'
    url = 'sqlite:///' + path
    migration.upgrade(url)
    print('database %s at schema revision %s' % (path,
                                                 migration.current(url)))
    repository = storage.ActionRepository(database.Database(url))
    store(repository)
    show_search(repository, 'mysql actions',
                {'match': [{'mode': 'mysql'}]})
    show_search(repository, 'swift backups',
                {'match': [{'freezer_action.storage': 'swift'},
                           {'action': 'backup'}]})
    show_search(repository, 'not on swift',
                {'match_not': [{'storage': 'swift'}]})
    show_search(repository, 'free text "ETC"',
                {'match': [{'_all': 'ETC'}]})
    show_pages(repository, limit=2)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
