"""`sidecar reconcile`: an expected failure is one line in words and exit code 2, never a
traceback (the successful runs are in tests/e2e/test_reconcile.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sidecar.sim.process import ROOT
from sidecar.sim.process import migrated_sidecar


@pytest.fixture(scope="module", name="env")
def _env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated sidecar whose shop is connected to nothing yet."""
    return migrated_sidecar(tmp_path_factory.mktemp("cli"))


@pytest.mark.parametrize(("args", "said"), [
    (["--from", "2026-02-30", "--to", "2026-03-01"], "--from: expected a date like 2025-03-01"),
    (["--from", "2026-03-02", "--to", "2026-03-01"], "--to 2026-03-01 is before --from"),
    (["--from", "2026-03-01", "--to", "2026-03-01"], "not connected yet"),
    (["--from", "2026-03-01", "--to", "2026-03-01", "--shop", "nope"], "no shop 'nope'"),
])
def test_an_expected_failure_is_one_line_and_exit_code_2(env: dict[str, str], args: list[str],
                                                         said: str, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "sidecar.cli", "reconcile", *args,
                           "--csv", str(tmp_path / "r.csv")], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0], done.stderr
    assert not (tmp_path / "r.csv").exists()
