#!/usr/bin/env bash
# The integration suites with the real, unmodified clients, for .ci/run:
#   tempest    tools/integration/tempest.sh (freezer-tempest-plugin, real
#              Keystone, keystonemiddleware)
#   scheduler  tools/integration/scheduler-e2e.sh (freezer-scheduler and
#              freezer-agent, noauth), once per server of FZ_SCHEDULER_SERVERS
#   browser    tests/browser/run.sh (Horizon + freezer-web-ui, Chromium)
#
# Usage: tools/integration/run-all.sh
#
# First every selected suite's virtualenv (and Chromium) is made at once,
# in parallel (the cold cost is mostly downloads); then the suites run one
# after the other, sharing one Keystone. Each suite prints its own lines
# and its "N passed, N failed"; at the end one line per suite and the sum,
# "integration: N passed, N failed". A suite that ends without its count
# line counts as 1 failed. Exit 0 only when nothing failed and something
# passed.
#
# Environment (default in brackets):
#   FZ_SUITES [tempest,scheduler,browser]  which suites, comma list
#   FZ_TEMPEST_SELECT [all]  tempest.sh's selector: all, resources
#             (actions,jobs,sessions,clients,backups,central,version) or
#             a regex
#   FZ_SCHEDULER_SERVERS [daemon,uwsgi]  servers for the scheduler suite
#   FZ_BROWSER_RESOURCES [actions,jobs,sessions,clients,backups] and
#   FZ_BROWSER_SELECT [.]  see tests/browser/run.sh
#   FREEZER_ARTIFACTS [./artifacts]  screenshots and logs
#   FZ_BIN, FZ_PIP_TIMEOUT, FREEZER_CACHE_DIR, FREEZER_KS_*  see lib.sh and
#             tools/keystone/server.sh
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export FZ_LOG_TAG=integration
# shellcheck source=lib.sh
. "$HERE/lib.sh"

SUITES=",${FZ_SUITES-tempest,scheduler,browser},"
export FZ_BROWSER_RESOURCES="${FZ_BROWSER_RESOURCES:-actions,jobs,sessions,clients,backups}"
export FREEZER_ARTIFACTS="${FREEZER_ARTIFACTS:-$PWD/artifacts}"
BROWSER="$FZ_ROOT/tests/browser/run.sh"
OUT="$(mktemp -d /tmp/fz-integration.XXXXXX)"
mkdir -p "$FREEZER_ARTIFACTS"

selected() { case "$SUITES" in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

# ------------------------------------------------ 1. installs, in parallel
declare -A PREPARE=()
selected tempest && PREPARE[tempest]="$HERE/tempest.sh"
selected scheduler && PREPARE[scheduler]="$HERE/scheduler-e2e.sh"
selected browser && PREPARE[browser]="$BROWSER"
declare -A PIDS=()
start=$SECONDS
for suite in "${!PREPARE[@]}"; do
    FZ_PREPARE_ONLY=1 "${PREPARE[$suite]}" > "$OUT/prepare-$suite.log" 2>&1 &
    PIDS[$suite]=$!
done
for suite in "${!PIDS[@]}"; do
    wait "${PIDS[$suite]}" || { fz_log "preparing $suite failed:"
                                cat "$OUT/prepare-$suite.log" >&2; }
done
[ "${#PIDS[@]}" = 0 ] || fz_log "installs ready in $((SECONDS - start)) s"

# ----------------------------------------------------- 2. shared Keystone
# Reused when FREEZER_KS_DIR names a running one; else started here (in
# FREEZER_KS_DIR when set, as .ci/run leaves it after its own Keystone).
KS_OWNED=0
if selected tempest || selected browser; then
    if [ -z "${FREEZER_KS_DIR:-}" ]; then
        export FREEZER_KS_DIR="$OUT/keystone"
        FREEZER_KS_PORT="$(fz_free_port)"
        export FREEZER_KS_PORT
    fi
    if ! "$FZ_ROOT/tools/keystone/server.sh" status > /dev/null 2>&1; then
        if "$FZ_ROOT/tools/keystone/server.sh" start > "$OUT/keystone.log" 2>&1
        then
            KS_OWNED=1
        else
            cat "$OUT/keystone.log" >&2
            fz_log "keystone did not start: the suites needing it will fail"
        fi
    fi
fi
cleanup() {
    [ "$KS_OWNED" = 0 ] || "$FZ_ROOT/tools/keystone/server.sh" stop || true
    rm -rf "$OUT"
}
trap cleanup EXIT

# ------------------------------------------------------------ 3. suites
PASSED=0
FAILED=0
SUMMARY=()
run_suite() {   # run_suite NAME COMMAND...
    local name="$1" start=$SECONDS p f line
    shift
    fz_log "suite $name: $*"
    "$@" 2>&1 | tee "$OUT/$name.log"
    line="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$OUT/$name.log" | tail -n 1)"
    if [ -n "$line" ]; then
        p="${line%% passed*}"
        f="${line#*passed, }"
        f="${f%% failed*}"
    else
        p=0
        f=1
        line="no count line (the suite did not finish): 1 failed"
    fi
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    SUMMARY+=("$name: $line ($((SECONDS - start)) s)")
}

if selected tempest; then
    run_suite tempest "$HERE/tempest.sh" "${FZ_TEMPEST_SELECT:-all}"
fi
if selected scheduler; then
    IFS=, read -r -a servers <<< "${FZ_SCHEDULER_SERVERS:-daemon,uwsgi}"
    for server in "${servers[@]}"; do
        run_suite "scheduler-$server" "$HERE/scheduler-e2e.sh" "$server"
    done
fi
if selected browser; then
    run_suite browser "$BROWSER"
fi

printf '%s\n' "${SUMMARY[@]}"
echo "integration: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
