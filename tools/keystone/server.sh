#!/usr/bin/env bash
# A real OpenStack Keystone on 127.0.0.1 for the Freezer API's identity and
# policy tests (tests/functional/keystone/) and for tools/integration/.
# Test use only: fixed passwords, cheap password hashing, no TLS.
#
# Usage:
#   tools/keystone/server.sh start [--backup-url URL]
#       install keystone in its own venv (cached), set it up on SQLite with
#       fernet tokens, serve it, provision the test identities; then
#       `. $FREEZER_KS_DIR/env.sh` exports FREEZER_TEST_KEYSTONE_URL and
#       FREEZER_TEST_KEYSTONE_CREDENTIALS for the tests.  When the server
#       is already running it only provisions again.
#   tools/keystone/server.sh stop      stop the server this script started
#   tools/keystone/server.sh status    exit 0 when running, 3 when not
#
# Environment (default in brackets):
#   FREEZER_KS_VENV  [${XDG_CACHE_HOME:-~/.cache}/freezer-api/keystone-venv]
#                    kept between runs; reinstalled only when constraints.txt
#                    changes (a fresh install takes about a minute or two)
#   FREEZER_KS_DIR   [/tmp/freezer-keystone]  database, keys, logs, outputs
#   FREEZER_KS_PORT  [35357]     FREEZER_KS_PASSWORD [secret]
#   FREEZER_KS_PYTHON [python3]  FREEZER_KS_INSTALL_TIMEOUT [600] seconds
#
# Steps of `start` (facts from ../shared/keystone, Keystone's install guide):
#   pip install -c constraints.txt keystone cheroot; keystone.conf with
#   SQLite, fernet tokens and key repositories under FREEZER_KS_DIR;
#   keystone-manage fernet_setup, credential_setup, db_sync, bootstrap
#   (user admin, project admin, roles admin/manager/member/reader/service,
#   region RegionOne, identity endpoints); serve.py (cheroot, one thread);
#   provision.py (projects, users, roles, service type "backup").
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${FREEZER_KS_VENV:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/freezer-api/keystone-venv}"
STATE="${FREEZER_KS_DIR:-/tmp/freezer-keystone}"
PORT="${FREEZER_KS_PORT:-35357}"
PASSWORD="${FREEZER_KS_PASSWORD:-secret}"
PY="${FREEZER_KS_PYTHON:-python3}"
INSTALL_TIMEOUT="${FREEZER_KS_INSTALL_TIMEOUT:-600}"
AUTH_URL="http://127.0.0.1:$PORT/v3"
PIDFILE="$STATE/keystone.pid"

