"""One process of the refresh race: `python -m tests.fortnox_access.refresh_worker '<json>'`.

Binds the database, waits for the common start time, then forces `count` refreshes, each with
the generation it last saw (as a process whose request just got a 401 would). Prints one JSON
line: how many refreshes it asked for and the errors it met.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from sidecar import crypto
from sidecar.config import Config
from sidecar.db import bind_database
from sidecar.fortnox import FortnoxError
from sidecar.fortnox_access.tokens import AuthorizationCodeTokens


def main(job: dict) -> dict:  # type: ignore[type-arg]
    crypto.configure(job["secret_key"])
    database = bind_database(job["database_url"])
    config = Config.for_tests(Path(job["data_dir"]), database_url=job["database_url"],
                              fortnox_client_id=job["client_id"],
                              fortnox_client_secret=job["client_secret"],
                              fortnox_auth_url=job["auth_url"])
    provider = AuthorizationCodeTokens(job["shop_id"], config)
    errors: list[str] = []
    with database.connection_context():
        time.sleep(max(0.0, job["start_at"] - time.time()))
        for _ in range(job["count"]):
            try:
                seen = provider.current()
                assert seen is not None
                provider.refresh(seen.generation)
            except FortnoxError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
    return {"asked": job["count"], "errors": errors}


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
