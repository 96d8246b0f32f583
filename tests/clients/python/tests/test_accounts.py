"""Create, fetch, update and status changes through the official twilio-python library."""
import datetime
import re

from twilio.rest import Client

from helpers import SID_RE, TOKEN_RE, Tenant, cli, env, make_client, twilio_error, url

DEFAULT_NAME_RE = re.compile(r"^SubAccount Created at (\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}) (am|pm)$")


def assert_subresource_uris(account):
    keys = {
        "available_phone_numbers",
        "calls",
        "conferences",
        "incoming_phone_numbers",
        "notifications",
        "outgoing_caller_ids",
        "recordings",
        "sandbox",
        "sms_messages",
        "transcriptions",
    }
    assert set(account.subresource_uris) == keys
    for uri in account.subresource_uris.values():
        assert uri.startswith("/2010-04-01/Accounts/%s/" % account.sid) and uri.endswith(".json"), uri


def test_create_with_friendly_name_and_use_its_token(tenant):
    sub = tenant.accounts.create(friendly_name="Team A")
    assert SID_RE.match(sub.sid)
    assert sub.friendly_name == "Team A"
    assert sub.status == "active"
    assert sub.type == "Full"
    assert sub.owner_account_sid == tenant.sid
    assert TOKEN_RE.match(sub.auth_token), "the 201 carries the plaintext token once"
    assert sub.uri == "/2010-04-01/Accounts/%s.json" % sub.sid
    assert isinstance(sub.date_created, datetime.datetime), "RFC 2822 date the library parses"
    assert isinstance(sub.date_updated, datetime.datetime)
    assert sub.date_created.utcoffset() == datetime.timedelta(0)
    now = datetime.datetime.now(datetime.timezone.utc)
    assert abs((now - sub.date_created).total_seconds()) < 300
    assert_subresource_uris(sub)

    # The returned token authenticates a new client of the library.
    sub_client = make_client(sub.sid, sub.auth_token)
    me = sub_client.api.v2010.accounts(sub.sid).fetch()
    assert me.sid == sub.sid
    assert me.friendly_name == "Team A"
    assert me.auth_token == "redacted"


def test_create_without_friendly_name_gets_the_default_name(tenant):
    before = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
    sub = tenant.accounts.create()
    after = datetime.datetime.now(datetime.timezone.utc)
    match = DEFAULT_NAME_RE.match(sub.friendly_name)
    assert match, sub.friendly_name
    day, hour, minute, meridian = match.group(1), int(match.group(2)), int(match.group(3)), match.group(4)
    assert meridian == ("pm" if hour >= 12 else "am"), "24-hour clock, meridian from the hour"
    stamp = datetime.datetime.strptime("%s %02d:%02d" % (day, hour, minute), "%Y-%m-%d %H:%M").replace(
        tzinfo=datetime.timezone.utc
    )
    assert before <= stamp <= after, "UTC time of creation"
    assert TOKEN_RE.match(sub.auth_token)
    assert make_client(sub.sid, sub.auth_token).api.v2010.accounts(sub.sid).fetch().sid == sub.sid


def test_subaccount_inherits_the_type_of_its_main():
    trial = Tenant("trial", account_type="Trial")
    assert trial.accounts(trial.sid).fetch().type == "Trial"
    assert trial.accounts.create(friendly_name="Trial child").type == "Trial"


def test_fetch_main_and_subaccount(tenant):
    main = tenant.sub(tenant.sid).fetch()
    assert main.sid == tenant.sid
    assert main.friendly_name == tenant.friendly_name
    assert main.owner_account_sid == tenant.sid, "a main account's owner is itself"
    assert main.auth_token == "redacted"
    assert main.status == "active"
    assert_subresource_uris(main)

    sub = tenant.accounts.create(friendly_name="Fetched")
    fetched = tenant.sub(sub.sid).fetch()
    assert (fetched.sid, fetched.friendly_name, fetched.status, fetched.owner_account_sid) == (
        sub.sid,
        "Fetched",
        "active",
        tenant.sid,
    )
    assert fetched.auth_token == "redacted"
    assert fetched.date_created == sub.date_created


def test_update_friendly_name(tenant):
    sub = tenant.accounts.create(friendly_name="Before")
    updated = tenant.sub(sub.sid).update(friendly_name="After")
    assert updated.sid == sub.sid
    assert updated.friendly_name == "After"
    assert updated.status == "active"
    assert updated.auth_token == "redacted"
    assert updated.date_updated >= sub.date_updated
    assert tenant.sub(sub.sid).fetch().friendly_name == "After"

    # The main account may rename itself (only its Status is off limits).
    assert tenant.sub(tenant.sid).update(friendly_name="Main renamed").friendly_name == "Main renamed"

    # Through the instance object of the library too.
    again = tenant.sub(sub.sid).fetch().update(friendly_name="Via instance")
    assert again.friendly_name == "Via instance"

    # An update with no parameter returns the account unchanged.
    same = tenant.sub(sub.sid).update()
    assert (same.friendly_name, same.status) == ("Via instance", "active")


