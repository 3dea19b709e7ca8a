"""Whether Fortnox answers a shop, as every request finds out (the client's observer).

The attention box shows Fortnox unreachable, or refusing the stored sign-in, once that has
lasted five minutes, with when it began; so the database has to know when it began and when it
ended. Each process remembers the last state it wrote per shop and writes only a change: a
request that goes as the one before costs nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sidecar import checks
from sidecar.fields import utcnow
from sidecar.fortnox import FortnoxAuthError
from sidecar.fortnox import FortnoxError
from sidecar.fortnox import FortnoxTransient
from sidecar.fortnox_access.tokens import FortnoxNotConnected
from sidecar.messages import msg

log = logging.getLogger("sidecar.fortnox_access")

UNREACHABLE = "fortnox.no_proper_answer"
REFUSED = "fortnox.sign_in_refused"

_written: dict[int, str] = {}  # shop id -> the state this process last wrote
_lock = threading.Lock()


def observer_for(shop_id: int) -> Callable[[FortnoxError | None], None]:
    return lambda error: observe(shop_id, error)


def observe(shop_id: int, error: FortnoxError | None) -> None:
    """A request for the shop ended: answered (None), or with `error`."""
    if isinstance(error, FortnoxNotConnected):
        return  # nothing was asked of Fortnox
    if isinstance(error, FortnoxTransient):
        state = UNREACHABLE
    elif isinstance(error, FortnoxAuthError):
        state = REFUSED
    else:
        state = checks.OK  # Fortnox answered, even if it said no
    with _lock:
        if _written.get(shop_id) == state:
            return
        _written[shop_id] = state
    try:
        _write(shop_id, state, error)
    except Exception:
        log.exception("fortnox.reach_not_recorded shop=%s", shop_id)
        with _lock:
            _written.pop(shop_id, None)


def _write(shop_id: int, state: str, error: FortnoxError | None) -> None:
    now = utcnow()
    if state == checks.OK:
        checks.answered(shop_id, checks.REACH, value={}, now=now, next_at=None)
        log.info("fortnox.reachable shop=%s", shop_id)
        return
    words = msg(state, error=str(error)) if error is not None else msg(state, error="")
    checks.failed(shop_id, checks.REACH, problem=words, cause=state, now=now)
    log.warning("fortnox.unreachable shop=%s cause=%s", shop_id, state)


def forget() -> None:
    """Tests: start from nothing written."""
    with _lock:
        _written.clear()
