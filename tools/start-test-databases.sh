#!/usr/bin/env bash
# A local PostgreSQL and a local MariaDB on 127.0.0.1 for the Freezer API's
# multi-engine tests (storage, API, migrations, concurrency, outage).
# Test use only: the oslo.db "opportunistic" credentials, no durability
# (fsync off), nothing listens beyond loopback.
#
# Usage:
#   tools/start-test-databases.sh start
#       initialise (first time only) and start both servers, create the
#       user and database openstack_citest (password openstack_citest,
#       allowed to create and drop databases: each test process makes its
#       own), then write $FREEZER_DB_DIR/env.sh, which exports
#       FREEZER_TEST_POSTGRESQL_URL and FREEZER_TEST_MYSQL_URL.  Servers
#       already running are reused, so a second start takes well under a
#       second.  Exits non-zero, with the server's log, when one cannot
#       start.
#   tools/start-test-databases.sh stop      stop both servers
#   tools/start-test-databases.sh status    exit 0 when both run, 3 if not
#   tools/start-test-databases.sh postgres-start DIR PORT
#   tools/start-test-databases.sh postgres-stop DIR
#       one more PostgreSQL cluster in DIR on PORT (trust authentication,
#       database openstack_citest); the outage test stops and restarts
#       its own instance this way without touching the shared one.
#
# Environment (default in brackets):
#   FREEZER_DB_DIR    [/var/tmp/freezer-test-databases]  data, sockets, logs
#   FREEZER_PG_PORT   [55432]    FREEZER_MYSQL_PORT [53306]
#   FREEZER_PG_BINDIR [newest /usr/lib/postgresql/*/bin]
#
# Packages (Debian): postgresql, postgresql-contrib (pg_trgm), and
# mariadb-server; .ci/run installs them.  As root the servers run as the
# postgres and mysql system users; otherwise as the calling user.
set -euo pipefail

DIR="${FREEZER_DB_DIR:-/var/tmp/freezer-test-databases}"
PG_PORT="${FREEZER_PG_PORT:-55432}"
MY_PORT="${FREEZER_MYSQL_PORT:-53306}"
CITEST=openstack_citest
# Bounds on a loaded 2-core machine; a healthy start takes a few seconds.
START_TIMEOUT=60

