"""The type stubs (borax/_borax.pyi) match the compiled module, and code
using the API type-checks under mypy --strict."""

import subprocess
import sys

import pytest

pytest.importorskip("mypy", reason="mypy is not installed (python/run-tests installs it)")


def test_stubtest():
    r = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "borax._borax"], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_user_code_type_checks(tmp_path):
    code = tmp_path / "use_borax.py"
    code.write_text(
        """
import borax
from borax import Policy, Removal

p: Policy = Policy.comments()
out: str = borax.clean("<b>x</b>", tags={"b"}, url_relative=("rewrite_with_base", "https://x/"))
html, removals = p.clean_with_report("x")
first: Removal = removals[0]
n: int = first.count
xs: list[str] = borax.clean_many(["a"], policy=p, threads=2)
url: str | None = p.clean_url("x")
def keep(tag: str, attr: str, value: str) -> str | None:
    return value
c = borax.Cleaner(attribute_filter=keep, url_relative=lambda u: None, filter_style_properties={"color"})
a: Policy = Policy.ammonia()
try:
    Policy.from_toml("x")
except borax.PolicyError as e:
    line: int | None = e.line
""",
        encoding="utf-8",
    )
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", "--no-incremental", str(code)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr
