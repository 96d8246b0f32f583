#!/usr/bin/env bash
# The emulator's JSON answers checked against Twilio's OpenAPI spec (twilio_api_v2010.json from the pinned
# npm package @twilio-alpha/mcp) by Stoplight Prism's validating proxy (@stoplight/prism-cli, pinned).
#
#   bash tests/conformance/run.sh                      # SQLite
#   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bash tests/conformance/run.sh
#                                                      # SQLite, then Postgres (a fresh database, dropped after)
#
# For each backend: build the debug binary (once), start `twilio-emulator serve` on a free 127.0.0.1 port
# (the port is read from the start banner) with a fresh database, create a tenant with the CLI, start
# `prism proxy` on 127.0.0.1 in front of it, and run sweep.js (the rows of cases.js) through Prism.
# Then the self-test (SQLite only): once per mutation in mutations.js, a fresh tenant and the sweep again
# with mutator.js between Prism and the emulator; each run must FAIL with that mutation's failure.
#
# Environment:
#   CONFORMANCE_MUTATE=name      run the backend sweeps through the mutator (to watch a failure by hand)
#   CONFORMANCE_SELFTEST=0       skip the self-test
#   CONFORMANCE_RESOURCES=a,b    resources whose rows run (default: ENABLED in cases.js)
# Exits non-zero if a prerequisite is missing, a sweep fails, or the self-test is not caught.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SPEC="$HERE/node_modules/@twilio-alpha/mcp/twilio-oai/spec/json/twilio_api_v2010.json"
PRISM="$HERE/node_modules/.bin/prism"
START_TIMEOUT_S=60   # how long a server, Prism or the mutator may take to start
SWEEP_TIMEOUT_S=300  # a whole sweep, requests included (each request also has its own timeout)
STARTED_AT=$(date +%s)

NAME=conformance
# shellcheck source=tests/harness.sh
. "$ROOT/tests/harness.sh"

# --- prerequisites ----------------------------------------------------------------------------------
missing=()
command -v node >/dev/null 2>&1 || missing+=("node (v20 or newer)")
command -v npm >/dev/null 2>&1 || missing+=("npm")
command -v curl >/dev/null 2>&1 || missing+=("curl")
command -v cargo >/dev/null 2>&1 || missing+=("cargo (the Rust toolchain)")
command -v timeout >/dev/null 2>&1 || missing+=("timeout (coreutils)")
if [ -n "${TEST_DATABASE_URL:-}" ]; then
    command -v psql >/dev/null 2>&1 || missing+=("psql (needed because TEST_DATABASE_URL is set)")
