"""The sample generators and the policy docs tell the whole truth.

Runs the installed ``oslopolicy-sample-generator`` and
``oslo-config-generator`` (what ``tox -e genpolicy`` / ``tox -e genconfig``
run) and checks that every rule and every option of the service appears,
with its default, and that ``docs/policy.rst`` describes every rule as
the code defines it.
"""

import configparser
import os
import subprocess
import sys

import fixtures
import testtools
import yaml

from freezer_daemon import conf as service_conf
import policies

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def generate(self, command, *args):
    """Run a generator into a temporary file; returns its text."""
    output = os.path.join(self.useFixture(fixtures.TempDir()).path, 'out')
    subprocess.run([os.path.join(BIN, command), *args,
                    '--output-file', output],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    with open(output) as f:
        return f.read()


def uncommented(text):
    """The sample with its ``#`` removed from option/rule lines."""
    return '\n'.join(line[1:] if line.startswith('#') and
                     not line.startswith('# ') and line != '#' else line
                     for line in text.splitlines())


class TestPolicySample(testtools.TestCase):

    def test_every_rule_with_its_default_and_operations(self):
        text = generate(self, 'oslopolicy-sample-generator',
                        '--namespace', 'freezer-api')
        rules = yaml.safe_load(uncommented(text))
        expected = {rule.name: rule.check_str
                    for rule in policies.list_rules()}
        self.assertEqual(expected, rules)
        # The generator wraps descriptions over several "# " lines.
        comments = ' '.join(line[2:] for line in text.splitlines()
                            if line.startswith('# '))
        for rule in policies.list_rules():
            for op in rule.operations:
                self.assertIn('# %s  %s' % (op['method'], op['path']), text)
            self.assertIn(' '.join(rule.description.split()), comments)


class TestConfigSample(testtools.TestCase):

    def _sections(self, text):
        parser = configparser.ConfigParser(interpolation=None,
                                           strict=False)
        parser.optionxform = str
        parser.read_string(uncommented(text))
        return parser

    def test_freezer_namespace_lists_every_option(self):
        text = generate(self, 'oslo-config-generator',
                        '--namespace', 'freezer-api')
        sample = self._sections(text)
        for group, opts in service_conf.list_opts():
            section = group or 'DEFAULT'
            for opt in opts:
                self.assertTrue(sample.has_option(section, opt.dest),
                                '[%s] %s' % (section, opt.dest))

    def test_generator_config_adds_the_libraries_options(self):
        config_file = os.path.join(
            ROOT, 'etc', 'freezer', 'freezer-config-generator.conf')
        text = generate(self, 'oslo-config-generator',
                        '--config-file', config_file)
        sample = self._sections(text)
        for group, opts in service_conf.list_opts():
            for opt in opts:
                self.assertTrue(sample.has_option(group or 'DEFAULT',
                                                  opt.dest), opt.dest)
        for section, option in (('keystone_authtoken',
                                 'www_authenticate_uri'),
                                ('oslo_policy', 'policy_file'),
                                ('database', 'connection'),
                                ('oslo_middleware',
                                 'max_request_body_size')):
            self.assertTrue(sample.has_option(section, option),
                            '[%s] %s' % (section, option))


class TestPolicyDocs(testtools.TestCase):

    def test_docs_describe_every_rule_as_coded(self):
        with open(os.path.join(ROOT, 'docs', 'policy.rst')) as f:
            text = f.read()
        flat = ' '.join(text.split())
        for rule in policies.list_rules():
            self.assertIn('``%s``' % rule.name, text)
            self.assertIn(rule.check_str, text, rule.name)
            self.assertIn(' '.join(rule.description.split()), flat)
            for op in rule.operations:
                self.assertIn('``%s %s``' % (op['method'], op['path']), text)
