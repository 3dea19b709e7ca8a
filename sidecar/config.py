"""Deploy-time configuration, read from the environment once and strictly.

Only this module reads ``os.environ``. Every variable starts with ``SIDECAR_``; every secret can
also be given as ``NAME_FILE`` (a path whose content is the value), which suits Docker secrets.
Anything missing or malformed stops start-up with one line naming the variable. Settings the shop
owner edits (accounts, mappings, frequencies) are not here: they live in the database
(``sidecar.settings``).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs
from urllib.parse import unquote
from urllib.parse import urlsplit

PREFIX = "SIDECAR_"
MIN_SECRET_KEY_LENGTH = 32
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
DATABASE_SCHEMES = ("sqlite", "mysql", "mariadb", "postgres", "postgresql")

# name -> (is_secret, one-line description). The example env file and the README table are
# checked against this list by the tests, so they cannot drift apart.
VARIABLES: dict[str, tuple[bool, str]] = {
    "SIDECAR_SECRET_KEY": (True, "Required. At least 32 random characters; signs sessions and "
                           "encrypts stored credentials. Keep it: losing it loses the tokens."),
    "SIDECAR_DATABASE_URL": (True, "Database URL; default sqlite:///<data dir>/sidecar.db. "
                             "Also mysql://, mariadb://, postgresql://. DATABASE_URL is accepted "
                             "as well."),
    "SIDECAR_DATA_DIR": (False, "Directory for the SQLite file and other state; default ./data."),
    "SIDECAR_BIND": (False, "host:port gunicorn listens on; default 127.0.0.1:8000."),
    "SIDECAR_WORKERS": (False, "gunicorn worker processes; default 2. One of them runs the "
                        "background jobs."),
    "SIDECAR_THREADS": (False, "Request threads in each gunicorn worker; default 1 (gunicorn's "
                        "sync worker). More than 1 uses the gthread worker."),
    "SIDECAR_PUBLIC_URL": (False, "URL the owner's browser and WordPress use to reach the sidecar; "
                           "default http://<bind>."),
    "SIDECAR_DEBUG": (False, "true or false; default false. Never true in production."),
    "SIDECAR_LOG_LEVEL": (False, "DEBUG, INFO, WARNING or ERROR; default INFO."),
    "SIDECAR_SCHEDULER": (False, "true or false; run the background jobs in this process; "
                          "default true."),
    "SIDECAR_FORTNOX_CLIENT_ID": (False, "Client id of the Fortnox integration."),
    "SIDECAR_FORTNOX_CLIENT_SECRET": (True, "Client secret of the Fortnox integration."),
    "SIDECAR_FORTNOX_API_URL": (False, "Fortnox API base URL; default https://api.fortnox.se."),
    "SIDECAR_FORTNOX_AUTH_URL": (False, "Fortnox OAuth base URL; default "
                                 "https://apps.fortnox.se/oauth-v1."),
    "SIDECAR_FORTNOX_RATE_LIMIT": (False, "Requests per seconds the sidecar sends one Fortnox "
                                   "company, as N/S; default 25/5 (Fortnox's own limit)."),
    "SIDECAR_FORTNOX_TOPICS_URL": (False, "Fortnox's change feed (WebSocket Topics API); default "
                                   "wss://ws.fortnox.se/topics-v1. off: poll only."),
    "SIDECAR_SMTP_URL": (False, "SMTP server for the reconciliation report's e-mail, as "
                         "smtp+starttls://user@host:587?from=address (or smtps:// for TLS from "
                         "the start, smtp:// for a local relay without encryption); unset: no "
                         "e-mail."),
    "SIDECAR_SMTP_PASSWORD": (True, "Password of the SMTP user in SIDECAR_SMTP_URL."),
    "SIDECAR_TRUSTED_PROXIES": (False, "Addresses or networks of the reverse proxies whose "
                                "X-Forwarded-For and X-Forwarded-Proto to believe, comma "
                                "separated (e.g. 127.0.0.1,10.0.0.0/8); default none."),
    "SIDECAR_LOG_BODIES_FOR_ORDER": (False, "A WooCommerce order id whose webhook and API "
                                     "bodies DEBUG logs show in full, to trace one order; "
                                     "default none (bodies are left out)."),
    "SIDECAR_READ_TIMEOUT": (False, "Seconds a client may take to send a whole request (headers "
                             "and body) before it is cut off; default 10."),
}
SMTP_SCHEMES = {"smtp": ("none", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}


@dataclass(frozen=True)
class SmtpConfig:
    """Where the report's e-mail goes out: host, port, encryption, sign-in and sender."""

    host: str
    port: int
    security: str  # none, starttls or tls
    username: str
    password: str = dataclasses.field(repr=False, default="")
    sender: str = ""