fi
if [ ${#missing[@]} -gt 0 ]; then
    printf 'conformance: missing prerequisites:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 2
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "node v20 or newer is needed (found $(node --version))"

# --- scratch space and cleanup: the server, Prism, the mutator, the Postgres database ------------------
harness_setup twilio-conformance
PRISM_PID=""
MUTATOR_PID=""
stop_proxies() { stop_pid "$PRISM_PID"; PRISM_PID=""; stop_pid "$MUTATOR_PID"; MUTATOR_PID=""; }
# shellcheck disable=SC2317  # invoked by the harness's cleanup
stop_extra() { stop_proxies; }

# --- npm ci (pinned Prism and spec), unit tests of the checker, build --------------------------------
npm_ci_once "$HERE"
[ -x "$PRISM" ] || die "no prism at $PRISM after npm ci"
[ -f "$SPEC" ] || die "no spec at $SPEC"
say "prism $("$PRISM" --version), @twilio-alpha/mcp $(node -p "require('$HERE/node_modules/@twilio-alpha/mcp/package.json').version"), node $(node --version)"
say "spec: ${SPEC#"$HERE/"}"

say "unit tests of the checker (node --test)"
(cd "$HERE" && node --test --test-reporter=dot check.test.js) || die "the checker's unit tests failed"

build_emulator
write_config

# --- processes ---------------------------------------------------------------------------------------
start_mutator() { # $1 = mutation, $2 = upstream URL, $3 = log name; sets UPSTREAM_URL
    local log="$WORK/mutator-$3.log" port="" deadline=$(( $(date +%s) + START_TIMEOUT_S ))
    node "$HERE/mutator.js" --upstream "$2" --mutation "$1" >"$log" 2>&1 &
    MUTATOR_PID=$!
    while [ "$(date +%s)" -lt "$deadline" ]; do
        kill -0 "$MUTATOR_PID" 2>/dev/null || { cat "$log" >&2; die "the mutator exited during start"; }
        port=$(sed -n 's#^mutator listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*#\1#p' "$log" | head -n1)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$log" >&2; die "the mutator did not start within ${START_TIMEOUT_S}s"; }
    UPSTREAM_URL="http://127.0.0.1:$port"
    say "mutator ($1) on $UPSTREAM_URL"
}

free_port() {
    node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

start_prism() { # $1 = upstream URL, $2 = log name; sets PRISM_URL. Prism takes a port, not 0: retry a taken one.
    local log="$WORK/prism-$2.log" port attempt
    for attempt in 1 2 3; do
        port=$(free_port)
        "$PRISM" proxy --host 127.0.0.1 --port "$port" --errors false --multiprocess false \
            "$SPEC" "$1" >"$log" 2>&1 &
        PRISM_PID=$!
        local deadline=$(( $(date +%s) + START_TIMEOUT_S ))
        while [ "$(date +%s)" -lt "$deadline" ] && kill -0 "$PRISM_PID" 2>/dev/null; do
            if grep -q "Prism is listening on http://127.0.0.1:$port" "$log"; then
                PRISM_URL="http://127.0.0.1:$port"
                return 0
            fi
            sleep 0.1
        done
        stop_pid "$PRISM_PID"; PRISM_PID=""
        printf 'conformance: prism did not start on port %s (attempt %s); its log:\n' "$port" "$attempt" >&2
        tail -n 20 "$log" >&2
    done
    die "prism did not start"
}

create_tenant() { # $1 = database URL, $2 = friendly name; sets TENANT_SID, TENANT_TOKEN
    local tenant
    tenant=$("$BIN" accounts create --friendly-name "$2" --json --config "$CONFIG" --database-url "$1") \
        || die "accounts create failed ($2)"
    TENANT_SID=$(printf '%s' "$tenant" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).sid))')
    TENANT_TOKEN=$(printf '%s' "$tenant" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).auth_token))')
    [ -n "$TENANT_SID" ] && [ -n "$TENANT_TOKEN" ] || die "accounts create printed no sid and token ($2)"
}

# One sweep on a fresh tenant of the running server: $1 = database URL, $2 = label, $3 = mutation or "",
# $4.. = extra sweep.js arguments. sweep.js writes to $SWEEP_OUT when set. Returns sweep.js's exit status.
SWEEP_OUT=""
sweep() {
    local url=$1 label=$2 mutation=$3
    shift 3
    create_tenant "$url" "Conformance ($label)"
    local upstream="$EMULATOR_URL"
    if [ -n "$mutation" ]; then
        start_mutator "$mutation" "$EMULATOR_URL" "$label"
        upstream="$UPSTREAM_URL"
    fi
    start_prism "$upstream" "$label"
    say "[$label] tenant $TENANT_SID; prism on $PRISM_URL -> $upstream"
    local rc=0
    local cmd=(timeout "$SWEEP_TIMEOUT_S" node "$HERE/sweep.js" --proxy "$PRISM_URL" --label "$label"
        --report "$WORK/report-$label.json" "$@")
    # (not >/dev/stdout: reopening it truncates a log file the caller redirected to)
    if [ -n "$SWEEP_OUT" ]; then
        CONFORMANCE_TENANT_SID="$TENANT_SID" CONFORMANCE_TENANT_TOKEN="$TENANT_TOKEN" "${cmd[@]}" >"$SWEEP_OUT" 2>&1 || rc=$?
    else
        CONFORMANCE_TENANT_SID="$TENANT_SID" CONFORMANCE_TENANT_TOKEN="$TENANT_TOKEN" "${cmd[@]}" || rc=$?
    fi
    [ "$rc" -ne 124 ] || printf 'conformance: the %s sweep took over %ss and was stopped\n' "$label" "$SWEEP_TIMEOUT_S" >&2
    if [ -n "$PRISM_PID" ] && ! kill -0 "$PRISM_PID" 2>/dev/null; then
        printf 'conformance: prism exited during the %s sweep; its log (last 20 lines):\n' "$label" >&2
        tail -n 20 "$WORK/prism-$label.log" >&2
    fi
    stop_proxies
    return "$rc"
}

