"""FriendlyName values that need encoding survive create, fetch, update and the list filter."""
import pytest

from helpers import twilio_error

NAMES = [
    "two  spaces and trailing ",
    "a+b=c plus",
    "Tom & Jerry; x=1&y=2",
    "<b>not markup</b> & \"quotes\" 'single'",
    "Crème brûlée à Zürich, ñandú, Ærøskøbing",
    "emoji 😀🚀👩‍💻 ok",
    "literal %20 and %2B and %",
    "日本語のアカウント",
]


@pytest.mark.parametrize("name", NAMES)
def test_friendly_name_round_trip(tenant, name):
    sub = tenant.accounts.create(friendly_name=name)
    assert sub.friendly_name == name
    assert tenant.sub(sub.sid).fetch().friendly_name == name
    assert [a.sid for a in tenant.accounts.list(friendly_name=name)] == [sub.sid]

    renamed = name + " ✓ (2)"
    assert tenant.sub(sub.sid).update(friendly_name=renamed).friendly_name == renamed
    assert tenant.sub(sub.sid).fetch().friendly_name == renamed
    assert [a.sid for a in tenant.accounts.list(friendly_name=renamed)] == [sub.sid]
    assert tenant.accounts.list(friendly_name=name) == []
    assert [a.friendly_name for a in tenant.accounts.stream(page_size=2)] == [tenant.friendly_name, renamed]


def test_sixty_four_characters_not_bytes(tenant):
    name = "😀" * 64
    sub = tenant.accounts.create(friendly_name=name)
    assert sub.friendly_name == name
    assert [a.sid for a in tenant.accounts.list(friendly_name=name)] == [sub.sid]
    assert tenant.sub(sub.sid).update(friendly_name="é" * 64).friendly_name == "é" * 64
    with twilio_error(400, 20001):
        tenant.accounts.create(friendly_name="😀" * 65)
    with twilio_error(400, 20001):
        tenant.sub(sub.sid).update(friendly_name="é" * 65)
