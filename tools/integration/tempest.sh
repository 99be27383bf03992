#!/usr/bin/env bash
# The unmodified freezer-tempest-plugin 3.5.0 suite (tempest 47.0.0, API and
# CLI tests) against this service behind keystonemiddleware, with the real
# Keystone of tools/keystone/, everything on 127.0.0.1.
#
# Usage: tools/integration/tempest.sh [SELECTOR]
#   SELECTOR  all (default): the whole suite (34 API + 11 CLI tests);
#             a comma list of actions, jobs, sessions, clients, backups,
#             central, version: the tests of those only (which test needs
#             which resource: tools/integration/README.rst);
#             anything else: a regex over the test ids, as `tempest run
#             --regex` takes it.
#
# Steps: the Keystone (started here on a free port, or reused when
# FREEZER_KS_DIR names a running one) gets the service type "backup" with
# this API's URL; freezer-api starts on a free port with a fresh SQLite
# database and auth_strategy = keystone; tempest runs the selected API
# tests, then the selected CLI tests (two runs, one database: the CLI tests
# leave an action behind and the API tests assert empty lists first).
# Prints one "PASS|FAIL|SKIP test" line per test and "N passed, N failed"
# (a skipped test counts as failed: the suite must pass whole). Exit 0 only
# when every selected test passed and at least one ran.
#
# Environment (default in brackets):
#   FZ_WORK   [a new temporary directory, removed at the end] API state,
#             tempest workspace, logs; given, it is kept
#   FZ_SERVER [daemon] or uwsgi
#   FZ_PREPARE_ONLY [0]  1: make the venv, then exit
#   FREEZER_ARTIFACTS  when set, the logs are copied to $FREEZER_ARTIFACTS/tempest
#   FREEZER_KS_DIR, FREEZER_KS_PORT, FREEZER_KS_*  see tools/keystone/server.sh
#   FZ_BIN, FZ_PIP_TIMEOUT, FREEZER_CACHE_DIR      see lib.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export FZ_LOG_TAG=tempest
# shellcheck source=lib.sh
. "$HERE/lib.sh"

SELECTOR="${1:-all}"
SERVER="${FZ_SERVER:-daemon}"
KEEP_WORK=1
if [ -z "${FZ_WORK:-}" ]; then
    FZ_WORK="$(mktemp -d /tmp/fz-tempest.XXXXXX)"
    KEEP_WORK=0
fi
WORK="$FZ_WORK"
mkdir -p "$WORK"
KS_OWNED=0
if [ -z "${FREEZER_KS_DIR:-}" ]; then
    export FREEZER_KS_DIR="$WORK/keystone"
    FREEZER_KS_PORT="$(fz_free_port)"
    export FREEZER_KS_PORT
fi
if ! "$FZ_ROOT/tools/keystone/server.sh" status > /dev/null 2>&1; then
    KS_OWNED=1
fi

