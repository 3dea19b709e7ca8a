"""The simulator's state: one Fortnox company, its documents, the OAuth clients and the knobs.

Moto-style: the state holds data and business rules and knows nothing of HTTP. The company's
registers, customers, articles and prices live in `company` (one module per resource family),
orders, invoices and payments in `documents`, stock in `warehouse`, tokens in `oauth`. Every
public method expects the caller to hold `state.lock` (the HTTP layer takes it once per request).
"""

from __future__ import annotations

import copy
import secrets
import threading
from collections import Counter
from collections import deque
from datetime import timedelta
from typing import Any

from sidecar.sim.fortnox.company import Company
from sidecar.sim.fortnox.config import FortnoxSimConfig
from sidecar.sim.fortnox.documents import Documents
from sidecar.sim.fortnox.events import EventLog
from sidecar.sim.fortnox.oauth import SlidingWindowLimiter
from sidecar.sim.fortnox.oauth import TokenIssuer
from sidecar.sim.fortnox.spec import SpecChecker


class FortnoxState(Company):
    """One Fortnox company, its OAuth clients and the simulator's runtime counters."""

    def __init__(self, config: FortnoxSimConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.spec = SpecChecker.load(config.spec_path,
                                     reject_unknown_fields=config.reject_unknown_fields)
        self.tokens = TokenIssuer(client_id=config.client_id, client_secret=config.client_secret,
                                  signing_key=secrets.token_bytes(32))
        self.limiter = SlidingWindowLimiter()
        self.clock_offset = timedelta(0)
        self.events = EventLog()
        self.topics_server: Any = None  # the Topics API serving this state, once started
        self.reset()

    def reset(self) -> None:
        """Back to a freshly seeded company; OAuth tokens survive so connected clients stay so."""
        self.knobs = copy.deepcopy(self.config.knobs)
        self.limiter.clear()
        self.request_log: deque[dict[str, Any]] = deque(maxlen=self.config.request_log_size)
        self.counters: Counter[tuple[str, int]] = Counter()
        self.events.clear()  # offsets clients kept now point before the oldest event
        self._clear_company()
        self.documents = Documents(self)
        self._seed_company()
