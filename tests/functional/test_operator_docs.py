"""What an operator reads first is right (issue 20 items 3 and 11).

A new operator followed the README and the API reference on a fresh
clone: these facts of them are checked against the code and the
checkout, so that they cannot drift apart again.
"""

import configparser
import os
import re
import subprocess

import testtools

from freezer_daemon import conf as freezer_conf

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _read(*parts):
    with open(os.path.join(REPOSITORY, *parts)) as handle:
        return handle.read()


def _operations(inc_text):
    """Map each ``.. rest_method::`` of an api-ref page to its error
    codes (a set of int)."""
    operations = {}
    for block in inc_text.split('.. rest_method:: ')[1:]:
        route = block.splitlines()[0].strip()
        codes = re.search(r'^Error response codes: (.*)$', block,
                          re.MULTILINE).group(1)
        operations[route] = {int(code) for code in codes.split(',')}
    return operations


class TestReadme(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.readme = _read('README.md')

    def test_no_absolute_path_of_a_workspace(self):
        # A user's checkout can be anywhere.
        self.assertEqual([], re.findall(r'(?<![\w.])/work/\S*', self.readme))

    def test_the_tempest_regex_names_the_cli_test_module(self):
        # freezer-tempest-plugin's CLI tests are test_freezer_cmd_action.
        self.assertIn('test_freezer_cmd_action', self.readme)
        self.assertNotIn('test_freezerclient_action', self.readme)

    def test_database_drivers_are_offered_as_extras(self):
        setup = configparser.ConfigParser()
        setup.read(os.path.join(REPOSITORY, 'setup.cfg'))
        extras = setup['options.extras_require']
        self.assertIn('psycopg2', extras['postgresql'])
        self.assertIn('PyMySQL', extras['mysql'])
        for extra in ('postgresql', 'mysql'):
            self.assertIn("pip install '.[%s]'" % extra, self.readme)

    def test_every_request_limit_is_documented(self):
        api_ref = _read('api-ref', 'source', 'index.rst')
        names = ['[oslo_middleware] max_request_body_size'] + [
            '[api] %s' % opt.name for opt in freezer_conf.API_OPTS
            if opt.name.startswith('max_')]
        self.assertEqual(7, len(names))
        for name in names:
            self.assertIn(name, self.readme)
            self.assertIn(name, api_ref)


class TestApiReference(testtools.TestCase):

    def test_413_on_every_body_and_503_on_every_operation(self):
        operations = _operations(_read('api-ref', 'source', 'actions.inc'))
        self.assertEqual(6, len(operations))
        for route, codes in operations.items():
            self.assertIn(503, codes, route)
            # Every operation taking a body; a list takes its search
            # there.
            if route.endswith('/actions') or not route.startswith(
                    ('GET', 'DELETE')):
                self.assertIn(413, codes, route)


class TestGitignore(testtools.TestCase):

    def test_generated_samples_are_ignored(self):
        samples = []
        for name in ('freezer-config-generator.conf',
                     'freezer-policy-generator.conf'):
            samples += re.findall(r'^output_file = (.*)$',
                                  _read('etc', 'freezer', name),
                                  re.MULTILINE)
        self.assertEqual(2, len(samples))
        result = subprocess.run(
            ['git', 'check-ignore', '--no-index'] + samples,
            cwd=REPOSITORY, capture_output=True, text=True)
        self.assertEqual(sorted(samples),
                         sorted(result.stdout.split()), result.stderr)
