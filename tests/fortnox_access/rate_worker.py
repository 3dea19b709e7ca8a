"""One process of the rate-limit test: `python -m tests.fortnox_access.rate_worker '<json>'`.

Binds the database and, from `threads` threads, makes `calls` Fortnox requests each through
`fortnox_client_for` with the job's rate limit. Prints one JSON line with the errors it met.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

from sidecar import crypto
from sidecar.config import Config
from sidecar.db import bind_database
from sidecar.fortnox import FortnoxError
from sidecar.fortnox_access import fortnox_client_for
from sidecar.fortnox_access.rate_limit import RateLimit
from sidecar.models import Shop


def main(job: dict) -> dict:  # type: ignore[type-arg]
    crypto.configure(job["secret_key"])
    database = bind_database(job["database_url"])
    config = Config.for_tests(Path(job["data_dir"]), database_url=job["database_url"],
                              fortnox_client_id=job["client_id"],
                              fortnox_client_secret=job["client_secret"],
                              fortnox_auth_url=job["api_url"] + "/oauth-v1",
                              fortnox_api_url=job["api_url"])
    limit = RateLimit(job["limit"], job["window"])
    errors: list[str] = []

    def calls() -> None:
        with database.connection_context():
            client = fortnox_client_for(Shop.get_by_id(job["shop_id"]), config, rate_limit=limit)
            time.sleep(max(0.0, job["start_at"] - time.time()))
            for _ in range(job["calls"]):
                try:
                    client.get_company_information()
                except FortnoxError as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=calls) for _ in range(job["threads"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"errors": errors}


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
