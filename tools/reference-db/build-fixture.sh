#!/usr/bin/env bash
# Build the reference freezer-api 19.0.0 database that
# tests/functional/test_reference_import.py imports.
#
# Installs freezer-api==19.0.0 (PyPI) into a virtualenv outside the
# checkout (FZ_REFERENCE_VENV, default /var/tmp/freezer-api-19.0.0; made
# once, reused), creates the schema with the reference's own alembic
# migrations and fills it through the reference's own API (populate.py),
# then writes, in tests/functional/fixtures/:
#   reference-19.0.0.sqlite        the database (a data file made by us)
#   reference-19.0.0-answers.json  what the reference's API showed of it
# Commit both when they change. Usage: tools/reference-db/build-fixture.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${FZ_REFERENCE_VENV:-/var/tmp/freezer-api-19.0.0}"
OUT="$ROOT/tests/functional/fixtures"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if ! "$VENV/bin/python" -c 'import freezer_api' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q 'freezer-api==19.0.0'
fi

cat > "$WORK/freezer-api.conf" <<CONF
[DEFAULT]
log_file = $WORK/freezer-api.log

[storage]
driver = sqlalchemy
backend = sqlalchemy

[database]
connection = sqlite:///$WORK/reference.sqlite

[centralized_scheduler]
enabled = False
CONF

(cd "$WORK" && "$VENV/bin/python" "$HERE/populate.py" \
    "$WORK/freezer-api.conf" "$WORK/answers.json")
mkdir -p "$OUT"
# VACUUM: a compact file, no journal beside it.
"$VENV/bin/python" -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("VACUUM"); c.close()' "$WORK/reference.sqlite"
cp "$WORK/reference.sqlite" "$OUT/reference-19.0.0.sqlite"
cp "$WORK/answers.json" "$OUT/reference-19.0.0-answers.json"
echo "wrote $OUT/reference-19.0.0.sqlite and reference-19.0.0-answers.json"
