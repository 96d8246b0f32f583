#!/usr/bin/env bash
# Benchmarks the emulator on Postgres and SQLite, and a minimal baseline server, over loopback with wrk.
# Usage: bench/run.sh            (from anywhere; see bench/README.md for the knobs below)
# Prints a markdown results table and writes it to bench/results.md.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")

PG_SERVER=${BENCH_PG_SERVER:-postgres://postgres@127.0.0.1:5432}
BACKENDS=${BENCH_BACKENDS:-postgres sqlite}
TENANTS=${BENCH_TENANTS:-10}
SUBACCOUNTS=${BENCH_SUBACCOUNTS:-10000}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
PORT=${BENCH_PORT:-18080}
BASELINE_PORT=${BENCH_BASELINE_PORT:-18081}
RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results.md}
QUIET_WAIT=${BENCH_QUIET_WAIT:-120}
# Extra environment for the emulator, e.g. BENCH_SERVER_ENV="MALLOC_MMAP_THRESHOLD_=131072".
read -r -a SERVER_ENV <<<"${BENCH_SERVER_ENV:-}"
# Targets from the issues.
RSS_LIMIT_MB=150
SQLITE_FACTOR=1.5
LAST_PAGE_FACTOR=1.5
LIST_FIRST_TARGET=1650      # 2x the 825 req/s of the Postgres list first page before the rewrite
KEY_BALANCE_FACTOR=0.95     # Balance with a Standard key against the same with the AuthToken
JOURNAL_FACTOR=0.90         # fetch with the journal on against the journal off
RESET_SUBACCOUNTS=${BENCH_RESET_SUBACCOUNTS:-1000}  # the control-plane tenant: subaccounts, one key each
CONTROL_ROUNDS=${BENCH_CONTROL_ROUNDS:-3}
# Ratio targets compare runs taken in turn, ROUNDS times, and use the median of the per-round ratios:
# on a shared 2-core machine one run can be 20 % off, two adjacent runs rarely differ by that much.
ROUNDS=${BENCH_ROUNDS:-5}
PAIR_DURATION=${BENCH_PAIR_DURATION:-5s}

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- tools
if ! command -v wrk >/dev/null; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        log "installing wrk (Debian package)"
        apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    else
        die "wrk is missing: install it (Debian/Ubuntu: apt-get install wrk)"
    fi
fi
for tool in cargo curl jq psql sqlite3 md5sum base64 awk; do
    command -v "$tool" >/dev/null || die "$tool is missing"
done

