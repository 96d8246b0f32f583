# The official twilio package, unmodified, against the emulator.
#   pip install twilio
#   EMULATOR_URL=http://127.0.0.1:8080 TENANT_SID=AC... TENANT_TOKEN=... python snippet.py
# (The defaults below are the sandbox tenant that the default config seeds.)
import os

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

url = os.environ.get("EMULATOR_URL", "http://127.0.0.1:8080")
sid = os.environ.get("TENANT_SID", "ACdeadbeefdeadbeefdeadbeefdeadbeef")
token = os.environ.get("TENANT_TOKEN", "0123456789abcdef0123456789abcdef")

client = Client(sid, token)
client.api.base_url = url  # the one line that points the library at the emulator

# Create a subaccount: its auth_token is shown once, here.
sub = client.api.v2010.accounts.create(friendly_name="Snippet subaccount")
print("created", sub.sid, sub.status, sub.auth_token)

# Rename, suspend and reactivate it as the main account.
client.api.v2010.accounts(sub.sid).update(friendly_name="Snippet subaccount (renamed)")
client.api.v2010.accounts(sub.sid).update(status="suspended")
client.api.v2010.accounts(sub.sid).update(status="active")

# The subaccount's own credentials work, and see only itself.
sub_client = Client(sub.sid, sub.auth_token)
sub_client.api.base_url = url
print("subaccount sees", [a.sid for a in sub_client.api.v2010.accounts.list()])

# List (the library follows next_page_uri across pages of 2).
for account in client.api.v2010.accounts.stream(status="active", page_size=2):
    print("listed", account.sid, account.friendly_name)

# API keys: create a Standard key (its secret is shown once, here), then authenticate with the key's SID
# and secret, naming the account: Client(key_sid, secret, account_sid).
key = client.api.v2010.account.new_keys.create(friendly_name="Snippet key")
key_client = Client(key.sid, key.secret, sid)
key_client.api.base_url = url
balance = key_client.api.v2010.account.balance.fetch()
print("key", key.sid, "reads balance", balance.balance, balance.currency)
client.api.v2010.account.keys(key.sid).delete()  # revoked from the next request on

# Errors are TwilioRestException with the HTTP status and Twilio's code.
try:
    client.api.v2010.accounts("AC00000000000000000000000000000000").fetch()
except TwilioRestException as error:
    print("error", error.status, error.code)
