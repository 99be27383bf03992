"""Sphinx configuration of the freezer-api documentation.

Build: ``tox -e docs`` or ``sphinx-build -W -b html docs docs/build/html``
(``docs/requirements.txt``). autodoc imports freezer_core from this
checkout, so the reference part needs the core's dependencies installed
(the ``freezer-core`` or ``freezer-api`` distribution), not the service's.
The configuration and policy references are generated from the code
through the installed ``oslo.config.opts`` and ``oslo.policy.policies``
entry points, so they need the project installed (``pip install -e .``).
"""

import os
import sys

# The checkout's packages, ahead of any installed copy: the documentation
# describes the code it sits next to.
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__),
                                                '..')))

project = 'freezer-api'
copyright = 'OpenStack Foundation and contributors'
extensions = [
    'sphinx.ext.autodoc',
    # The configuration reference (show-options) and the sample file
    # written to _static/ at each build, from the generator config the
    # genconfig tox env uses.
    'oslo_config.sphinxext',
    'oslo_config.sphinxconfiggen',
    # The policy reference (show-policy) and the sample policy file.
    'oslo_policy.sphinxext',
    'oslo_policy.sphinxpolicygen',
]
autodoc_member_order = 'bysource'
exclude_patterns = ['build']
html_theme = 'alabaster'
html_static_path = ['_static']

config_generator_config_file = [
    ('../etc/freezer/freezer-config-generator.conf', '_static/freezer-api'),
]
policy_generator_config_file = [
    ('../etc/freezer/freezer-policy-generator.conf', '_static/freezer-api'),
]