# ---------------------------------------------------------------- scratch space and cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/twilio-bench.XXXXXX")
PG_DB="twilio_bench_$$_$(date +%s)"
SERVER_PID=""
PG_CREATED=""
cleanup() {
    local status=$?
    if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    if [[ -n $PG_CREATED ]]; then
        psql "$PG_SERVER/postgres" -qAtc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    if [[ $status -ne 0 ]]; then
        log "failed; server logs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- build
if [[ -n ${BENCH_REV:-} ]]; then
    # A committed revision instead of the work tree, built apart so the work tree's target is left alone.
    REV=$(git -C "$ROOT" rev-parse --short "$BENCH_REV")
    log "building the emulator at $REV (cargo build --release, from git archive)"
    mkdir "$WORK/src"
    git -C "$ROOT" archive "$REV" | tar -x -C "$WORK/src"
    EMULATOR_TARGET=$ROOT/target/bench-rev
    (cd "$WORK/src" && CARGO_TARGET_DIR=$EMULATOR_TARGET cargo build --release --quiet --locked)
else
    REV="work tree at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- src Cargo.toml Cargo.lock migrations 2>/dev/null || echo ' + uncommitted changes')"
    log "building the emulator (cargo build --release)"
    EMULATOR_TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
    (cd "$ROOT" && cargo build --release --quiet)
fi
EMULATOR=$EMULATOR_TARGET/release/twilio-emulator
BASELINE_TARGET=${CARGO_TARGET_DIR:-$BENCH_DIR/baseline/target}
log "building the baseline (bench/baseline)"
CARGO_TARGET_DIR=$BASELINE_TARGET cargo build --release --quiet --locked --manifest-path "$BENCH_DIR/baseline/Cargo.toml"
BASELINE=$BASELINE_TARGET/release/bench-baseline
[[ -x $EMULATOR && -x $BASELINE ]] || die "binaries missing"

# ---------------------------------------------------------------- tenants
# Deterministic main accounts: SID and token from md5 of their index.
SIDS=() TOKENS=() AUTHS=()
for ((i = 0; i < TENANTS; i++)); do
    SIDS[i]="AC$(printf 'bench-tenant-%d' "$i" | md5sum | cut -c1-32)"
    TOKENS[i]="$(printf 'bench-token-%d' "$i" | md5sum | cut -c1-32)"
    AUTHS[i]="$(printf '%s:%s' "${SIDS[i]}" "${TOKENS[i]}" | base64 -w0)"
done
# The server seeds no tenant of its own.
printf '[seed]\naccounts = []\n' >"$WORK/bench.toml"

create_mains() { # URL
    "$EMULATOR" migrate --database-url "$1" >/dev/null
    for ((i = 0; i < TENANTS; i++)); do
        "$EMULATOR" accounts create --config "$WORK/bench.toml" --database-url "$1" \
            --friendly-name "Bench tenant $i" --sid "${SIDS[i]}" --auth-token "${TOKENS[i]}" >/dev/null
    done
}

# A Standard key per tenant, made by the operator command (a real argon2id hash of its secret).
KEY_AUTHS=()
create_keys() { # URL
    local i key
    for ((i = 0; i < TENANTS; i++)); do
        key=$("$EMULATOR" keys create --config "$WORK/bench.toml" --database-url "$1" --account "${SIDS[i]}" --json)
        KEY_AUTHS[i]=$(jq -r '.sid + ":" + .secret' <<<"$key" | tr -d '\n' | base64 -w0)
    done
}

# The control-plane tenant: its own main account (made after the fill, so it gets none of the
# fill's subaccounts), then RESET_SUBACCOUNTS subaccounts with one Standard key each, by SQL.
RESET_SID="AC$(printf 'bench-reset' | md5sum | cut -c1-32)"
RESET_TOKEN="$(printf 'bench-reset-token' | md5sum | cut -c1-32)"
create_reset_tenant() { # BACKEND URL
    "$EMULATOR" accounts create --config "$WORK/bench.toml" --database-url "$2" \
        --friendly-name "Bench reset tenant" --sid "$RESET_SID" --auth-token "$RESET_TOKEN" >/dev/null
    case $1 in
        postgres) psql "$2" -qX -v ON_ERROR_STOP=1 -v subs="$RESET_SUBACCOUNTS" -v tenant="$RESET_SID" \
            -f "$BENCH_DIR/fill/reset_postgres.sql" >/dev/null ;;
        sqlite) { echo ".parameter set :subs $RESET_SUBACCOUNTS"; echo ".parameter set :tenant '$RESET_SID'";
            cat "$BENCH_DIR/fill/reset_sqlite.sql"; } | sqlite3 "$DB_FILE" >/dev/null ;;
    esac
}

fill_postgres() {
    log "postgres: creating database $PG_DB"
    psql "$PG_SERVER/postgres" -qAtc "CREATE DATABASE $PG_DB" >/dev/null
    PG_CREATED=1
    DB_URL="$PG_SERVER/$PG_DB"
    create_mains "$DB_URL"
    create_keys "$DB_URL"
    log "postgres: inserting $TENANTS x $SUBACCOUNTS subaccounts"
    {
        echo "CREATE TEMPORARY TABLE bench_tokens (sid text PRIMARY KEY, token text NOT NULL);"
        for ((i = 0; i < TENANTS; i++)); do echo "INSERT INTO bench_tokens VALUES ('${SIDS[i]}', '${TOKENS[i]}');"; done
        cat "$BENCH_DIR/fill/postgres.sql"
    } | psql "$DB_URL" -qX -v ON_ERROR_STOP=1 -v subs="$SUBACCOUNTS" >/dev/null
    # Read back: 100 subaccounts per tenant, in SID order (spread over the list).
    psql "$DB_URL" -qAtX -F ' ' -c "SELECT owner_sid, sid FROM (SELECT owner_sid, sid, row_number() OVER \
        (PARTITION BY owner_sid ORDER BY sid) AS n FROM accounts WHERE sid <> owner_sid) s WHERE n <= 100" >"$WORK/subs.txt"
    create_reset_tenant postgres "$DB_URL"
}

fill_sqlite() {
    DB_FILE="$WORK/emulator.db"
    DB_URL="sqlite://$DB_FILE"
    create_mains "$DB_URL"
    create_keys "$DB_URL"
    log "sqlite: inserting $TENANTS x $SUBACCOUNTS subaccounts"
    { echo ".parameter set :subs $SUBACCOUNTS"; cat "$BENCH_DIR/fill/sqlite.sql"; } | sqlite3 "$DB_FILE" >/dev/null
    sqlite3 -separator ' ' "$DB_FILE" "SELECT owner_sid, sid FROM (SELECT owner_sid, sid, row_number() OVER \
        (PARTITION BY owner_sid ORDER BY sid) AS n FROM accounts WHERE sid <> owner_sid) WHERE n <= 100" >"$WORK/subs.txt"
    create_reset_tenant sqlite "$DB_URL"
}

