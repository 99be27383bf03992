# shellcheck shell=bash
# Shared helpers of the integration harnesses (tools/integration/*.sh and
# tests/browser/run.sh). Source it; it defines functions and sets nothing
# else but the variables named FZ_* below.
#
#   fz_log MSG...            progress on stderr
#   fz_die MSG...            log and exit 1
#   fz_free_port             a free TCP port on 127.0.0.1
#   fz_cache_dir             where venvs are kept between runs
#   fz_venv NAME CONSTRAINTS PACKAGE...
#                            a cached venv under fz_cache_dir, keyed by a
#                            hash of the constraints file, the packages and
#                            the interpreter; created once under a lock, pip
#                            bounded by FZ_PIP_TIMEOUT; prints its path
#   fz_api_start DIR PORT STRATEGY [SERVER] [AUTHTOKEN_CONF]
#                            a fresh SQLite database in DIR, db sync, then
#                            the API (SERVER daemon = freezer-api, uwsgi =
#                            etc/freezer/uwsgi.ini) on 127.0.0.1:PORT with
#                            auth_strategy STRATEGY (keystone|noauth);
#                            waits for /healthcheck; sets FZ_API_PID
#   fz_api_stop              stops what fz_api_start started
#
# Environment: FZ_BIN [the checkout's .venv/bin] holds freezer-api,
# freezer-manage and uwsgi; FZ_PIP_TIMEOUT [900] seconds per install;
# FREEZER_CACHE_DIR [${XDG_CACHE_HOME:-~/.cache}/freezer-api].

FZ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FZ_BIN="${FZ_BIN:-$FZ_ROOT/.venv/bin}"
FZ_PIP_TIMEOUT="${FZ_PIP_TIMEOUT:-900}"
FZ_API_PID=""

fz_log() { echo "[${FZ_LOG_TAG:-integration} $(date -u +%H:%M:%S)] $*" >&2; }
fz_die() { fz_log "ERROR: $*"; exit 1; }

fz_free_port() {
    python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

fz_cache_dir() {
    echo "${FREEZER_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/freezer-api}"
}

fz_venv() {
    local name="$1" constraints="$2" key venv
    shift 2
    key="$({ cat "$constraints"; echo "$*"; python3 -VV; } | sha256sum | cut -c1-12)"
    venv="$(fz_cache_dir)/$name-$key"
    mkdir -p "$(dirname "$venv")"
    (
        flock -w "$FZ_PIP_TIMEOUT" 9 || fz_die "lock on $venv.lock held too long"
        [ -f "$venv/.complete" ] && exit 0
        fz_log "installing $* into $venv (once; pip bounded to ${FZ_PIP_TIMEOUT}s)"
        python3 -m venv --clear "$venv" || fz_die "python3 -m venv failed"
        timeout "$FZ_PIP_TIMEOUT" "$venv/bin/pip" install --quiet \
            --default-timeout 60 -c "$constraints" "$@" > "$venv.pip.log" 2>&1 \
            || fz_die "pip install failed or timed out; see $venv.pip.log"
        touch "$venv/.complete"
    ) 9> "$venv.lock" || exit 1
    echo "$venv"
}

fz_api_start() {
    local dir="$1" port="$2" strategy="$3" server="${4:-daemon}"
    local authtoken="${5:-}" conf="$1/freezer-api.conf" url
    url="http://127.0.0.1:$port"
    rm -rf "$dir"
    mkdir -p "$dir"
    cat > "$conf" <<EOF
[DEFAULT]
auth_strategy = $strategy
bind_host = 127.0.0.1
bind_port = $port
state_path = $dir

[api]
workers = 2

[database]
connection = sqlite:///$dir/freezer.sqlite

EOF
    [ -z "$authtoken" ] || cat "$authtoken" >> "$conf"
    "$FZ_BIN/freezer-manage" --config-file "$conf" db sync \
        > "$dir/manage.log" 2>&1 || fz_die "db sync failed; see $dir/manage.log"
    case "$server" in
        daemon)
            "$FZ_BIN/freezer-api" --config-file "$conf" \
                > "$dir/freezer-api.log" 2>&1 &
            ;;
        uwsgi)
            FREEZER_CONFIG_FILE="$conf" "$FZ_BIN/uwsgi" \
                --http-socket "127.0.0.1:$port" \
                --ini "$FZ_ROOT/etc/freezer/uwsgi.ini" \
                > "$dir/freezer-api.log" 2>&1 &
            ;;
        *) fz_die "unknown server $server (daemon or uwsgi)" ;;
    esac
    FZ_API_PID=$!
    for _ in $(seq 1 150); do
        if curl -sf -o /dev/null --max-time 2 "$url/healthcheck"; then
            fz_log "freezer-api ($server, $strategy) pid $FZ_API_PID on $url"
            return 0
        fi
        kill -0 "$FZ_API_PID" 2> /dev/null \
            || fz_die "the API exited; see $dir/freezer-api.log"
        sleep 0.2
    done
    fz_die "no answer from $url/healthcheck in 30 s; see $dir/freezer-api.log"
}

fz_api_stop() {
    [ -n "$FZ_API_PID" ] || return 0
    if kill -0 "$FZ_API_PID" 2> /dev/null; then
        kill -TERM "$FZ_API_PID"
        wait "$FZ_API_PID" 2> /dev/null || true
    fi
    FZ_API_PID=""
}
