"""Shared fixtures: the corpus (BORAX_CORPUS), the repository root and the
Rust CLI used as the reference for the Python binding's output."""

import os
import pathlib
import subprocess

import pytest

PYTHON_DIR = pathlib.Path(__file__).resolve().parent.parent
REPO = PYTHON_DIR.parent


@pytest.fixture(scope="session")
def corpus():
    """The shared corpus directory; tests using it are skipped (with the
    reason) only when BORAX_CORPUS is not set."""
    path = os.environ.get("BORAX_CORPUS")
    if not path:
        pytest.skip("BORAX_CORPUS is not set: corpus tests skipped (.ci/run sets it)")
    p = pathlib.Path(path)
    assert p.is_dir(), f"BORAX_CORPUS={path} is not a directory"
    return p


@pytest.fixture(scope="session")
def borax_cli():
    """The release CLI binary (BORAX_CLI, or target/release/borax, built
    with cargo when missing)."""
    exe = os.environ.get("BORAX_CLI")
    if exe:
        return pathlib.Path(exe)
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    exe = target / "release" / "borax"
    if not exe.exists():
        subprocess.run(
            ["cargo", "build", "--release", "-p", "borax-cli"], cwd=REPO, check=True
        )
    assert exe.exists(), exe
    return exe
