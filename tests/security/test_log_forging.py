"""A value in a log line stays in its line and its key: no forged lines, no forged keys."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

from sidecar.access_log import AccessLogger
from sidecar.logs import KeyValueFormatter


def formatted(message: str, *args: object) -> str:
    record = logging.LogRecord("sidecar.webhooks", logging.WARNING, __file__, 1, message, args,
                               None)
    return KeyValueFormatter().format(record)


def test_a_newline_in_a_value_does_not_start_a_line() -> None:
    slug = "shop\nts=2026-01-01T00:00:00.000Z level=error logger=sidecar fake=1"

    line = formatted("webhook.rejected reason=signature slug=%s", slug)

    assert "\n" not in line
    assert line.endswith('slug="shop\\nts=2026-01-01T00:00:00.000Z level=error logger=sidecar '
                         'fake=1"')


def test_a_quote_or_backslash_in_a_value_is_escaped_and_plain_values_stay_bare() -> None:
    line = formatted("a=%s b=%s n=%d", 'x" c=forged \\', "plain", 7)

    assert line.endswith('a="x\\" c=forged \\\\" b=plain n=7')


def test_the_access_log_escapes_the_decoded_path() -> None:
    config = SimpleNamespace(**{name: None for name in ("errorlog", "accesslog", "syslog",
                                                         "logconfig", "logconfig_dict",
                                                         "logconfig_json", "user")})
    logger = AccessLogger.__new__(AccessLogger)
    logger.cfg = config
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/x%0Ay", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": '/x\nhttp method=GET path="/forged"'}
    response = SimpleNamespace(status="404 Not Found", headers=[], sent=0)

    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=0))

    assert atoms["U"] == '/x\\nhttp method=GET path=\\"/forged\\"'
