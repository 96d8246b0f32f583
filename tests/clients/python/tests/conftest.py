"""Shared set-up for the Python suite: the official `twilio` package, pointed at the emulator.

The environment comes from tests/clients/run.sh:
  EMULATOR_URL, TENANT_SID, TENANT_TOKEN, EMULATOR_BIN, EMULATOR_CONFIG, EMULATOR_DATABASE_URL,
  EMULATOR_MAX_SUBACCOUNTS.
Most tests make their own tenant (a main account) with the operator CLI, so they are independent of each
other and of the subaccount cap.
"""
import os

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
