"""Sphinx configuration of the freezer-api documentation.

Build: ``tox -e docs`` or ``sphinx-build -W -b html docs docs/build/html``
(``docs/requirements.txt``). autodoc imports freezer_core from this
checkout, so the reference part needs the core's dependencies installed
(the ``freezer-core`` or ``freezer-api`` distribution), not the service's.
"""

import os
import sys

# The checkout's packages, ahead of any installed copy: the documentation
# describes the code it sits next to.
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__),
                                                '..')))

project = 'freezer-api'
copyright = 'OpenStack Foundation and contributors'
extensions = ['sphinx.ext.autodoc']
autodoc_member_order = 'bysource'
exclude_patterns = ['build']
html_theme = 'alabaster'
