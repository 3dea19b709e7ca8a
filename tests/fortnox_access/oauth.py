"""Driving the simulator's consent page like the owner's browser, with plain `requests`."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import requests

from sidecar.config import Config
from sidecar.fortnox_access.connect import begin_authorization
from sidecar.fortnox_access.connect import complete_authorization
from sidecar.models import Shop

HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def click_allow(authorize_url: str) -> str:
    """Open Fortnox's consent page, press Allow; returns where Fortnox redirects the browser."""
    page = requests.get(authorize_url, timeout=10)
    page.raise_for_status()
    form = {name: unescape(value) for name, value in HIDDEN_INPUT.findall(page.text)}
    parts = urlsplit(authorize_url)
    answer = requests.post(f"{parts.scheme}://{parts.netloc}{parts.path}",
                           data={**form, "decision": "allow"}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def connect_with_consent(shop: Shop, config: Config, sim_url: str) -> Shop:
    """The whole consent, without the web layer: authorize, allow, trade the code."""
    url, _state = begin_authorization(config)
    code = query_of(click_allow(url))["code"]
    return complete_authorization(shop, config, code)


def sim_get(sim_url: str, path: str, token: str) -> requests.Response:
    """One raw API call with a bearer token, outside the sidecar's client."""
    return requests.get(sim_url + path, headers={"Authorization": f"Bearer {token}",
                                                 "Accept": "application/json"}, timeout=10)


def token_requests(sim_url: str) -> list[dict]:  # type: ignore[type-arg]
    log = requests.get(f"{sim_url}/_sim/requests", params={"path": "/oauth-v1/token"}, timeout=10)
    return list(log.json())


def api_requests(sim_url: str) -> list[dict]:  # type: ignore[type-arg]
    log = requests.get(f"{sim_url}/_sim/requests", params={"path": "/3/"}, timeout=10)
    return list(log.json())
