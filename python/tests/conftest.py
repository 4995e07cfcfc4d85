"""Shared fixtures: the repository's examples and the `leadc` binary the
Python results are compared with."""

import io
import os
import pathlib
import shutil
import subprocess

import pandas as pd
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def leadc_binary() -> str:
    """The CLI: $LEADC_BIN, else the repository's build, else on PATH."""
    if os.environ.get("LEADC_BIN"):
        return os.environ["LEADC_BIN"]
    for profile in ("release", "debug"):
        candidate = ROOT / "target" / profile / "leadc"
        if candidate.exists():
            return str(candidate)
    found = shutil.which("leadc")
    if found is None:
        pytest.fail("no leadc binary: run `cargo build` first or set LEADC_BIN")
    return found


def run_cli(*args: str, ok=(0,)) -> str:
    done = subprocess.run([leadc_binary(), *args], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode in ok, done.stderr
    return done.stdout


def cli_scores(*args: str, ok=(0,)) -> pd.DataFrame:
    """`leadc score ARGS` read back as a DataFrame of strings (as written)."""
    text = run_cli("score", *args, ok=ok)
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


@pytest.fixture
def saas():
    import leadc

    return leadc.load(EXAMPLES / "saas" / "saas.lead")
