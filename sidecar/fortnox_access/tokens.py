"""Token providers for `FortnoxClient`, backed by the shop's `FortnoxToken` row.

Every call reads the row (another process may have refreshed it) and the shop's state (another
process may have lost the connection). A token that expires within `REFRESH_AHEAD` is renewed
under the row lock (see locking.py): after taking the lock the row is read again, and if its
`generation` moved on, or it is no longer near expiry, the token found there is used as it is.
Otherwise the token endpoint is called and the answer is stored and committed before the new
access token is handed out: refresh tokens work once, so a token that is not stored is lost.

Two flows, one row: the authorization-code flow refreshes with the stored refresh token; the
client-credentials flow (a service account, `shop.fortnox_tenant_id`) just asks for a new token.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta

import requests

from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.fortnox import FortnoxAuthError
from sidecar.fortnox import FortnoxError
from sidecar.fortnox import FortnoxReconnectRequired
from sidecar.fortnox import FortnoxValidationError
from sidecar.fortnox import TokenSet
from sidecar.fortnox import auth
from sidecar.fortnox_access import state
from sidecar.fortnox_access.locking import ensure_token_row
from sidecar.fortnox_access.locking import locked_token_row
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import FortnoxToken
from sidecar.models import Shop

log = logging.getLogger("sidecar.fortnox_access")

REFRESH_AHEAD = timedelta(minutes=5)
RECONNECT_DETAIL = msg("connection.sign_in_refused")


class FortnoxNotConnected(FortnoxAuthError):
    """The shop has no Fortnox connection (never connected, or disconnected)."""


@dataclass(frozen=True)
class StoredToken:
    access_token: str = field(repr=False)
    expires_at: datetime
    generation: int


class StoredTokenProvider:
    """What both flows share; subclasses say how a new token is granted."""

    mode = ""

    def __init__(
        self,
        shop_id: int,
        config: Config,
        *,
        session: requests.Session | None = None,
        clock: Callable[[], datetime] = utcnow,
        refresh_ahead: timedelta = REFRESH_AHEAD,
    ) -> None:
        self.shop_id = shop_id
        self._config = config
        self._session = session or requests.Session()
        self._clock = clock
        self._refresh_ahead = refresh_ahead

    @property
    def token_url(self) -> str:
        return self._config.fortnox_auth_url + "/token"

    def access_token(self) -> str:
        current = self.current()
        if current is None or self._is_due(current):
            seen = current.generation if current is not None else self._placeholder_generation()
            current = self.refresh(seen, only_if_due=True)
        return current.access_token

    def invalidate(self, token: str) -> None:
        """After a 401: renew only if the stored token is still the one that was refused."""
        current = self.current()
        if current is not None and hmac.compare_digest(current.access_token, token):
            self.refresh(current.generation)

    def current(self) -> StoredToken | None:
        """The stored token (None if there is none yet); raises if the shop may not use Fortnox."""
        shop = Shop.get_by_id(self.shop_id)
        _refuse_unless_connected(shop)
        return _stored(FortnoxToken.get_or_none(FortnoxToken.shop == self.shop_id))

    def refresh(self, seen_generation: int, *, only_if_due: bool = False) -> StoredToken:
        """Renew the token under the lock, unless another process already renewed what the
        caller saw (`seen_generation`) or, with `only_if_due`, it is no longer near expiry."""
        failure: FortnoxError | None = None
        result: StoredToken | None = None
        with locked_token_row(self.shop_id) as row:
            shop = Shop.get_by_id(self.shop_id)  # read after the lock: state may have changed
            current = _stored(row)
            if shop.fortnox_state != state.CONNECTED or row is None:
                failure = _refusal(shop)
            elif current is not None and (row.generation != seen_generation
                                          or (only_if_due and not self._is_due(current))):
                result = current
                log.debug("fortnox.token_reused shop=%s generation=%d", self.shop_id,
                          current.generation)
            else:
                try:
                    granted = self._grant(row, shop)
                except FortnoxReconnectRequired as exc:
                    state.mark_needs_reconnect(self.shop_id, self._reconnect_detail(shop, exc),
                                               fortnox_message=exc.message)
                    failure = exc
                else:
                    generation = state.save_grant(row, granted, now=self._clock())
                    result = StoredToken(granted.access_token, granted.expires_at, generation)
                    log.info("fortnox.token_renewed shop=%s mode=%s generation=%d",
                             self.shop_id, self.mode, generation)
        # Committed: the new token is stored (or the shop is marked) before anyone uses it.
        if failure is not None:
            raise failure
        assert result is not None
        return result

    def _is_due(self, current: StoredToken) -> bool:
        return self._clock() + self._refresh_ahead >= current.expires_at

    def _placeholder_generation(self) -> int:
        raise FortnoxNotConnected("Fortnox is not connected for this shop; connect it on the "
                                  "settings page")

    def _grant(self, row: FortnoxToken, shop: Shop) -> TokenSet:
        raise NotImplementedError

    def _reconnect_detail(self, shop: Shop, error: FortnoxError) -> Message:
        return RECONNECT_DETAIL


class AuthorizationCodeTokens(StoredTokenProvider):
    """The owner's consent: a refresh token, single-use, rotated on every refresh."""

    mode = state.AUTHORIZATION_CODE

    def _grant(self, row: FortnoxToken, shop: Shop) -> TokenSet:
        if not row.refresh_token:
            raise FortnoxReconnectRequired("No Fortnox refresh token is stored for this shop")
        return auth.refresh(self._session, self.token_url, self._config.fortnox_client_id,
                            self._config.fortnox_client_secret, row.refresh_token,
                            clock=self._clock)


