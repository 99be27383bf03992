"""Django settings of the Horizon under test (tests/browser/run.sh).

``run.sh`` serves Horizon with ``DJANGO_SETTINGS_MODULE=horizon_settings``
and this folder on ``PYTHONPATH``: Horizon's own settings
(``openstack_dashboard.settings``, which finds the freezer-web-ui panels
in ``openstack_dashboard/local/enabled/``) with these values on top, in
place of a ``local_settings.py`` written into the virtualenv. Test use
only: a fixed secret key, plain HTTP, loopback only.

What differs from Horizon's defaults, and why:

* no memcached: sessions live in signed cookies
  (``django.contrib.sessions.backends.signed_cookies``) and the cache is
  per process (``LocMemCache``);
* ``DEBUG = False``, so pages look as operators see them, errors
  included; ``runserver --insecure`` then serves the static files through
  the finders. The CSS and JavaScript are compressed offline once per
  virtualenv (``manage.py compress``) into ``COMPRESS_ROOT``, which is
  therefore one of the static files directories;
* freezerclient's ``ApiClientException`` is one of Horizon's recoverable
  exceptions, so a call the API refuses (a reader's write: 403) is an
  error message and not a 500 page; freezer-web-ui needs it in any
  deployment (``docs/web-ui.rst``);
* the Keystone URL is ``FZ_HORIZON_KEYSTONE_URL``
  (``http://127.0.0.1:PORT/v3``); the backup endpoint comes from the
  Keystone catalog (service type ``backup``), as in a deployment, since
  ``FREEZER_API_URL`` is not set.
"""

import os

from freezerclient import exceptions as freezer_exceptions
from openstack_dashboard.settings import *  # noqa: F401,F403

_STATE = os.environ['FZ_HORIZON_STATE']

DEBUG = False
ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
SECRET_KEY = 'freezer-api-browser-tests-only'

OPENSTACK_HOST = '127.0.0.1'
OPENSTACK_KEYSTONE_URL = os.environ.get('FZ_HORIZON_KEYSTONE_URL',
                                        'http://127.0.0.1:35357/v3')
OPENSTACK_KEYSTONE_DEFAULT_ROLE = 'member'
OPENSTACK_ENDPOINT_TYPE = 'publicURL'

SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'
CACHES = {'default': {
    'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

STATIC_ROOT = os.path.join(_STATE, 'static')
COMPRESS_ROOT = os.path.join(_STATE, 'compressed')
COMPRESS_OFFLINE = True
STATICFILES_DIRS = list(STATICFILES_DIRS) + [COMPRESS_ROOT]  # noqa: F405

HORIZON_CONFIG['exceptions']['recoverable'] = (  # noqa: F405
    tuple(HORIZON_CONFIG['exceptions']['recoverable'])  # noqa: F405
    + (freezer_exceptions.ApiClientException,))

TIME_ZONE = 'UTC'
LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'handlers': {'console': {'class': 'logging.StreamHandler'}},
    'root': {'handlers': ['console'], 'level': 'INFO'},
    'loggers': {'django.db.backends': {'level': 'WARNING'}},
}
