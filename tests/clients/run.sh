#!/usr/bin/env bash
# The official Twilio helper libraries (PyPI `twilio`, npm `twilio`), unmodified, against the emulator.
#
#   bash tests/clients/run.sh                      # SQLite
#   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bash tests/clients/run.sh
#                                                  # SQLite, then Postgres (a fresh database, dropped after)
#
# For each backend: build the debug binary (once), start `twilio-emulator serve` on a free 127.0.0.1 port
# (--bind 127.0.0.1:0, the port is read from the start banner's JSON event) with a fresh database, create a tenant with
# `twilio-emulator accounts create --json`, run the Python suite (pytest: tests/, then the CI recipe in
# recipe/) and the Node suite (node --test), stop the server. Exits non-zero if a prerequisite is missing, a
# suite fails, or a suite ran no test.
#
# Subaccount cap (400 / 21480): the server runs with TWILIO_EMULATOR_MAX_SUBACCOUNTS=$CLIENT_TESTS_MAX_SUBACCOUNTS
# (default 10). Every test that creates subaccounts creates its own tenant with the CLI, so the cap is per
# test; the cap test fills a dedicated tenant up to the cap and expects 21480 on the next create. The CI
# recipes (python/recipe/, node/test/recipe.test.js) are the exception, as a user's CI would: they reset the
# run's tenant and restore their snapshot before each test (at most 5 subaccounts).
#
# What the tests get in their environment:
#   EMULATOR_URL          http://127.0.0.1:PORT          (client.api.base_url / client.api.baseUrl)
#   TENANT_SID, TENANT_TOKEN                             a main account made for this run
#   EMULATOR_BIN, EMULATOR_CONFIG, EMULATOR_DATABASE_URL to create more tenants with the CLI
#   EMULATOR_MAX_SUBACCOUNTS                             the cap the server runs with
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY_DIR="$HERE/python"
NODE_DIR="$HERE/node"
MAX_SUBACCOUNTS="${CLIENT_TESTS_MAX_SUBACCOUNTS:-10}"
START_TIMEOUT_S=60   # how long a server may take to print its banner and answer /readyz
STARTED_AT=$(date +%s)

NAME=clients/run.sh
# shellcheck source=tests/harness.sh
. "$ROOT/tests/harness.sh"

# --- (a) prerequisites ------------------------------------------------------------------------------
missing=()
command -v python3 >/dev/null 2>&1 || missing+=("python3 (3.8 or newer, with the venv module)")
command -v node >/dev/null 2>&1 || missing+=("node (v20 or newer)")
command -v npm >/dev/null 2>&1 || missing+=("npm")
command -v curl >/dev/null 2>&1 || missing+=("curl")
command -v cargo >/dev/null 2>&1 || missing+=("cargo (the Rust toolchain)")
if [ -n "${TEST_DATABASE_URL:-}" ]; then
    command -v psql >/dev/null 2>&1 || missing+=("psql (needed because TEST_DATABASE_URL is set)")
fi
if [ ${#missing[@]} -gt 0 ]; then
    printf 'clients/run.sh: missing prerequisites:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    printf 'Install them (e.g. apt-get install python3 python3-venv nodejs npm curl postgresql-client) and run again.\n' >&2
    exit 2
fi
python3 -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 8) else 1)' 2>/dev/null \
    || die "python3 must be 3.8 or newer with the venv and ensurepip modules (Debian: apt-get install python3-venv)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "node v20 or newer is needed (found $(node --version))"

# The libraries rewrite hostnames when these are set (harness_setup keeps 127.0.0.1 off any proxy).
unset TWILIO_REGION TWILIO_EDGE TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN
export PYTHONDONTWRITEBYTECODE=1

# --- scratch space, cleanup and (b) build -----------------------------------------------------------
harness_setup twilio-clients
build_emulator
write_config
SERVER_ENV=("TWILIO_EMULATOR_MAX_SUBACCOUNTS=$MAX_SUBACCOUNTS")

# --- client libraries ---------------------------------------------------------------------------------
stamp_of() { cat "$@" | cksum | cut -d' ' -f1; }

py_stamp="$(stamp_of "$PY_DIR/requirements.txt")-$(python3 -c 'import sys; print(sys.version)' | cksum | cut -d' ' -f1)"
if [ ! -x "$PY_DIR/.venv/bin/python" ] || [ "$(cat "$PY_DIR/.venv/.requirements-stamp" 2>/dev/null)" != "$py_stamp" ]; then
    say "creating $PY_DIR/.venv from requirements.txt"
    rm -rf "$PY_DIR/.venv"
    python3 -m venv "$PY_DIR/.venv"
    "$PY_DIR/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$PY_DIR/requirements.txt"
    echo "$py_stamp" >"$PY_DIR/.venv/.requirements-stamp"
fi
PY="$PY_DIR/.venv/bin/python"

npm_ci_once "$NODE_DIR"

say "twilio (PyPI) $("$PY" -c 'import twilio; print(twilio.__version__)'), pytest $("$PY" -c 'import pytest; print(pytest.__version__)'), python $("$PY" -c 'import platform; print(platform.python_version())')"
say "twilio (npm) $(cd "$NODE_DIR" && node -p 'require("twilio/package.json").version'), node $(node --version)"

