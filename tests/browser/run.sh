#!/usr/bin/env bash
# Browser scenarios: freezer-web-ui 19.0.0 in Horizon 27 (Django's
# runserver), the real Keystone of tools/keystone/, this service behind
# keystonemiddleware, headless Chromium (Debian's chromium and
# chromium-driver) driven by Selenium. Everything on 127.0.0.1.
#
# Usage: tests/browser/run.sh [--list]
#   --list  list the scenarios, what each needs and whether it is selected
#
# Steps: apt-get installs chromium and chromium-driver when missing; a
# virtualenv with Horizon, freezer-web-ui and Selenium is made once and
# cached (keyed by constraints.txt), the panels are enabled in it and its
# CSS/JS compressed; Keystone starts (or is reused, FREEZER_KS_DIR) with
# the service type "backup" pointing at the API; the API starts on a free
# port with a fresh SQLite database and auth_strategy = keystone; Horizon
# serves on a free port (horizon_settings.py); scenarios.py runs the
# selected scenarios and saves a screenshot of each last page.
#
# Prints "PASS|FAIL scenario: detail" per scenario and "N passed, N
# failed"; exit 0 only when every selected scenario passed.
#
# Environment (default in brackets):
#   FZ_BROWSER_RESOURCES [actions,jobs,sessions,clients,backups]  API
#             resources that have landed;
#             scenarios needing others are not run (comma list of
#             actions,jobs,sessions,clients,backups)
#   FZ_BROWSER_SELECT [.]  regex over the scenario names (default: all)
#   FREEZER_ARTIFACTS [./artifacts]  screenshots go to
#             $FREEZER_ARTIFACTS/browser/, logs to .../browser/logs/
#   FZ_WORK   [a new temporary directory, removed at the end]
#   FZ_PREPARE_ONLY [0]  1: install chromium and the venv, then exit
#   FREEZER_KS_DIR, FREEZER_KS_PORT, FREEZER_KS_*  see tools/keystone/server.sh
#   FZ_BIN, FZ_PIP_TIMEOUT, FREEZER_CACHE_DIR      see tools/integration/lib.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export FZ_LOG_TAG=browser
# shellcheck source=../../tools/integration/lib.sh
. "$HERE/../../tools/integration/lib.sh"

RESOURCES="${FZ_BROWSER_RESOURCES:-actions,jobs,sessions,clients,backups}"
SELECT="${FZ_BROWSER_SELECT:-.}"
ARTIFACTS="${FREEZER_ARTIFACTS:-$PWD/artifacts}/browser"

packages_ok() { command -v chromium > /dev/null && command -v chromedriver > /dev/null; }
if ! packages_ok; then
    fz_log "installing chromium and chromium-driver (apt)"
    { apt-get -o DPkg::Lock::Timeout=300 update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 \
         install -y -qq chromium chromium-driver; } > /dev/null \
        || fz_die "apt-get could not install chromium and chromium-driver"
fi

VENV="$(fz_venv browser "$HERE/constraints.txt" 'horizon==27.0.0' \
    'freezer-web-ui==19.0.0' 'selenium')" || exit 1
VPY="$VENV/bin/python"

# The panels, enabled in Horizon the way freezer-web-ui's docs say: its
# "enabled" files copied into openstack_dashboard/local/enabled/. The
# compressed CSS and JS depend on them and on horizon_settings.py: built
# once per virtualenv and settings.
export DJANGO_SETTINGS_MODULE=horizon_settings
export PYTHONPATH="$HERE"
# One state folder per settings file, so runs with another version of
# the settings (other worktrees share the venv) never remove this one.
SETUP_KEY="$(sha256sum "$HERE/horizon_settings.py" | cut -c1-12)"
export FZ_HORIZON_STATE="$VENV/horizon-state-$SETUP_KEY"
if [ ! -f "$FZ_HORIZON_STATE/.setup-$SETUP_KEY" ]; then
    fz_log "enabling the panels and compressing Horizon's CSS/JS (once)"
    site="$("$VPY" -c 'import openstack_dashboard, os
