"""List, filters, paging (stream / list / page / next_page / previous_page) through twilio-python."""
import json

from helpers import Tenant, make_client, page_error, url

SUBACCOUNTS = 8  # with the main account, 9 accounts: 5 pages of 2, more than three pages


def sids(records):
    return [record.sid for record in records]


def test_list_without_filters_is_main_then_subaccounts_in_creation_order(tenant):
    created = tenant.create_subaccounts(3)
    listed = tenant.accounts.list()
    assert sids(listed) == [tenant.sid] + sids(created)
    assert all(a.auth_token == "redacted" for a in listed)
    assert listed[0].owner_account_sid == tenant.sid
    assert all(a.owner_account_sid == tenant.sid for a in listed[1:])


def test_list_with_filters(tenant):
    alpha = tenant.accounts.create(friendly_name="alpha")
    beta = tenant.accounts.create(friendly_name="beta")
    alpha_too = tenant.accounts.create(friendly_name="alpha")
    tenant.sub(beta.sid).update(status="suspended")
    tenant.sub(alpha_too.sid).update(status="closed")

    assert sids(tenant.accounts.list(friendly_name="alpha")) == [alpha.sid, alpha_too.sid]
    assert sids(tenant.accounts.list(friendly_name="Alpha")) == [], "exact and case-sensitive"
    assert sids(tenant.accounts.list(friendly_name="alph")) == [], "no prefix match"
    assert sids(tenant.accounts.list(status="suspended")) == [beta.sid]
    assert sids(tenant.accounts.list(status="closed")) == [alpha_too.sid]
    assert sids(tenant.accounts.list(status="active")) == [tenant.sid, alpha.sid]
    assert sids(tenant.accounts.list(friendly_name="alpha", status="active")) == [alpha.sid]
    assert sids(tenant.accounts.list(friendly_name="beta", status="active")) == []
    assert sids(tenant.accounts.list(friendly_name=tenant.friendly_name)) == [tenant.sid]
    assert sids(tenant.accounts.stream(friendly_name="alpha", page_size=1)) == [alpha.sid, alpha_too.sid]


def test_stream_with_page_size_2_sees_every_account_once_in_order(tenant):
    created = tenant.create_subaccounts(SUBACCOUNTS)
    expected = [tenant.sid] + sids(created)

    streamed = sids(tenant.accounts.stream(page_size=2))
    assert streamed == expected
    assert len(set(streamed)) == len(streamed) == SUBACCOUNTS + 1

    assert sids(tenant.accounts.list(page_size=2)) == expected
    assert sids(tenant.accounts.list(page_size=1000)) == expected
    assert sids(tenant.accounts.list()) == expected


def test_pages_forward_and_back(tenant):
    created = tenant.create_subaccounts(SUBACCOUNTS)
    expected = [tenant.sid] + sids(created)

    pages = []
    page = tenant.accounts.page(page_size=2)
    for _ in range(20):  # bounded: 5 pages expected
        pages.append(sids(page))
        page = page.next_page()
        if page is None:
            break
    assert pages == [expected[i : i + 2] for i in range(0, len(expected), 2)]
    assert len(pages) == 5

    # And back from the last page, with the library's previous_page (PageToken=PB...).
    last = tenant.accounts.page(page_size=2)
    for _ in range(4):
        last = last.next_page()
    backwards = [sids(last)]
    page = last
    for _ in range(20):
        page = page.previous_page()
        if page is None:
            break
        backwards.append(sids(page))
    assert backwards == list(reversed(pages))

    # get_page with a URL the API gave; page_number without a token is an offset.
    second = tenant.accounts.get_page(tenant.accounts.page(page_size=2).next_page_url)
    assert sids(second) == expected[2:4]
    assert sids(tenant.accounts.page(page_size=2, page_number=3)) == expected[6:8]
    assert sids(tenant.accounts.page(page_size=2, page_number=9)) == [], "past the end: empty page"
    assert tenant.accounts.page(page_size=2, page_number=9).next_page_url is None


def test_a_page_token_survives_changes_to_that_account(tenant):
    created = tenant.create_subaccounts(5)
    first = tenant.accounts.page(page_size=2)
    assert sids(first) == [tenant.sid, created[0].sid]
    tenant.sub(created[0].sid).update(friendly_name="renamed after paging", status="suspended")
    assert sids(first.next_page()) == [created[1].sid, created[2].sid]


def test_list_and_stream_with_limit(tenant):
    created = tenant.create_subaccounts(SUBACCOUNTS)
    expected = [tenant.sid] + sids(created)
    assert sids(tenant.accounts.list(limit=3)) == expected[:3]
    assert sids(tenant.accounts.list(limit=5, page_size=2)) == expected[:5]
    assert sids(tenant.accounts.list(limit=1)) == expected[:1]
    assert sids(tenant.accounts.stream(limit=4, page_size=3)) == expected[:4]
    assert sids(tenant.accounts.list(limit=100)) == expected


def test_list_of_a_tenant_shows_no_other_tenant(tenant):
    other = Tenant("other")
    other_sub = other.accounts.create(friendly_name="shared name")
    mine = tenant.accounts.create(friendly_name="shared name")
    assert sids(tenant.accounts.list()) == [tenant.sid, mine.sid]
    assert sids(tenant.accounts.list(friendly_name="shared name")) == [mine.sid]
    assert sids(other.accounts.list(friendly_name="shared name")) == [other_sub.sid]


def test_page_token_errors_21481(tenant):
    other = Tenant("other")
    sub = tenant.accounts.create(friendly_name="token")
    with page_error(400, 21481):
        tenant.accounts.page(page_token="garbage")
    with page_error(400, 21481):
        tenant.accounts.page(page_token="PA")
    with page_error(400, 21481):
        tenant.accounts.page(page_token="PA" + other.sid)  # another tenant's account
    with page_error(400, 21481):
        tenant.accounts.page(page_token="PB" + "AC" + "0" * 32)  # no such account
    # A subaccount cannot page from its main account's position.
    sub_client = make_client(sub.sid, sub.auth_token)
    with page_error(400, 21481):
        sub_client.api.v2010.accounts.page(page_token="PA" + tenant.sid)
    # A valid one works.
    assert sids(tenant.accounts.page(page_token="PA" + tenant.sid, page_size=5)) == [sub.sid]


def test_list_parameter_errors_20001(tenant):
    with page_error(400, 20001):
        tenant.accounts.list(status="bogus")
    with page_error(400, 20001):
        tenant.accounts.list(friendly_name="")
    with page_error(400, 20001):
        tenant.accounts.page(page_size=0)
    with page_error(400, 20001):
        tenant.accounts.page(page_number=-1)
    with page_error(400, 20001):
        tenant.accounts.list(friendly_name="x" * 65)


def test_page_sizes_above_1000_are_served_as_1000(tenant):
    # BEHAVIOUR.md, List: both libraries send PageSize=limit for list(limit=N), so a large value is served
    # as 1000 rather than refused.
    sub = tenant.accounts.create(friendly_name="only child")
    assert sids(tenant.accounts.page(page_size=1001)) == [tenant.sid, sub.sid]
    raw = json.loads(tenant.client.request("GET", url("/2010-04-01/Accounts.json?PageSize=1001")).text)
    assert (raw["page_size"], raw["first_page_uri"]) == (1000, "/2010-04-01/Accounts.json?Page=0&PageSize=1000")
    assert sids(tenant.accounts.list(limit=2000)) == [tenant.sid, sub.sid]
