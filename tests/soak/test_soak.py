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
    # `ok` covers these; asserted one by one first, so that a failure names what went wrong.
    for key in ("missing", "duplicates", "wrong_totals", "status_mismatch", "stock_mismatch",
                "inbox_pending", "inbox_processing", "inbox_parked", "refunds_missing",
                "refund_duplicates", "refund_mismatch", "restock_mismatch"):
        assert verdict[key] == 0, (key, verdict)
    assert verdict["ok"] is True, verdict
    assert result.returncode == 0
    assert verdict["kills"] >= 1
    assert verdict["orders"] >= 50
    assert verdict["feed_connections"] >= 2  # the feed was on, and reconnected after drops
    assert verdict["feed_events_delivered"] > 0
    assert verdict["refund_credits"] >= 1 and verdict["refund_corrections"] >= 1
