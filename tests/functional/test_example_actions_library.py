"""examples/actions_library.py runs on freezer_core alone (issue 9).

The example is run as a user would, as a program in its own interpreter
with its own SQLite file; its output is the contract of what it shows:
stores, a refused document, searches and marker paging.
"""

import os
import sqlite3
import subprocess
import sys

import fixtures
import testtools

from freezer_core.storage import migration

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'examples', 'actions_library.py')

#: Everything the example prints after its store lines.
LISTINGS = [
    "refused  $.freezer_action.storage: 'tape' is not one of local, swift, "
    "ssh, s3, ftp, ftps, null (rule: enum).",
    'mysql actions: 2',
    '  a02-mysql-nightly  backup  mysql swift db',
    '  a05-mysql-restore  restore mysql swift db',
    'swift backups: 2',
    '  a01-etc-nightly    backup  fs    swift etc',
    '  a02-mysql-nightly  backup  mysql swift db',
    'not on swift: 1',
    '  a03-home-weekly    backup  fs    ssh   home',
    'free text "ETC": 3',
    '  a01-etc-nightly    backup  fs    swift etc',
    '  a02-mysql-nightly  backup  mysql swift db',
    '  a04-etc-restore    restore fs    swift etc',
    'page 1: a01-etc-nightly, a02-mysql-nightly',
    'page 2: a03-home-weekly, a04-etc-restore',
    'page 3: a05-mysql-restore',
]

IDS = ['a01-etc-nightly', 'a02-mysql-nightly', 'a03-home-weekly',
       'a04-etc-restore', 'a05-mysql-restore']


def run_example(python, database, cwd):
    """Run the example program; return the CompletedProcess (text)."""
    return subprocess.run([python, EXAMPLE, database], capture_output=True,
                          text=True, timeout=60, cwd=cwd,
                          stdin=subprocess.DEVNULL)


def expected_output(database, first_run):
    """The example's full output, as a list of lines.

    :param database: the SQLite file given to it.
    :param first_run: bool, False when the file already holds the actions.
    """
    lines = ['database %s at schema revision %s'
             % (database, migration.head())]
    if first_run:
        lines += ['stored   %s (_version 1)' % i for i in IDS]
    else:
        lines += ['kept     %s (already stored)' % i for i in IDS]
    return lines + LISTINGS


class TestActionsLibraryExample(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.directory = self.useFixture(fixtures.TempDir()).path
        self.database = os.path.join(self.directory, 'actions.sqlite')

    def test_first_run_stores_searches_and_pages(self):
        result = run_example(sys.executable, self.database, self.directory)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(expected_output(self.database, first_run=True),
                         result.stdout.splitlines())
        with sqlite3.connect(self.database) as connection:
            rows = connection.execute(
                'SELECT action_id, project_id FROM actions '
                'ORDER BY action_id').fetchall()
        self.assertEqual([(i, 'example-project') for i in IDS], rows)

    def test_second_run_keeps_the_stored_actions(self):
        first = run_example(sys.executable, self.database, self.directory)
        self.assertEqual(0, first.returncode, first.stderr)
        second = run_example(sys.executable, self.database, self.directory)
        self.assertEqual(0, second.returncode, second.stderr)
        self.assertEqual(expected_output(self.database, first_run=False),
                         second.stdout.splitlines())
