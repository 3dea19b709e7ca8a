"""The dashboard's line about Fortnox's change feed: on or off, the last event, and why off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.dates import get_timezone
from flask_babel import gettext as _

from sidecar.config import Config
from sidecar.fortnox_access.state import CONNECTED
from sidecar.jobs import feed_health
from sidecar.messages import Message
from sidecar.models import Shop
from sidecar.web.i18n import TIMEZONE
from sidecar.web.i18n import local_time
from sidecar.web.i18n import say


@dataclass(frozen=True)
class FeedLine:
    on: bool
    last_event: str  # "14:32", or with the date when not today; "" for none
    reason: str  # why it is off, in the reader's language


def feed_line(shop: Shop, config: Config, now: datetime) -> FeedLine:
    status = feed_health.status_of(shop)
    last = status.last_event_at if status is not None else None
    shown = ""
    if last is not None:
        zone = get_timezone(TIMEZONE)
        today = last.astimezone(zone).date() == now.astimezone(zone).date()
        shown = local_time(last, "HH:mm" if today else "yyyy-MM-dd HH:mm")
    if not config.fortnox_topics_url:
        return FeedLine(False, shown, _("Switched off for this installation "
                                        "(SIDECAR_FORTNOX_TOPICS_URL=off)."))
    if feed_health.is_on(status, now):
        return FeedLine(True, shown, "")
    if shop.fortnox_state != CONNECTED:
        return FeedLine(False, shown, _("Starts once Fortnox is connected."))
    problem = Message.from_json(status.problem) if status is not None else None
    return FeedLine(False, shown, say(problem) if problem else _(
        "Starting; changes are fetched on the usual schedule meanwhile."))
