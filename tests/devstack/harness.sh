#!/usr/bin/env bash
# Runs one phase of the devstack plugin (devstack/settings, then
# devstack/plugin.sh) without devstack: devstack's functions are defined
# here as recorders. Used by tests/functional/test_devstack_plugin.py.
#
#   harness.sh WORKDIR PHASE [SUB-PHASE]     e.g. harness.sh /tmp/w stack install
#
# Every call of a devstack function is appended to WORKDIR/calls as one
# line: the function name and its arguments, separated by tabs. Files go
# under WORKDIR (WORKDIR/etc/freezer stands for /etc/freezer). Functions
# with an effect the plugin relies on have it: iniset writes the ini file,
# database_connection_url gives a SQLite URL under WORKDIR, sudo runs the
# command. The real freezer-manage and freezer-status run: HARNESS_BIN_DIR
# is the directory of the installed console scripts (and of uwsgi).
# HARNESS_SERVICES lists the enabled services (default: freezer-api
# keystone).
set -o errexit -o nounset -o pipefail

WORKDIR=$1
shift
CALLS=$WORKDIR/calls
PLUGIN_DIR=$(cd "$(dirname "$0")/../../devstack" && pwd)

record() {
    local IFS=$'\t'
    printf '%s\n' "$*" >> "$CALLS"
}

# --- what stack.sh defines before it sources a plugin --------------------
DEST=$WORKDIR/opt/stack
DATA_DIR=$WORKDIR/opt/stack/data
STACK_USER=$(id -un)
SERVICE_HOST=192.0.2.10
SERVICE_PROTOCOL=http
REGION_NAME=RegionOne
API_WORKERS=2
ENABLE_DEBUG_LOG_LEVEL=True
# As local.conf would set it: never the real /etc/freezer.
FREEZER_API_CONF_DIR=$WORKDIR/etc/freezer
PATH=$HARNESS_BIN_DIR:$PATH
export PATH

# --- devstack's functions ------------------------------------------------
is_service_enabled() {
    local service
    for service in ${HARNESS_SERVICES:-freezer-api keystone}; do
        [[ "$service" == "$1" ]] && return 0
    done
    return 1
}
enable_service() { record enable_service "$@"; }
echo_summary() { record echo_summary "$@"; }
setup_develop() { record setup_develop "$@"; }
get_python_exec_prefix() { echo "$HARNESS_BIN_DIR"; }
sudo() { record sudo "$@"; "$@"; }
iniset() {
    record iniset "$@"
    "$HARNESS_BIN_DIR/python" - "$@" <<'PYTHON'
import configparser
import os
import sys

path, section, option, value = sys.argv[1:5]
parser = configparser.RawConfigParser(interpolation=None)
parser.optionxform = str
parser.read(path)
if section != 'DEFAULT' and not parser.has_section(section):
    parser.add_section(section)
parser.set(section, option, value)
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, 'w') as ini_file:
    parser.write(ini_file)
PYTHON
}
database_connection_url() {
    record database_connection_url "$@"
    echo "sqlite:///$WORKDIR/db/$1.sqlite"
}
recreate_database() {
    record recreate_database "$@"
    mkdir -p "$WORKDIR/db"
    rm -f "$WORKDIR/db/$1.sqlite"
}
configure_keystone_authtoken_middleware() {
    record configure_keystone_authtoken_middleware "$@"
    iniset "$1" keystone_authtoken auth_type password
    iniset "$1" keystone_authtoken username "$2"
}
create_service_user() { record create_service_user "$@"; }
get_or_create_service() {
    record get_or_create_service "$@"
    echo "service-id-$1"
}
get_or_create_endpoint() {
    record get_or_create_endpoint "$@"
    echo "endpoint-id"
}
write_uwsgi_config() {
    record write_uwsgi_config "$@"
    rm -f "$1"
    iniset "$1" uwsgi module "$2"
}
remove_uwsgi_config() {
    record remove_uwsgi_config "$@"
    rm -f "$1"
}
run_process() { record run_process "$@"; }
stop_process() { record stop_process "$@"; }

# shellcheck source=devstack/settings
source "$PLUGIN_DIR/settings"
# shellcheck source=devstack/plugin.sh
source "$PLUGIN_DIR/plugin.sh" "$@"
