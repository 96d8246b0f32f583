#!/usr/bin/env bash
# The same calls with curl (-u SID:TOKEN is HTTP Basic auth). Add .json for JSON; no suffix or .xml gives XML.
#   EMULATOR_URL=http://127.0.0.1:8080 TENANT_SID=AC... TENANT_TOKEN=... bash snippet.sh
set -euo pipefail
URL="${EMULATOR_URL:-http://127.0.0.1:8080}"
SID="${TENANT_SID:-ACdeadbeefdeadbeefdeadbeefdeadbeef}"
TOKEN="${TENANT_TOKEN:-0123456789abcdef0123456789abcdef}"

# Create a subaccount (201; its auth_token in plaintext, this once).
curl -sS -u "$SID:$TOKEN" "$URL/2010-04-01/Accounts.json" --data-urlencode "FriendlyName=Snippet subaccount"
echo
# Fetch the main account (XML, as in Twilio's documentation).
curl -sS -u "$SID:$TOKEN" "$URL/2010-04-01/Accounts/$SID"
echo
# List active accounts, 2 a page.
curl -sS -u "$SID:$TOKEN" -G "$URL/2010-04-01/Accounts.json" -d Status=active -d PageSize=2
echo
# API keys: create a Standard key (201; its secret in plaintext, this once), read the Balance with it
# (-u KEY_SID:SECRET), then delete it (204).
KEY=$(curl -sS -u "$SID:$TOKEN" "$URL/2010-04-01/Accounts/$SID/Keys.json" --data-urlencode "FriendlyName=Snippet key")
echo "$KEY"
KEY_SID=$(printf '%s' "$KEY" | sed -n 's/.*"sid":"\([^"]*\)".*/\1/p')
KEY_SECRET=$(printf '%s' "$KEY" | sed -n 's/.*"secret":"\([^"]*\)".*/\1/p')
curl -sS -u "$KEY_SID:$KEY_SECRET" "$URL/2010-04-01/Accounts/$SID/Balance.json"
echo
curl -sS -u "$SID:$TOKEN" -X DELETE "$URL/2010-04-01/Accounts/$SID/Keys/$KEY_SID.json" \
    -o /dev/null -w 'deleted %{http_code}\n'