count_rows() { # BACKEND
    local sql="SELECT count(*) || ' ' || sum(CASE WHEN sid = owner_sid THEN subaccount_count ELSE 0 END) FROM accounts"
    case $1 in
        postgres) psql "$DB_URL" -qAtX -c "$sql" ;;
        sqlite) sqlite3 "$DB_FILE" "$sql" ;;
    esac
}

auth_of() { # main SID -> base64 credential
    local i
    for ((i = 0; i < TENANTS; i++)); do [[ ${SIDS[i]} == "$1" ]] && { echo "${AUTHS[i]}"; return; }; done
    die "unknown tenant $1"
}

# Request files for wrk/requests.lua: METHOD PATH AUTH [BODY].
write_requests() {
    local i owner sub
    : >"$WORK/fetch_xml.txt"; : >"$WORK/fetch_json.txt"; : >"$WORK/create.txt"
    : >"$WORK/balance_token.txt"; : >"$WORK/balance_key.txt"
    for ((i = 0; i < TENANTS; i++)); do
        echo "GET /2010-04-01/Accounts/${SIDS[i]}/Balance.json ${AUTHS[i]}" >>"$WORK/balance_token.txt"
        echo "GET /2010-04-01/Accounts/${SIDS[i]}/Balance.json ${KEY_AUTHS[i]}" >>"$WORK/balance_key.txt"
        echo "GET /2010-04-01/Accounts/${SIDS[i]} ${AUTHS[i]}" >>"$WORK/fetch_xml.txt"
        echo "GET /2010-04-01/Accounts/${SIDS[i]}.json ${AUTHS[i]}" >>"$WORK/fetch_json.txt"
        echo "POST /2010-04-01/Accounts.json ${AUTHS[i]} FriendlyName=bench+create+{n}" >>"$WORK/create.txt"
    done
    : >"$WORK/fetch_sub.txt"; : >"$WORK/update.txt"
    while read -r owner sub; do
        local auth; auth=$(auth_of "$owner")
        echo "GET /2010-04-01/Accounts/$sub $auth" >>"$WORK/fetch_sub.txt"
        echo "POST /2010-04-01/Accounts/$sub.json $auth FriendlyName=bench+update+{n}" >>"$WORK/update.txt"
    done <"$WORK/subs.txt"
    # The list benchmarks page through tenant 0.
    echo "GET /2010-04-01/Accounts.json ${AUTHS[0]}" >"$WORK/list_first.txt"
    echo "GET /2010-04-01/Accounts.json?Page=199 ${AUTHS[0]}" >"$WORK/list_page199.txt"
}

# ---------------------------------------------------------------- servers
SERVER_LOG=""
start_emulator() { # BACKEND [VAR=VALUE...]
    SERVER_LOG="$WORK/emulator-$1.log"
    local extra=("${@:2}")
    # warn keeps logging out of the way; the auth debug line counts argon2 verifications.
    env ${SERVER_ENV[@]+"${SERVER_ENV[@]}"} ${extra[@]+"${extra[@]}"} RUST_LOG="warn,twilio_emulator::auth=debug" \
        TWILIO_EMULATOR_MAX_SUBACCOUNTS=20000 \
        "$EMULATOR" serve --config "$WORK/bench.toml" --database-url "$DB_URL" --bind "127.0.0.1:$PORT" \
        >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    wait_ready "http://127.0.0.1:$PORT/readyz"
    METRICS_URL="http://127.0.0.1:$PORT/metrics"
    curl -sf -o /dev/null "$METRICS_URL" || METRICS_URL=""
    log "$1: argon2 verifications counted from $([[ -n $METRICS_URL ]] && echo /metrics || echo 'debug log lines')"
}

start_baseline() {
    SERVER_LOG="$WORK/baseline.log"
    METRICS_URL=""
    DATABASE_URL="$DB_URL" BASELINE_BIND="127.0.0.1:$BASELINE_PORT" "$BASELINE" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    wait_ready "http://127.0.0.1:$BASELINE_PORT/2010-04-01/Accounts/${SIDS[0]}" -u "${SIDS[0]}:${TOKENS[0]}"
}

wait_ready() { # URL [curl args]
    local url=$1; shift
    for _ in $(seq 1 300); do
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; die "server exited"; }
        curl -sf -o /dev/null "$@" "$url" && return 0
        sleep 0.1
    done
    die "server not ready at $url"
}

stop_server() {
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}

