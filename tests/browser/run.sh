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

say() { printf '==> %s\n' "$*"; }
die() { printf 'browser/run.sh: %s\n' "$*" >&2; exit 1; }

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

unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy ALL_PROXY all_proxy
export NO_PROXY="127.0.0.1,localhost" no_proxy="127.0.0.1,localhost"

# --- scratch space and cleanup: the server, the Postgres database, Chromium's profiles (under TMPDIR) ---
WORK="$(mktemp -d "${TMPDIR:-/tmp}/dashboard-browser.XXXXXX")"
SERVER_PID=""
PG_ADMIN_URL=""
PG_DB=""

stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}

drop_pg_db() {
    if [ -n "$PG_DB" ]; then
        psql "$PG_ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 \
            || printf 'browser/run.sh: could not drop database %s\n' "$PG_DB" >&2
        PG_DB=""
    fi
}

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
    stop_server
    drop_pg_db
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- build and install --------------------------------------------------------------------------------
say "cargo build --bin twilio-emulator"
(cd "$ROOT" && cargo build --quiet --bin twilio-emulator)
BIN="$ROOT/target/debug/twilio-emulator"
[ -x "$BIN" ] || die "no binary at $BIN after cargo build"

stamp="$(cat "$HERE/package.json" "$HERE/package-lock.json" | cksum | cut -d' ' -f1)"
if [ ! -d "$HERE/node_modules/playwright-core" ] || [ "$(cat "$HERE/node_modules/.install-stamp" 2>/dev/null)" != "$stamp" ]; then
    say "npm ci in $HERE"
    # playwright-core downloads no browser on install; Debian's Chromium is used.
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$stamp" >"$HERE/node_modules/.install-stamp"
fi
say "playwright-core $(cd "$HERE" && node -p 'require("playwright-core/package.json").version'), $("$CHROMIUM_PATH" --version 2>/dev/null | head -n1), node $(node --version)"

CONFIG="$WORK/emulator.toml"
cat >"$CONFIG" <<'TOML'
log_format = "json"

[argon2]
memory_kib = 64
iterations = 1
parallelism = 1

[seed]
accounts = []
TOML

# --- one backend ----------------------------------------------------------------------------------------
RESULTS=()
OVERALL_RC=0
TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_SKIPPED=0

start_server() { # $1 = database URL, $2 = label
    local log="$WORK/server-$2.log"
    "$BIN" serve --bind 127.0.0.1:0 --config "$CONFIG" --database-url "$1" >"$log" 2>&1 &
    SERVER_PID=$!
    local port="" deadline=$(( $(date +%s) + START_TIMEOUT_S ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; die "the emulator exited during start ($2)"; }
        port=$(sed -n -e 's#^twilio-emulator listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*#\1#p' \
            -e '/"message":"listening"/s#.*"address":"http://127\.0\.0\.1:\([0-9][0-9]*\)".*#\1#p' "$log" | head -n1)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$log" >&2; die "the emulator printed no 'listening' line within ${START_TIMEOUT_S}s ($2)"; }
    EMULATOR_URL="http://127.0.0.1:$port"
    while [ "$(date +%s)" -lt "$deadline" ]; do
        curl -fsS --max-time 2 "$EMULATOR_URL/readyz" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    cat "$log" >&2
    die "$EMULATOR_URL/readyz did not answer 200 within ${START_TIMEOUT_S}s ($2)"
}

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
    PG_ADMIN_URL="$TEST_DATABASE_URL"
    PG_DB="twilio_browser_$(date +%s)_$$_${RANDOM}"
    PG_URL=$(node -e '
        const u = new URL(process.argv[1]);
        if (!["postgres:", "postgresql:"].includes(u.protocol)) { console.error("TEST_DATABASE_URL must be a postgres:// URL"); process.exit(1); }
        if (!["127.0.0.1", "localhost", "[::1]"].includes(u.hostname)) { console.error("TEST_DATABASE_URL must point at this machine"); process.exit(1); }
        u.pathname = "/" + process.argv[2];
        console.log(u.toString());' "$TEST_DATABASE_URL" "$PG_DB") || die "bad TEST_DATABASE_URL"
    say "[postgres] CREATE DATABASE $PG_DB"
    psql "$PG_ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$PG_DB\"" >/dev/null
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
