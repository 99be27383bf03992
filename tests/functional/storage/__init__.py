"""Storage tests; every test runs on each engine (see
:mod:`tests.functional.backends`)."""

from tests.functional import backends


def load_tests(loader, standard_tests, pattern):
    """Discover this package and multiply its tests by engine."""
    return backends.load_package_tests(__file__, loader, standard_tests,
                                       pattern)
