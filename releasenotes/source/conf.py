"""Sphinx configuration of the freezer-api release notes (reno).

Build: ``tox -e releasenotes``. reno reads the notes of
``releasenotes/notes/`` from the git history (``reno new SLUG`` adds one).
"""

project = 'freezer-api Release Notes'
copyright = 'OpenStack Foundation and contributors'
extensions = ['reno.sphinxext']
html_theme = 'alabaster'
exclude_patterns = ['build']
