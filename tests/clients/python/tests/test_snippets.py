"""The snippets of tests/clients/SNIPPETS.md are the files the tests run: they stay true."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CLIENTS = Path(__file__).resolve().parents[2]
SNIPPETS_MD = CLIENTS / "SNIPPETS.md"
SNIPPET_FILES = [
    CLIENTS / "python" / "snippet.py",
    CLIENTS / "node" / "snippet.js",
    CLIENTS / "curl" / "snippet.sh",
]


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert out.returncode == 0, "%s failed (%d):\n%s\n%s" % (cmd, out.returncode, out.stdout, out.stderr)
    return out.stdout


@pytest.mark.parametrize("path", SNIPPET_FILES, ids=lambda p: p.name)
def test_snippets_md_shows_the_files_verbatim(path):
    text = SNIPPETS_MD.read_text(encoding="utf-8")
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S)
    assert path.read_text(encoding="utf-8") in blocks, "%s is not pasted verbatim in SNIPPETS.md" % path.name


def test_python_snippet_runs_standalone():
    out = run([sys.executable, str(CLIENTS / "python" / "snippet.py")])
    created = re.search(r"^created (AC[0-9a-f]{32}) active [0-9a-f]{32}$", out, flags=re.M)
    assert created, out
    sub_sid = created.group(1)
    assert "subaccount sees ['%s']" % sub_sid in out
    assert re.search(r"^listed %s Snippet subaccount \(renamed\)$" % sub_sid, out, flags=re.M), out
    assert re.search(r"^listed %s " % os.environ["TENANT_SID"], out, flags=re.M), out
    assert out.rstrip().endswith("error 404 20404")


def test_curl_snippet_runs_standalone():
    if shutil.which("curl") is None:
        pytest.fail("curl is needed for the curl snippet")
    out = run(["bash", str(CLIENTS / "curl" / "snippet.sh")])
    assert re.search(r'"friendly_name":"Snippet subaccount".*"auth_token":"[0-9a-f]{32}"', out), out
    assert "<Sid>%s</Sid>" % os.environ["TENANT_SID"] in out
    assert "<AuthToken>redacted</AuthToken>" in out
    assert '"page_size":2' in out
