"""API keys, key authentication and Balance (KEYS.md) through the official twilio-python library.

The library's calls: Client(key_sid, secret, account_sid) for key authentication;
api.v2010.accounts(sid).new_keys.create (CreateNewKey), .keys.list / .keys.stream (ListKey),
.keys(sid).fetch / .update / .delete (FetchKey, UpdateKey, DeleteKey), .balance.fetch (FetchBalance);
api.v2010.account is the same for the client's own account_sid.
Every test makes its own tenant with the operator CLI.
"""
import datetime
import json

from helpers import (
    KEY_SID_RE,
    SECRET_RE,
    SID_RE,
    Tenant,
    cli,
    main_key,
    make_client,
    make_key_client,
    page_error,
    twilio_error,
    url,
)


def test_a_main_key_from_the_cli_acts_as_its_main_account(tenant):
    made = main_key(tenant.sid, friendly_name="Ops main key")
    assert KEY_SID_RE.match(made["sid"]), made
    assert SECRET_RE.match(made["secret"]), made
    assert (made["type"], made["friendly_name"]) == ("main", "Ops main key")

    client = make_key_client(made["sid"], made["secret"], tenant.sid)
    # Fetch the account: as its AuthToken would, token redacted.
    me = client.api.v2010.account.fetch()
    assert (me.sid, me.friendly_name, me.auth_token) == (tenant.sid, tenant.friendly_name, "redacted")
    assert client.api.v2010.accounts(tenant.sid).fetch().sid == tenant.sid
    # List and create subaccounts.
    assert [a.sid for a in client.api.v2010.accounts.list()] == [tenant.sid]
    sub = client.api.v2010.accounts.create(friendly_name="Made with a Main key")
    assert SID_RE.match(sub.sid) and sub.owner_account_sid == tenant.sid
    assert [a.sid for a in client.api.v2010.accounts.list()] == [tenant.sid, sub.sid]
    assert client.api.v2010.accounts(sub.sid).fetch().friendly_name == "Made with a Main key"
    assert client.api.v2010.accounts(sub.sid).update(friendly_name="Renamed by key").friendly_name == "Renamed by key"
    # The subaccount's token (shown once, in the 201) works.
    assert make_client(sub.sid, sub.auth_token).api.v2010.account.fetch().sid == sub.sid
    # Its own Keys and Balance, as the AuthToken.
    assert made["sid"] in [k.sid for k in client.api.v2010.account.keys.list()]
    assert client.api.v2010.account.balance.fetch().balance == "20.00"
    # A 404 for a SID outside its reach, as the AuthToken gets.
    with twilio_error(404, 20404):
        client.api.v2010.accounts("AC" + "0" * 32).fetch()
    # But not a subaccount's Keys or Balance (KEYS.md, "Who reaches what").
    with twilio_error(401, 20003):
        client.api.v2010.accounts(sub.sid).balance.fetch()
    with twilio_error(401, 20003):
        client.api.v2010.accounts(sub.sid).new_keys.create(friendly_name="not for a main key")
    with page_error(401, 20003):
        client.api.v2010.accounts(sub.sid).keys.list()

    # The operator's listing shows its type, never a secret.
    listed = json.loads(cli("keys", "list", "--account", tenant.sid, "--json"))
    assert [(k["sid"], k["type"]) for k in listed] == [(made["sid"], "main")]
    assert "secret" not in listed[0]


def test_a_main_key_of_a_subaccount_acts_as_that_subaccount(tenant):
    sub = tenant.accounts.create(friendly_name="Child")
    made = main_key(sub.sid)
    assert made["friendly_name"] is None
    client = make_key_client(made["sid"], made["secret"], sub.sid)
    assert client.api.v2010.account.fetch().sid == sub.sid
    assert [a.sid for a in client.api.v2010.accounts.list()] == [sub.sid]
    with twilio_error(401, 20003):
        client.api.v2010.accounts(tenant.sid).fetch()
    with twilio_error(401, 20003):
        client.api.v2010.accounts(tenant.sid).balance.fetch()


