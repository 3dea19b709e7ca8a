"""Logging: key=value events, configured once by the app factory (on standard output, the
server's log) or the CLI (on standard error, so that a command's output is only its answer)."""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO


class KeyValueFormatter(logging.Formatter):
    """``ts=... level=info logger=sidecar.jobs event key=value ...``, UTC timestamps."""

    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        ts = self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z"
        level = record.levelname.lower()
        line = f"ts={ts} level={level} logger={record.name} {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def configure_logging(level: str, stream: TextIO | None = None) -> None:
    """Logs to `stream`, standard output by default."""
    # No format here or in gunicorn's shows the calling frame or thread: don't look them up for
    # every record (the logging HOWTO's "Optimization"; each webhook delivery logs a line).
    # gunicorn's own lines show the process id, so that one stays.
    logging._srcfile = None
    logging.logThreads = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(KeyValueFormatter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        if isinstance(existing.formatter, KeyValueFormatter):
            root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # Third-party chatter stays at WARNING unless we debug.
    for noisy in ("apscheduler", "peewee", "werkzeug"):
        logging.getLogger(noisy).setLevel("DEBUG" if level == "DEBUG" else "WARNING")
    # Always: their debug lines carry whole URLs, i.e. OAuth parameters and searched e-mails.
    for leaky in ("urllib3", "requests_oauthlib", "oauthlib"):
        logging.getLogger(leaky).setLevel("WARNING")