METRICS_URL=""
argon2_count() {
    # The server's own counter on /metrics when it has one; else its debug line per verification
    # (src/auth/mod.rs). Always 0 for the baseline, which has no argon2.
    local count
    if [[ -n $METRICS_URL ]] && count=$(curl -sf "$METRICS_URL" | awk '$1 == "twilio_emulator_argon2_verifications_total" {print $2}') \
        && [[ -n $count ]]; then
        echo "$count"
    else
        grep -c 'verifying a credential with argon2id' "$SERVER_LOG" || true
    fi
}

# ---------------------------------------------------------------- CPU accounting
# Jiffies (1/100 s): the whole machine's busy time, and the server's and Postgres's share of it.
machine_busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
proc_cpu() { # PID...
    local total=0 pid
    for pid in "$@"; do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
# CPU of this shell's finished children (wrk) into CHILD_CPU: `times` must run in this shell, not in $(...).
children_cpu() {
    times >"$WORK/times"
    CHILD_CPU=$(awk 'NR == 2 {
        n = split($0, t, " "); s = 0
        for (i = 1; i <= n; i++) { split(t[i], ms, "m"); s += ms[1] * 60 + ms[2] }
        printf "%.0f", s * 100 }' "$WORK/times")
}
idle_percent() { # over SECONDS
    local a b
    a=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat)
    sleep "$1"
    b=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN {split(a, x, " "); split(b, y, " ");
        busy = y[1] - x[1]; idle = y[2] - x[2]; printf "%.0f", 100 * idle / (busy + idle)}'
}
wait_for_quiet() {
    local idle deadline=$((SECONDS + QUIET_WAIT))
    while :; do
        idle=$(idle_percent 3)
        if ((idle >= 85)); then log "machine idle: $idle%"; break; fi
        if ((SECONDS >= deadline)); then
            log "warning: machine only $idle% idle (other processes running); the numbers will be noisy"
            break
        fi
        log "machine only $idle% idle; waiting for it to quieten (up to ${QUIET_WAIT}s)"
    done
    IDLE_AT_START=$idle
}

# ---------------------------------------------------------------- one benchmark
ROWS=()     # markdown rows
declare -A R # results by key: KEY.rps KEY.p50 KEY.p99 KEY.rss KEY.argon2 KEY.errors

