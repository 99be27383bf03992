#!/usr/bin/env bash
# The real freezer-scheduler and freezer-agent (freezer 19.0.0,
# python-freezerclient 6.5.0) end to end against this service, through
# ../shared/clients/run-scheduler-e2e.sh: a backup, its record, a restore
# compared byte for byte, a recurring job with stop/start events, a session
# of two jobs.
#
# Usage: tools/integration/scheduler-e2e.sh [daemon|uwsgi]   [daemon]
#   daemon: the API as freezer-api; uwsgi: under etc/freezer/uwsgi.ini
#   (as devstack runs it). Either way on a free 127.0.0.1 port, a fresh
#   SQLite database and auth_strategy = noauth (the harness's fake Keystone
#   hands out tokens the service does not validate).
#
# Prints the harness's "PASS|FAIL check: detail" lines and its
# "N passed, M failed" line; exits with its status.
#
# Environment (default in brackets):
#   FZ_CLIENTS_DIR  [../shared/clients next to the checkout, else
#                   /work/shared/clients] where run-scheduler-e2e.sh lives
#   FZ_WORK         [a new temporary directory, removed at the end]
#   FREEZER_ARTIFACTS  when set, the API log goes to
#                   $FREEZER_ARTIFACTS/scheduler-e2e/
#   FZ_E2E_*        passed to the harness; FZ_E2E_VENV defaults to a venv
#                   cached under FREEZER_CACHE_DIR, keyed by the harness's
#                   constraints file
#   FZ_PREPARE_ONLY [0]  1: make the venv, then exit
#   FZ_BIN, FZ_PIP_TIMEOUT, FREEZER_CACHE_DIR  see lib.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export FZ_LOG_TAG=scheduler-e2e
# shellcheck source=lib.sh
. "$HERE/lib.sh"

SERVER="${1:-daemon}"
case "$SERVER" in daemon|uwsgi) ;; *) sed -n '2,20p' "$0" >&2; exit 2 ;; esac
if [ -z "${FZ_CLIENTS_DIR:-}" ]; then
    FZ_CLIENTS_DIR="$FZ_ROOT/../shared/clients"
    [ -x "$FZ_CLIENTS_DIR/run-scheduler-e2e.sh" ] \
        || FZ_CLIENTS_DIR=/work/shared/clients
fi
HARNESS="$FZ_CLIENTS_DIR/run-scheduler-e2e.sh"
[ -x "$HARNESS" ] || fz_die "no $HARNESS (set FZ_CLIENTS_DIR)"

KEEP_WORK=1
if [ -z "${FZ_WORK:-}" ]; then
    FZ_WORK="$(mktemp -d /tmp/fz-e2e-api.XXXXXX)"
    KEEP_WORK=0
fi
cleanup() {
    fz_api_stop
    if [ -n "${FREEZER_ARTIFACTS:-}" ]; then
        mkdir -p "$FREEZER_ARTIFACTS/scheduler-e2e"
        cp "$FZ_WORK"/api/*.log "$FREEZER_ARTIFACTS/scheduler-e2e/" || true
    fi
    [ "$KEEP_WORK" = 1 ] || rm -rf "$FZ_WORK"
}
trap cleanup EXIT

# The harness's venv, made here like the other suites' (cached, keyed by
# the harness's own constraints file); the harness finds it complete.
if [ -z "${FZ_E2E_VENV:-}" ]; then
    FZ_E2E_VENV="$(fz_venv scheduler-e2e "$FZ_CLIENTS_DIR/e2e-constraints.txt" \
        'freezer==19.0.0' 'python-freezerclient==6.5.0')" || exit 1
fi
export FZ_E2E_VENV
[ "${FZ_PREPARE_ONLY:-0}" = 0 ] || exit 0

PORT="$(fz_free_port)"
fz_api_start "$FZ_WORK/api" "$PORT" noauth "$SERVER"
# Its status is ours (set -e; the trap stops the API).
"$HARNESS" "http://127.0.0.1:$PORT"
