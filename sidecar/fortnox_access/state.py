"""A shop's Fortnox connection state and stored tokens: what connecting, refreshing and
losing access write to the database."""

from __future__ import annotations

import logging
from datetime import datetime

from sidecar import activity
from sidecar import checks
from sidecar.fields import utcnow
from sidecar.fortnox import TokenSet
from sidecar.fortnox_access.locking import ensure_token_row
from sidecar.fortnox_access.locking import locked_token_row
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import ActivityEntry
from sidecar.models import FortnoxToken
from sidecar.models import Shop

log = logging.getLogger("sidecar.fortnox_access")

NOT_CONNECTED = "not_connected"
CONNECTED = "connected"
NEEDS_RECONNECT = "needs_reconnect"
AUTHORIZATION_CODE = "authorization_code"
CLIENT_CREDENTIALS = "client_credentials"



def save_grant(row: FortnoxToken, granted: TokenSet, *, now: datetime) -> int:
    """Store what the token endpoint granted in the (locked) row; returns the new generation.

    The caller commits before anyone uses the new access token."""
    generation = int(row.generation) + 1
    refresh_token = granted.refresh_token
    if refresh_token is None and row.refresh_token:
        # Fortnox always rotates; if an answer ever lacks one, the old one is all we have.
        refresh_token = row.refresh_token
    (FortnoxToken.update(access_token=granted.access_token, refresh_token=refresh_token,
                         expires_at=granted.expires_at, scope=granted.scope,
                         generation=generation, updated_at=now)
     .where(FortnoxToken.id == row.id)
     .execute())
    return generation


def store_new_connection(shop_id: int, granted: TokenSet) -> int:
    """Replace the shop's tokens with a fresh grant (a new consent or service-account token)."""
    ensure_token_row(shop_id)
    with locked_token_row(shop_id) as row:
        assert row is not None  # ensured just above; rows are deleted only with their shop
        generation = save_grant(row, granted, now=utcnow())
    log.info("fortnox.connection_stored shop=%s generation=%d", shop_id, generation)
    return generation


def mark_connected(shop_id: int, *, auth_mode: str, tenant_id: str) -> None:
    """The shop may use Fortnox again; earlier connection problems are resolved."""
    now = utcnow()
    (Shop.update(fortnox_state=CONNECTED, fortnox_state_detail="", fortnox_auth_mode=auth_mode,
                 fortnox_tenant_id=tenant_id, updated_at=now)
     .where(Shop.id == shop_id)
     .execute())
    (ActivityEntry.update(resolved_at=now)
     .where(ActivityEntry.shop == shop_id, ActivityEntry.workflow == "connection",
            ActivityEntry.level == "error", ActivityEntry.resolved_at.is_null())
     .execute())
    # Possibly another company: what was known of it is checked again before the first order
    # (the settings, Lager) and the products page reads both catalogs (the check_fortnox job).
    checks.ask(shop_id, checks.SETTINGS, now)
    checks.ask(shop_id, checks.LAGER, now, forget=True)
    checks.ask(shop_id, checks.CATALOG, now)


def record_company_name(shop_id: int, company_name: str) -> None:
    Shop.update(fortnox_company_name=company_name[:200], updated_at=utcnow()).where(
        Shop.id == shop_id).execute()


def mark_needs_reconnect(shop_id: int, detail: Message, *, fortnox_message: str) -> None:
    """Stop using Fortnox for the shop until the owner reconnects, and say so on the dashboard.

    Called while holding the token lock, so one failure gives one activity entry."""
    now = utcnow()
    (Shop.update(fortnox_state=NEEDS_RECONNECT, fortnox_state_detail=detail.english(),
                 updated_at=now)
     .where(Shop.id == shop_id)
     .execute())
    activity.record(shop_id, now=now, level="error", workflow="connection",
                    subject=msg("subject.fortnox_connection"), message=detail,
                    hint=msg("hint.reconnect"), details={"fortnox_message": fortnox_message})
    log.warning("fortnox.needs_reconnect shop=%s", shop_id)