class ClientCredentialsTokens(StoredTokenProvider):
    """A service account: a token per request to the token endpoint, no refresh token."""

    mode = state.CLIENT_CREDENTIALS

    def _placeholder_generation(self) -> int:
        ensure_token_row(self.shop_id)  # a row to lock; its empty token is never handed out
        row = FortnoxToken.get(FortnoxToken.shop == self.shop_id)
        return int(row.generation)

    def _grant(self, row: FortnoxToken, shop: Shop) -> TokenSet:
        try:
            return auth.client_credentials(
                self._session, self.token_url, self._config.fortnox_client_id,
                self._config.fortnox_client_secret, shop.fortnox_tenant_id, clock=self._clock)
        except FortnoxValidationError as exc:
            # 400 here means the tenant withdrew (or never gave) the service-account consent.
            raise FortnoxReconnectRequired(exc.message, status=exc.status, code=exc.code) from exc

    def _reconnect_detail(self, shop: Shop, error: FortnoxError) -> Message:
        return msg("connection.service_account_refused", tenant=shop.fortnox_tenant_id,
                   error=error.message)


def provider_for(shop: Shop, config: Config, *, session: requests.Session | None = None,
                 refresh_ahead: timedelta = REFRESH_AHEAD) -> StoredTokenProvider:
    """The service account where the shop uses one (preferred: no refresh-token race at all)."""
    if shop.fortnox_auth_mode == state.CLIENT_CREDENTIALS:
        return ClientCredentialsTokens(shop.id, config, session=session,
                                       refresh_ahead=refresh_ahead)
    return AuthorizationCodeTokens(shop.id, config, session=session, refresh_ahead=refresh_ahead)


def _stored(row: FortnoxToken | None) -> StoredToken | None:
    if row is None or not row.access_token:
        return None
    return StoredToken(row.access_token, row.expires_at, int(row.generation))


def _refusal(shop: Shop) -> FortnoxError:
    if shop.fortnox_state == state.NEEDS_RECONNECT:
        return FortnoxReconnectRequired(shop.fortnox_state_detail or RECONNECT_DETAIL.english())
    return FortnoxNotConnected("Fortnox is not connected for this shop; connect it on the "
                               "settings page")


def _refuse_unless_connected(shop: Shop) -> None:
    if shop.fortnox_state != state.CONNECTED:
        raise _refusal(shop)
