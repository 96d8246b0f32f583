#!/usr/bin/env bash
# Smoke test of a built twilio-emulator, run the way the container runs it (no Docker needed).
#
# Usage: scripts/smoke.sh [BINARY]      (default ./dist/twilio-emulator, as made by scripts/build-release.sh)
#
# The environment is the Dockerfile's (TWILIO_EMULATOR_CONFIG=<dist>/config/docker.toml, JSON logs), with
# the data directory moved to a temporary directory and the listener on 127.0.0.1 and a port the kernel
# picks (bind 127.0.0.1:0; the port is read from the start banner). Storage is the image's default, a
# SQLite file in the data directory; set SMOKE_DATABASE_URL=postgres://... to use Postgres instead.
# Steps: serve; wait for /healthz and /readyz; `accounts create --json` on the same database; fetch that
# account over HTTP with its SID and token; SIGTERM; the server must exit 0 within 10 s.
set -euo pipefail

binary="${1:-./dist/twilio-emulator}"
fail() {
    echo "smoke: FAIL: $*" >&2
    exit 1
}
[ -x "$binary" ] || fail "$binary is not an executable (build it with scripts/build-release.sh)"
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
config="$(dirname "$binary")/config/docker.toml"
[ -f "$config" ] || fail "$config is missing (scripts/build-release.sh copies config/ next to the binary)"
command -v curl >/dev/null || fail "curl is required"

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

show_logs() {
    echo "--- server stdout" >&2
    tail -n 20 "$work/stdout" >&2 || true
    echo "--- server stderr" >&2
    tail -n 20 "$work/stderr" >&2 || true
}
server_fail() {
    show_logs
    fail "$@"
}

# The Dockerfile's environment, adjusted for a local run. Nothing from the caller's environment leaks in.
unset DATABASE_URL TWILIO_EMULATOR_MAX_SUBACCOUNTS RUST_LOG
export TWILIO_EMULATOR_CONFIG="$config"
export TWILIO_EMULATOR_DATA_DIR="$work/data"
export TWILIO_EMULATOR_BIND="127.0.0.1:0"
export TWILIO_EMULATOR_LOG_FORMAT="json"
if [ -n "${SMOKE_DATABASE_URL:-}" ]; then
    export DATABASE_URL="$SMOKE_DATABASE_URL"
fi

echo "smoke: starting $binary serve (config $config, data dir $TWILIO_EMULATOR_DATA_DIR)"
"$binary" serve >"$work/stdout" 2>"$work/stderr" &
server_pid=$!

