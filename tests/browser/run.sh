#!/usr/bin/env bash
# The dashboard (/_emulator/) in a real headless Chromium (Debian's `chromium`, driven by the pinned
# playwright-core in package.json / package-lock.json), against the real server.
#
#   bash tests/browser/run.sh                      # SQLite
#   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bash tests/browser/run.sh
#                                                  # SQLite, then Postgres (a fresh database, dropped after)
#   SKIP_CONTROL_PLANE=1 bash tests/browser/run.sh # skip the tests named "control plane: ..." (Requests,
#                                                  # Faults, Snapshots, Reset) on a server without /_emulator/v1/
#   bash tests/browser/run.sh --test-name-pattern=keyboard   # extra arguments go to `node --test`
#
# For each backend: build the debug binary (once), start `twilio-emulator serve` on a free 127.0.0.1 port
# (--bind 127.0.0.1:0, the port read from the start banner) with a fresh database and cheap argon2, run
# `node --test` over test/*.test.js (every test makes its own tenant with the CLI), stop the server.
# The first backend also writes docs/screenshots/accounts.png and requests.png (SCREENSHOT_DIR= to skip them).
# Chromium is never downloaded here: install Debian's (`apt-get install -y chromium`), or set CHROMIUM_PATH.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
START_TIMEOUT_S=60
STARTED_AT=$(date +%s)
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

NAME=browser/run.sh
# shellcheck source=tests/harness.sh
. "$ROOT/tests/harness.sh"

missing=()
command -v node >/dev/null 2>&1 || missing+=("node (v20 or newer)")
command -v npm >/dev/null 2>&1 || missing+=("npm")
command -v curl >/dev/null 2>&1 || missing+=("curl")
command -v cargo >/dev/null 2>&1 || missing+=("cargo")
[ -x "$CHROMIUM_PATH" ] || missing+=("chromium at $CHROMIUM_PATH (apt-get install -y chromium)")
if [ -n "${TEST_DATABASE_URL:-}" ]; then
    command -v psql >/dev/null 2>&1 || missing+=("psql (needed because TEST_DATABASE_URL is set)")
fi
if [ ${#missing[@]} -gt 0 ]; then
    printf 'browser/run.sh: missing prerequisites:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 2
fi
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || die "node v20 or newer is needed"

# --- scratch space and cleanup: the server, the Postgres database, Chromium's profiles (under TMPDIR) ---
harness_setup dashboard-browser

# --- build and install --------------------------------------------------------------------------------
build_emulator
npm_ci_once "$HERE"  # playwright-core downloads no browser on install; Debian's Chromium is used.
say "playwright-core $(cd "$HERE" && node -p 'require("playwright-core/package.json").version'), $("$CHROMIUM_PATH" --version 2>/dev/null | head -n1), node $(node --version)"

write_config

# --- one backend ----------------------------------------------------------------------------------------
RESULTS=()
OVERALL_RC=0
TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_SKIPPED=0

run_backend() { # $1 = database URL, $2 = label, $3 = screenshot dir or empty
    local url=$1 label=$2 started rc=0
    started=$(date +%s)
    say "[$label] starting the emulator"
    start_server "$url" "$label"
    say "[$label] listening on $EMULATOR_URL"
    local tap="$WORK/node-$label.tap"
    mkdir -p "$WORK/tmp-$label"
    (cd "$HERE" && EMULATOR_URL="$EMULATOR_URL" EMULATOR_BIN="$BIN" EMULATOR_CONFIG="$CONFIG" \
        EMULATOR_DATABASE_URL="$url" SCREENSHOT_DIR="$3" TMPDIR="$WORK/tmp-$label" \
        timeout --kill-after=10 600 node --test --test-concurrency=2 --test-timeout=60000 \
        --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$tap" \
        "${NODE_ARGS[@]}" test/*.test.js) || rc=$?
    stop_server
    local passed failed skipped
    passed=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n1)
    failed=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n1)
    skipped=$(sed -n 's/^# skipped \([0-9][0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n1)
    passed=${passed:-0} failed=${failed:-0} skipped=${skipped:-0}
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
    if [ "$passed" -eq 0 ]; then
        printf 'browser/run.sh: no browser test passed on %s: that is a failure\n' "$label" >&2
        [ "$failed" -eq 0 ] && failed=1
    fi
    if [ "$failed" -ne 0 ]; then
        OVERALL_RC=1
        say "[$label] a test failed; the server's warnings and errors (last 20):"
        grep -E '"level":"(WARN|ERROR)"' "$WORK/server-$label.log" | tail -n 20 || true
    fi
    TOTAL_PASSED=$((TOTAL_PASSED + passed))
    TOTAL_FAILED=$((TOTAL_FAILED + failed))
    TOTAL_SKIPPED=$((TOTAL_SKIPPED + skipped))
    RESULTS+=("$(printf '%-9s %4s passed %4s failed %4s skipped  %4ss' "$label" "$passed" "$failed" "$skipped" "$(( $(date +%s) - started ))")")
}

NODE_ARGS=("$@")
SHOTS="${SCREENSHOT_DIR-$ROOT/docs/screenshots}"   # SCREENSHOT_DIR= (empty) leaves the pictures alone
[ -z "$SHOTS" ] || mkdir -p "$SHOTS"
mkdir -p "$WORK/sqlite"
run_backend "sqlite://$WORK/sqlite/emulator.db" sqlite "$SHOTS"

if [ -n "${TEST_DATABASE_URL:-}" ]; then
    create_pg_db twilio_browser
    run_backend "$PG_URL" postgres ""
    drop_pg_db
else
    say "TEST_DATABASE_URL is not set: Postgres skipped"
fi

echo
say "summary ($(( $(date +%s) - STARTED_AT ))s)"
printf '    %s\n' "${RESULTS[@]}"
[ "${SKIP_CONTROL_PLANE:-}" = "1" ] && say "SKIP_CONTROL_PLANE=1: the control-plane tests were skipped"
echo "browser: $TOTAL_PASSED passed, $TOTAL_FAILED failed, $TOTAL_SKIPPED skipped"
exit "$OVERALL_RC"