class ConfigError(Exception):
    """A deploy-time setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Config:
    secret_key: str
    database_url: str
    data_dir: Path
    bind: str = "127.0.0.1:8000"
    workers: int = 2
    threads: int = 1
    public_url: str = "http://127.0.0.1:8000"
    debug: bool = False
    log_level: str = "INFO"
    scheduler_enabled: bool = True
    fortnox_client_id: str = ""
    fortnox_client_secret: str = ""
    fortnox_api_url: str = "https://api.fortnox.se"
    fortnox_auth_url: str = "https://apps.fortnox.se/oauth-v1"
    fortnox_rate_limit: tuple[int, float] = (25, 5.0)
    fortnox_topics_url: str = "wss://ws.fortnox.se/topics-v1"  # "": the change feed is off
    smtp: SmtpConfig | None = None
    trusted_proxies: tuple[str, ...] = ()
    log_bodies_for_order: int | None = None
    read_timeout: int = 10
    testing: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        env = _Env(os.environ if environ is None else environ)
        env.reject_unknown()
        data_dir = Path(env.get("SIDECAR_DATA_DIR") or "data").resolve()
        bind = _bind(env.get("SIDECAR_BIND") or "127.0.0.1:8000")
        return cls(
            secret_key=_secret_key(env.secret("SIDECAR_SECRET_KEY")),
            database_url=_database_url(env, data_dir),
            data_dir=data_dir,
            bind=bind,
            workers=_positive_int("SIDECAR_WORKERS", env.get("SIDECAR_WORKERS") or "2"),
            threads=_positive_int("SIDECAR_THREADS", env.get("SIDECAR_THREADS") or "1"),
            public_url=_http_url("SIDECAR_PUBLIC_URL",
                                 env.get("SIDECAR_PUBLIC_URL") or f"http://{bind}"),
            debug=_bool("SIDECAR_DEBUG", env.get("SIDECAR_DEBUG"), default=False),
            log_level=_log_level(env.get("SIDECAR_LOG_LEVEL") or "INFO"),
            scheduler_enabled=_bool("SIDECAR_SCHEDULER", env.get("SIDECAR_SCHEDULER"),
                                    default=True),
            fortnox_client_id=env.get("SIDECAR_FORTNOX_CLIENT_ID") or "",
            fortnox_client_secret=env.secret("SIDECAR_FORTNOX_CLIENT_SECRET") or "",
            fortnox_api_url=_http_url("SIDECAR_FORTNOX_API_URL",
                                      env.get("SIDECAR_FORTNOX_API_URL")
                                      or "https://api.fortnox.se"),
            fortnox_auth_url=_http_url("SIDECAR_FORTNOX_AUTH_URL",
                                       env.get("SIDECAR_FORTNOX_AUTH_URL")
                                       or "https://apps.fortnox.se/oauth-v1"),
            fortnox_rate_limit=_rate_limit(env.get("SIDECAR_FORTNOX_RATE_LIMIT") or "25/5"),
            fortnox_topics_url=_topics_url(env.get("SIDECAR_FORTNOX_TOPICS_URL")
                                           or "wss://ws.fortnox.se/topics-v1"),
            smtp=_smtp(env.get("SIDECAR_SMTP_URL"), env.secret("SIDECAR_SMTP_PASSWORD")),
            trusted_proxies=_networks(env.get("SIDECAR_TRUSTED_PROXIES") or ""),
            log_bodies_for_order=(
                _positive_int("SIDECAR_LOG_BODIES_FOR_ORDER",
                              env.get("SIDECAR_LOG_BODIES_FOR_ORDER") or "")
                if env.get("SIDECAR_LOG_BODIES_FOR_ORDER") else None),
            read_timeout=_positive_int("SIDECAR_READ_TIMEOUT",
                                       env.get("SIDECAR_READ_TIMEOUT") or "10"),
        )

    @classmethod
    def for_tests(
        cls, data_dir: Path, database_url: str | None = None, **overrides: object
    ) -> Config:
        """A config for tests: no scheduler, a fixed key, SQLite in ``data_dir`` by default."""
        config = cls(
            secret_key="test-secret-key-" + "Xq3v9LmT2pR8wZ4kB7nY1cH6dF0sJ5gA",
            database_url=database_url or f"sqlite:///{data_dir / 'sidecar.db'}",
            data_dir=data_dir,
            scheduler_enabled=False,
            fortnox_topics_url="",  # tests give a simulator's Topics API where they need one
            testing=True,
        )
        return dataclasses.replace(config, **overrides)  # type: ignore[arg-type]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


class _Env:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def get(self, name: str) -> str | None:
        value = self.environ.get(name)
        return value.strip() if value is not None and value.strip() else None

    def secret(self, name: str) -> str | None:
        """The value of NAME, or the content of the file NAME_FILE points at (not both)."""
        direct, path = self.get(name), self.get(name + "_FILE")
        if direct and path:
            raise ConfigError(f"{name}: set either {name} or {name}_FILE, not both")
        if path is None:
            return direct
        try:
            return Path(path).read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise ConfigError(f"{name}_FILE: cannot read {path}: {exc.strerror}") from None

    def reject_unknown(self) -> None:
        known = set(VARIABLES) | {n + "_FILE" for n, (secret, _) in VARIABLES.items() if secret}
        for name in sorted(self.environ):
            if name.startswith(PREFIX) and name not in known:
                raise ConfigError(f"{name}: unknown variable (a typo?); see "
                                  "config/sidecar.env.example for the list")


def _secret_key(value: str | None) -> str:
    if not value:
        raise ConfigError("SIDECAR_SECRET_KEY: missing; set it to at least "
                          f"{MIN_SECRET_KEY_LENGTH} random characters (or SIDECAR_SECRET_KEY_FILE)")
    if len(value) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(f"SIDECAR_SECRET_KEY: too short ({len(value)} characters); "
                          f"use at least {MIN_SECRET_KEY_LENGTH}")
    from sidecar.security.keys import weak_key_reason

    reason = weak_key_reason(value)
    if reason:
        raise ConfigError(reason)
    return value


def _database_url(env: _Env, data_dir: Path) -> str:
    ours, generic = env.secret("SIDECAR_DATABASE_URL"), env.get("DATABASE_URL")
    if ours and generic and ours != generic:
        raise ConfigError("SIDECAR_DATABASE_URL: differs from DATABASE_URL; set only one")
    name = "SIDECAR_DATABASE_URL" if ours else "DATABASE_URL"
    url = ours or generic or f"sqlite:///{data_dir / 'sidecar.db'}"
    parts = urlsplit(url)
    if parts.scheme not in DATABASE_SCHEMES:
        raise ConfigError(f"{name}: malformed or unsupported URL (scheme {parts.scheme!r}); "
                          "expected sqlite:///path, mysql://, mariadb:// or postgresql://")
    if parts.scheme == "sqlite":
        if not parts.path or parts.path == "/":
            raise ConfigError(f"{name}: sqlite URL has no file path (sqlite:///path/to/file.db)")
    elif not parts.hostname or not parts.path.strip("/"):
        raise ConfigError(f"{name}: a server URL needs a host and a database name "
                          "(e.g. postgresql://user:pass@host:5432/dbname)")
    return url


def _bool(name: str, value: str | None, *, default: bool) -> bool:
    if value is None:
        return default
    if value.lower() == "true":
        return True
    if value.lower() == "false":
        return False
    raise ConfigError(f"{name}: expected true or false, got {value!r}")


def _positive_int(name: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, got {value!r}") from None
    if number < 1:
        raise ConfigError(f"{name}: must be at least 1, got {number}")
    return number


def _bind(value: str) -> str:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"SIDECAR_BIND: expected host:port (e.g. 127.0.0.1:8000), got {value!r}")
    return value


def _http_url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{name}: expected an http:// or https:// URL, got {value!r}")
    return value.rstrip("/")


def _topics_url(value: str) -> str:
    if value.lower() == "off":
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise ConfigError(f"SIDECAR_FORTNOX_TOPICS_URL: expected a ws:// or wss:// URL or off, "
                          f"got {value!r}")
    return value


def _rate_limit(value: str) -> tuple[int, float]:
    count, _, seconds = value.partition("/")
    try:
        limit = (int(count), float(seconds))
    except ValueError:
        limit = (0, 0.0)
    if limit[0] < 1 or limit[1] <= 0:
        raise ConfigError(f"SIDECAR_FORTNOX_RATE_LIMIT: expected requests/seconds such as 25/5, "
                          f"got {value!r}")
    return limit


def _smtp(url: str | None, password: str | None) -> SmtpConfig | None:
    name = "SIDECAR_SMTP_URL"
    if url is None:
        if password:
            raise ConfigError("SIDECAR_SMTP_PASSWORD: set, but SIDECAR_SMTP_URL is not")
        return None
    parts = urlsplit(url)
    if parts.scheme not in SMTP_SCHEMES:
        raise ConfigError(f"{name}: expected smtp+starttls://, smtps:// or smtp://, got "
                          f"{parts.scheme + '://' if parts.scheme else repr(url)}")
    if parts.password is not None:
        raise ConfigError(f"{name}: put the password in SIDECAR_SMTP_PASSWORD (a secret), "
                          "not in the URL")
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(f"{name}: the port is not a number from 1 to 65535") from None
    if not parts.hostname or parts.path not in ("", "/"):
        raise ConfigError(f"{name}: expected scheme://user@host:port?from=address, "
                          f"got {url!r}")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - {"from"})
    if unknown:
        raise ConfigError(f"{name}: unknown parameter {unknown[0]!r}; only from= is read")
    username = unquote(parts.username or "")
    sender = (query.get("from") or [""])[0] or (username if "@" in username else "")
    if not _address(sender):
        raise ConfigError(f"{name}: needs the sender as ?from=name@example.se (the user name "
                          "is not an e-mail address)")
    if username and not password:
        raise ConfigError(f"SIDECAR_SMTP_PASSWORD: missing; {name} names the user "
                          f"{username!r} (or SIDECAR_SMTP_PASSWORD_FILE)")
    security, default_port = SMTP_SCHEMES[parts.scheme]
    return SmtpConfig(host=parts.hostname, port=port or default_port, security=security,
                      username=username, password=password or "", sender=sender)


def _address(value: str) -> bool:
    local, at, domain = value.rpartition("@")
    return bool(at and local and "." in domain and not any(c in value for c in " ,;<>"))


def _networks(value: str) -> tuple[str, ...]:
    networks = []
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        try:
            networks.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise ConfigError(f"SIDECAR_TRUSTED_PROXIES: {part!r} is not an address or a "
                              "network like 10.0.0.0/8") from None
    return tuple(networks)


def _log_level(value: str) -> str:
    if value.upper() not in LOG_LEVELS:
        raise ConfigError(f"SIDECAR_LOG_LEVEL: expected one of {', '.join(LOG_LEVELS)}, "
                          f"got {value!r}")
    return value.upper()