# bench KEY BACKEND LABEL BASE_URL SCRIPT (REQUEST_FILE | walk); RUN_DURATION and TABLE=main|none
# (a round of the paired comparisons is reported in its own table) may be set for one call.
bench() {
    local key=$1 backend=$2 label=$3 base=$4 script=$5 requests=$6 duration=${RUN_DURATION:-$DURATION}
    local vars=(BENCH_REQUESTS="$requests")
    [[ $requests == walk ]] && vars=(BENCH_FIRST=/2010-04-01/Accounts.json BENCH_AUTH="${AUTHS[0]}")
    local wrk_args=(-t"$THREADS" -c"$CONNECTIONS" --timeout 10s -s "$BENCH_DIR/wrk/$script" "$base")
    log "$backend: $label (warm-up $WARMUP, then $duration)"
    env "${vars[@]}" wrk -d"$WARMUP" "${wrk_args[@]}" >/dev/null
    echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || true # resets VmHWM: the peak is this run's
    local before; before=$(argon2_count)
    local pg_pids; pg_pids=$(pgrep -x postgres | tr "\n" " " || true)
    # shellcheck disable=SC2086
    local c0 c1 s0 s1 p0 p1 w0 w1 t0 t1
    children_cpu
    c0=$(machine_busy) s0=$(proc_cpu "$SERVER_PID") p0=$(proc_cpu $pg_pids) w0=$CHILD_CPU t0=$(date +%s%N)
    env "${vars[@]}" wrk -d"$duration" "${wrk_args[@]}" >"$WORK/$key.out"
    # shellcheck disable=SC2086
    children_cpu
    c1=$(machine_busy) s1=$(proc_cpu "$SERVER_PID") p1=$(proc_cpu $pg_pids) w1=$CHILD_CPU t1=$(date +%s%N)
    local hwm_kb; hwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
    local after; after=$(argon2_count)
    # Share of the machine's CPU that went to anything but the server, Postgres and wrk.
    R[$key.other]=$(awk -v busy=$((c1 - c0)) -v mine=$(((s1 - s0) + (p1 - p0) + (w1 - w0))) -v ns=$((t1 - t0)) -v cores="$(nproc)" \
        'BEGIN {o = 100 * (busy - mine) / (ns / 1e7 * cores); printf "%.0f", (o < 0 ? 0 : o)}')
    R[$key.server_cpu]=$(awk -v j=$((s1 - s0)) -v ns=$((t1 - t0)) 'BEGIN {printf "%.0f", 100 * j / (ns / 1e7)}')
    R[$key.pg_cpu]=$(awk -v j=$((p1 - p0)) -v ns=$((t1 - t0)) 'BEGIN {printf "%.0f", 100 * j / (ns / 1e7)}')
    R[$key.wrk_cpu]=$(awk -v j=$((w1 - w0)) -v ns=$((t1 - t0)) 'BEGIN {printf "%.0f", 100 * j / (ns / 1e7)}')
    local line; line=$(grep '^RESULT' "$WORK/$key.out") || { cat "$WORK/$key.out" >&2; die "no result from wrk"; }
    local -A f=()
    local kv
    for kv in ${line#RESULT }; do f[${kv%%=*}]=${kv#*=}; done
    local errors=$((${f[connect]} + ${f[read]} + ${f[write]} + ${f[status]} + ${f[timeout]}))
    R[$key.rps]=$(awk -v n="${f[requests]}" -v us="${f[duration_us]}" 'BEGIN {printf "%.0f", n / (us / 1e6)}')
    # CPU the server and Postgres spent per answered request (µs): on a shared host it moves far
    # less from run to run than throughput does, and capacity is its inverse once CPU is the limit.
    R[$key.cost]=$(awk -v j=$(((s1 - s0) + (p1 - p0))) -v n="${f[requests]}" 'BEGIN {printf "%.0f", (n > 0 ? j * 1e4 / n : 0)}')
    R[$key.p50]=$(awk -v us="${f[p50_us]}" 'BEGIN {printf "%.2f", us / 1000}')
    R[$key.p99]=$(awk -v us="${f[p99_us]}" 'BEGIN {printf "%.2f", us / 1000}')
    R[$key.rss]=$(awk -v kb="$hwm_kb" 'BEGIN {printf "%.1f", kb / 1024}')
    R[$key.argon2]=$((after - before))
    R[$key.errors]=$errors
    [[ ${TABLE:-main} == main ]] && ROWS+=("| $backend | $label | ${R[$key.rps]} | ${R[$key.p50]} | ${R[$key.p99]} | $errors | ${R[$key.rss]} | ${R[$key.argon2]} | ${R[$key.server_cpu]} / ${R[$key.pg_cpu]} / ${R[$key.wrk_cpu]} | ${R[$key.other]} |")
    [[ $errors -eq 0 ]] || log "  $errors errors (non-2xx or socket): see $WORK/$key.out"
    log "  ${R[$key.rps]} req/s, p50 ${R[$key.p50]} ms, p99 ${R[$key.p99]} ms, peak RSS ${R[$key.rss]} MB, argon2 ${R[$key.argon2]}, CPU% server/pg/wrk ${R[$key.server_cpu]}/${R[$key.pg_cpu]}/${R[$key.wrk_cpu]}, other ${R[$key.other]}%"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# Follows next_page_uri from the first page to the last with curl; prints the last page's URI.
walk_to_last_page() {
    local uri=/2010-04-01/Accounts.json next pages=1 start end
    start=$(date +%s%N)
    while :; do
        next=$(curl -sf -u "${SIDS[0]}:${TOKENS[0]}" "http://127.0.0.1:$PORT$uri" | jq -r '.next_page_uri // empty')
        [[ -z $next ]] && break
        uri=$next
        pages=$((pages + 1))
    done
    end=$(date +%s%N)
    log "  walked $pages pages by next_page_uri in $(((end - start) / 1000000)) ms (curl + jq per page)"
    echo "$uri"
}

# Times one control-plane call on the reset tenant, in ms, into the list LAST_MS.
control_call() { # METHOD PATH [FORM]
    local args=(-sf -o /dev/null -w '%{time_total}' -u "$RESET_SID:$RESET_TOKEN" -X "$1" "http://127.0.0.1:$PORT$2")
    [[ -n ${3:-} ]] && args+=(-d "$3")
    local seconds; seconds=$(curl "${args[@]}") || die "control plane call $1 $2 failed"
    awk -v s="$seconds" 'BEGIN {printf "%.0f", s * 1000}'
}

# Save, reset and restore a tenant of RESET_SUBACCOUNTS subaccounts and as many keys, a few rounds.
run_control() { # BACKEND
    local backend=$1 pfx=${1:0:2} round save=() reset=() restore=()
    for ((round = 0; round < CONTROL_ROUNDS; round++)); do
        save+=("$(control_call POST /_emulator/v1/snapshots Name=bench)")
        reset+=("$(control_call POST /_emulator/v1/reset)")
        restore+=("$(control_call POST /_emulator/v1/snapshots/bench/restore)")
    done
    R[$pfx.save_ms]=$(median "${save[@]}") R[$pfx.reset_ms]=$(median "${reset[@]}") R[$pfx.restore_ms]=$(median "${restore[@]}")
    CONTROL_ROWS+=("| $backend | ${R[$pfx.save_ms]} | ${R[$pfx.reset_ms]} | ${R[$pfx.restore_ms]} | ${save[*]} / ${reset[*]} / ${restore[*]} |")
    log "$backend: snapshot save / reset / restore of $RESET_SUBACCOUNTS subaccounts and keys: ${R[$pfx.save_ms]} / ${R[$pfx.reset_ms]} / ${R[$pfx.restore_ms]} ms (medians)"
}
CONTROL_ROWS=()

warm_up() { # BASE_URL: the first request of each credential verifies its token with argon2 once
    local i
    for ((i = 0; i < TENANTS; i++)); do
        curl -sf -o /dev/null -u "${SIDS[i]}:${TOKENS[i]}" "$1/2010-04-01/Accounts/${SIDS[i]}"
        curl -sf -o /dev/null -H "Authorization: Basic ${KEY_AUTHS[i]}" "$1/2010-04-01/Accounts/${SIDS[i]}/Balance.json"
    done
}

run_backend() { # BACKEND
    local backend=$1 base="http://127.0.0.1:$PORT" pfx=${1:0:2}
    "fill_$backend"
    write_requests
    log "$backend: rows and subaccount counters: $(count_rows "$backend")"
    start_emulator "$backend"
    warm_up "$base"
    log "$backend: argon2 verifications during warm-up: $(argon2_count)"
    bench "$pfx.fetch_xml" "$backend" "fetch (XML)" "$base" requests.lua "$WORK/fetch_xml.txt"
    bench "$pfx.fetch_json" "$backend" "fetch (.json)" "$base" requests.lua "$WORK/fetch_json.txt"
    bench "$pfx.fetch_sub" "$backend" "fetch subaccount as main (XML)" "$base" requests.lua "$WORK/fetch_sub.txt"
    bench "$pfx.balance_token" "$backend" "Balance with the AuthToken (.json)" "$base" requests.lua "$WORK/balance_token.txt"
    bench "$pfx.balance_key" "$backend" "Balance with a Standard key (.json)" "$base" requests.lua "$WORK/balance_key.txt"
    bench "$pfx.list_first" "$backend" "list first page (.json)" "$base" requests.lua "$WORK/list_first.txt"
    local last; last=$(walk_to_last_page)
    echo "GET $last ${AUTHS[0]}" >"$WORK/list_last.txt"
    bench "$pfx.list_last" "$backend" "list last page via next_page_uri" "$base" requests.lua "$WORK/list_last.txt"
    bench "$pfx.list_walk" "$backend" "list walk: every page via next_page_uri" "$base" walk.lua walk
    bench "$pfx.list_199" "$backend" "list Page=199 direct" "$base" requests.lua "$WORK/list_page199.txt"
    bench "$pfx.update" "$backend" "update subaccount (POST .json)" "$base" requests.lua "$WORK/update.txt"
    bench "$pfx.create" "$backend" "create subaccount (POST .json)" "$base" requests.lua "$WORK/create.txt"
    run_control "$backend"
    R[$pfx.argon2_total]=$(argon2_count)
    log "$backend: argon2 verifications over the server's life: ${R[$pfx.argon2_total]}"
    stop_server
    run_pairs "$backend"
}

# The ratio targets, in alternating rounds: (Postgres) the baseline's fetch; the emulator's fetch,
# Balance with the AuthToken and with a key; the emulator's fetch with the journal off. Each server
# is started afresh per round and warmed up.
run_pairs() { # BACKEND
    local backend=$1 base="http://127.0.0.1:$PORT" pfx=${1:0:2} r
    local -x RUN_DURATION=$PAIR_DURATION TABLE=none
    for ((r = 1; r <= ROUNDS; r++)); do
        log "$backend: paired round $r of $ROUNDS"
        if [[ $backend == postgres ]]; then
            start_baseline
            bench "baseline.$r" postgres "baseline fetch (XML)" "http://127.0.0.1:$BASELINE_PORT" requests.lua "$WORK/fetch_xml.txt"
            stop_server
        fi
        start_emulator "$backend"
        warm_up "$base"
        bench "$pfx.on.$r" "$backend" "fetch (XML)" "$base" requests.lua "$WORK/fetch_xml.txt"
        bench "$pfx.token.$r" "$backend" "Balance with the AuthToken" "$base" requests.lua "$WORK/balance_token.txt"
        bench "$pfx.key.$r" "$backend" "Balance with a Standard key" "$base" requests.lua "$WORK/balance_key.txt"
        stop_server
        start_emulator "$backend" TWILIO_EMULATOR_JOURNAL__ENABLED=false
        warm_up "$base"
        bench "$pfx.off.$r" "$backend" "fetch (XML), journal off" "$base" requests.lua "$WORK/fetch_xml.txt"
        stop_server
    done
}

# pair_target NAME A_KEY B_KEY FACTOR [FIELD]: A's FIELD (rps, p99, or cost: CPU per request, where
# the ratio is B's over A's so that, like the others, it reads as A's capacity against B's) against
# FACTOR x B's, the median of the per-round ratios; also a row of the paired table with every round.
PAIR_ROWS=()
pair_target() {
    local name=$1 a=$2 b=$3 factor=$4 field=${5:-rps} r ratios=() as=() bs=()
    for ((r = 1; r <= ROUNDS; r++)); do
        [[ -n ${R[$a.$r.$field]:-} && -n ${R[$b.$r.$field]:-} ]] || return 0
        as+=("${R[$a.$r.$field]}") bs+=("${R[$b.$r.$field]}")
        if [[ $field == cost ]]; then # B's cost over A's: above 1, A costs less
            ratios+=("$(ratio "${R[$b.$r.$field]}" "${R[$a.$r.$field]}")")
        else
            ratios+=("$(ratio "${R[$a.$r.$field]}" "${R[$b.$r.$field]}")")
        fi
    done
    local med; med=$(median "${ratios[@]}")
    PAIR_ROWS+=("| $name | ${as[*]} | ${bs[*]} | ${ratios[*]} | $med |")
    if [[ $field == p99 ]]; then # lower is better: A's p99 at most FACTOR x B's
        target "$name" "${med}x (median of $ROUNDS)" "<= ${factor}x" "$(verdict cmp "$factor" "$med")"
    else
        target "$name" "${med}x (median of $ROUNDS)" ">= ${factor}x" "$(verdict cmp "$med" "$factor")"
    fi
}

# ---------------------------------------------------------------- run
STARTED=$(date +%s)
wait_for_quiet
for backend in $BACKENDS; do
    case $backend in postgres | sqlite) run_backend "$backend" ;; *) die "unknown backend $backend" ;; esac
