"""What every part of the simulated company shares: its configuration, clock and number series.

The company's state is one object composed of a class per resource family (`registers`,
`customers`, `articles`, put together in `company`); this is their common base.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

from sidecar.sim.fortnox.config import FortnoxSimConfig
from sidecar.sim.fortnox.events import EventLog


class CompanyBase:
    """The clock, the configuration and the change feed; `FortnoxState` sets them."""

    config: FortnoxSimConfig
    clock_offset: timedelta
    events: EventLog

    def emit(self, topic: str, event_type: str, entity_id: str) -> None:
        """A change the Topics API tells its subscribers about (see `events`)."""
        self.events.emit(topic, event_type, self.config.tenant_id, entity_id, self.now())

    def now(self) -> datetime:
        """Current UTC time; `clock_offset` lets tests travel forward (`POST /_sim/clock`)."""
        return self.config.clock() + self.clock_offset

    @staticmethod
    def next_number(used: set[str]) -> str:
        numeric = [int(n) for n in used if n.isdigit()]
        return str(max(numeric, default=0) + 1)