log() { echo "[test-databases $(date -u +%H:%M:%S)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

pg_bindir() {
    if [ -n "${FREEZER_PG_BINDIR:-}" ]; then
        echo "$FREEZER_PG_BINDIR"
        return
    fi
    local found
    found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    [ -n "$found" ] || die "no PostgreSQL server binaries (apt-get install postgresql)"
    echo "$found"
}

# Run a command as the given system user when we are root (PostgreSQL
# refuses to run as root), else as ourselves.
as_user() {
    local user="$1"
    shift
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

own_dir() {
    local user="$1" path="$2"
    mkdir -p "$path"
    if [ "$(id -u)" -eq 0 ]; then
        chown "$user:" "$path"
    fi
    chmod 700 "$path"
}

# --- PostgreSQL ------------------------------------------------------------

postgres_start() {
    local data="$1/data" sockets="$1/run" port="$2" bin
    bin="$(pg_bindir)"
    own_dir postgres "$1"
    own_dir postgres "$sockets"
    if [ ! -f "$data/PG_VERSION" ]; then
        log "initdb $data"
        own_dir postgres "$data"
        as_user postgres "$bin/initdb" -D "$data" -U postgres \
            --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$1/initdb.log" \
            2>&1 || { cat "$1/initdb.log" >&2; die "initdb failed"; }
    fi
    if as_user postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        return 0
    fi
    # Test settings: loopback only, no durability (fsync and full page
    # writes off make DDL and commits cheap), room for several test
    # processes and four daemon workers at once.
    as_user postgres "$bin/pg_ctl" -D "$data" -l "$1/postgres.log" -w \
        -t "$START_TIMEOUT" -o "-c listen_addresses=127.0.0.1 -p $port \
-c unix_socket_directories=$sockets -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null \
        || { tail -20 "$1/postgres.log" >&2; die "PostgreSQL did not start on port $port"; }
    psql_admin "$1" "$port" -c 'SELECT 1' >/dev/null
    if ! psql_admin "$1" "$port" -tAc \
            "SELECT 1 FROM pg_roles WHERE rolname = '$CITEST'" | grep -q 1; then
        psql_admin "$1" "$port" -c \
            "CREATE ROLE $CITEST LOGIN CREATEDB PASSWORD '$CITEST'" >/dev/null
    fi
    if ! psql_admin "$1" "$port" -tAc \
            "SELECT 1 FROM pg_database WHERE datname = '$CITEST'" | grep -q 1; then
        psql_admin "$1" "$port" -c \
            "CREATE DATABASE $CITEST OWNER $CITEST ENCODING 'UTF8'" >/dev/null
    fi
    # pg_trgm (migration 0002) is created by the schema owner; trusted
    # extensions need no superuser, but template1 having it makes every
    # new test database start with it.
    psql_admin "$1" "$port" -d template1 -c \
        'CREATE EXTENSION IF NOT EXISTS pg_trgm' >/dev/null
}

psql_admin() {
    local base="$1" port="$2"
    shift 2
    as_user postgres "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 \
        -h "$base/run" -p "$port" -U postgres -d postgres "$@"
}

postgres_stop() {
    local data="$1/data" bin
    bin="$(pg_bindir)"
    [ -f "$data/PG_VERSION" ] || return 0
    as_user postgres "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null \
        2>&1 || true
}

# --- MariaDB ---------------------------------------------------------------

MY_BASE="$DIR/mariadb"
MY_SOCKET="$MY_BASE/run/mysqld.sock"
MY_PIDFILE="$MY_BASE/run/mysqld.pid"

mysql_admin() {
    mariadb --no-defaults --protocol=socket --socket="$MY_SOCKET" -uroot "$@"
}

mysql_running_pid() {
    local pid
    [ -f "$MY_PIDFILE" ] || return 1
    pid="$(cat "$MY_PIDFILE")"
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "--datadir=$MY_BASE/data" \
        || return 1
    echo "$pid"
}

mysql_start() {
    local user=mysql
    [ "$(id -u)" -eq 0 ] || user="$(id -un)"
    own_dir "$user" "$MY_BASE"
    own_dir "$user" "$MY_BASE/run"
    if [ ! -d "$MY_BASE/data/mysql" ]; then
        log "mariadb-install-db $MY_BASE/data"
        own_dir "$user" "$MY_BASE/data"
        mariadb-install-db --no-defaults --datadir="$MY_BASE/data" \
            --user="$user" --auth-root-authentication-method=socket \
            --skip-test-db >"$MY_BASE/install.log" 2>&1 \
            || { cat "$MY_BASE/install.log" >&2; die "mariadb-install-db failed"; }
    fi
    if ! mysql_running_pid >/dev/null; then
        # --no-defaults: the test server never reads the machine's
        # my.cnf, so its character set defaults are the server's own
        # (latin1): the schema and the connection must ask for utf8mb4
        # themselves, which is what the tests check.  No durability.
        (umask 077; setsid mariadbd --no-defaults --user="$user" \
            --datadir="$MY_BASE/data" --socket="$MY_SOCKET" \
            --pid-file="$MY_PIDFILE" --bind-address=127.0.0.1 \
            --port="$MY_PORT" --skip-name-resolve --max-connections=300 \
            --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
            --innodb-buffer-pool-size=128M --skip-log-bin \
            --log-error="$MY_BASE/mariadb.log" </dev/null >/dev/null 2>&1 &)
        local waited=0
        until mysql_admin -e 'SELECT 1' >/dev/null 2>&1; do
            sleep 0.5
            waited=$((waited + 1))
            if [ "$waited" -ge $((START_TIMEOUT * 2)) ]; then
                tail -20 "$MY_BASE/mariadb.log" >&2 || true
                die "MariaDB did not start on port $MY_PORT"
            fi
        done
    fi
    # The test user may create and drop its own databases (one per test
    # process); it never gets the server's administrative privileges.
    mysql_admin <<SQL
CREATE USER IF NOT EXISTS '$CITEST'@'127.0.0.1' IDENTIFIED BY '$CITEST';
CREATE USER IF NOT EXISTS '$CITEST'@'localhost' IDENTIFIED BY '$CITEST';
CREATE DATABASE IF NOT EXISTS $CITEST CHARACTER SET utf8mb4;
GRANT ALL PRIVILEGES ON *.* TO '$CITEST'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO '$CITEST'@'localhost';
SQL
}

mysql_stop() {
    local pid waited=0
    pid="$(mysql_running_pid)" || return 0
    kill -TERM "$pid"
    while [ -d "/proc/$pid" ] && [ "$waited" -lt $((START_TIMEOUT * 2)) ]; do
        sleep 0.5
        waited=$((waited + 1))
    done
}

# --- commands --------------------------------------------------------------

# ssl_disabled: PyMySQL otherwise builds a TLS context for every new
# connection (about 50 ms each), which the tests open by the hundred.
write_env() {
    cat >"$DIR/env.sh" <<EOF
export FREEZER_TEST_POSTGRESQL_URL='postgresql+psycopg2://$CITEST:$CITEST@127.0.0.1:$PG_PORT/$CITEST'
export FREEZER_TEST_MYSQL_URL='mysql+pymysql://$CITEST:$CITEST@127.0.0.1:$MY_PORT/$CITEST?charset=utf8mb4&ssl_disabled=1'
export FREEZER_TEST_PG_BINDIR='$(pg_bindir)'
EOF
}

case "${1:-}" in
    start)
        mkdir -p "$DIR"
        chmod 755 "$DIR"
        postgres_start "$DIR/postgresql" "$PG_PORT"
        log "PostgreSQL on 127.0.0.1:$PG_PORT"
        mysql_start
        log "MariaDB on 127.0.0.1:$MY_PORT"
        write_env
        ;;
    stop)
        postgres_stop "$DIR/postgresql"
        mysql_stop
        ;;
    status)
        as_user postgres "$(pg_bindir)/pg_ctl" -D "$DIR/postgresql/data" \
            status >/dev/null 2>&1 && mysql_running_pid >/dev/null || exit 3
        ;;
    postgres-start)
        [ $# -eq 3 ] || die "usage: $0 postgres-start DIR PORT"
        postgres_start "$2" "$3"
        ;;
    postgres-stop)
        [ $# -eq 2 ] || die "usage: $0 postgres-stop DIR"
        postgres_stop "$2"
        ;;
    *)
        echo "usage: $0 start|stop|status|postgres-start DIR PORT|postgres-stop DIR" >&2
        exit 2
        ;;
esac
