# Each test changes the tenant, and each starts from the same fixture: conftest.py restores it first.


def assert_is_the_fixture(client, fixture):
    accounts = client.api.v2010.accounts.list()
    assert [(a.sid, a.status) for a in accounts] == [(sid, "active") for sid in fixture["accounts"]]
    assert [k.sid for k in client.api.v2010.account.keys.list()] == fixture["keys"]


def test_create_subaccounts(client, fixture):
    assert_is_the_fixture(client, fixture)
    for i in range(3):
        client.api.v2010.accounts.create(friendly_name="Extra %d" % i)
    assert len(client.api.v2010.accounts.list()) == 6


def test_close_a_subaccount(client, fixture):
    assert_is_the_fixture(client, fixture)
    alpha = fixture["accounts"][1]
    assert client.api.v2010.accounts(alpha).update(status="closed").status == "closed"


def test_delete_the_key(client, fixture):
    assert_is_the_fixture(client, fixture)
    assert client.api.v2010.account.keys(fixture["keys"][0]).delete()
    assert client.api.v2010.account.keys.list() == []
