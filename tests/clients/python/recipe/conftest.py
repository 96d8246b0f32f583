# CI recipe: build the fixture once per session, save it as a snapshot, restore it before each test.
#   pip install twilio pytest
#   EMULATOR_URL=http://127.0.0.1:8080 TENANT_SID=AC... TENANT_TOKEN=... pytest
# (The defaults below are the sandbox tenant that the default config seeds.)
import os

import pytest
import requests  # installed with twilio
from twilio.rest import Client

URL = os.environ.get("EMULATOR_URL", "http://127.0.0.1:8080")
SID = os.environ.get("TENANT_SID", "ACdeadbeefdeadbeefdeadbeefdeadbeef")
TOKEN = os.environ.get("TENANT_TOKEN", "0123456789abcdef0123456789abcdef")


def control(path, **params):
    """POST to the tenant's control plane, as its main account."""
    response = requests.post(URL + "/_emulator/v1" + path, data=params, auth=(SID, TOKEN), timeout=30)
    response.raise_for_status()
    return response.json()


@pytest.fixture(scope="session")
def client():
    client = Client(SID, TOKEN)
    client.api.base_url = URL
    return client


@pytest.fixture(scope="session")
def fixture(client):
    """Once per session: an empty tenant, then two subaccounts and a Standard key, saved as 'fixture'."""
    control("/reset")
    subaccounts = [client.api.v2010.accounts.create(friendly_name=name).sid for name in ("Alpha", "Beta")]
    key = client.api.v2010.account.new_keys.create(friendly_name="CI key").sid
    control("/snapshots", Name="fixture")
    return {"accounts": [SID] + subaccounts, "keys": [key]}


@pytest.fixture(autouse=True)
def restore(fixture):
    """Before each test: the tenant is exactly the fixture again."""
    control("/snapshots/fixture/restore")
