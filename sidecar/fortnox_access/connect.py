"""Connecting a shop to Fortnox: the owner's consent (authorization code) or a service account.

Both end the same way: tokens stored encrypted, the shop marked connected (older connection
problems resolved), and the company's name read from Fortnox to show the owner it worked.
"""

from __future__ import annotations

import logging
import secrets

import requests

from sidecar import activity
from sidecar.config import Config
from sidecar.fortnox import FortnoxAuthError
from sidecar.fortnox import FortnoxError
from sidecar.fortnox import FortnoxTransient
from sidecar.fortnox import TokenSet
from sidecar.fortnox import auth
from sidecar.fortnox_access import state
from sidecar.fortnox_access.factory import fortnox_client_for
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import Shop

log = logging.getLogger("sidecar.fortnox_access")

# Everything the sync reads or writes (fortnox-api.md §1.5). Fortnox asks for a new consent when
# an app's scopes change, so the list asks for all of them at once.
SCOPES = (
    "companyinformation", "customer", "order", "invoice", "payment", "article", "price",
    "settings", "bookkeeping", "currency", "warehouse",
)
CALLBACK_PATH = "/fortnox/callback"


class ConnectFailed(Exception):
    """Connecting did not work; `message` says why in words the owner can act on (English in
    `str()`, for logs and the command line)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.english())
        self.message = message


def redirect_uri(config: Config) -> str:
    return config.public_url + CALLBACK_PATH


def begin_authorization(config: Config) -> tuple[str, str]:
    """Where to send the owner to consent, and the `state` to keep in their session."""
    _require_client(config)
    csrf_state = secrets.token_urlsafe(32)
    url = auth.authorize_url(config.fortnox_auth_url + "/auth", config.fortnox_client_id,
                             redirect_uri(config), SCOPES, csrf_state)
    return url, csrf_state


def complete_authorization(
    shop: Shop, config: Config, code: str, *, session: requests.Session | None = None
) -> Shop:
    """Trade the code Fortnox sent back for tokens and connect the shop with them."""
    _require_client(config)
    session = session or requests.Session()
    try:
        granted = auth.exchange_code(session, config.fortnox_auth_url + "/token",
                                     config.fortnox_client_id, config.fortnox_client_secret,
                                     code, redirect_uri(config))
    except FortnoxError as exc:
        raise ConnectFailed(msg("connect.sign_in_not_accepted", reason=_reason(exc))) from exc
    tenant = auth.tenant_id_from_access_token(granted.access_token)
    return _connect(shop, config, granted, mode=state.AUTHORIZATION_CODE,
                    tenant_id="" if tenant is None else str(tenant), session=session)


def configure_service_account(
    shop: Shop, config: Config, tenant_id: str, *, session: requests.Session | None = None
) -> Shop:
    """Use Fortnox's client-credentials flow for the shop: proves it works by fetching a token
    for `tenant_id`, then stores it. Nothing changes if Fortnox refuses."""
    _require_client(config)
    tenant_id = tenant_id.strip()
    if not tenant_id.isdigit():
        raise ConnectFailed(msg("connect.tenant_not_a_number"))
    session = session or requests.Session()
    try:
        granted = auth.client_credentials(session, config.fortnox_auth_url + "/token",
                                          config.fortnox_client_id,
                                          config.fortnox_client_secret, tenant_id)
    except FortnoxError as exc:
        raise ConnectFailed(msg("connect.no_service_account_token", tenant=tenant_id,
                                reason=_reason(exc))) from exc
    return _connect(shop, config, granted, mode=state.CLIENT_CREDENTIALS, tenant_id=tenant_id,
                    session=session)


def _connect(shop: Shop, config: Config, granted: TokenSet, *, mode: str, tenant_id: str,
             session: requests.Session) -> Shop:
    generation = state.store_new_connection(shop.id, granted)
    state.mark_connected(shop.id, auth_mode=mode, tenant_id=tenant_id)
    shop = Shop.get_by_id(shop.id)
    log.info("fortnox.connected shop=%s mode=%s generation=%d", shop.id, mode, generation)
    try:
        company = fortnox_client_for(shop, config, session=session).get_company_information()
    except FortnoxError as exc:
        # The tokens work or not; either way the owner should see the connection, and why
        # the name is missing.
        activity.record(shop, level="warning", workflow="connection",
                        subject=msg("subject.fortnox_connection"),
                        message=msg("connection.company_unreadable", error=_reason(exc)),
                        hint=msg("hint.company_information"))
        return shop
    state.record_company_name(shop.id, str(company.get("CompanyName") or ""))
    activity.record(shop, level="info", workflow="connection",
                    subject=msg("subject.fortnox_connection"),
                    message=msg("connection.connected",
                                company=str(company.get("CompanyName") or "Fortnox")))
    return Shop.get_by_id(shop.id)


def _require_client(config: Config) -> None:
    if not config.fortnox_client_id or not config.fortnox_client_secret:
        raise ConnectFailed(msg("connect.not_configured"))


def _reason(error: FortnoxError) -> Message:
    if isinstance(error, FortnoxTransient):
        return msg("connect.unreachable", error=error.message)
    if isinstance(error, FortnoxAuthError) and error.code in ("invalid_client",
                                                              "unauthorized_client"):
        return msg("connect.client_unknown")
    return msg("connect.fortnox_said", error=error.message)