# --- backends ----------------------------------------------------------------------------------------
RESULTS=()
OVERALL_RC=0

run_backend() { # $1 = database URL, $2 = label
    local url=$1 label=$2 t0 rc=0
    t0=$(date +%s)
    say "[$label] starting the emulator"
    start_server "$url" "$label"
    say "[$label] listening on $EMULATOR_URL"
    sweep "$url" "$label" "${CONFORMANCE_MUTATE:-}" || rc=$?
    stop_server
    if [ "$rc" -ne 0 ]; then
        OVERALL_RC=1
        RESULTS+=("$(printf '%-9s sweep      FAILED (%ss)' "$label" $(( $(date +%s) - t0 )))")
    else
        RESULTS+=("$(printf '%-9s sweep      passed (%ss)' "$label" $(( $(date +%s) - t0 )))")
    fi
}

mkdir -p "$WORK/sqlite"
run_backend "sqlite://$WORK/sqlite/emulator.db" sqlite

if [ -n "${TEST_DATABASE_URL:-}" ]; then
    create_pg_db twilio_conformance
    run_backend "$PG_URL" postgres
    drop_pg_db
else
    say "TEST_DATABASE_URL is not set: Postgres skipped"
fi

# --- self-test: every mutation must make the sweep fail -------------------------------------------------
if [ "${CONFORMANCE_SELFTEST:-1}" != "0" ]; then
    # The mutations whose resource is enabled (cases.js ENABLED, or CONFORMANCE_RESOURCES as sweep.js reads it).
    mapfile -t MUTATIONS < <(node -e '
        const { MUTATIONS } = require(process.argv[1]);
        const { ENABLED } = require(process.argv[2]);
        const on = process.env.CONFORMANCE_RESOURCES ? process.env.CONFORMANCE_RESOURCES.split(",").map((s) => s.trim()) : ENABLED;
        for (const [name, m] of Object.entries(MUTATIONS)) if (on.includes(m.resource || "accounts")) console.log(name);
        ' "$HERE/mutations.js" "$HERE/cases.js")
    [ ${#MUTATIONS[@]} -gt 0 ] || die "mutations.js defines no mutation for the enabled resources"
    t0=$(date +%s)
    mkdir -p "$WORK/selftest"
    say "[self-test] ${#MUTATIONS[@]} mutations, each must make the sweep fail (SQLite)"
    start_server "sqlite://$WORK/selftest/emulator.db" selftest
    caught=0
    for m in "${MUTATIONS[@]}"; do
        SWEEP_OUT="$WORK/selftest-$m.log"
        if sweep "sqlite://$WORK/selftest/emulator.db" "mutate:$m" "$m" --expect-mutation "$m"; then
            caught=$((caught + 1))
            grep -E '\] (self-test ok|answers changed)' "$WORK/selftest-$m.log" | sed 's/^/    /'
        else
            OVERALL_RC=1
            printf 'conformance: the self-test did not catch mutation %s; its sweep:\n' "$m" >&2
            cat "$WORK/selftest-$m.log" >&2
        fi
    done
    SWEEP_OUT=""
    stop_server
    RESULTS+=("$(printf '%-9s self-test  %s of %s mutations caught (%ss)' sqlite "$caught" "${#MUTATIONS[@]}" $(( $(date +%s) - t0 )))")
else
    say "CONFORMANCE_SELFTEST=0: self-test skipped"
fi

# --- summary -----------------------------------------------------------------------------------------
echo
say "conformance summary ($(( $(date +%s) - STARTED_AT ))s)"
printf '    %s\n' "${RESULTS[@]}"
[ "$OVERALL_RC" -eq 0 ] && echo "conformance: passed" || echo "conformance: FAILED"
exit "$OVERALL_RC"
