#!/usr/bin/env bash
# The release build of twilio-emulator, and the only place its build flags live.
# The Dockerfile's builder stage runs this same script (scripts/build-release.sh /out), so what
# `bash scripts/build-release.sh` produces here is what the image ships.
#
# Usage: scripts/build-release.sh [OUT_DIR]     (default ./dist, relative to the current directory)
# Produces OUT_DIR/twilio-emulator and OUT_DIR/config/*.toml (default.toml, staging.toml, docker.toml).
# Honours CARGO_TARGET_DIR and any target-dir set in Cargo's config (the binary's path is read from
# Cargo's own output, not guessed).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-./dist}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

cd "$root"
messages="$(mktemp)"
trap 'rm -f "$messages"' EXIT

echo "== cargo build --release --locked --bin twilio-emulator" >&2
# JSON messages go to $messages (to find the binary); diagnostics are still rendered on stderr.
cargo build --release --locked --bin twilio-emulator --message-format=json-render-diagnostics >"$messages"

binary="$(sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' "$messages" | tail -n 1)"
if [ -z "$binary" ] || [ ! -x "$binary" ]; then
    echo "error: cargo reported no twilio-emulator executable" >&2
    exit 1
fi

install -m 0755 "$binary" "$out/twilio-emulator"
rm -rf "$out/config"
mkdir -p "$out/config"
cp "$root"/config/*.toml "$out/config/"

echo "== built $("$out/twilio-emulator" --version) into $out:" >&2
ls -l "$out/twilio-emulator" "$out/config" >&2