print(os.path.dirname(os.path.dirname(openstack_dashboard.__file__)))')"
    cp "$site"/freezer_ui/enabled/_50*.py "$site/openstack_dashboard/local/enabled/"
    rm -rf "$FZ_HORIZON_STATE"
    mkdir -p "$FZ_HORIZON_STATE/compressed"
    "$VENV/bin/django-admin" compress --force > "$VENV.compress.log" 2>&1 \
        || fz_die "compress failed; see $VENV.compress.log"
    touch "$FZ_HORIZON_STATE/.setup-$SETUP_KEY"
fi

[ "${FZ_PREPARE_ONLY:-0}" = 0 ] || exit 0
if [ "${1:-}" = --list ]; then
    exec "$VPY" "$HERE/scenarios.py" --list --horizon-url x --identity x \
        --artifacts x --select "$SELECT" --resources "$RESOURCES"
fi

KEEP_WORK=1
if [ -z "${FZ_WORK:-}" ]; then
    FZ_WORK="$(mktemp -d /tmp/fz-browser.XXXXXX)"
    KEEP_WORK=0
fi
WORK="$FZ_WORK"
mkdir -p "$WORK"
if [ -z "${FREEZER_KS_DIR:-}" ]; then
    export FREEZER_KS_DIR="$WORK/keystone"
    FREEZER_KS_PORT="$(fz_free_port)"
    export FREEZER_KS_PORT
fi
KS_OWNED=0
"$FZ_ROOT/tools/keystone/server.sh" status > /dev/null 2>&1 || KS_OWNED=1
HORIZON_PID=""
cleanup() {
    if [ -n "$HORIZON_PID" ] && kill -0 "$HORIZON_PID" 2> /dev/null; then
        kill -TERM "$HORIZON_PID"
        wait "$HORIZON_PID" 2> /dev/null || true
    fi
    fz_api_stop
    [ "$KS_OWNED" = 0 ] || "$FZ_ROOT/tools/keystone/server.sh" stop || true
    mkdir -p "$ARTIFACTS/logs"
    cp "$WORK"/*.log "$WORK"/api/*.log "$ARTIFACTS/logs/" 2> /dev/null || true
    [ "$KEEP_WORK" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

API_PORT="$(fz_free_port)"
"$FZ_ROOT/tools/keystone/server.sh" start \
    --backup-url "http://127.0.0.1:$API_PORT" > "$WORK/keystone-start.log" 2>&1 \
    || { cat "$WORK/keystone-start.log" >&2; fz_die "keystone did not start"; }
# shellcheck disable=SC1091
. "$FREEZER_KS_DIR/env.sh"
fz_api_start "$WORK/api" "$API_PORT" keystone daemon \
    "$FREEZER_KS_DIR/keystone_authtoken.conf"

HORIZON_PORT="$(fz_free_port)"
HORIZON_URL="http://127.0.0.1:$HORIZON_PORT"
FZ_HORIZON_KEYSTONE_URL="$FREEZER_TEST_KEYSTONE_URL" \
    "$VENV/bin/django-admin" runserver --insecure --noreload \
    "127.0.0.1:$HORIZON_PORT" > "$WORK/horizon.log" 2>&1 &
HORIZON_PID=$!
for _ in $(seq 1 150); do
    curl -sf -o /dev/null --max-time 5 "$HORIZON_URL/auth/login/" && break
    kill -0 "$HORIZON_PID" 2> /dev/null \
        || { tail -20 "$WORK/horizon.log" >&2; fz_die "horizon exited"; }
    sleep 0.2
done
fz_log "horizon pid $HORIZON_PID on $HORIZON_URL; scenarios for: $RESOURCES"

mkdir -p "$ARTIFACTS"
SE_OFFLINE=true "$VPY" "$HERE/scenarios.py" --horizon-url "$HORIZON_URL" \
    --identity "$FREEZER_KS_DIR/test-keystone.json" --artifacts "$ARTIFACTS" \
    --select "$SELECT" --resources "$RESOURCES"
