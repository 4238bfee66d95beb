"""The binding gives the Rust CLI's output byte for byte: the public XSS
payloads under every preset (and nh3's policy, through a policy file), and
the real pages under ``relaxed``. Needs BORAX_CORPUS (skipped, saying so,
when it is not set) and the release CLI (built if missing)."""

import json
import subprocess

import pytest

import borax
from borax import Policy


def cli_ndjson(exe, args, inputs):
    stdin = "".join(json.dumps(s) + "\n" for s in inputs)
    out = subprocess.run(
        [str(exe), "--ndjson", "-q", *args],
        input=stdin.encode("utf-8"),
        stdout=subprocess.PIPE,
        check=True,
    ).stdout.decode("utf-8")
    # split on "\n" only: str.splitlines() also splits on U+2028, U+0085...
    lines = out.split("\n")
    assert lines.pop() == ""
    assert len(lines) == len(inputs)
    return [json.loads(line) for line in lines]


def xss_payloads(corpus):
    files = sorted((corpus / "xss").glob("*.json"))
    assert files, "no xss/*.json in the corpus"
    payloads = []
    for f in files:
        data = json.loads(f.read_text(encoding="utf-8"))
        assert isinstance(data, list) and all(isinstance(s, str) for s in data), f
        payloads += data
    return payloads


@pytest.mark.parametrize("preset", Policy.PRESETS)
def test_xss_payloads_match_the_cli(corpus, borax_cli, preset):
    payloads = xss_payloads(corpus)
    assert len(payloads) >= 300
    expected = cli_ndjson(borax_cli, ["--preset", preset], payloads)
    p = Policy.preset(preset)
    assert [p.clean(x) for x in payloads] == expected
    assert p.clean_many(payloads) == expected


def test_xss_payloads_nh3_policy_match_the_cli(corpus, borax_cli, tmp_path):
    payloads = xss_payloads(corpus)
    policy_file = tmp_path / "nh3.toml"
    policy_file.write_text(Policy.nh3().to_toml(), encoding="utf-8")
    expected = cli_ndjson(borax_cli, ["--policy", str(policy_file)], payloads)
    assert [borax.clean(x) for x in payloads] == expected


def test_pages_match_the_cli(corpus, borax_cli):
    pages = [
        f.read_bytes().decode("utf-8", errors="replace")
        for f in sorted((corpus / "pages").glob("*.html"))
    ]
    assert len(pages) >= 250
    expected = cli_ndjson(borax_cli, ["--preset", "relaxed"], pages)
    assert Policy.relaxed().clean_many(pages) == expected
