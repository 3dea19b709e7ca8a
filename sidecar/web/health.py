"""GET /healthz: is the database reachable, is the scheduler alive, how is each shop connected."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask.typing import ResponseReturnValue
from peewee import PeeweeException

from sidecar import __version__
from sidecar.crypto import SecretUnreadable
from sidecar.db import database
from sidecar.fields import utcnow
from sidecar.jobs.scheduler import HEARTBEAT_MAX_AGE
from sidecar.jobs.scheduler import scheduler_of
from sidecar.models import Shop

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

# When another gunicorn worker runs the jobs: a callable giving its scheduler's last heartbeat.
JOBS_HEARTBEAT = "sidecar.jobs_heartbeat"


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    now = utcnow()
    body: dict[str, Any] = {"version": __version__, "time": now.isoformat()}
    try:
        with database.connection_context():
            database.execute_sql("SELECT 1")
            body["shops"] = [
                {"slug": s.slug, "fortnox": s.fortnox_state, "woocommerce": s.woo_state}
                for s in Shop.select(Shop.slug, Shop.fortnox_state, Shop.woo_state)
                .order_by(Shop.id)
            ]
            body["secrets"] = "ok" if _secrets_readable() else "unreadable"
        body["database"] = "ok"
    except PeeweeException as exc:
        log.warning("healthz.database_unreachable error=%s", type(exc).__name__)
        body["database"] = "unreachable"
    service = scheduler_of(current_app)
    other_worker_beat = current_app.extensions.get(JOBS_HEARTBEAT)
    if service is not None:
        body["scheduler"] = "alive" if service.alive(now) else "stopped"
    elif other_worker_beat is not None:
        # Another gunicorn worker runs the jobs; its heartbeat is shared with this one.
        last = other_worker_beat()
        body["scheduler"] = "alive" if last and now - last <= HEARTBEAT_MAX_AGE else "stopped"
        body["scheduler_worker"] = "another"
    else:
        body["scheduler"] = "disabled"
    healthy = (body["database"] == "ok" and body["scheduler"] != "stopped"
               and body.get("secrets") != "unreadable")
    body["status"] = "ok" if healthy else "unhealthy"
    return jsonify(body), 200 if healthy else 503


def _secrets_readable() -> bool:
    """One stored secret decrypts: SIDECAR_SECRET_KEY is the one the secrets were saved with."""
    try:  # the value is decrypted as the row is read
        Shop.select(Shop.id, Shop.webhook_secret).where(
            Shop.webhook_secret.is_null(False)).order_by(Shop.id).first()
    except SecretUnreadable:
        log.error("healthz.secrets_unreadable: SIDECAR_SECRET_KEY is not the key the stored "
                  "secrets were saved with")
        return False
    return True
