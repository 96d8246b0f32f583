"""Faults armed through the tenant's control plane (CONTROL.md), as the official twilio-python library sees
them: the same exceptions as Twilio's own 429 and 5xx answers would raise.

Each test arms a fault with plain HTTP (helpers.arm_fault) and then makes the call that the fault takes
through the library. Every test makes its own tenant with the operator CLI.

What twilio-python 9.13.0 does with a 429 and its `Retry-After: 1` (read in twilio/http/http_client.py,
async_http_client.py, and urllib3's Retry):
- By default nothing: Client() builds TwilioHttpClient() without retries, so a 429 is one request, raised at
  once as TwilioRestException(status=429, code=20429). No code of the library reads Retry-After, and the
  exception carries no headers (the raw response of client.request does).
- Opt-in TwilioHttpClient(max_retries=N) mounts requests' HTTPAdapter(max_retries=N) for https:// only
  (api.twilio.com). urllib3 then retries a GET (never a POST) answered 413, 429 or 503 *with* a Retry-After
  header, sleeping Retry-After seconds, at most N times; the last answer is raised as usual.
- Opt-in AsyncTwilioHttpClient(max_retries=N) uses aiohttp_retry's ExponentialRetry(attempts=N): it retries
  every 5xx, any method, never a 429, and ignores Retry-After.
"""
import asyncio
import re
import time

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from helpers import Tenant, arm_fault, armed_faults, control, env, journal_until, page_error, twilio_error, url

FAULT_ID_RE = re.compile(r"^FI[0-9a-f]{32}$")


def sids(records):
    return [record.sid for record in records]


def test_a_429_fault_raises_twilio_rest_exception_with_status_429_and_code_20429(tenant):
    fault = arm_fault(tenant, Status=429, Count=2)
    assert FAULT_ID_RE.match(fault["id"]), fault
    shown = {name: fault[name] for name in ("status", "code", "count", "remaining", "method", "path", "delay_ms")}
    assert shown == {"status": 429, "code": 20429, "count": 2, "remaining": 2, "method": None, "path": None, "delay_ms": 0}

    with twilio_error(429, 20429) as info:
        tenant.sub(tenant.sid).fetch()
    error = info.value
    assert type(error) is TwilioRestException, "Twilio's legacy error shape, not TwilioServiceException"
    assert (error.method, error.uri) == ("GET", "/Accounts/%s.json" % tenant.sid)
    assert error.msg.startswith("Unable to fetch record: "), error.msg
    # By default the library does not retry: the fault took exactly one request.
    assert [f["remaining"] for f in armed_faults(tenant)] == [1]

    # Retry-After: 1 is on the raw answer (the exception has no headers); it takes the fault's last count.
    raw = tenant.client.request("GET", url("/2010-04-01/Accounts/%s.json" % tenant.sid))
    assert (raw.status_code, raw.headers["Retry-After"]) == (429, "1")
    body = raw.text
    assert '"code":20429' in body and '"status":429' in body, body
    assert armed_faults(tenant) == []
    assert tenant.sub(tenant.sid).fetch().sid == tenant.sid, "the fault is spent"


def test_a_429_fault_takes_a_list_or_a_create_too(tenant):
    # A list that fails raises the library's plain TwilioException("Unable to fetch page", response).
    arm_fault(tenant, Status=429)
    with page_error(429, 20429):
        tenant.accounts.list()
    arm_fault(tenant, Status=429)
    with twilio_error(429, 20429) as info:
        tenant.accounts.create(friendly_name="not made")
    assert info.value.method == "POST"
    assert info.value.msg.startswith("Unable to create record: "), info.value.msg
    assert sids(tenant.accounts.list()) == [tenant.sid], "a faulted create writes nothing"


def test_a_503_fault_raises_status_503_code_20503_for_this_tenant_only(tenant):
    sub = tenant.accounts.create(friendly_name="child")
    other = Tenant("other")
    fault = arm_fault(tenant, Status=503, Count=2)
    assert (fault["status"], fault["code"]) == (503, 20503)

    # Another tenant's requests never meet it.
    assert other.sub(other.sid).fetch().sid == other.sid
    with twilio_error(503, 20503) as info:
        tenant.sub(sub.sid).update(friendly_name="not renamed")
    assert type(info.value) is TwilioRestException
    # A subaccount's credentials are the tenant's too.
    sub_client = Client(sub.sid, sub.auth_token)
    sub_client.api.base_url = env("EMULATOR_URL")
    with twilio_error(503, 20503):
        sub_client.api.v2010.account.fetch()
    assert armed_faults(tenant) == []
    assert tenant.sub(sub.sid).fetch().friendly_name == "child"


