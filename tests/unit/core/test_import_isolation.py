"""freezer_core imports no web, daemon or policy library (issue 9).

The import contracts in ``.importlinter`` check the source statically;
these tests check what an import really loads, in a fresh interpreter
(the test runner itself has pecan and friends loaded already), so a
library pulled in indirectly by a third-party package is caught too.
"""

import json
import subprocess
import sys

import testtools

#: Top-level modules a service embedding freezer_core must not get.
SERVICE_MODULES = ('pecan', 'webob', 'oslo_service', 'oslo_policy',
                   'keystonemiddleware', 'oslo_middleware', 'cheroot',
                   'api', 'policies', 'freezer_daemon')

#: Top-level modules the domain modules must not load: the database
#: libraries (STYLE.md, rule 1) and the configuration library (rule 6).
DATABASE_MODULES = ('sqlalchemy', 'oslo_db', 'alembic', 'oslo_config')

#: The framework-free modules of freezer_core (no storage).
DOMAIN_MODULES = ('freezer_core', 'freezer_core.errors',
                  'freezer_core.jsondoc', 'freezer_core.documents',
                  'freezer_core.schemas', 'freezer_core.schemas.action',
                  'freezer_core.actions', 'freezer_core.action_schema',
                  'freezer_core.schemas.client', 'freezer_core.clients',
                  'freezer_core.schemas.backup', 'freezer_core.backups',
                  'freezer_core.schemas.schedule', 'freezer_core.schedule',
                  'freezer_core.schemas.job', 'freezer_core.jobs',
                  'freezer_core.job_actions', 'freezer_core.job_events',
                  'freezer_core.schemas.session', 'freezer_core.sessions',
                  'freezer_core.session_runs',
                  'freezer_core.search',
                  'freezer_core.pagination', 'freezer_core.limits',
                  'freezer_core.lint')

#: Everything in freezer_core, storage and its migration runner included.
ALL_MODULES = DOMAIN_MODULES + ('freezer_core.storage',
                                'freezer_core.storage.models',
                                'freezer_core.storage.actions',
                                'freezer_core.storage.migration')

_PROBE = '''
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))
'''


def loaded_top_level_modules(*names):
    """Import modules in a new interpreter and list what got loaded.

    :param names: dotted module names to import, in order.
    :returns: set of top-level module names in that interpreter's
        ``sys.modules`` afterwards.
    :raises AssertionError: the interpreter failed (an import error).
    """
    result = subprocess.run(
        [sys.executable, '-c', _PROBE] + list(names),
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise AssertionError('importing %s failed:\n%s'
                             % (', '.join(names), result.stderr))
    return set(json.loads(result.stdout))


class TestImportIsolation(testtools.TestCase):

    def test_probe_sees_what_an_import_loads(self):
        # Guard against a probe that can never report anything: importing
        # storage must show SQLAlchemy, and importing pecan must show it.
        loaded = loaded_top_level_modules('freezer_core.storage.actions',
                                          'pecan')
        self.assertIn('sqlalchemy', loaded)
        self.assertIn('pecan', loaded)

    def test_whole_core_loads_no_service_library(self):
        loaded = loaded_top_level_modules(*ALL_MODULES)
        self.assertIn('freezer_core', loaded)
        self.assertEqual(set(), loaded & set(SERVICE_MODULES))

    def test_domain_modules_load_no_database_library(self):
        loaded = loaded_top_level_modules(*DOMAIN_MODULES)
        self.assertIn('jsonschema', loaded)
        self.assertEqual(set(),
                         loaded & set(SERVICE_MODULES + DATABASE_MODULES))

    def test_each_domain_module_alone_loads_no_database_library(self):
        # One interpreter per module: a module that only works because an
        # earlier one loaded something would be hidden by the test above.
        for name in DOMAIN_MODULES:
            loaded = loaded_top_level_modules(name)
            self.assertEqual(
                set(), loaded & set(SERVICE_MODULES + DATABASE_MODULES),
                name)