def test_create_a_standard_key_through_the_library(tenant):
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    key = tenant.sub(tenant.sid).new_keys.create(friendly_name="CI deploys")
    assert KEY_SID_RE.match(key.sid), key.sid
    assert SECRET_RE.match(key.secret), "32 alphanumerics, shown once"
    assert key.friendly_name == "CI deploys"
    assert isinstance(key.date_created, datetime.datetime) and key.date_created.utcoffset() == datetime.timedelta(0)
    assert before <= key.date_created <= datetime.datetime.now(datetime.timezone.utc)
    assert key.date_updated == key.date_created

    unnamed = tenant.client.api.v2010.account.new_keys.create()  # the client's own account
    assert KEY_SID_RE.match(unnamed.sid) and SECRET_RE.match(unnamed.secret)
    assert unnamed.friendly_name is None
    assert unnamed.secret != key.secret

    kinds = {k["sid"]: k["type"] for k in json.loads(cli("keys", "list", "--account", tenant.sid, "--json"))}
    assert kinds == {key.sid: "standard", unnamed.sid: "standard"}, "keys made through the API are Standard"

    with twilio_error(400, 20001):
        tenant.sub(tenant.sid).new_keys.create(friendly_name="")
    with twilio_error(400, 20001):
        tenant.sub(tenant.sid).new_keys.create(friendly_name="x" * 65)


def test_a_standard_key_reads_the_balance_and_nothing_else(tenant):
    key = tenant.sub(tenant.sid).new_keys.create(friendly_name="Balance reader")
    client = make_key_client(key.sid, key.secret, tenant.sid)

    balance = client.api.v2010.account.balance.fetch()
    assert (balance.account_sid, balance.balance, balance.currency) == (tenant.sid, "20.00", "USD")
    assert client.api.v2010.accounts(tenant.sid).balance.fetch().balance == "20.00"

    # The Accounts resource and Keys: 401 / 20003.
    with twilio_error(401, 20003):
        client.api.v2010.accounts(tenant.sid).fetch()
    with twilio_error(401, 20003):
        client.api.v2010.account.update(friendly_name="nope")
    with twilio_error(401, 20003):
        client.api.v2010.accounts.create(friendly_name="nope")
    with page_error(401, 20003):
        client.api.v2010.accounts.list()
    with page_error(401, 20003):
        client.api.v2010.account.keys.list()
    with twilio_error(401, 20003):
        client.api.v2010.account.keys(key.sid).fetch()
    with twilio_error(401, 20003):
        client.api.v2010.account.new_keys.create(friendly_name="nope")
    # A wrong secret: the same 401 as for a bad AuthToken.
    with twilio_error(401, 20003):
        make_key_client(key.sid, "x" * 32, tenant.sid).api.v2010.account.balance.fetch()
    # The operator changes the figure; the next request shows it.
    cli("accounts", "set-balance", tenant.sid, "12.3")
    assert client.api.v2010.account.balance.fetch().balance == "12.30"


