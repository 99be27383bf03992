#!/usr/bin/env bash
# Run the unmodified freezer-tempest-plugin 3.5.0 actions API tests and the
# python-freezerclient action CLI tests against this service authenticating
# with a REAL Keystone (tools/keystone/server.sh), everything on 127.0.0.1.
#
# Usage: tools/keystone-tempest.sh [api|cli|all|REGEX]   (default: all)
#   api  -> freezer_tempest_plugin...freezer_api.api.test_api_actions
#   cli  -> freezer_tempest_plugin...freezerclient...Action (the action CLI)
#   all  -> api, then cli (two runs: the CLI tests leave an action behind,
#           and the API tests assert an empty project first)
#
# What it does:
#   1. starts the test Keystone with the backup service's endpoints at
#      http://127.0.0.1:$FZ_PORT (service type "backup" in the catalog);
#   2. starts `freezer-api` with auth_strategy = keystone, a fresh SQLite
#      database and the [keystone_authtoken] section the provisioning wrote;
#   3. installs tempest 47.0.0 + freezer-tempest-plugin 3.5.0 +
#      python-freezerclient 6.5.0 in a cached venv, points tempest at the
#      Keystone with the provisioned accounts (demo, alt_demo: member;
#      admin) and runs the tests;
#   4. stops the API and the Keystone it started (trap), leaves the logs.
# Ends with tempest's summary; exit status non-zero when a test failed.
#
# Environment (default in brackets):
#   FZ_PORT [9090]  port of freezer-api
#   FZ_BIN  [directory of `freezer-api` on PATH, else .venv/bin]
#   FZ_WORK [/tmp/freezer-keystone-tempest]  API state, tempest workspace
#   FZ_TEMPEST_VENV [${XDG_CACHE_HOME:-~/.cache}/freezer-api/tempest-venv]
#   FREEZER_KS_*  passed to tools/keystone/server.sh (its state defaults to
#                 $FZ_WORK/keystone here)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
WHAT="${1:-all}"
PORT="${FZ_PORT:-9090}"
WORK="${FZ_WORK:-/tmp/freezer-keystone-tempest}"
if [ -n "${FZ_BIN:-}" ]; then BIN="$FZ_BIN"
elif command -v freezer-api > /dev/null; then
    BIN="$(dirname "$(command -v freezer-api)")"
else BIN="$ROOT/.venv/bin"; fi
TVENV="${FZ_TEMPEST_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/freezer-api/tempest-venv}"
export FREEZER_KS_DIR="${FREEZER_KS_DIR:-$WORK/keystone}"
URL="http://127.0.0.1:$PORT"

log() { echo "[keystone-tempest $(date -u +%H:%M:%S)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

API_PID=""
cleanup() {
    if [ -n "$API_PID" ] && kill -0 "$API_PID" 2> /dev/null; then
        kill -TERM "$API_PID"
        wait "$API_PID" 2> /dev/null || true
        log "freezer-api stopped"
    fi
    "$HERE/keystone/server.sh" stop || true
}
trap cleanup EXIT

mkdir -p "$WORK"
rm -rf "$WORK/api"
mkdir -p "$WORK/api"

"$HERE/keystone/server.sh" start --backup-url "$URL"
# shellcheck disable=SC1091
. "$FREEZER_KS_DIR/env.sh"

cat > "$WORK/api/freezer-api.conf" <<EOF
[DEFAULT]
auth_strategy = keystone
bind_host = 127.0.0.1
bind_port = $PORT
state_path = $WORK/api

[api]
workers = 2

[database]
connection = sqlite:///$WORK/api/freezer.sqlite

EOF
cat "$FREEZER_KS_DIR/keystone_authtoken.conf" >> "$WORK/api/freezer-api.conf"

"$BIN/freezer-manage" --config-file "$WORK/api/freezer-api.conf" db sync \
    > "$WORK/api/manage.log" 2>&1 || die "db sync failed; see $WORK/api/manage.log"
"$BIN/freezer-api" --config-file "$WORK/api/freezer-api.conf" \
    > "$WORK/api/freezer-api.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 100); do
    if python3 -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=1)' "$URL/healthcheck" 2> /dev/null
    then break; fi
    kill -0 "$API_PID" 2> /dev/null || die "freezer-api exited; see $WORK/api/freezer-api.log"
    sleep 0.2
done
log "freezer-api pid $API_PID on $URL (auth_strategy = keystone)"

if [ ! -x "$TVENV/bin/tempest" ]; then
    log "installing tempest into $TVENV"
    python3 -m venv "$TVENV"
    timeout 900 "$TVENV/bin/pip" install --quiet 'tempest==47.0.0' \
        'freezer-tempest-plugin==3.5.0' 'python-freezerclient==6.5.0' \
        > "$WORK/tempest-pip.log" 2>&1 || die "pip failed; see $WORK/tempest-pip.log"
fi
# The CLI tests run `freezer` from PATH.
export PATH="$TVENV/bin:$PATH"

WS="$WORK/tempest"
[ -f "$WS/etc/tempest.conf" ] || tempest init "$WS" > /dev/null
cp "$FREEZER_KS_DIR/tempest-accounts.yaml" "$WS/etc/accounts.yaml"
cat > "$WS/etc/tempest.conf" <<EOF
[DEFAULT]
log_dir = $WS/logs
log_file = tempest.log

[oslo_concurrency]
lock_path = $WS/lock

[auth]
use_dynamic_credentials = False
test_accounts_file = $WS/etc/accounts.yaml
default_credentials_domain_name = Default
create_isolated_networks = False
admin_username = admin
admin_project_name = admin
admin_password = ${FREEZER_KS_PASSWORD:-secret}
admin_domain_name = Default

[identity]
uri_v3 = $FREEZER_TEST_KEYSTONE_URL
auth_version = v3
region = RegionOne

[identity-feature-enabled]
api_v2 = False

[service_available]
freezer = True

[backup]
catalog_type = backup
endpoint_type = publicURL
EOF

run() {
    log "tempest run --regex '$1'"
    (cd "$WS" && tempest run --concurrency 1 --regex "$1")
}

API_RE='^freezer_tempest_plugin\.tests\.freezer_api\.api\.test_api_actions'
CLI_RE='^freezer_tempest_plugin\.tests\.freezerclient\..*[Aa]ction'
rc=0
case "$WHAT" in
    api) run "$API_RE" || rc=$? ;;
    cli) run "$CLI_RE" || rc=$? ;;
    all) run "$API_RE" || rc=$?
         run "$CLI_RE" || rc=$? ;;
    *)   run "$WHAT" || rc=$? ;;
esac
exit $rc
