"""The attention box: what needs the owner now, worked out when the dashboard is shown.

Three kinds of item, each gone as soon as its condition is:

- the setup checklist, while any step of it is not done (a fresh install);
- conditions: Fortnox unreachable or refusing the sign-in for over five minutes, a job that
  failed three runs in a row, deliveries waiting over ten minutes, and what the settings check
  found wrong in Fortnox (an inactive account, an unknown code);
- problems: the open errors of the activity log (`dashboard_data.problems`), which resolve
  themselves when their order is exported or their job succeeds.

Queries only; the texts are messages (sidecar.messages) rendered in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from sidecar import checks
from sidecar.jobs.inbox_worker import ready_topics
from sidecar.jobs.registry import JOBS
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import InboxEntry
from sidecar.models import JobRun
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.web import labels
from sidecar.web.i18n import local_time

OUTAGE_SHOWN_AFTER = timedelta(minutes=5)
FAILED_RUNS_SHOWN = 3
INBOX_WAIT_SHOWN_AFTER = timedelta(minutes=10)
RUNS_LOOKED_AT = 20


@dataclass(frozen=True)
class SetupStep:
    key: str
    label: LazyString
    done: bool
    endpoint: str
    anchor: str = ""
    section: str | None = None  # a settings section (settings_sections.py)


@dataclass(frozen=True)
class Condition:
    """Something wrong right now; `action` is a button (endpoint, its arguments, its label)."""

    key: str
    message: Message
    hint: Message | None
    since: datetime | None
    action: tuple[str, dict[str, str], LazyString] | None = None


def setup_steps(shop: Shop) -> list[SetupStep]:
    """The setup checklist; shown while any step is not done."""
    webhooks = checks.get(shop, checks.WEBHOOKS)
    settings = checks.get(shop, checks.SETTINGS)
    woo_keys = bool(shop.woo_url and shop.woo_consumer_key and shop.woo_consumer_secret)
    return [
        SetupStep("fortnox", _l("Fortnox connected"), shop.fortnox_state == "connected",
                  "settings.page", "fortnox"),
        SetupStep("woocommerce", _l("WooCommerce connected"),
                  woo_keys and shop.woo_state != "unreachable", "settings.page", "woocommerce"),
        SetupStep("webhooks", _l("Webhooks active"),
                  webhooks is not None and webhooks.state == checks.OK,
                  "settings.page", "webhooks"),
        SetupStep("accounts", _l("Accounts checked against Fortnox"),
                  settings is not None and settings.state == checks.OK,
                  "settings.page", "part-accounts", "accounts"),
        SetupStep("first_order", _l("First order sent to Fortnox"),
                  OrderLedger.select().where(OrderLedger.shop == shop,
                                             OrderLedger.exported_at.is_null(False)).exists(),
                  "dashboard.index", "orders"),
    ]


def conditions(shop: Shop, now: datetime) -> list[Condition]:
    found = [*_fortnox_outage(shop, now), *_settings_issues(shop), *_failing_jobs(shop),
             *_waiting_inbox(shop, now)]
    return found


def _fortnox_outage(shop: Shop, now: datetime) -> list[Condition]:
    """Over five minutes without a proper answer (the refused sign-in of a connection that
    needs reconnecting is the connection's own alarm)."""
    row = checks.get(shop, checks.REACH)
    if (shop.fortnox_state != "connected" or row is None or row.state != checks.FAILING
            or row.since is None or now - row.since < OUTAGE_SHOWN_AFTER):
        return []
    problem, cause = checks.failure_message(row)
    since = local_time(row.since)
    message = (msg("attention.fortnox_refusing", since=since)
               if cause == "fortnox.sign_in_refused" else
               msg("attention.fortnox_unreachable", since=since,
                   reason=problem or msg("plain", text="")))
    return [Condition("fortnox", message, msg("attention.fortnox_wait"), row.since)]


def _settings_issues(shop: Shop) -> list[Condition]:
    row = checks.get(shop, checks.SETTINGS)
    value = checks.result(row) or {}
    again = ("dashboard.check_settings", {}, _l("Check again"))
    found = []
    unreadable = value.get("unreadable")
    if isinstance(unreadable, dict):
        found.append(Condition("settings", Message.from_json(unreadable.get("problem"))
                               or msg("plain", text=""),
                               Message.from_json(unreadable.get("fix")),
                               row.checked_at if row else None, again))
    for issue in value.get("issues") or []:
        problem = Message.from_json(issue.get("problem"))
        if problem is not None:
            found.append(Condition(f"settings:{issue.get('kind')}:{issue.get('code')}",
                                   problem, Message.from_json(issue.get("fix")),
                                   row.checked_at if row else None, again))
    return found


def _failing_jobs(shop: Shop) -> list[Condition]:
    found = []
    for spec in JOBS.values():
        runs = list(JobRun.select(JobRun.started_at, JobRun.outcome, JobRun.error)
                    .where(JobRun.job == spec.name, JobRun.shop == shop,
                           JobRun.outcome != "running")
                    .order_by(JobRun.started_at.desc()).limit(RUNS_LOOKED_AT))
        streak = 0
        while streak < len(runs) and runs[streak].outcome == "failed":
            streak += 1
        if streak < FAILED_RUNS_SHOWN:
            continue
        first = runs[streak - 1]
        found.append(Condition(
            f"job:{spec.name}",
            msg("attention.job_failing", job=msg("plain", text=labels.job_title(spec.name)),
                runs=str(streak) + ("+" if streak == RUNS_LOOKED_AT else ""),
                since=local_time(first.started_at), error=runs[0].error or ""),
            msg("attention.job_fix"), first.started_at,
            ("dashboard.run_job_now", {"name": spec.name}, _l("Run now"))))
    return found


def _waiting_inbox(shop: Shop, now: datetime) -> list[Condition]:
    old = (InboxEntry.select(InboxEntry.received_at)
           .where(InboxEntry.shop == shop, InboxEntry.status.in_(("pending", "processing")),
                  InboxEntry.topic.in_(ready_topics(shop)),
                  InboxEntry.received_at < now - INBOX_WAIT_SHOWN_AFTER))
    count = old.count()
    if not count:
        return []
    oldest = old.order_by(InboxEntry.received_at).first()
    return [Condition("inbox", msg("attention.inbox_waiting", count=count,
                                   since=local_time(oldest.received_at)),
                      msg("attention.inbox_fix"), oldest.received_at)]
