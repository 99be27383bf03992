"""Sphinx configuration of the Freezer API reference (os-api-ref).

Build: ``tox -e docs`` (with the main documentation) or
``sphinx-build -W -b html api-ref/source api-ref/build/html``. The
samples in ``samples/`` are written by
``tests/functional/test_api_ref_samples.py`` from real requests through
the service's WSGI stack; that test fails when they drift.
"""

project = 'Freezer API Reference'
copyright = 'OpenStack Foundation and contributors'
extensions = ['os_api_ref']
html_theme = 'alabaster'
exclude_patterns = ['build']
