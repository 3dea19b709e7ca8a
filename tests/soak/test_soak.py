"""The two-minute soak runs in every `make test`: faults, SIGKILLs, then the books must agree."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def test_the_two_minute_soak_keeps_the_books_straight() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "soak.py")], cwd=ROOT,
                            capture_output=True, text=True, timeout=600, check=False)

    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr[-3000:]
    verdict = json.loads(lines[-1])
    books = {key: verdict[key] for key in ("missing", "duplicates", "wrong_totals",
                                           "inbox_pending", "inbox_processing", "inbox_parked")}
    # The bookkeeping must hold exactly. Convergence of Woo statuses and stock is reported in
    # the verdict (`ok` covers it) but not asserted here yet: a stock level can still trail
    # Fortnox by one sync after a cancellation (see the CHANGELOG's known issues).
    assert books == dict.fromkeys(books, 0), verdict
    assert verdict["kills"] >= 1
    assert verdict["orders"] >= 50
