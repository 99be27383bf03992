"""The examples of docs/freezer_core.rst run and print what they show.

The page is the public guide to freezer_core (issue 9); its examples are
doctests, so a change of behaviour or of an error message that the page
does not follow fails here. The storage examples use a temporary SQLite
file, hence a functional test.
"""

import doctest
import os

import testtools

DOCS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'docs')


class TestDocsExamples(testtools.TestCase):

    def test_freezer_core_page(self):
        path = os.path.join(DOCS, 'freezer_core.rst')
        parser = doctest.DocTestParser()
        with open(path) as handle:
            text = handle.read()
        test = parser.get_doctest(text, {}, 'freezer_core.rst', path, 0)
        # A page whose examples were lost would pass with nothing run.
        self.assertGreater(len(test.examples), 30)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        report = []
        runner.run(test, out=report.append)
        result = runner.summarize(verbose=False)
        self.assertEqual(0, result.failed, ''.join(report))