# --- one backend ----------------------------------------------------------------------------------------
RESULTS=()      # "backend suite passed failed"
OVERALL_RC=0
TOTAL_PASSED=0
TOTAL_FAILED=0

run_pytest() { # $1 = label
    local xml="$WORK/pytest-$1.xml" rc=0
    (cd "$PY_DIR" && "$PY" -m pytest -q -rfEs --junitxml="$xml" tests recipe) || rc=$?
    local counts
    counts=$("$PY" - "$xml" <<'PYEOF'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print("0 0 0"); sys.exit()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
t = sum(int(s.get("tests", 0)) for s in suites)
f = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
s = sum(int(s.get("skipped", 0)) for s in suites)
print(t - f - s, f, s)
PYEOF
)
    local passed failed skipped
    read -r passed failed skipped <<<"$counts"
    record "$1" python "$rc" "$passed" "$failed" "$skipped"
}

run_node() { # $1 = label
    local tap="$WORK/node-$1.tap" rc=0
    (cd "$NODE_DIR" && node --test --test-concurrency=1 \
        --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$tap" \
        test/*.test.js) || rc=$?
    local passed failed skipped
    passed=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n1)
    failed=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n1)
    skipped=$(sed -n 's/^# skipped \([0-9][0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n1)
    # node --test reports a file that defines no test as one passing "test" named by its path: not a test.
    local empty_files
    empty_files=$(grep -cE '^ok [0-9]+ - /.*\.test\.js$' "$tap" 2>/dev/null || true)
    if [ "${empty_files:-0}" -gt 0 ]; then
        printf 'clients/run.sh: %s node test file(s) defined no test:\n' "$empty_files" >&2
        sed -n 's#^ok [0-9][0-9]* - \(/.*\.test\.js\)$#  \1#p' "$tap" >&2
        passed=$(( ${passed:-0} - empty_files ))
    fi
    record "$1" node "$rc" "${passed:-0}" "${failed:-0}" "${skipped:-0}"
}

record() { # label suite rc passed failed skipped
    local label=$1 suite=$2 rc=$3 passed=$4 failed=$5 skipped=$6
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # crashed, or pytest's 5 (no test collected)
    if [ "$passed" -eq 0 ]; then
        printf 'clients/run.sh: the %s suite ran no test on %s (exit %s): that is a failure\n' "$suite" "$label" "$rc" >&2
        [ "$failed" -eq 0 ] && failed=1
    fi
    if [ "$failed" -ne 0 ] || [ "$rc" -ne 0 ]; then OVERALL_RC=1; fi
    TOTAL_PASSED=$((TOTAL_PASSED + passed))
    TOTAL_FAILED=$((TOTAL_FAILED + failed))
    RESULTS+=("$(printf '%-9s %-7s %4s passed %4s failed %4s skipped' "$label" "$suite" "$passed" "$failed" "$skipped")")
}

run_backend() { # $1 = database URL, $2 = label
    local url=$1 label=$2 rc_before=$OVERALL_RC
    say "[$label] starting the emulator (subaccount cap $MAX_SUBACCOUNTS)"
    start_server "$url" "$label"
    say "[$label] listening on $EMULATOR_URL"
    local tenant
    tenant=$("$BIN" accounts create --friendly-name "Client tests ($label)" --json --config "$CONFIG" --database-url "$url")
    TENANT_SID=$(printf '%s' "$tenant" | python3 -c 'import json, sys; print(json.load(sys.stdin)["sid"])')
    TENANT_TOKEN=$(printf '%s' "$tenant" | python3 -c 'import json, sys; print(json.load(sys.stdin)["auth_token"])')
    export EMULATOR_URL TENANT_SID TENANT_TOKEN
    export EMULATOR_BIN="$BIN" EMULATOR_CONFIG="$CONFIG" EMULATOR_DATABASE_URL="$url"
    export EMULATOR_MAX_SUBACCOUNTS="$MAX_SUBACCOUNTS"
    say "[$label] tenant $TENANT_SID"

    say "[$label] Python suite (pytest)"
    run_pytest "$label"
    say "[$label] Node suite (node --test)"
    run_node "$label"

    stop_server
    if [ "$OVERALL_RC" -ne "$rc_before" ]; then
        say "[$label] a suite failed; the server's warnings and errors (last 20):"
        grep -E '"level":"(WARN|ERROR)"' "$WORK/server-$label.log" | tail -n 20 || true
    fi
}

# --- (c) backends -------------------------------------------------------------------------------------
mkdir -p "$WORK/sqlite"
run_backend "sqlite://$WORK/sqlite/emulator.db" sqlite

if [ -n "${TEST_DATABASE_URL:-}" ]; then
    create_pg_db twilio_clients
    run_backend "$PG_URL" postgres
    drop_pg_db
else
    say "TEST_DATABASE_URL is not set: Postgres skipped"
fi

# --- summary -----------------------------------------------------------------------------------------
echo
say "summary ($(( $(date +%s) - STARTED_AT ))s)"
printf '    %s\n' "${RESULTS[@]}"
echo "clients: $TOTAL_PASSED passed, $TOTAL_FAILED failed"
exit "$OVERALL_RC"
