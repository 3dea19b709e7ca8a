"""Fortnox's OAuth endpoints (apps.fortnox.se/oauth-v1/...): consent page, token, revoke."""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta
from html import escape
from urllib.parse import urlencode

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import redirect
from flask import request

from sidecar.sim.fortnox.oauth import Grant
from sidecar.sim.fortnox.oauth import OAuthError
from sidecar.sim.fortnox.state import FortnoxState

bp = Blueprint("fortnox_oauth", __name__)

CONSENT_PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Fortnox (simulator) – godkänn</title></head>
<body>
<h1>Fortnox simulator</h1>
<p>The integration <b>{client_id}</b> asks for access to <b>{company}</b>
with the scopes: <code>{scope}</code>.</p>
<form method="post" action="/oauth-v1/auth">
{hidden}
<button type="submit" name="decision" value="allow">Allow</button>
</form>
</body></html>
"""
CONSENT_FIELDS = ("client_id", "redirect_uri", "scope", "state", "access_type", "account_type")


def sim() -> FortnoxState:
    return current_app.extensions["fortnox_sim"]  # type: ignore[no-any-return]


def _check_redirect_uri(state: FortnoxState, redirect_uri: str) -> None:
    allowed = state.config.redirect_uris
    if allowed and redirect_uri not in allowed:
        raise OAuthError(400, "invalid_request", "redirect_uri is not registered for the client")


@bp.errorhandler(OAuthError)
def oauth_error(error: OAuthError) -> tuple[Response, int]:
    return jsonify(error.body()), error.status


@bp.get("/oauth-v1/auth")
def consent_page() -> tuple[str, int] | str:
    state = sim()
    args = request.args
    if args.get("client_id") not in state.tokens.clients:
        return "<p>Unknown client_id</p>", 400
    if args.get("response_type") != "code":
        return "<p>response_type must be code</p>", 400
    _check_redirect_uri(state, args.get("redirect_uri", ""))
    hidden = "\n".join(
        f'<input type="hidden" name="{name}" value="{escape(args.get(name, ""))}">'
        for name in CONSENT_FIELDS
    )
    return CONSENT_PAGE.format(client_id=escape(args["client_id"]),
                               company=escape(state.config.company_name),
                               scope=escape(args.get("scope", "")), hidden=hidden)


@bp.post("/oauth-v1/auth")
def consent_given() -> Response:
    state = sim()
    form = request.form
    if form.get("client_id") not in state.tokens.clients:
        raise OAuthError(400, "invalid_client", "Unknown client_id")
    redirect_uri = form.get("redirect_uri", "")
    _check_redirect_uri(state, redirect_uri)
    with state.lock:
        code = state.tokens.issue_code(Grant(
            client_id=form["client_id"],
            tenant_id=state.config.tenant_id,
            scope=form.get("scope", ""),
            expires_at=state.now() + timedelta(
                seconds=state.config.authorization_code_lifetime_seconds),
            redirect_uri=redirect_uri,
        ))
    separator = "&" if "?" in redirect_uri else "?"
    query = urlencode({"code": code, "state": form.get("state", "")})
    return redirect(f"{redirect_uri}{separator}{query}", code=302)


def _client_from_basic_auth() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    client_id, separator, client_secret = decoded.partition(":")
    if scheme.lower() != "basic" or not separator:
        raise OAuthError(401, "invalid_client", "The client credentials are invalid")
    sim().tokens.check_client(client_id, client_secret)
    return client_id


@bp.post("/oauth-v1/token")
def token() -> Response:
    state = sim()
    client_id = _client_from_basic_auth()
    grant_type = request.form.get("grant_type", "")
    config = state.config
    with state.lock:
        now = state.now()
        lifetime = state.knobs.token_lifetime_seconds
        refresh_lifetime: int | None = config.refresh_token_lifetime_seconds
        if grant_type == "authorization_code":
            grant = state.tokens.redeem_code(client_id, request.form.get("code", ""),
                                             request.form.get("redirect_uri", ""), now)
        elif grant_type == "refresh_token":
            grant = state.tokens.redeem_refresh_token(
                client_id, request.form.get("refresh_token", ""), now)
        elif grant_type == "client_credentials":
            tenant = request.headers.get("TenantId", "")
            if not tenant.isdigit() or int(tenant) not in config.service_account_tenants:
                raise OAuthError(400, "invalid_request",
                                 "Client does not allow service account for this tenant")
            grant = Grant(client_id=client_id, tenant_id=int(tenant),
                          scope=config.client_credentials_scope, expires_at=now)
            refresh_lifetime = None  # service accounts just ask again
        else:
            raise OAuthError(400, "unsupported_grant_type", f"Unsupported grant {grant_type}")
        answer = state.tokens.issue_tokens(grant, now=now, access_lifetime=lifetime,
                                           refresh_lifetime=refresh_lifetime)
    return jsonify(answer)


@bp.post("/oauth-v1/revoke")
def revoke() -> Response:
    state = sim()
    _client_from_basic_auth()
    with state.lock:
        state.tokens.revoke(request.form.get("token", ""))
    return Response(status=200)