done

# ---------------------------------------------------------------- report
cmp() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a >= b)}'; } # a >= b
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
verdict() { if "$@"; then echo PASS; else echo FAIL; fi; }
TARGETS=()
target() { TARGETS+=("| $1 | $2 | $3 | $4 |"); }

pair_target "Postgres fetch req/s against the baseline's" po.on baseline 1.0
pair_target "Postgres fetch p99 against the baseline's" po.on baseline 1.0 p99
pair_target "SQLite fetch req/s against the Postgres baseline's" sq.on baseline "$SQLITE_FACTOR"
pair_target "Postgres fetch CPU per request against the baseline's" po.on baseline 1.0 cost
for pfx in po sq; do
    [[ -n ${R[$pfx.fetch_xml.rps]:-} ]] || continue
    name=$([[ $pfx == po ]] && echo Postgres || echo SQLite)
    n=$((${R[$pfx.fetch_xml.argon2]} + ${R[$pfx.fetch_json.argon2]} + ${R[$pfx.fetch_sub.argon2]}))
    target "$name: argon2 verifications in fetch runs (after warm-up)" "$n" "0" "$(verdict test "$n" -eq 0)"
    for q in p50 p99; do
        want=$(awk -v l="${R[$pfx.list_first.$q]}" -v f="$LAST_PAGE_FACTOR" 'BEGIN {printf "%.2f", l * f}')
        target "$name: last page $q <= ${LAST_PAGE_FACTOR}x first page" "${R[$pfx.list_last.$q]} ms" \
            "<= $want ms ($(ratio "${R[$pfx.list_last.$q]}" "${R[$pfx.list_first.$q]}")x)" \
            "$(verdict cmp "$want" "${R[$pfx.list_last.$q]}")"
    done
