"""freezer_core: the framework-free domain library of the Freezer API.

Public API (``docs/freezer_core.rst`` has the guide, with examples):

* :mod:`freezer_core.actions` -- validate an action document
  (``validate_create``, ``validate_replace``, ``merge_patch``); its JSON
  Schema is in :mod:`freezer_core.action_schema`;
* :mod:`freezer_core.jsondoc` -- strict JSON decoding and JSON equality;
* :mod:`freezer_core.search` -- parse a search document and match it;
* :mod:`freezer_core.pagination` -- read ``limit``, ``offset``, ``marker``;
* :mod:`freezer_core.limits` -- the request size limits passed to the
  above (``Limits``, ``DEFAULT``);
* :mod:`freezer_core.errors` -- every exception the above raise;
* :mod:`freezer_core.storage` -- SQL storage: ``migration.upgrade`` and
  ``actions.ActionRepository``;
* :mod:`freezer_core.lint` -- the ``freezer-action-lint`` command.

The domain modules (all but ``storage``) import only the standard library
and jsonschema. :mod:`freezer_core.storage` is the only subpackage that
imports SQLAlchemy, alembic and oslo.db. Nothing here imports pecan, webob,
oslo.service, oslo.policy, oslo.config or keystonemiddleware, and no global
configuration is read: limits and connections are passed in by the caller.
``.importlinter`` holds these rules as contracts, checked in CI, and the
``freezer-core`` distribution (``packaging/freezer-core/``) ships this
package alone with only those dependencies.
"""
