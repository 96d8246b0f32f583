"""The library's other code paths: the aiohttp-based async client, and the *_with_http_info methods."""
import asyncio

from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from helpers import env, twilio_error


def test_with_http_info_status_codes(tenant):
    created = tenant.accounts.create_with_http_info(friendly_name="with info")
    assert created.status_code == 201
    # dict(response.headers): a plain dict, so look the name up case-insensitively (actix sends lowercase names).
    headers = {name.lower(): value for name, value in created.headers.items()}
    assert headers["content-type"].startswith("application/json")
    sub = created.data
    assert sub.friendly_name == "with info"

    fetched = tenant.sub(sub.sid).fetch_with_http_info()
    assert (fetched.status_code, fetched.data.sid) == (200, sub.sid)
    updated = tenant.sub(sub.sid).update_with_http_info(friendly_name="with info 2")
    assert (updated.status_code, updated.data.friendly_name) == (200, "with info 2")
    listed = tenant.accounts.list_with_http_info(page_size=1)
    assert listed.status_code == 200
    assert [a.sid for a in listed.data] == [tenant.sid, sub.sid]


def test_async_client(tenant):
    async def scenario():
        http_client = AsyncTwilioHttpClient()
        client = Client(tenant.sid, tenant.token, http_client=http_client)
        client.api.base_url = env("EMULATOR_URL")
        accounts = client.api.v2010.accounts
        try:
            made = [await accounts.create_async(friendly_name="async %d + é" % i) for i in range(5)]
            default = await accounts.create_async()
            assert default.friendly_name.startswith("SubAccount Created at ")
            fetched = await accounts(made[0].sid).fetch_async()
            assert fetched.friendly_name == "async 0 + é"
            updated = await accounts(made[0].sid).update_async(friendly_name="async renamed & <ok>", status="suspended")
            assert (updated.friendly_name, updated.status) == ("async renamed & <ok>", "suspended")
            listed = await accounts.list_async(page_size=2)
            expected = [tenant.sid] + [a.sid for a in made] + [default.sid]
            assert [a.sid for a in listed] == expected
            streamed = [a.sid async for a in await accounts.stream_async(page_size=2)]
            assert streamed == expected
            filtered = await accounts.list_async(friendly_name="async renamed & <ok>", status="suspended")
            assert [a.sid for a in filtered] == [made[0].sid]
            assert [a.sid for a in await accounts.list_async(limit=3)] == expected[:3]
            try:
                await accounts("AC" + "0" * 32).fetch_async()
                raise AssertionError("expected a 404")
            except TwilioRestException as error:
                assert (error.status, error.code) == (404, 20404)
            try:
                await accounts(tenant.sid).update_async(status="suspended")
                raise AssertionError("expected a 400")
            except TwilioRestException as error:
                assert (error.status, error.code) == (400, 21477)
        finally:
            await http_client.session.close()

    asyncio.run(scenario())


def test_wrong_token_async(tenant):
    async def scenario():
        http_client = AsyncTwilioHttpClient()
        client = Client(tenant.sid, "0" * 32, http_client=http_client)
        client.api.base_url = env("EMULATOR_URL")
        try:
            await client.api.v2010.accounts(tenant.sid).fetch_async()
        finally:
            await http_client.session.close()

    with twilio_error(401, 20003):
        asyncio.run(scenario())
