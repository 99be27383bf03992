"""freezer_core: the framework-free domain library of the Freezer API.

The domain modules (:mod:`freezer_core.errors`, :mod:`freezer_core.jsondoc`,
:mod:`freezer_core.actions`, :mod:`freezer_core.search`,
:mod:`freezer_core.pagination`) import only the standard library and
jsonschema. :mod:`freezer_core.storage` is the only subpackage that imports
SQLAlchemy and oslo.db. Nothing here imports pecan, webob, oslo.service,
oslo.policy or keystonemiddleware, and no global configuration is read:
limits and connections are passed in by the caller.
"""