def test_list_fetch_update_and_delete_keys(tenant):
    keys = tenant.sub(tenant.sid).keys
    new_keys = tenant.sub(tenant.sid).new_keys
    first = new_keys.create(friendly_name="first")
    second = new_keys.create(friendly_name="second")
    third = new_keys.create()

    # List, in creation order; the library follows next_page_uri across pages of 1.
    listed = keys.list()
    expected = [(first.sid, "first"), (second.sid, "second"), (third.sid, None)]
    assert [(k.sid, k.friendly_name) for k in listed] == expected
    # The secret is in the 201 alone: the raw list and fetch carry none.
    fields = ["sid", "friendly_name", "date_created", "date_updated"]
    base = "/2010-04-01/Accounts/%s/Keys" % tenant.sid
    raw = json.loads(tenant.client.request("GET", url(base + ".json")).text)
    assert [list(k) for k in raw["keys"]] == [fields] * 3
    raw = json.loads(tenant.client.request("GET", url("%s/%s.json" % (base, first.sid))).text)
    assert list(raw) == fields
    assert [k.sid for k in keys.stream(page_size=1)] == [first.sid, second.sid, third.sid]
    assert [k.sid for k in keys.list(limit=2)] == [first.sid, second.sid]
    page = keys.page(page_size=2)
    assert [k.sid for k in page] == [first.sid, second.sid]
    assert [k.sid for k in page.next_page()] == [third.sid]

    # Fetch and update.
    fetched = keys(second.sid).fetch()
    assert (fetched.sid, fetched.friendly_name, fetched.date_created) == (second.sid, "second", second.date_created)
    renamed = keys(second.sid).update(friendly_name="second, renamed")
    assert (renamed.sid, renamed.friendly_name) == (second.sid, "second, renamed")
    assert renamed.date_updated >= renamed.date_created
    assert keys(second.sid).fetch().friendly_name == "second, renamed"
    assert keys(third.sid).update().friendly_name is None, "nothing recognised: unchanged"
    with twilio_error(400, 20001):
        keys(second.sid).update(friendly_name="")

    # Delete: the key works until then, and not on the very next call.
    client = make_key_client(first.sid, first.secret, tenant.sid)
    assert client.api.v2010.account.balance.fetch().account_sid == tenant.sid
    assert keys(first.sid).delete() is True
    with twilio_error(401, 20003):
        client.api.v2010.account.balance.fetch()
    with twilio_error(404, 20404):
        keys(first.sid).fetch()
    with twilio_error(404, 20404):
        keys(first.sid).delete()
    assert [k.sid for k in keys.list()] == [second.sid, third.sid]
    # The other keys still work.
    assert make_key_client(second.sid, second.secret, tenant.sid).api.v2010.account.balance.fetch().balance == "20.00"

    # A key of another tenant, or no key at all: 404.
    other = Tenant("other")
    theirs = other.sub(other.sid).new_keys.create(friendly_name="theirs")
    with twilio_error(404, 20404):
        keys(theirs.sid).fetch()
    with twilio_error(404, 20404):
        keys("SK" + "0" * 32).fetch()
    assert other.sub(other.sid).keys(theirs.sid).fetch().friendly_name == "theirs"


def test_a_standard_key_of_a_subaccount_reads_the_subaccounts_balance(tenant):
    sub = tenant.accounts.create(friendly_name="Spender")
    sub_client = make_client(sub.sid, sub.auth_token)
    own = sub_client.api.v2010.account.new_keys.create(friendly_name="made by the subaccount")
    by_main = tenant.sub(sub.sid).new_keys.create(friendly_name="made by the main account")
    assert [k.sid for k in sub_client.api.v2010.account.keys.list()] == [own.sid, by_main.sid]
    assert [k.sid for k in tenant.sub(tenant.sid).keys.list()] == [], "the main account's own list is apart"

    for key in (own, by_main):
        client = make_key_client(key.sid, key.secret, sub.sid)
        balance = client.api.v2010.account.balance.fetch()
        # The main's figure, under the subaccount's own SID.
        assert (balance.account_sid, balance.balance, balance.currency) == (sub.sid, "20.00", "USD")
        with twilio_error(401, 20003):
            client.api.v2010.accounts(tenant.sid).balance.fetch()
        with twilio_error(401, 20003):
            client.api.v2010.account.fetch()

    # The subaccount draws on its main's balance: the operator sets the main's, the subaccount shows it.
    cli("accounts", "set-balance", tenant.sid, "7")
    client = make_key_client(own.sid, own.secret, sub.sid)
    assert client.api.v2010.account.balance.fetch().balance == "7.00"
    assert tenant.sub(tenant.sid).balance.fetch().balance == "7.00"
    # The subaccount cannot reach its main's keys.
    with page_error(401, 20003):
        sub_client.api.v2010.accounts(tenant.sid).keys.list()