done
if [[ -n ${R[po.list_first.rps]:-} ]]; then
    target "Postgres list first page >= ${LIST_FIRST_TARGET} req/s (2x 825)" "${R[po.list_first.rps]}" \
        ">= $LIST_FIRST_TARGET ($(ratio "${R[po.list_first.rps]}" 825)x 825)" "$(verdict cmp "${R[po.list_first.rps]}" "$LIST_FIRST_TARGET")"
fi
for pfx in po sq; do
    [[ -n ${R[$pfx.on.1.rps]:-} ]] || continue
    name=$([[ $pfx == po ]] && echo Postgres || echo SQLite)
    pair_target "$name: Balance with a Standard key against the AuthToken" "$pfx.key" "$pfx.token" "$KEY_BALANCE_FACTOR"
    pair_target "$name: Balance with a Standard key against the AuthToken, CPU per request" "$pfx.key" "$pfx.token" "$KEY_BALANCE_FACTOR" cost
    n=$((${R[$pfx.balance_key.argon2]} + ${R[$pfx.balance_token.argon2]}))
    for ((r = 1; r <= ROUNDS; r++)); do n=$((n + ${R[$pfx.key.$r.argon2]} + ${R[$pfx.token.$r.argon2]})); done
    target "$name: argon2 verifications in Balance runs (after warm-up)" "$n" "0" "$(verdict test "$n" -eq 0)"
    pair_target "$name: fetch with the journal on against off" "$pfx.on" "$pfx.off" "$JOURNAL_FACTOR"
    pair_target "$name: fetch with the journal on against off, CPU per request" "$pfx.on" "$pfx.off" "$JOURNAL_FACTOR" cost
