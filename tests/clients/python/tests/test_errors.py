"""Every 4xx of BEHAVIOUR.md, as twilio-python's exception (status and code attributes)."""
import os

import pytest
from twilio.base.exceptions import TwilioRestException

from helpers import Tenant, make_client, twilio_error, url


def test_401_wrong_token_and_unknown_sid(tenant):
    wrong = make_client(tenant.sid, "f" * 32)
    with twilio_error(401, 20003) as wrong_token:
        wrong.api.v2010.accounts(tenant.sid).fetch()
    unknown = make_client("AC" + "1" * 32, tenant.token)
    with twilio_error(401, 20003) as unknown_sid:
        unknown.api.v2010.accounts("AC" + "1" * 32).fetch()
    assert wrong_token.value.msg == unknown_sid.value.msg, "an unknown SID and a wrong token look the same"
    with twilio_error(401, 20003):
        wrong.api.v2010.accounts.create(friendly_name="nope")
    with twilio_error(401, 20003):
        wrong.api.v2010.accounts(tenant.sid).update(friendly_name="nope")
    # The raw answer carries the Basic challenge.
    response = wrong.request("GET", url("/2010-04-01/Accounts.json"))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="Twilio API"'


def test_404_for_a_sid_the_main_account_cannot_reach(tenant):
    with twilio_error(404, 20404) as info:
        tenant.sub("AC" + "0" * 32).fetch()
    assert "/2010-04-01/Accounts/AC%s.json was not found" % ("0" * 32) in info.value.msg
    # Another tenant's account: the same 404, nothing leaks.
    other = Tenant("other")
    other_sub = other.accounts.create(friendly_name="theirs")
    with twilio_error(404, 20404):
        tenant.sub(other.sid).fetch()
    with twilio_error(404, 20404):
        tenant.sub(other_sub.sid).fetch()
    with twilio_error(404, 20404):
        tenant.sub(other_sub.sid).update(friendly_name="mine now")
    with twilio_error(404, 20404):
        tenant.sub("not-a-sid").fetch()
    assert other.sub(other_sub.sid).fetch().friendly_name == "theirs"


def test_405_through_the_raw_request_method(tenant):
    sub = tenant.accounts.create(friendly_name="not deletable")
    response = tenant.client.request("DELETE", url("/2010-04-01/Accounts/%s.json" % sub.sid))
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST, PUT"
    response = tenant.client.request("DELETE", url("/2010-04-01/Accounts.json"))
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"
    response = tenant.client.request("PUT", url("/2010-04-01/Accounts.json"), data={"FriendlyName": "x"})
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"
    assert tenant.sub(sub.sid).fetch().status == "active"


def test_405_as_the_library_exception(tenant):
    sub = tenant.accounts.create(friendly_name="not deletable")
    version = tenant.client.api.v2010
    with twilio_error(405, 20004):
        version.delete(method="DELETE", uri="/Accounts/%s.json" % sub.sid)
    with twilio_error(405, 20004):
        version.delete(method="DELETE", uri="/Accounts.json")


def test_20001_friendly_name_rules(tenant):
    with twilio_error(400, 20001) as info:
        tenant.accounts.create(friendly_name="")
    assert "FriendlyName" in info.value.msg, "the message names the parameter"
    with twilio_error(400, 20001):
        tenant.accounts.create(friendly_name="x" * 65)
    with twilio_error(400, 20001):
        tenant.accounts.create(friendly_name="tab\there")
    sub = tenant.accounts.create(friendly_name="y" * 64)
    assert sub.friendly_name == "y" * 64
    with twilio_error(400, 20001) as info:
        tenant.sub(sub.sid).update(friendly_name="")
    assert "FriendlyName" in info.value.msg
    with twilio_error(400, 20001):
        tenant.sub(sub.sid).update(friendly_name="z" * 65)
    with twilio_error(400, 20001):
        tenant.sub(sub.sid).update(friendly_name="line\nbreak")
    assert tenant.sub(sub.sid).fetch().friendly_name == "y" * 64


def test_20403_a_subaccount_sends_status_for_itself(tenant):
    sub = tenant.accounts.create(friendly_name="self-service")
    own = make_client(sub.sid, sub.auth_token).api.v2010.accounts(sub.sid)
    for status in ("suspended", "closed", "active", "bogus"):
        with twilio_error(403, 20403):
            own.update(status=status)
    assert tenant.sub(sub.sid).fetch().status == "active"


def test_21477_status_on_a_main_account(tenant):
    for status in ("suspended", "closed", "active"):
        with twilio_error(400, 21477):
            tenant.sub(tenant.sid).update(status=status)
    assert tenant.sub(tenant.sid).fetch().status == "active"


def test_21479_closed_is_final(tenant):
    sub = tenant.accounts.create(friendly_name="closing")
    tenant.sub(sub.sid).update(status="closed")
    for status in ("active", "suspended", "closed"):
        with twilio_error(400, 21479):
            tenant.sub(sub.sid).update(status=status)
    assert tenant.sub(sub.sid).fetch().status == "closed"


def test_21475_unknown_status(tenant):
    sub = tenant.accounts.create(friendly_name="status")
    for status in ("bogus", "Active", "open"):
        with twilio_error(400, 21475):
            tenant.sub(sub.sid).update(status=status)
    assert tenant.sub(sub.sid).fetch().status == "active"


def test_21101_a_subaccount_cannot_create(tenant):
    sub = tenant.accounts.create(friendly_name="parent?")
    with twilio_error(400, 21101):
        make_client(sub.sid, sub.auth_token).api.v2010.accounts.create(friendly_name="grandchild")
    assert [a.sid for a in tenant.accounts.list()] == [tenant.sid, sub.sid]


def test_21480_subaccount_cap():
    # run.sh starts the server with TWILIO_EMULATOR_MAX_SUBACCOUNTS=$EMULATOR_MAX_SUBACCOUNTS (small);
    # a dedicated tenant fills up to the cap, and the next create is refused.
    cap = int(os.environ.get("EMULATOR_MAX_SUBACCOUNTS", "0"))
    if not 0 < cap <= 50:
        pytest.fail("EMULATOR_MAX_SUBACCOUNTS must be set (1..50) to the server's cap: run tests/clients/run.sh")
    capped = Tenant("cap")
    created = 0
    with twilio_error(400, 21480):
        for _ in range(cap + 1):  # bounded
            capped.accounts.create(friendly_name="cap %d" % created)
            created += 1
    assert created == cap
    assert len(capped.accounts.list()) == cap + 1
    # Another tenant is not affected by this one's cap.
    assert Tenant("uncapped").accounts.create(friendly_name="free").status == "active"
