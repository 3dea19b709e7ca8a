"""The settings, in sections an owner sets up in this order, each its own page with its own
saves (as WooCommerce's own settings tabs): connections, export, accounts, shipping and
delivery, what comes from Fortnox, schedules. `/settings` is the first section."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


@dataclass(frozen=True)
class Section:
    slug: str  # /settings/<slug>
    title: LazyString
    # What the section shows: the connection parts by name, sync parts as "sync:<part>".
    parts: tuple[str, ...]


CONNECTIONS = "connections"
SECTIONS: tuple[Section, ...] = (
    Section(CONNECTIONS, _l("Connections"), ("fortnox", "woocommerce", "webhook_secret")),
    Section("export", _l("Export"), ("sync:export", "dry_run")),
    Section("accounts", _l("Accounts"), ("sync:accounts",)),
    Section("shipping", _l("Shipping and delivery"), ("sync:shipping",)),
    Section("from-fortnox", _l("From Fortnox"), ("sync:fortnox_to_woo",)),
    Section("schedules", _l("Schedules"), ("general",)),
)
BY_SLUG = {section.slug: section for section in SECTIONS}
# The section of each form of the export and Fortnox → WooCommerce settings (sync_fields.PARTS).
OF_SYNC_PART = {part.partition(":")[2]: section.slug for section in SECTIONS
                for part in section.parts if part.startswith("sync:")}
SCHEDULES = "schedules"


def sync_parts(section: Section) -> tuple[str, ...]:
    return tuple(p.partition(":")[2] for p in section.parts if p.startswith("sync:"))


def section_named(slug: str | None) -> Section | None:
    return BY_SLUG.get(slug or "")