# The banner names the bound address: with JSON logs (the container's) it is the log event
# {"message":"listening","address":"http://127.0.0.1:PORT",...}; with pretty logs the text line
# "twilio-emulator listening on http://127.0.0.1:PORT" on stdout. Either is accepted.
base=""
for _ in $(seq 1 300); do
    base="$(cat "$work/stdout" "$work/stderr" | sed -n \
        -e 's|^twilio-emulator listening on \(http://127\.0\.0\.1:[0-9][0-9]*\)$|\1|p' \
        -e '/"message":"listening"/s|.*"address":"\(http://127\.0\.0\.1:[0-9][0-9]*\)".*|\1|p' | head -n 1)"
    [ -n "$base" ] && break
    kill -0 "$server_pid" 2>/dev/null || server_fail "the server exited before it listened"
    sleep 0.1
done
[ -n "$base" ] || server_fail "no 'listening on http://127.0.0.1:PORT' line within 30 s"
echo "smoke: server pid $server_pid at $base"

# GET path, expecting status 200 within 10 s.
wait_ok() {
    local path="$1" code=""
    for _ in $(seq 1 100); do
        code="$(curl -sS -o "$work/body" -w '%{http_code}' --max-time 2 "$base$path" 2>/dev/null || true)"
        [ "$code" = "200" ] && break
        kill -0 "$server_pid" 2>/dev/null || server_fail "the server exited while waiting for $path"
        sleep 0.1
    done
    [ "$code" = "200" ] || server_fail "GET $path answered ${code:-nothing}, not 200, within 10 s"
    echo "smoke: GET $path -> 200 $(cat "$work/body")"
}
wait_ok /healthz
wait_ok /readyz

# JSON logs, as TWILIO_EMULATOR_LOG_FORMAT=json asks: what a log collector reads is JSON lines only. The
# log (stderr) has lines, each a JSON object, without colour codes; stdout has nothing (the banner is in the log).
[ -s "$work/stderr" ] || server_fail "the server logged nothing on stderr"
if grep -qv '^{.*}$' "$work/stderr"; then
    server_fail "a log line on stderr is not a JSON object"
fi
if grep -q $'\x1b' "$work/stderr"; then
    server_fail "the JSON log carries terminal colour codes"
fi
[ ! -s "$work/stdout" ] || server_fail "with JSON logs the server wrote text on stdout"

# A tenant, made by the operator command on the server's database while the server runs.
"$binary" accounts create --friendly-name "Smoke Test" --json >"$work/tenant.json" 2>"$work/create.err" ||
    { cat "$work/create.err" >&2; fail "accounts create --json failed"; }
[ "$(wc -l <"$work/tenant.json")" -eq 1 ] || fail "accounts create --json printed more than one line"
sid="$(grep -o '"sid":"AC[0-9a-f]\{32\}"' "$work/tenant.json" | head -n 1 | cut -d '"' -f 4)"
token="$(grep -o '"auth_token":"[0-9a-f]\{32\}"' "$work/tenant.json" | head -n 1 | cut -d '"' -f 4)"
[ -n "$sid" ] || fail "no sid in the output of accounts create --json: $(cat "$work/tenant.json")"
[ -n "$token" ] || fail "no 32-hex-digit auth_token in the output of accounts create --json"
echo "smoke: created tenant $sid"

# Fetch it over HTTP with its own credentials.
code="$(curl -sS -u "$sid:$token" --max-time 10 -D "$work/headers" -o "$work/account.json" -w '%{http_code}' \
    "$base/2010-04-01/Accounts/$sid.json")" || server_fail "GET /2010-04-01/Accounts/$sid.json: curl failed"
[ "$code" = "200" ] || server_fail "GET /2010-04-01/Accounts/$sid.json answered $code: $(cat "$work/account.json")"
grep -qi '^content-type: application/json' "$work/headers" ||
    fail "the account's Content-Type is not application/json: $(grep -i '^content-type' "$work/headers")"
if command -v python3 >/dev/null; then
    got="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["sid"])' <"$work/account.json")" ||
        fail "the account body is not JSON with a sid: $(cat "$work/account.json")"
else
    got="$(grep -o '"sid":"[^"]*"' "$work/account.json" | head -n 1 | cut -d '"' -f 4)"
fi
[ "$got" = "$sid" ] || fail "the account body names sid '$got', not $sid"
grep -q '"friendly_name":"Smoke Test"' "$work/account.json" || fail "the account body lacks friendly_name 'Smoke Test'"
grep -q '"auth_token":"redacted"' "$work/account.json" || fail "the account body does not redact the auth_token"
echo "smoke: GET /2010-04-01/Accounts/$sid.json -> 200 application/json, sid $got"

# SIGTERM: the server must stop accepting, finish, and exit 0 within 10 s.
kill -TERM "$server_pid"
stopped=""
for _ in $(seq 1 100); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        stopped=yes
        break
    fi
    sleep 0.1
done
[ -n "$stopped" ] || server_fail "the server was still running 10 s after SIGTERM"
status=0
wait "$server_pid" || status=$?
server_pid=""
[ "$status" -eq 0 ] || { show_logs; fail "the server exited with status $status after SIGTERM"; }
echo "smoke: SIGTERM -> exited 0"
echo "smoke: PASS"