def test_put_updates_like_post(tenant):
    sub = tenant.accounts.create(friendly_name="Put me")
    response = tenant.client.request(
        "PUT", url("/2010-04-01/Accounts/%s.json" % sub.sid), data={"FriendlyName": "Put done"}
    )
    assert response.status_code == 200, response.text
    assert tenant.sub(sub.sid).fetch().friendly_name == "Put done"


def test_suspend_reactivate_close(tenant):
    sub = tenant.accounts.create(friendly_name="Lifecycle")
    sub_client = make_client(sub.sid, sub.auth_token)
    assert sub_client.api.v2010.accounts(sub.sid).fetch().status == "active"

    assert tenant.sub(sub.sid).update(status="suspended").status == "suspended"
    assert tenant.sub(sub.sid).fetch().status == "suspended"
    with twilio_error(401, 20003):
        sub_client.api.v2010.accounts(sub.sid).fetch()  # a suspended account cannot authenticate

    assert tenant.sub(sub.sid).update(status="active").status == "active"
    assert sub_client.api.v2010.accounts(sub.sid).fetch().status == "active"

    closed = tenant.sub(sub.sid).update(status="closed")
    assert closed.status == "closed"
    with twilio_error(401, 20003):
        sub_client.api.v2010.accounts(sub.sid).fetch()

    # closed is final, but its FriendlyName may still change.
    with twilio_error(400, 21479):
        tenant.sub(sub.sid).update(status="active")
    renamed = tenant.sub(sub.sid).update(friendly_name="Closed but renamed")
    assert (renamed.friendly_name, renamed.status) == ("Closed but renamed", "closed")


def test_suspend_and_close_in_one_step_from_active(tenant):
    direct = tenant.accounts.create(friendly_name="Closed at once")
    assert tenant.sub(direct.sid).update(status="closed").status == "closed"
    suspended = tenant.accounts.create(friendly_name="Suspended then closed")
    assert tenant.sub(suspended.sid).update(status="suspended").status == "suspended"
    assert tenant.sub(suspended.sid).update(status="closed").status == "closed"


def test_a_subaccount_sees_only_itself(tenant):
    first = tenant.accounts.create(friendly_name="First")
    second = tenant.accounts.create(friendly_name="Second")
    client = make_client(first.sid, first.auth_token)
    accounts = client.api.v2010.accounts

    listed = accounts.list()
    assert [a.sid for a in listed] == [first.sid]
    assert listed[0].auth_token == "redacted"
    assert [a.sid for a in accounts.stream(page_size=1)] == [first.sid]

    with twilio_error(401, 20003):
        accounts(tenant.sid).fetch()  # its own main account
    with twilio_error(401, 20003):
        accounts(second.sid).fetch()  # a sibling
    with twilio_error(401, 20003):
        accounts("AC" + "0" * 32).fetch()  # unknown
    with twilio_error(401, 20003):
        accounts(second.sid).update(friendly_name="Hijacked")
    assert tenant.sub(second.sid).fetch().friendly_name == "Second"

    # It may rename itself.
    assert accounts(first.sid).update(friendly_name="First renamed").friendly_name == "First renamed"


def test_suspending_the_main_account_locks_out_its_subaccounts(tenant):
    sub = tenant.accounts.create(friendly_name="Child")
    sub_client = make_client(sub.sid, sub.auth_token)
    assert sub_client.api.v2010.accounts(sub.sid).fetch().sid == sub.sid

    cli("accounts", "set-status", tenant.sid, "suspended")  # the operator's command
    with twilio_error(401, 20003):
        tenant.sub(tenant.sid).fetch()
    with twilio_error(401, 20003):
        sub_client.api.v2010.accounts(sub.sid).fetch()

    cli("accounts", "set-status", tenant.sid, "active")
    assert sub_client.api.v2010.accounts(sub.sid).fetch().sid == sub.sid


def test_library_shortcuts_and_the_account_sid_option(tenant):
    # client.api.accounts / client.api.account are shortcuts to v2010; account is the client's own account.
    assert tenant.client.api.account.fetch().sid == tenant.sid
    sub = tenant.client.api.accounts.create(friendly_name="Shortcut")
    assert [a.sid for a in tenant.client.api.accounts.list()] == [tenant.sid, sub.sid]

    # Main credentials acting on a subaccount: Client(main_sid, main_token, account_sid=sub_sid).
    acting = Client(tenant.sid, tenant.token, account_sid=sub.sid)
    acting.api.base_url = env("EMULATOR_URL")
    assert acting.api.account.fetch().sid == sub.sid
    assert acting.api.account.update(friendly_name="Renamed by main").friendly_name == "Renamed by main"
    assert acting.api.account.update(status="suspended").status == "suspended"

    # A subaccount's own client: client.api.account is itself.
    own = make_client(sub.sid, sub.auth_token)
    with twilio_error(401, 20003):
        own.api.account.fetch()  # suspended above
    tenant.sub(sub.sid).update(status="active")
    assert own.api.account.fetch().friendly_name == "Renamed by main"
