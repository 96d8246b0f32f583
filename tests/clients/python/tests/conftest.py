"""Shared set-up for the Python suite: the official `twilio` package, pointed at the emulator.

The environment comes from tests/clients/run.sh:
  EMULATOR_URL, TENANT_SID, TENANT_TOKEN, EMULATOR_BIN, EMULATOR_CONFIG, EMULATOR_DATABASE_URL,
  EMULATOR_MAX_SUBACCOUNTS.
Most tests make their own tenant (a main account) with the operator CLI, so they are independent of each
other and of the subaccount cap.
"""
import ipaddress
import os
import socket

import pytest

from helpers import Tenant, make_client, env

REQUIRED = (
    "EMULATOR_URL",
    "TENANT_SID",
    "TENANT_TOKEN",
    "EMULATOR_BIN",
    "EMULATOR_CONFIG",
    "EMULATOR_DATABASE_URL",
)


def _loopback_only(connect):
    """Every connection a test opens goes to this machine's loopback: a client that someone forgot to point
    at the emulator fails here at once instead of reaching out to api.twilio.com. (Wraps socket.connect
    only; the twilio package itself is used as installed.)"""

    def guarded(sock, address, *rest):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            try:
                allowed = ipaddress.ip_address(host.split("%")[0]).is_loopback
            except ValueError:
                allowed = host == "localhost"
            if not allowed:
                raise ConnectionRefusedError("test tried to connect to %s: only 127.0.0.1 is allowed" % (address,))
        return connect(sock, address, *rest)

    return guarded


socket.socket.connect = _loopback_only(socket.socket.connect)
socket.socket.connect_ex = _loopback_only(socket.socket.connect_ex)


def pytest_configure(config):
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        raise pytest.UsageError(
            "missing environment: %s (run the suite with: bash tests/clients/run.sh)" % ", ".join(missing)
        )
    for name in ("TWILIO_REGION", "TWILIO_EDGE"):
        if os.environ.get(name):
            raise pytest.UsageError("%s is set: the library would rewrite the emulator's hostname" % name)


@pytest.fixture
def tenant(request):
    """A fresh tenant for one test."""
    return Tenant(request.node.name[:20])


@pytest.fixture
def shared_client():
    """The tenant that run.sh made for this run (TENANT_SID / TENANT_TOKEN)."""
    return make_client(env("TENANT_SID"), env("TENANT_TOKEN"))