def test_a_fault_on_post_accounts_fails_two_creates_and_leaves_fetches_alone(tenant):
    fault = arm_fault(tenant, Status=500, Method="POST", Path="/2010-04-01/Accounts", Count=2)
    assert (fault["code"], fault["method"], fault["path"]) == (20500, "POST", "/2010-04-01/Accounts")

    assert tenant.sub(tenant.sid).fetch().sid == tenant.sid, "a GET is left alone"
    assert sids(tenant.accounts.list()) == [tenant.sid]
    with twilio_error(500, 20500):
        tenant.accounts.create(friendly_name="first try")
    assert tenant.sub(tenant.sid).fetch().sid == tenant.sid
    assert [f["remaining"] for f in armed_faults(tenant)] == [1]
    with twilio_error(500, 20500):
        tenant.accounts.create(friendly_name="second try")
    assert armed_faults(tenant) == []
    sub = tenant.accounts.create(friendly_name="third try")
    assert [(a.sid, a.friendly_name) for a in tenant.accounts.list()] == [
        (tenant.sid, tenant.friendly_name),
        (sub.sid, "third try"),
    ]

    # The journal agrees: two creates answered by the fault, then the third, created.
    def creates(entries):
        return [e for e in entries if e["path"] == "/2010-04-01/Accounts.json"]

    entries = creates(journal_until(tenant, lambda es: len(creates(es)) >= 3, Method="POST"))
    assert [(e["status"], e["code"], e["fault"]) for e in entries] == [
        (201, None, None),
        (500, 20500, fault["id"]),
        (500, 20500, fault["id"]),
    ]
    assert entries[0]["params"] == {"FriendlyName": ["third try"]}


def test_the_journal_shows_the_form_body_of_a_create_that_a_fault_answered(tenant):
    # CONTROL.md: every request is recorded whatever the outcome, params = the form body.
    fault = arm_fault(tenant, Status=503, Method="POST")
    with twilio_error(503, 20503):
        tenant.accounts.create(friendly_name="what the app sent")
    entries = journal_until(tenant, lambda es: any(e["fault"] == fault["id"] for e in es), Method="POST")
    assert [e["params"] for e in entries if e["fault"] == fault["id"]] == [{"FriendlyName": ["what the app sent"]}]


def test_opt_in_max_retries_sleeps_retry_after_and_retries_gets_only(tenant):
    http_client = TwilioHttpClient(max_retries=3)
    # The library mounts its retrying adapter for https:// (api.twilio.com); the emulator here is http://.
    http_client.session.mount("http://", http_client.session.get_adapter("https://"))
    client = Client(tenant.sid, tenant.token, http_client=http_client)
    client.api.base_url = env("EMULATOR_URL")

    arm_fault(tenant, Status=429, Count=2)
    started = time.monotonic()
    assert client.api.v2010.account.fetch().sid == tenant.sid, "two 429s, then the answer"
    assert time.monotonic() - started >= 2, "urllib3 slept Retry-After (1 s) before each retry"
    assert armed_faults(tenant) == []

    arm_fault(tenant, Status=429, Count=5)
    with twilio_error(429, 20429):
        client.api.v2010.account.fetch()
    assert [f["remaining"] for f in armed_faults(tenant)] == [1], "one request and 3 retries, then raised"
    assert control(tenant, "DELETE", "/faults").status_code == 204

    arm_fault(tenant, Status=429)
    with twilio_error(429, 20429):
        client.api.v2010.accounts.create(friendly_name="not retried")
    assert armed_faults(tenant) == [], "a POST is not retried"
    arm_fault(tenant, Status=503)
    with twilio_error(503, 20503):
        client.api.v2010.account.fetch()
    assert armed_faults(tenant) == [], "a 503 without Retry-After is not retried"


def test_opt_in_async_max_retries_retries_5xx_and_not_429(tenant):
    async def scenario():
        http_client = AsyncTwilioHttpClient(max_retries=3)
        client = Client(tenant.sid, tenant.token, http_client=http_client)
        client.api.base_url = env("EMULATOR_URL")
        try:
            arm_fault(tenant, Status=503, Count=2)
            assert (await client.api.v2010.account.fetch_async()).sid == tenant.sid, "two 503s, then the answer"
            assert armed_faults(tenant) == []
            arm_fault(tenant, Status=429, Count=2)
            try:
                await client.api.v2010.account.fetch_async()
                raise AssertionError("expected a 429")
            except TwilioRestException as error:
                assert (error.status, error.code) == (429, 20429)
            assert [f["remaining"] for f in armed_faults(tenant)] == [1], "a 429 is not retried"
        finally:
            await http_client.session.close()

    asyncio.run(scenario())
