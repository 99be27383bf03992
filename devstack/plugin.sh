# shellcheck shell=bash
# devstack plugin of freezer-api: installs the API, configures it against
# devstack's database and Keystone, registers it in the catalog and runs
# it under uwsgi behind Apache. Enable in local.conf:
#   enable_plugin freezer-api <this repository's URL> [branch]
# devstack sources this file with the phase in $1 and $2 (see
# devstack/README.rst).

# Save the trace setting and trace the plugin like devstack's own libs.
_XTRACE_FREEZER_API=$(set +o | grep xtrace)
set -o xtrace

# install_freezer_api - install the service and its dependencies.
function install_freezer_api {
    setup_develop "$FREEZER_API_DIR"
}

# configure_freezer_api - write freezer-api.conf and the uwsgi config.
function configure_freezer_api {
    sudo install -d -o "$STACK_USER" "$FREEZER_API_CONF_DIR"
    install -d "$FREEZER_API_STATE_PATH"
    rm -f "$FREEZER_API_CONF"

    iniset "$FREEZER_API_CONF" DEFAULT auth_strategy keystone
    iniset "$FREEZER_API_CONF" DEFAULT state_path "$FREEZER_API_STATE_PATH"
    iniset "$FREEZER_API_CONF" DEFAULT debug "$ENABLE_DEBUG_LOG_LEVEL"
    iniset "$FREEZER_API_CONF" api workers "$API_WORKERS"
    iniset "$FREEZER_API_CONF" database connection \
        "$(database_connection_url freezer)"
    # Behind Apache: URLs in answers (Location) use the client's scheme.
    iniset "$FREEZER_API_CONF" oslo_middleware enable_proxy_headers_parsing True
    configure_keystone_authtoken_middleware "$FREEZER_API_CONF" freezer

    write_uwsgi_config "$FREEZER_API_UWSGI_CONF" "$FREEZER_API_UWSGI" \
        "$FREEZER_API_URL_PATH" "" "freezer-api"
    # uwsgi passes no command line: the application finds its file here.
    iniset "$FREEZER_API_UWSGI_CONF" uwsgi env \
        "FREEZER_CONFIG_FILE=$FREEZER_API_CONF"
    # The service logs each request itself (client, status, reason);
    # uwsgi's own request line would log it twice.
    iniset "$FREEZER_API_UWSGI_CONF" uwsgi disable-logging true
}

# create_freezer_accounts - the service user and the catalog entries.
function create_freezer_accounts {
    # The role devstack gives service users by default: the API needs no
    # more to validate tokens.
    create_service_user freezer service
    local service_id
    service_id=$(get_or_create_service freezer backup "Backup Service")
    local url="$FREEZER_API_SERVICE_PROTOCOL://$FREEZER_API_SERVICE_HOST$FREEZER_API_URL_PATH"
    get_or_create_endpoint "$service_id" "$REGION_NAME" "$url" "$url" "$url"
}

# init_freezer_api - create the database and bring its schema to head.
function init_freezer_api {
    recreate_database freezer
    "$FREEZER_BIN_DIR/freezer-manage" --config-file "$FREEZER_API_CONF" \
        db sync
    # Fails the stack on a schema or policy file the API would not serve.
    "$FREEZER_BIN_DIR/freezer-status" --config-file "$FREEZER_API_CONF" \
        upgrade check
}

# start_freezer_api - run the API under uwsgi as devstack@freezer-api.
function start_freezer_api {
    run_process freezer-api \
        "$(which uwsgi) --procname-prefix freezer-api --ini $FREEZER_API_UWSGI_CONF"
}

# stop_freezer_api - stop the API.
function stop_freezer_api {
    stop_process freezer-api
}

# cleanup_freezer_api - remove what configure and init created.
function cleanup_freezer_api {
    remove_uwsgi_config "$FREEZER_API_UWSGI_CONF" "freezer-api"
    sudo rm -rf "$FREEZER_API_CONF_DIR"
    rm -rf "$FREEZER_API_STATE_PATH"
}

if is_service_enabled freezer-api; then
    # The console scripts setup_develop installed.
    FREEZER_BIN_DIR=$(get_python_exec_prefix)
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        echo_summary "Installing freezer-api"
        install_freezer_api
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        echo_summary "Configuring freezer-api"
        configure_freezer_api
        if is_service_enabled keystone; then
            create_freezer_accounts
        fi
        init_freezer_api
    elif [[ "$1" == "stack" && "$2" == "extra" ]]; then
        echo_summary "Starting freezer-api"
        start_freezer_api
    fi

    if [[ "$1" == "unstack" ]]; then
        stop_freezer_api
    fi

    if [[ "$1" == "clean" ]]; then
        cleanup_freezer_api
    fi
fi

# Restore the trace setting.
$_XTRACE_FREEZER_API
