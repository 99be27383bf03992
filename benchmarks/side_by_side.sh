#!/usr/bin/env bash
# side_by_side.sh - this service against the reference freezer-api, in one run.
#
# Starts, each on a fresh SQLite database under a work directory:
#   upstream  the reference freezer-api 19.0.0 as devstack runs it (uwsgi,
#             2 processes x 2 threads), through ../shared/perf/upstream/
#             run-upstream.sh (it installs it on first use);
#   daemon    this service's `freezer-api` daemon, 2 workers, noauth;
#   uwsgi     this service under uwsgi with etc/freezer/uwsgi.ini
#             (2 processes), noauth;
# then runs ../shared/perf/compare.sh with the reference first (so every
# ratio is "ours / reference"), and stops the three servers. The report is
# in OUT/report.md, the raw numbers in OUT/results.jsonl.
#
# Usage: benchmarks/side_by_side.sh [-n "10000"] [-d 5] [-r 2]
#            [-O "create get list search nested patch"] [-o OUT]
#            [-s "upstream daemon uwsgi"]
#   Needs wrk (apt-get install -y wrk), curl, ss, and this checkout's
#   virtualenv in .venv (the README's install command); uwsgi is
#   installed into it when missing. Loopback only; each wrk run is bounded.
#   The perf harness path can be changed with FZ_PERF_DIR.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PERF="${FZ_PERF_DIR:-$ROOT/../shared/perf}"
NS="10000"; DUR=5; REPS=2; OPS="create get list search nested patch"
SERVERS="upstream daemon uwsgi"
OUT="/tmp/fz-side-by-side/$(date +%Y%m%d-%H%M%S)"
while getopts "n:d:r:O:o:s:h" opt; do
  case $opt in
    n) NS="$OPTARG" ;; d) DUR="$OPTARG" ;; r) REPS="$OPTARG" ;;
    O) OPS="$OPTARG" ;; o) OUT="$OPTARG" ;; s) SERVERS="$OPTARG" ;;
    *) sed -n '2,23p' "$0"; exit 2 ;;
  esac
done
[ -x "$PERF/compare.sh" ] || { echo "no perf harness at $PERF" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk not found (apt-get install -y wrk)" >&2; exit 1; }
PY="$ROOT/.venv/bin"
[ -x "$PY/freezer-api" ] || { echo "install first: python3 -m venv .venv && .venv/bin/pip install -e ." >&2; exit 1; }

WORK="$OUT/work"; mkdir -p "$WORK"
UP_PORT=19290; DAEMON_PORT=19390; UWSGI_PORT=19391
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  if [[ " $SERVERS " == *" upstream "* ]]; then
    (cd "$WORK" && FZ_UPSTREAM_PORT=$UP_PORT FZ_UPSTREAM_DIR="$WORK/upstream" \
      "$PERF/upstream/run-upstream.sh" stop) >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

wait_ready() {  # URL
  for _ in $(seq 1 120); do
    curl -fs -o /dev/null -H 'X-Auth-Token: x' "$1/v2/ready/actions" && return 0
    sleep 0.5
  done
  echo "not ready: $1" >&2; return 1
}

config() {  # NAME PORT -> path of a config file with a fresh database
  local dir="$WORK/$1"; mkdir -p "$dir/state"
  cat > "$dir/freezer-api.conf" <<EOF
[DEFAULT]
auth_strategy = noauth
bind_host = 127.0.0.1
bind_port = $2
state_path = $dir/state
[api]
workers = 2
[database]
connection = sqlite:///\$state_path/freezer.sqlite
EOF
  "$PY/freezer-manage" --config-file "$dir/freezer-api.conf" db sync >"$dir/db-sync.log" 2>&1
  echo "$dir/freezer-api.conf"
}

TARGETS=()
for server in $SERVERS; do
  case $server in
    upstream)
      # Started from the work directory: uwsgi puts its working directory
      # on the path, where this checkout's packages (api, policies, ...)
      # would shadow the reference's imports.
      (cd "$WORK" && FZ_UPSTREAM_PORT=$UP_PORT FZ_UPSTREAM_DIR="$WORK/upstream" \
        "$PERF/upstream/run-upstream.sh" start) >"$WORK/upstream-start.log" 2>&1 \
        || { cat "$WORK/upstream-start.log" >&2; exit 1; }
      wait_ready "http://127.0.0.1:$UP_PORT"
      TARGETS+=("upstream=http://127.0.0.1:$UP_PORT") ;;
    daemon)
      conf=$(config daemon $DAEMON_PORT)
      setsid "$PY/freezer-api" --config-file "$conf" >"$WORK/daemon/server.log" 2>&1 &
      PIDS+=($!)
      wait_ready "http://127.0.0.1:$DAEMON_PORT"
      TARGETS+=("daemon=http://127.0.0.1:$DAEMON_PORT") ;;
    uwsgi)
      [ -x "$PY/uwsgi" ] || "$PY/pip" install -q uwsgi >/dev/null
      conf=$(config uwsgi $UWSGI_PORT)
      sed "s/127.0.0.1:9090/127.0.0.1:$UWSGI_PORT/" "$ROOT/etc/freezer/uwsgi.ini" >"$WORK/uwsgi/uwsgi.ini"
      (cd "$ROOT" && FREEZER_CONFIG_FILE="$conf" setsid "$PY/uwsgi" --ini "$WORK/uwsgi/uwsgi.ini" \
        >"$WORK/uwsgi/server.log" 2>&1 &)
      sleep 1
      PIDS+=("$(pgrep -f -o "uwsgi --ini $WORK/uwsgi/uwsgi.ini")")
      wait_ready "http://127.0.0.1:$UWSGI_PORT"
      TARGETS+=("uwsgi=http://127.0.0.1:$UWSGI_PORT") ;;
    *) echo "unknown server $server" >&2; exit 2 ;;
  esac
done

{
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "python: $("$PY/python" -V 2>&1)"
} >"$WORK/machine.txt"
mkdir -p "$OUT"
"$PERF/compare.sh" -n "$NS" -d "$DUR" -r "$REPS" -O "$OPS" -o "$OUT" "${TARGETS[@]}"
cat "$WORK/machine.txt" >>"$OUT/report.md"
echo "report: $OUT/report.md"