done
PEAK=0
for key in "${!R[@]}"; do
    [[ $key == *.rss && $key != baseline* ]] && PEAK=$(awk -v a="$PEAK" -v b="${R[$key]}" 'BEGIN {print (b > a ? b : a)}')
done
target "emulator peak RSS < $RSS_LIMIT_MB MB in every run" "$PEAK MB" "< $RSS_LIMIT_MB MB" \
    "$(verdict awk -v p="$PEAK" -v l="$RSS_LIMIT_MB" 'BEGIN {exit !(p < l)}')"

{
    echo "## Results ($(date -u +%Y-%m-%d), ${TENANTS} tenants x ${SUBACCOUNTS} subaccounts, wrk -t$THREADS -c$CONNECTIONS -d$DURATION)"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), \
$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, Linux $(uname -r); \
$(psql "$PG_SERVER/postgres" -qAtXc 'SHOW server_version' 2>/dev/null | sed 's/^/PostgreSQL /;s/ (.*//'), \
SQLite $(sqlite3 --version | cut -d' ' -f1) (bundled libsqlite3 in the binary may differ), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2). \
Load tool, server and database share the cores."
    echo
    echo "| backend | benchmark | req/s | p50 ms | p99 ms | errors | peak RSS MB | argon2 verifications | CPU % server / pg / wrk | other CPU % |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
    echo
    for pfx in po sq; do
        [[ -n ${R[$pfx.argon2_total]:-} ]] || continue
        echo "- $([[ $pfx == po ]] && echo Postgres || echo SQLite): argon2 verifications over the server's whole life (warm-up included): ${R[$pfx.argon2_total]}."
    done
    echo "- Baseline: bench/baseline (Basic auth, one primary-key query, SHA-256 comparison, the same XML)."
    echo "- Emulator built from: $REV${BENCH_SERVER_ENV:+; server environment: $BENCH_SERVER_ENV}."
    echo "- CPU %: of one core, during the measured run. Other CPU %: share of the whole machine used by anything"
    echo "  else (a build, tests...); much above 0 means the row is disturbed. Machine idle before the run: $IDLE_AT_START%."
    echo "- Total time: $(( $(date +%s) - STARTED )) s."
    echo
    if ((${#CONTROL_ROWS[@]})); then
        echo "Control plane on a tenant of $RESET_SUBACCOUNTS subaccounts and $RESET_SUBACCOUNTS keys (curl, ms, median of $CONTROL_ROUNDS rounds;"
        echo "each round saves a snapshot, resets the tenant and restores the snapshot):"
        echo
        echo "| backend | snapshot save ms | reset ms | restore ms | every round (save / reset / restore) |"
        echo "|---|---:|---:|---:|---|"
        printf '%s\n' "${CONTROL_ROWS[@]}"
        echo
    fi
    if ((${#PAIR_ROWS[@]})); then
        echo "Paired comparisons: $ROUNDS rounds of wrk -d$PAIR_DURATION per run, the runs of a round back to back, each server"
        echo "started afresh and warmed up (req/s, p99 ms, or CPU per request: µs of the server and Postgres together per"
        echo "answered request, whose ratio is B / A, A's capacity against B's; the median is of the per-round ratios):"
        echo
        echo "| comparison | A, every round | B, every round | A / B per round | median |"
        echo "|---|---|---|---|---:|"
        printf '%s\n' "${PAIR_ROWS[@]}"
        echo
    fi
    echo "| target | measured | wanted | verdict |"
    echo "|---|---:|---|---|"
    printf '%s\n' "${TARGETS[@]}"
} | tee "$RESULTS"
log "written to $RESULTS"
