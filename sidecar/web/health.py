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
                for s in Shop.select().order_by(Shop.id)
            ]
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
    healthy = body["database"] == "ok" and body["scheduler"] != "stopped"
    body["status"] = "ok" if healthy else "unhealthy"
    return jsonify(body), 200 if healthy else 503
