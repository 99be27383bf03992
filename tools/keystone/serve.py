"""Serve Keystone's WSGI application with cheroot on loopback (tests only).

Run with the Python of the test Keystone's virtualenv (see ``server.sh``),
which holds keystone and cheroot; the configuration file comes from
``OS_KEYSTONE_CONFIG_FILES`` as Keystone's own WSGI module expects.

One worker thread on purpose: Keystone's in-process cache is only
consistent within one process, and SQLite refuses concurrent writers
("database is locked"); tests and tempest send one request at a time
anyway. cheroot rather than uwsgi because it is pure Python: no compiler
and no 20 s build in a fresh CI virtualenv.
"""

import argparse
import signal
import sys

from cheroot import wsgi


def main():
    """Serve until SIGTERM or SIGINT.

    :returns: int exit status (0 after a clean stop).
    """
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--port', type=int, required=True)
    args = parser.parse_args()

    # Imported here: it sets up the whole application at import time,
    # reading OS_KEYSTONE_CONFIG_FILES and parsing sys.argv as its own
    # command line, which must not see --port.
    sys.argv[1:] = []
    from keystone.wsgi import api as keystone_api

    server = wsgi.Server(('127.0.0.1', args.port), keystone_api.application,
                         numthreads=1, server_name='test-keystone')

    def stop(signum, frame):
        server.stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.safe_start()
    return 0


if __name__ == '__main__':
    sys.exit(main())