cleanup() {
    fz_api_stop
    [ "$KS_OWNED" = 0 ] || "$FZ_ROOT/tools/keystone/server.sh" stop || true
    if [ -n "${FREEZER_ARTIFACTS:-}" ]; then
        mkdir -p "$FREEZER_ARTIFACTS/tempest/api"
        cp "$WORK"/*.log "$FREEZER_ARTIFACTS/tempest/" 2> /dev/null || true
        cp "$WORK"/api/*.log "$FREEZER_ARTIFACTS/tempest/api/" 2> /dev/null || true
        cp "$WORK"/tempest/logs/*.log "$FREEZER_ARTIFACTS/tempest/" 2> /dev/null || true
    fi
    [ "$KEEP_WORK" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

# The selector as a regex over the test ids.
resource_regex() {
    local words=() w
    IFS=, read -r -a words <<< "$1"
    local parts=()
    for w in "${words[@]}"; do
        case "$w" in
            actions) parts+=('test_api_actions\.' 'test_freezer_cmd_action\.') ;;
            jobs) parts+=('test_api_jobs\.' 'test_freezer_cmd_job\.') ;;
            sessions) parts+=('test_api_sessions\.' 'test_freezer_cmd_session\.') ;;
            clients) parts+=('test_api_clients\.' 'test_freezer_cmd_client\.') ;;
            backups) parts+=('test_api_backups\.' 'test_freezer_cmd_backup\.') ;;
            central) parts+=('test_api_central\.') ;;
            version) parts+=('test_api_version\.') ;;
            *) return 1 ;;
        esac
    done
    local IFS='|'
    echo "(${parts[*]})"
}
case "$SELECTOR" in
    all) REGEX='^freezer_tempest_plugin\.tests\.(freezer_api\.api|freezerclient)\.' ;;
    *) REGEX="$(resource_regex "$SELECTOR")" || REGEX="$SELECTOR" ;;
esac

TVENV="$(fz_venv tempest "$HERE/tempest-constraints.txt" 'tempest==47.0.0' \
    'freezer-tempest-plugin==3.5.0' 'python-freezerclient==6.5.0')" || exit 1
[ "${FZ_PREPARE_ONLY:-0}" = 0 ] || exit 0
# The CLI tests run `freezer` from PATH.
export PATH="$TVENV/bin:$PATH"

PORT="$(fz_free_port)"
URL="http://127.0.0.1:$PORT"
"$FZ_ROOT/tools/keystone/server.sh" start --backup-url "$URL" \
    > "$WORK/keystone-start.log" 2>&1 \
    || { cat "$WORK/keystone-start.log" >&2; fz_die "keystone did not start"; }
# shellcheck disable=SC1091
. "$FREEZER_KS_DIR/env.sh"
# Jobs of central clients get a trust whose trustee is the service user
# (tempest's test_trust_creation_and_reuse), as devstack configures it.
{ cat "$FREEZER_KS_DIR/keystone_authtoken.conf"
  printf '\n[centralized_scheduler]\nenabled = true\n'
  printf 'auth_section = keystone_authtoken\n'; } > "$WORK/auth.conf"
fz_api_start "$WORK/api" "$PORT" keystone "$SERVER" "$WORK/auth.conf"

WS="$WORK/tempest"
# A private workspace registry: the default one (~/.tempest) refuses a
# second workspace of the same name.
[ -f "$WS/etc/tempest.conf" ] || tempest init \
    --workspace-path "$WORK/tempest-workspaces.yaml" "$WS" > "$WORK/init.log" 2>&1 \
    || { cat "$WORK/init.log" >&2; fz_die "tempest init failed"; }
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

# The selected tests, API ones first, then CLI ones.
# As include lists: one regex per test, its id without the tags, anchored
# (test_api_actions must not select test_api_actions_post).
(cd "$WS" && tempest run --list-tests --regex "$REGEX") 2> "$WORK/list.log" \
    | grep '^freezer_tempest_plugin\.' | sed -e 's/\[.*//' -e 's/\./\\./g' \
        -e 's/^/^/' -e 's/$/(\\[|$)/' > "$WORK/selected.txt" || true
grep -F 'tests\.freezer_api\.' "$WORK/selected.txt" \
    > "$WORK/api-tests.txt" || true
grep -vF 'tests\.freezer_api\.' "$WORK/selected.txt" \
    > "$WORK/cli-tests.txt" || true
fz_log "$(wc -l < "$WORK/api-tests.txt") API and $(wc -l < "$WORK/cli-tests.txt") CLI tests match '$REGEX'"

passed=0
failed=0
for part in api cli; do
    [ -s "$WORK/$part-tests.txt" ] || continue
    fz_log "tempest run ($part) against $URL"
    status=0
    (cd "$WS" && tempest run --concurrency 1 \
        --include-list "$WORK/$part-tests.txt") > "$WORK/tempest-$part.log" 2>&1 \
        || status=$?
    # One line per test from the run's subunit stream.
    (cd "$WS" && stestr last --subunit) 2> /dev/null | subunit2csv --no-passthrough \
        2> /dev/null | awk -F, 'NR > 1 { sub(/\[.*/, "", $1);
            s = ($2 == "success") ? "PASS" : ($2 == "skip") ? "SKIP" : "FAIL";
            print s, $1 }' > "$WORK/results-$part.txt" || true
    cat "$WORK/results-$part.txt"
    p=$(grep -c '^PASS ' "$WORK/results-$part.txt" || true)
    f=$(grep -vc '^PASS ' "$WORK/results-$part.txt" || true)
    expected=$(wc -l < "$WORK/$part-tests.txt")
    if [ $((p + f)) -lt "$expected" ]; then
        echo "FAIL $part: $((expected - p - f)) selected tests did not report"
        f=$((expected - p))
    fi
    if [ "$status" -ne 0 ] || [ "$f" -ne 0 ]; then
        fz_log "tempest $part failed (status $status); its output:"
        cat "$WORK/tempest-$part.log" >&2
    fi
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
