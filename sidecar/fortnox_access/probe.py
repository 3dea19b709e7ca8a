"""Is a shop's Fortnox connection working? One real request, answered in plain words."""

from __future__ import annotations

from dataclasses import dataclass

import requests

from sidecar.config import Config
from sidecar.fortnox import FortnoxError
from sidecar.fortnox import FortnoxPermissionDenied
from sidecar.fortnox import FortnoxReconnectRequired
from sidecar.fortnox import FortnoxTransient
from sidecar.fortnox_access import state
from sidecar.fortnox_access.factory import fortnox_client_for
from sidecar.fortnox_access.tokens import FortnoxNotConnected
from sidecar.models import Shop


@dataclass(frozen=True)
class ConnectionReport:
    ok: bool
    text: str


def probe_connection(
    shop: Shop, config: Config, *, session: requests.Session | None = None
) -> ConnectionReport:
    """Read the company information through the shop's client (tokens, lock, rate limit)."""
    if shop.fortnox_state == state.NOT_CONNECTED:
        return ConnectionReport(True, "not connected")
    if shop.fortnox_state == state.NEEDS_RECONNECT:
        return ConnectionReport(False, f"needs reconnecting: {shop.fortnox_state_detail}")
    try:
        company = fortnox_client_for(shop, config, session=session).get_company_information()
    except FortnoxNotConnected as exc:
        return ConnectionReport(False, exc.message)
    except FortnoxReconnectRequired as exc:
        detail = Shop.get_by_id(shop.id).fortnox_state_detail or exc.message
        return ConnectionReport(False, f"needs reconnecting: {detail}")
    except FortnoxPermissionDenied as exc:
        return ConnectionReport(False, "connected, but Fortnox refuses to show company "
                                       f"information: {exc.message}")
    except FortnoxTransient as exc:
        return ConnectionReport(False, f"Fortnox could not be reached or failed: {exc}")
    except FortnoxError as exc:
        return ConnectionReport(False, f"Fortnox refused the request: {exc}")
    name = company.get("CompanyName") or "(no name)"
    mode = "service account" if shop.fortnox_auth_mode == state.CLIENT_CREDENTIALS else "owner"
    return ConnectionReport(True, f"ok ({name}, {mode} sign-in)")
