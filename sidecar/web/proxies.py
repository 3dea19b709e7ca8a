"""The client's real address behind a reverse proxy, believed only from the proxies named in
SIDECAR_TRUSTED_PROXIES (anyone can send an X-Forwarded-For header)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix


class TrustedProxies:
    """WSGI middleware: werkzeug's ProxyFix (one proxy's X-Forwarded-For and -Proto) for a
    request whose peer is a trusted proxy; every other request is passed on as it came."""

    def __init__(self, wsgi_app: Any, networks: Iterable[str]) -> None:
        self.wsgi_app = wsgi_app
        self.networks = tuple(ipaddress.ip_network(n) for n in networks)
        self.fixed = ProxyFix(wsgi_app, x_for=1, x_proto=1)

    def is_trusted(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if self.networks and self.is_trusted(environ.get("REMOTE_ADDR", "")):
            return self.fixed(environ, start_response)  # type: ignore[no-any-return]
        return self.wsgi_app(environ, start_response)  # type: ignore[no-any-return]
