"""One log line per request: method, path, status, size and time.

cheroot writes no access log, and operators expect one line per API call
with its request id, as other OpenStack services log them.
"""

import time

from oslo_log import log as logging

LOG = logging.getLogger('api.access')


class AccessLog(object):
    """Log ``"METHOD /path?query" status: N len: N time: S`` at INFO.

    The request id (``x-openstack-request-id``) is in the log context
    when this runs inside oslo.middleware's RequestId.

    :param application: the WSGI application to wrap.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.monotonic()
        captured = {}

        def _start_response(status, headers, exc_info=None):
            captured['status'] = status.split(' ', 1)[0]
            for name, value in headers:
                if name.lower() == 'content-length':
                    captured['length'] = value
            return start_response(status, headers, exc_info)

        body = self.application(environ, _start_response)
        try:
            return list(body)
        finally:
            if hasattr(body, 'close'):
                body.close()
            query = environ.get('QUERY_STRING')
            LOG.info('"%s %s%s" status: %s len: %s time: %.4f',
                     environ.get('REQUEST_METHOD'),
                     environ.get('PATH_INFO', ''),
                     '?' + query if query else '',
                     captured.get('status', '-'),
                     captured.get('length', '-'),
                     time.monotonic() - started)