log() { echo "[keystone $(date -u +%H:%M:%S)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The PID in the pid file, if that process is alive and is our serve.py
# (a stale file must never make us signal another process).
running_pid() {
    local pid
    [ -f "$PIDFILE" ] || return 1
    pid="$(cat "$PIDFILE")"
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "$HERE/serve.py" || return 1
    echo "$pid"
}

install() {
    local stamp="$VENV/.freezer-constraints" want
    want="$(sha256sum "$HERE/constraints.txt" | cut -c1-16)"
    if [ -x "$VENV/bin/keystone-manage" ] \
            && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        log "keystone venv $VENV is current"
        return 0
    fi
    log "installing keystone into $VENV (bounded to ${INSTALL_TIMEOUT}s)"
    "$PY" -m venv --clear "$VENV"
    timeout "$INSTALL_TIMEOUT" "$VENV/bin/pip" install --quiet \
        -c "$HERE/constraints.txt" keystone cheroot > "$STATE/pip.log" 2>&1 \
        || die "pip install failed or timed out; see $STATE/pip.log"
    echo "$want" > "$stamp"
}

configure() {
    mkdir -p "$STATE/lock"
    cat > "$STATE/keystone.conf" <<EOF
# Written by tools/keystone/server.sh: a test Keystone, never deploy this.
[database]
connection = sqlite:///$STATE/keystone.db

[token]
provider = fernet

[fernet_tokens]
key_repository = $STATE/fernet-keys

# fernet_setup also creates the MFA receipt keys; without this it would
# write under /etc/keystone.
[fernet_receipts]
key_repository = $STATE/fernet-keys

[credential]
key_repository = $STATE/credential-keys

[identity]
# The cheapest bcrypt cost: logins in about 1 ms instead of 250 ms.
password_hash_rounds = 4

[oslo_concurrency]
lock_path = $STATE/lock

[cache]
# In-process cache: consistent because serve.py runs one thread.
enabled = true
backend = oslo_cache.dict
EOF
}

manage() {
    "$VENV/bin/keystone-manage" --config-file "$STATE/keystone.conf" "$@" \
        >> "$STATE/manage.log" 2>&1 || die "keystone-manage $1 failed; see $STATE/manage.log"
}

setup_database() {
    local want
    want="$AUTH_URL $(printf %s "$PASSWORD" | sha256sum | cut -c1-16)"
    if [ -s "$STATE/keystone.db" ] \
            && [ "$(cat "$STATE/.bootstrapped" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    rm -rf "$STATE/keystone.db" "$STATE/fernet-keys" "$STATE/credential-keys"
    manage fernet_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
    manage credential_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
    manage db_sync
    manage bootstrap --bootstrap-password "$PASSWORD" \
        --bootstrap-username admin --bootstrap-project-name admin \
        --bootstrap-role-name admin --bootstrap-region-id RegionOne \
        --bootstrap-admin-url "$AUTH_URL" --bootstrap-public-url "$AUTH_URL" \
        --bootstrap-internal-url "$AUTH_URL"
    echo "$want" > "$STATE/.bootstrapped"
    log "database set up and bootstrapped"
}

serve() {
    OS_KEYSTONE_CONFIG_FILES="$STATE/keystone.conf" nohup \
        "$VENV/bin/python" "$HERE/serve.py" --port "$PORT" \
        < /dev/null > "$STATE/keystone.log" 2>&1 &
    echo $! > "$PIDFILE"
    local deadline=$((SECONDS + 60))
    until "$VENV/bin/python" -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2)' "$AUTH_URL" 2> /dev/null; do
        running_pid > /dev/null || { tail -20 "$STATE/keystone.log" >&2
                                     die "keystone exited"; }
        [ "$SECONDS" -lt "$deadline" ] || die "no answer from $AUTH_URL in 60 s"
        sleep 0.3
    done
    log "keystone pid $(cat "$PIDFILE") answers at $AUTH_URL"
}

provision() {
    "$VENV/bin/python" "$HERE/provision.py" --auth-url "$AUTH_URL" \
        --password "$PASSWORD" --backup-url "$BACKUP_URL" \
        --state-dir "$STATE" >&2 || die "provisioning failed"
    log "ready: . $STATE/env.sh"
}

cmd_start() {
    BACKUP_URL="http://127.0.0.1:9090"
    while [ $# -gt 0 ]; do
        case "$1" in
            --backup-url) BACKUP_URL="$2"; shift 2 ;;
            *) die "unknown option $1" ;;
        esac
    done
    mkdir -p "$STATE"
    if running_pid > /dev/null; then
        provision
        return 0
    fi
    install
    configure
    setup_database
    serve
    provision
}

cmd_stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PIDFILE"
        return 0
    fi
    kill -TERM "$pid"
    for _ in $(seq 1 50); do
        running_pid > /dev/null || break
        sleep 0.2
    done
    if running_pid > /dev/null; then
        kill -KILL "$pid"
    fi
    rm -f "$PIDFILE"
    log "stopped pid $pid"
}

case "${1:-}" in
    start) shift; cmd_start "$@" ;;
    stop) cmd_stop ;;
    status) if pid="$(running_pid)"; then echo "running, pid $pid"
            else echo "stopped"; exit 3; fi ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 2 ;;
esac
