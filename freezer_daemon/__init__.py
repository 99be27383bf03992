"""The Freezer API daemon: configuration, process management, WSGI entry.

oslo.service resolves its classes from a backend chosen once per process,
and falls back to eventlet when nothing was chosen. The daemon must never
run on eventlet (its ``wsgi.Server`` is deprecated and monkey-patching
would change the database driver's threading), so the threading backend is
selected here, before any module of this package or of oslo.service can
import ``oslo_service.service``. If something selected eventlet earlier,
this raises ``BackendAlreadySelected`` instead of silently running on it.
"""

import warnings

from oslo_service import backend

with warnings.catch_warnings():
    # The threading backend imports futurist, which imports eventlet (when
    # installed, as oslo.service requires it) only to recognise green
    # threads; eventlet then warns at import that it is deprecated, which
    # would tell operators this service runs on eventlet when it does not.
    warnings.filterwarnings('ignore', message='\\s*Eventlet is deprecated')
    backend.init_backend(backend.BackendType.THREADING)
