"""The snippets of tests/clients/SNIPPETS.md and of the README's "Use it from your code", and the CI recipe of
the README's "Control plane", are the files the tests run: they stay true."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import cli

CLIENTS = Path(__file__).resolve().parents[2]
SNIPPETS_MD = CLIENTS / "SNIPPETS.md"
README_MD = CLIENTS.parents[1] / "README.md"
SNIPPET_FILES = [
    CLIENTS / "python" / "snippet.py",
    CLIENTS / "node" / "snippet.js",
    CLIENTS / "curl" / "snippet.sh",
]
RECIPE_FILES = [
    CLIENTS / "python" / "recipe" / "conftest.py",
    CLIENTS / "python" / "recipe" / "test_recipe.py",
    CLIENTS / "node" / "test" / "recipe.test.js",
]
# The sandbox tenant of config/default.toml: the recipes' defaults.
SANDBOX_SID = "ACdeadbeefdeadbeefdeadbeefdeadbeef"
SANDBOX_TOKEN = "0123456789abcdef0123456789abcdef"


def code_blocks(markdown):
    return re.findall(r"```[a-z]*\n(.*?)```", markdown, flags=re.S)


def readme_section(title):
    """The README's section under `## title`, up to the next `## ` heading."""
    text = README_MD.read_text(encoding="utf-8")
    start = text.index("\n## %s\n" % title)
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def key_sids(account_sid):
    return [k["sid"] for k in json.loads(cli("keys", "list", "--account", account_sid, "--json"))]


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert out.returncode == 0, "%s failed (%d):\n%s\n%s" % (cmd, out.returncode, out.stdout, out.stderr)
    return out.stdout


@pytest.mark.parametrize("path", SNIPPET_FILES, ids=lambda p: p.name)
def test_snippets_md_shows_the_files_verbatim(path):
    blocks = code_blocks(SNIPPETS_MD.read_text(encoding="utf-8"))
    assert path.read_text(encoding="utf-8") in blocks, "%s is not pasted verbatim in SNIPPETS.md" % path.name


@pytest.mark.parametrize("path", SNIPPET_FILES, ids=lambda p: p.name)
def test_readme_shows_the_files_verbatim(path):
    blocks = code_blocks(readme_section("Use it from your code"))
    assert path.read_text(encoding="utf-8") in blocks, (
        "%s is not pasted verbatim in the README's 'Use it from your code'" % path.name
    )


def test_python_snippet_runs_standalone():
    out = run([sys.executable, str(CLIENTS / "python" / "snippet.py")])
    created = re.search(r"^created (AC[0-9a-f]{32}) active [0-9a-f]{32}$", out, flags=re.M)
    assert created, out
    sub_sid = created.group(1)
    assert "subaccount sees ['%s']" % sub_sid in out
    assert re.search(r"^listed %s Snippet subaccount \(renamed\)$" % sub_sid, out, flags=re.M), out
    assert re.search(r"^listed %s " % os.environ["TENANT_SID"], out, flags=re.M), out
    # Key authentication: a Standard key read the Balance, and was deleted after.
    key = re.search(r"^key (SK[0-9a-f]{32}) reads balance -?[0-9]+\.[0-9]{2} USD$", out, flags=re.M)
    assert key, out
    assert key.group(1) not in key_sids(os.environ["TENANT_SID"])
    assert out.rstrip().endswith("error 404 20404")


def test_curl_snippet_runs_standalone():
    if shutil.which("curl") is None:
        pytest.fail("curl is needed for the curl snippet")
    out = run(["bash", str(CLIENTS / "curl" / "snippet.sh")])
    assert re.search(r'"friendly_name":"Snippet subaccount".*"auth_token":"[0-9a-f]{32}"', out), out
    assert "<Sid>%s</Sid>" % os.environ["TENANT_SID"] in out
    assert "<AuthToken>redacted</AuthToken>" in out
    assert '"page_size":2' in out
    # Key authentication: the 201 with the secret, the Balance read with the key, the 204 of its delete.
    created = re.search(r'^\{"sid":"(SK[0-9a-f]{32})","friendly_name":"Snippet key",.*"secret":"([^"]*)"\}$', out, re.M)
    assert created and re.match(r"^[A-Za-z0-9]{32}$", created.group(2)), out
    balance = r'^\{"account_sid":"%s","balance":"-?[0-9]+\.[0-9]{2}","currency":"USD"\}$' % os.environ["TENANT_SID"]
    assert re.search(balance, out, flags=re.M), out
    assert out.rstrip().endswith("deleted 204")
    assert created.group(1) not in key_sids(os.environ["TENANT_SID"])


@pytest.mark.parametrize("path", RECIPE_FILES, ids=lambda p: p.name)
def test_readme_control_plane_shows_the_recipe_files_verbatim(path):
    blocks = code_blocks(readme_section("Control plane"))
    assert path.read_text(encoding="utf-8") in blocks, (
        "%s is not pasted verbatim in the README's 'Control plane'" % path.name
    )


def test_python_recipe_runs_unmodified_with_its_sandbox_defaults():
    # The run's server seeds no tenant: make the sandbox tenant as config/default.toml seeds it (idempotent).
    cli("accounts", "create", "--friendly-name", "Sandbox", "--sid", SANDBOX_SID, "--auth-token", SANDBOX_TOKEN)
    env = {k: v for k, v in os.environ.items() if k not in ("TENANT_SID", "TENANT_TOKEN")}
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "recipe"],
        cwd=CLIENTS / "python",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert re.search(r"^3 passed", out.stdout, flags=re.M), out.stdout
    snapshots = json.loads(cli("tenant", "snapshot", "list", SANDBOX_SID, "--json"))
    assert "fixture" in [s["name"] for s in snapshots["snapshots"]], snapshots
