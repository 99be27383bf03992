"""The ``freezer-core`` distribution works on its own (issue 9).

``test_core_installs_alone_and_works`` does what a service depending on
freezer_core would: it builds the wheel from packaging/freezer-core,
installs it with its dependencies into a fresh virtual environment, and
uses it there (the example program, ``freezer-action-lint``), then checks
that none of the web, daemon or policy libraries came along.

The dependencies are pinned to the versions of the running environment
(what the other tests exercised) and installed without the index from a
wheelhouse kept between runs (:func:`wheelhouse_dir`); the wheelhouse is
filled from the package index (PyPI) when a pinned wheel is missing, and
the build backend comes from the index (or pip's cache). It never skips: a
build or an install that fails is a failure, in CI and on a developer's
machine alike. About 10 seconds on an idle machine with a filled
wheelhouse; each step is bounded by :data:`STEP_TIMEOUT`.
"""

import configparser
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tomllib

import fixtures
import testtools

from tests.functional import test_example_actions_library as example_test

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CORE_PROJECT = os.path.join('packaging', 'freezer-core')

#: Seconds one step (build, venv, install, run) may take before the test
#: fails; generous for a loaded 2-core machine with a cold pip cache.
STEP_TIMEOUT = 240

#: Distributions the core must not bring (normalised names): the web
#: framework, the daemon, policy, middleware, and the service itself.
FORBIDDEN_DISTRIBUTIONS = ('pecan', 'webob', 'oslo-service', 'oslo-policy',
                           'keystonemiddleware', 'cheroot',
                           'oslo-middleware', 'freezer-api')

#: What the core declares, and nothing else.
CORE_DEPENDENCIES = ('jsonschema', 'sqlalchemy', 'alembic', 'oslo-db')


def normalise(name):
    """PEP 503 form of a distribution name, e.g. ``oslo.db`` -> ``oslo-db``.

    :param name: str.
    :returns: str.
    """
    return name.lower().replace('_', '-').replace('.', '-')


def wheelhouse_dir():
    """Where the dependency wheels are kept between runs.

    :returns: str, ``$XDG_CACHE_HOME/freezer-api-tests/core-wheelhouse``
        (``~/.cache`` when unset), like pip's own cache.
    """
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(
        os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'freezer-api-tests', 'core-wheelhouse')


def _core_pyproject():
    with open(os.path.join(ROOT, CORE_PROJECT, 'pyproject.toml'),
              'rb') as handle:
        return tomllib.load(handle)


class TestCoreMetadata(testtools.TestCase):
    """Fast checks of the metadata, without building anything."""

    def test_version_equals_the_service_version(self):
        # Both distributions ship the same freezer_core.
        setup_cfg = configparser.ConfigParser()
        setup_cfg.read(os.path.join(ROOT, 'setup.cfg'))
        self.assertEqual(setup_cfg['metadata']['version'],
                         _core_pyproject()['project']['version'])

    def test_dependencies_are_the_core_libraries_only(self):
        names = []
        for requirement in _core_pyproject()['project']['dependencies']:
            name = requirement.split('>')[0].split('=')[0].split('<')[0]
            names.append(normalise(name.strip()))
        self.assertEqual(sorted(CORE_DEPENDENCIES), sorted(names))

    def test_core_lower_bounds_match_the_service_requirements(self):
        # An environment meeting the service's requirements meets the
        # core's: the two must not drift apart.
        with open(os.path.join(ROOT, 'requirements.txt')) as handle:
            service = {}
            for line in handle:
                line = line.split('#')[0].strip()
                if '>=' in line:
                    name, bound = line.split('>=')
                    service[normalise(name.split('[')[0])] = bound.strip()
        for requirement in _core_pyproject()['project']['dependencies']:
            name, bound = requirement.split('>=')
            self.assertEqual(service[normalise(name)], bound.strip(),
                             requirement)


