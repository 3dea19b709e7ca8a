"""Configuration of the Fortnox simulator: fixed settings, and knobs turned at runtime."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

# The spec ships with the tests; found from this file so no machine path is ever written down.
REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_SPEC_PATH = REPO_ROOT / "tests" / "contract" / "fortnox_openapi.json"

ALL_SCOPES = (
    "article bookkeeping companyinformation currency customer invoice order payment price "
    "settings warehouse profile print"
)
CREDIT_REFERENCE_MODES = ("ignore", "link", "reject")


def utc_now() -> datetime:
    return datetime.now(UTC)


CHOICES = {"topics_refuse_tokens": ("none", "all", "service_account"),
           "topics_token_expiry": ("keep", "close", "silent"),
           "credit_reference_on_post": CREDIT_REFERENCE_MODES}


@dataclass
class Knobs:
    """Behaviour that tests and benchmarks change while the simulator runs (`POST /_sim/knobs`)."""

    latency_ms: int = 0
    # HTTP status -> probability per request, e.g. {500: 0.05, 503: 0.05, 429: 0.05}.
    error_rates: dict[int, float] = field(default_factory=dict)
    # Path -> HTTP status every request to that path gets, e.g. a company without Fortnox
    # Lager: {"/api/warehouse/tenants-v4": 404}, or an endpoint failing: {...: 503}.
    path_errors: dict[str, int] = field(default_factory=dict)
    # Probability that a create (POST, createinvoice, credit) is committed but its answer is lost.
    create_timeout_probability: float = 0.0
    # "drop": close the connection; "delay": answer after create_timeout_delay_seconds.
    create_timeout_mode: str = "drop"
    create_timeout_delay_seconds: float = 30.0
    token_lifetime_seconds: int = 3600
    rate_limit_enabled: bool = True
    rate_limit_requests: int = 25
    rate_limit_window_seconds: float = 5.0
    # The Topics API (WebSocket, `topics_server`): refuse every connection; which access tokens
    # add-tenants-v1 refuses ("none", "all", "service_account"); send an event twice with this
    # probability; hold every event back this many seconds; close every connection this often
    # (0: never); and what a subscription does when a tenant's access token expires: "keep"
    # sending, "close" the connection, or go "silent" for that tenant until it is added again.
    topics_refuse_connections: bool = False
    topics_refuse_tokens: str = "none"
    topics_repeat_probability: float = 0.0
    topics_delay_seconds: float = 0.0
    topics_drop_every_seconds: float = 0.0
    topics_token_expiry: str = "keep"  # noqa: S105 - a behaviour, not a secret
    # What a POSTed invoice's CreditInvoiceReference does (unknown in real Fortnox, see
    # docs/fortnox-credits.md): "ignore" (stored nowhere), "link" (the new invoice becomes a
    # credit invoice of that invoice), "reject" (a 400).
    credit_reference_on_post: str = "ignore"

    def update(self, changes: dict[str, Any]) -> None:
        """Apply a partial update from JSON; unknown names raise KeyError, bad types ValueError."""
        names = {f.name for f in dataclasses.fields(self)}
        for name, value in changes.items():
            if name not in names:
                raise KeyError(name)
            if name == "error_rates":
                value = {int(status): float(rate) for status, rate in dict(value).items()}
            elif name == "path_errors":
                value = {str(path): int(status) for path, status in dict(value).items()}
            elif name == "create_timeout_mode":
                if value not in ("drop", "delay"):
                    raise ValueError("create_timeout_mode must be 'drop' or 'delay'")
            elif name in CHOICES:
                if value not in CHOICES[name]:
                    raise ValueError(f"{name} must be one of {', '.join(CHOICES[name])}")
            elif name in ("rate_limit_enabled", "topics_refuse_connections"):
                value = bool(value)
            elif name in ("latency_ms", "token_lifetime_seconds", "rate_limit_requests"):
                value = int(value)
            else:
                value = float(value)
            setattr(self, name, value)

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["error_rates"] = {str(k): v for k, v in self.error_rates.items()}
        return data


@dataclass(frozen=True)
class FortnoxSimConfig:
    """Everything the simulator starts with; `knobs` is where the runtime knobs start."""

    client_id: str = "sim-client-id"
    client_secret: str = "sim-client-secret"  # noqa: S105 - a simulator's demo secret
    # Redirect URIs registered for the client; empty accepts any (convenient for demos).
    redirect_uris: tuple[str, ...] = ()
    tenant_id: int = 1234567
    # Tenants whose administrator consented to a service account (client-credentials flow).
    service_account_tenants: tuple[int, ...] = (1234567,)
    authorization_code_lifetime_seconds: int = 600
    refresh_token_lifetime_seconds: int = 45 * 24 * 3600
    enforce_scopes: bool = True
    client_credentials_scope: str = ALL_SCOPES
    company_name: str = "Simulerat Företag AB"
    organisation_number: str = "556000-0001"
    # Öresavrundning: SEK document totals rounded to whole kronor, the difference in RoundOff.
    round_totals_to_whole_kronor: bool = True
    freight_vat_rate: Decimal = Decimal("25")
    administration_fee_vat_rate: Decimal = Decimal("25")
    # Fortnox Lager on: warehouse endpoints report activated, orders carry DeliveryState.
    warehouse_activated: bool = True
    default_stock_point: str = "MAIN"
    default_order_delivery_state: str = "delivery"
    allow_negative_stock: bool = True
    spec_path: Path | None = DEFAULT_SPEC_PATH
    reject_unknown_fields: bool = True
    request_log_size: int = 5000
    knobs: Knobs = field(default_factory=Knobs)
    request_observer: Callable[[str, str, dict[str, Any] | None], None] | None = None
    clock: Callable[[], datetime] = utc_now
    seed_demo_data: bool = True
