"""What every part of the simulated company shares: its configuration, clock and number series.

The company's state is one object composed of a class per resource family (`registers`,
`customers`, `articles`, put together in `company`); this is their common base.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

from sidecar.sim.fortnox.config import FortnoxSimConfig


class CompanyBase:
    """The clock and the configuration; `FortnoxState` sets both."""

    config: FortnoxSimConfig
    clock_offset: timedelta

    def now(self) -> datetime:
        """Current UTC time; `clock_offset` lets tests travel forward (`POST /_sim/clock`)."""
        return self.config.clock() + self.clock_offset

    @staticmethod
    def next_number(used: set[str]) -> str:
        numeric = [int(n) for n in used if n.isdigit()]
        return str(max(numeric, default=0) + 1)
