"""Helpers shared by the Python suite: clients of the official `twilio` package, pointed at the emulator,
and fresh tenants made with the emulator's operator CLI."""
import json
import os
import re
import subprocess
import time
import uuid
from contextlib import contextmanager

import pytest
import requests  # a dependency of twilio (pinned in requirements.txt): plain HTTP for the control plane
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

SID_RE = re.compile(r"^AC[0-9a-f]{32}$")
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
KEY_SID_RE = re.compile(r"^SK[0-9a-f]{32}$")
SECRET_RE = re.compile(r"^[A-Za-z0-9]{32}$")


def env(name):
    return os.environ[name]


def make_client(sid, token):
    """A client of the official library, pointed at the emulator as BEHAVIOUR.md says."""
    client = Client(sid, token)
    client.api.base_url = env("EMULATOR_URL")
    return client


def make_key_client(key_sid, secret, account_sid):
    """A client that authenticates with an API key, as KEYS.md says the library does it:
    Client(key_sid, secret, account_sid) sends Basic key_sid:secret; account_sid is only in the paths."""
    client = Client(key_sid, secret, account_sid)
    client.api.base_url = env("EMULATOR_URL")
    return client


def cli(*args):
    """Runs the emulator's operator CLI against the server's database; returns its stdout."""
    out = subprocess.run(
        [env("EMULATOR_BIN"), *args, "--config", env("EMULATOR_CONFIG"), "--database-url", env("EMULATOR_DATABASE_URL")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, "CLI %s failed: %s" % (args, out.stderr)
    return out.stdout


def new_tenant(label="tenant", account_type="Full"):
    """A fresh main account, made with `twilio-emulator accounts create --json`."""
    name = "py %s %s" % (label, uuid.uuid4().hex[:8])
    account = json.loads(cli("accounts", "create", "--friendly-name", name, "--type", account_type, "--json"))
    return {"sid": account["sid"], "token": account["auth_token"], "friendly_name": name, "json": account}


def main_key(account_sid, friendly_name=None):
    """A Main key, made the only way there is: `twilio-emulator keys create --account SID --main --json`."""
    args = ["keys", "create", "--account", account_sid, "--main", "--json"]
    if friendly_name is not None:
        args += ["--friendly-name", friendly_name]
    return json.loads(cli(*args))


class Tenant:
    def __init__(self, label, account_type="Full"):
        info = new_tenant(label, account_type)
        self.sid = info["sid"]
        self.token = info["token"]
        self.friendly_name = info["friendly_name"]
        self.client = make_client(self.sid, self.token)

    @property
    def accounts(self):
        return self.client.api.v2010.accounts

    def sub(self, sid):
        return self.client.api.v2010.accounts(sid)

    def create_subaccounts(self, count, prefix="sub"):
        return [self.accounts.create(friendly_name="%s %02d" % (prefix, i)) for i in range(count)]


def url(path):
    return env("EMULATOR_URL").rstrip("/") + path


@contextmanager
def twilio_error(status, code):
    """The library raises TwilioRestException carrying the HTTP status and Twilio's error code."""
    with pytest.raises(TwilioRestException) as info:
        yield info
    assert (info.value.status, info.value.code) == (status, code), str(info.value)


@contextmanager
def page_error(status, code):
    """A list request that fails: twilio-python's Page.process_response raises a plain
    TwilioException("Unable to fetch page", response), without status/code attributes
    (twilio/base/page.py), so the status and code are read from the response it carries."""
    with pytest.raises(TwilioException) as info:
        yield info
    assert not isinstance(info.value, TwilioRestException)
    message, response = info.value.args
    assert message == "Unable to fetch page"
    body = json.loads(response.text)
    assert (response.status_code, body["code"], body["status"]) == (status, code, status), response.text


def control(tenant, method, path, **params):
    """A request to the tenant's control plane (CONTROL.md), plain HTTP as its main account, not through the
    library (Twilio has no such API): GET sends the parameters in the query, other methods as a form."""
    query, form = (params, None) if method == "GET" else (None, params)
    return requests.request(
        method, url("/_emulator/v1" + path), params=query, data=form, auth=(tenant.sid, tenant.token), timeout=30
    )


def arm_fault(tenant, **params):
    """POST /_emulator/v1/faults: the 201's fault."""
    response = control(tenant, "POST", "/faults", **params)
    assert response.status_code == 201, response.text
    return response.json()


def armed_faults(tenant):
    """GET /_emulator/v1/faults: the faults still armed (remaining > 0), oldest first."""
    response = control(tenant, "GET", "/faults")
    assert response.status_code == 200, response.text
    return response.json()["faults"]


def journal_until(tenant, done, timeout_s=5, **filters):
    """The tenant's request journal (newest first) once done(entries) holds. Entries are written off the
    request path and readable within 1 s (CONTROL.md), so a test polls for them."""
    deadline = time.monotonic() + timeout_s
    while True:
        response = control(tenant, "GET", "/requests", PageSize=1000, **filters)
        assert response.status_code == 200, response.text
        entries = response.json()["requests"]
        if done(entries) or time.monotonic() > deadline:
            return entries
        time.sleep(0.1)