class TestCoreDistribution(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.directory = self.useFixture(fixtures.TempDir()).path
        # The interpreter of the new environment must see only what was
        # installed in it, never this checkout.
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ('PYTHONPATH', 'PYTHONHOME', 'VIRTUAL_ENV',
                                 'PYTHONSTARTUP')}
        self.env['PIP_DISABLE_PIP_VERSION_CHECK'] = '1'

    def _run(self, what, argv, **kwargs):
        """Run one step; fail with its output when it does not exit 0."""
        kwargs.setdefault('cwd', self.directory)
        result = subprocess.run(argv, capture_output=True, text=True,
                                timeout=STEP_TIMEOUT, env=self.env,
                                stdin=subprocess.DEVNULL, **kwargs)
        if result.returncode != 0:
            self.fail('%s failed (exit %d): %s\nstdout:\n%s\nstderr:\n%s' % (
                what, result.returncode, ' '.join(argv), result.stdout,
                result.stderr))
        return result

    def _copy_sources(self):
        # The build runs on a copy: setuptools writes build/ and egg-info
        # next to the sources, and this checkout is shared.
        source = os.path.join(self.directory, 'src')
        ignore = shutil.ignore_patterns('__pycache__', '*.pyc', 'build',
                                        '*.egg-info')
        shutil.copytree(os.path.join(ROOT, CORE_PROJECT),
                        os.path.join(source, CORE_PROJECT), ignore=ignore)
        shutil.copytree(os.path.join(ROOT, 'freezer_core'),
                        os.path.join(source, 'freezer_core'), ignore=ignore)
        return os.path.join(source, CORE_PROJECT)

    def _build_wheel(self):
        dist = os.path.join(self.directory, 'dist')
        self._run('building the freezer-core wheel', [
            sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--quiet',
            '--wheel-dir', dist, self._copy_sources()])
        wheels = os.listdir(dist)
        self.assertEqual(1, len(wheels), wheels)
        self.assertTrue(wheels[0].startswith('freezer_core-'), wheels)
        return os.path.join(dist, wheels[0])

    def _constraints(self):
        # Pin every dependency to the version this environment runs, so
        # that the new environment is what the other tests exercised and
        # pip can serve it from its cache.
        path = os.path.join(self.directory, 'constraints.txt')
        skip = {'freezer-api', 'freezer-core', 'pip', 'setuptools'}
        with open(path, 'w') as handle:
            for dist in importlib.metadata.distributions():
                name = dist.metadata['Name']
                if name and normalise(name) not in skip:
                    handle.write('%s==%s\n' % (name, dist.version))
        return path

    def _pip(self, python, *args):
        # This environment's pip, working on the new environment: creating
        # it without pip (ensurepip) and installing without compiling
        # bytecode saves most of the step's CPU time.
        return [sys.executable, '-m', 'pip', '--python', python] + list(args)

    def _fill_wheelhouse(self, wheel, constraints, house):
        incoming = os.path.join(self.directory, 'incoming')
        self._run('fetching the dependency wheels', [
            sys.executable, '-m', 'pip', 'wheel', '--quiet', '--no-input',
            '--constraint', constraints, '--wheel-dir', incoming, wheel])
        for name in os.listdir(incoming):
            if name.startswith('freezer_core-'):
                continue
            # Copy then rename: a concurrent run never sees half a wheel.
            partial = os.path.join(house, '.%s.%d' % (name, os.getpid()))
            shutil.copyfile(os.path.join(incoming, name), partial)
            os.replace(partial, os.path.join(house, name))

    def _make_venv(self, wheel):
        venv = os.path.join(self.directory, 'venv')
        self._run('creating a virtual environment',
                  [sys.executable, '-m', 'venv', '--without-pip', venv])
        python = os.path.join(venv, 'bin', 'python')
        constraints = self._constraints()
        house = wheelhouse_dir()
        os.makedirs(house, exist_ok=True)
        install = self._pip(python, 'install', '--quiet', '--no-input',
                            '--no-compile', '--no-index', '--find-links',
                            house, '--constraint', constraints, wheel)
        first = subprocess.run(install, capture_output=True, text=True,
                               timeout=STEP_TIMEOUT, env=self.env,
                               stdin=subprocess.DEVNULL, cwd=self.directory)
        if first.returncode != 0:
            # A pinned wheel is missing from the wheelhouse (first run, or
            # a dependency was upgraded): fetch them, then install again.
            self._fill_wheelhouse(wheel, constraints, house)
            self._run('installing the wheel and its dependencies', install)
        return venv, python

    def _installed(self, python):
        listing = self._run('pip list', self._pip(python, 'list',
                                                  '--format', 'json'))
        return {normalise(d['name']): d['version']
                for d in json.loads(listing.stdout)}

    def test_core_installs_alone_and_works(self):
        wheel = self._build_wheel()
        venv, python = self._make_venv(wheel)

        installed = self._installed(python)
        self.assertIn('freezer-core', installed)
        for name in CORE_DEPENDENCIES:
            self.assertIn(name, installed)
        self.assertEqual([], sorted(set(FORBIDDEN_DISTRIBUTIONS)
                                    & set(installed)))

        # freezer_core is the installed copy, not this checkout's.
        where = self._run('importing freezer_core', [
            python, '-c', 'import freezer_core; print(freezer_core.__file__)'])
        self.assertTrue(where.stdout.strip().startswith(venv + os.sep),
                        where.stdout)

        # The example: its own SQLite file, migrated, stored, searched,
        # paged; the same output as with the full service installed.
        database = os.path.join(self.directory, 'actions.sqlite')
        result = example_test.run_example(python, database, self.directory)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(
            example_test.expected_output(database, first_run=True),
            result.stdout.splitlines())

        # The validator, as installed by the wheel's console script.
        bad = os.path.join(self.directory, 'bad.json')
        with open(bad, 'w') as handle:
            json.dump([{'freezer_action': {'action': 'backup'}},
                       {'freezer_action': {'action': 'backup',
                                           'max_level': 'two'}}], handle)
        lint = subprocess.run(
            [os.path.join(venv, 'bin', 'freezer-action-lint'), bad],
            capture_output=True, text=True, timeout=STEP_TIMEOUT,
            env=self.env, cwd=self.directory, stdin=subprocess.DEVNULL)
        self.assertEqual(1, lint.returncode, lint.stderr)
        self.assertEqual(
            ["%s: $[1].freezer_action.max_level: 'two' is not of type "
             "integer or null (rule: type)" % bad],
            lint.stdout.splitlines())
