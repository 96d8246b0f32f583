# What tests/clients, tests/conformance and tests/browser run.sh share, sourced by each: scratch
# space and its cleanup, the debug build, npm ci once per lock file, a cheap config, a server on a
# free port, and a fresh Postgres database. The sourcing script sets NAME (its name in messages),
# ROOT (the checkout) and START_TIMEOUT_S first, then calls harness_setup.

say() { printf '==> %s\n' "$*"; }
die() { printf '%s: %s\n' "$NAME" "$*" >&2; exit 1; }

# Scratch space under TMPDIR, and a trap that stops the server, drops the Postgres database and
# removes the scratch space however the script ends. A script with more to stop defines
# stop_extra. $1 = the scratch directory's prefix.
harness_setup() {
    # 127.0.0.1 is never reached through a proxy.
    unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy ALL_PROXY all_proxy
    export NO_PROXY="127.0.0.1,localhost" no_proxy="127.0.0.1,localhost"
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
    SERVER_PID=""
    PG_ADMIN_URL=""
    PG_DB=""
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

stop_pid() { # $1 = pid; TERM, wait up to 5 s, then KILL
    local pid=$1
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

stop_server() { stop_pid "$SERVER_PID"; SERVER_PID=""; }

drop_pg_db() {
    if [ -n "$PG_DB" ]; then
        psql "$PG_ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 \
            || printf '%s: could not drop database %s\n' "$NAME" "$PG_DB" >&2
        PG_DB=""
    fi
}

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
    if declare -F stop_extra >/dev/null; then stop_extra; fi
    stop_server
    drop_pg_db
    rm -rf "$WORK"
}

# The debug binary, built once: sets BIN.
build_emulator() {
    say "cargo build --bin twilio-emulator"
    (cd "$ROOT" && cargo build --quiet --bin twilio-emulator)
    BIN="$ROOT/target/debug/twilio-emulator"
    [ -x "$BIN" ] || die "no binary at $BIN after cargo build"
}

# npm ci in $1 unless its node_modules already match package.json and package-lock.json.
npm_ci_once() {
    local dir=$1 stamp
    stamp="$(cat "$dir/package.json" "$dir/package-lock.json" | cksum | cut -d' ' -f1)"
    if [ ! -d "$dir/node_modules" ] || [ "$(cat "$dir/node_modules/.install-stamp" 2>/dev/null)" != "$stamp" ]; then
        say "npm ci in $dir"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
        echo "$stamp" >"$dir/node_modules/.install-stamp"
    fi
}

# Cheap argon2 (tokens are hashed on every create), JSON logs, no seeded tenant: sets CONFIG.
write_config() {
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
}

# `serve` on a free 127.0.0.1 port (--bind 127.0.0.1:0, the port read from its banner), with SERVER_ENV
# (an array of VAR=VALUE) in its environment; sets SERVER_PID and EMULATOR_URL once /readyz answers.
SERVER_ENV=()
start_server() { # $1 = database URL, $2 = label
    local log="$WORK/server-$2.log"
    env ${SERVER_ENV[@]+"${SERVER_ENV[@]}"} \
        "$BIN" serve --bind 127.0.0.1:0 --config "$CONFIG" --database-url "$1" >"$log" 2>&1 &
    SERVER_PID=$!
    local port="" deadline=$(( $(date +%s) + START_TIMEOUT_S ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; die "the emulator exited during start ($2)"; }
        # The banner: a text line, or with JSON logs (as $CONFIG asks) the "listening" event.
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

# A fresh database on the server TEST_DATABASE_URL names (this machine only), dropped by
# drop_pg_db or on exit: sets PG_ADMIN_URL, PG_DB and PG_URL. $1 = the database name's prefix.
create_pg_db() {
    PG_ADMIN_URL="$TEST_DATABASE_URL"
    PG_DB="$1_$(date +%s)_$$_${RANDOM}"
    PG_URL=$(node -e '
        const u = new URL(process.argv[1]);
        if (!["postgres:", "postgresql:"].includes(u.protocol)) { console.error("TEST_DATABASE_URL must be a postgres:// URL"); process.exit(1); }
        if (!["127.0.0.1", "localhost", "[::1]"].includes(u.hostname)) { console.error("TEST_DATABASE_URL must point at this machine (127.0.0.1)"); process.exit(1); }
        u.pathname = "/" + process.argv[2];
        console.log(u.toString());' "$TEST_DATABASE_URL" "$PG_DB") || die "bad TEST_DATABASE_URL"
    say "[postgres] CREATE DATABASE $PG_DB"
    psql "$PG_ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$PG_DB\"" >/dev/null
}
