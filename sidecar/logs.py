"""Logging: key=value events, configured once by the app factory (on standard output, the
server's log) or the CLI (on standard error, so that a command's output is only its answer)."""

from __future__ import annotations

import logging
import re
import sys
import time
from typing import Any
from typing import TextIO

# A value written as is: no spaces, quotes, equals signs, backslashes or control characters.
_BARE = re.compile(r"[^\s\"=\\\x00-\x1f\x7f-\x9f]+")
_UNSAFE = re.compile(r"[\"\\\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\"": '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(value: str) -> str:
    """Quotes, backslashes and control characters as escapes: a value can't start a new line or
    pose as another key."""
    return _UNSAFE.sub(lambda m: _ESCAPES.get(m[0], f"\\u{ord(m[0]):04x}"), value)


def log_value(value: Any) -> str:
    """One value of a key=value line: bare when it is one plain word, else quoted and escaped."""
    text = value if isinstance(value, str) else str(value)
    if _BARE.fullmatch(text):
        return text
    return f'"{escape(text)}"'


def _message(record: logging.LogRecord) -> str:
    """The record's message with every argument as a log value (a newline or a `key=` inside a
    value, from a webhook's slug or a remote error, stays inside that value)."""
    args = record.args
    if args:
        if isinstance(args, dict):
            args = {key: _LogValue(value) for key, value in args.items()}
        else:
            args = tuple(_LogValue(value) for value in args)
        try:
            message = str(record.msg) % args
        except (TypeError, ValueError):
            message = record.getMessage()
    else:
        message = str(record.msg)
    return _CONTROL.sub(lambda m: escape(m[0]), message)


class _LogValue:
    """An argument formatted by %s (and %d, %r: numbers stay numbers) as a log value."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __str__(self) -> str:
        return log_value(self.value)

    def __repr__(self) -> str:
        return log_value(repr(self.value))

    def __int__(self) -> int:
        return int(self.value)

    def __float__(self) -> float:
        return float(self.value)

    def __index__(self) -> int:
        return int(self.value)


# What never goes into a log line, at any level: e-mail addresses (customers', owners'), Fernet
# ciphertexts of stored secrets, and password hashes (werkzeug's scrypt/pbkdf2 strings).
_SECRETS = re.compile(
    r"(?P<email>[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+)"
    r"|(?P<ciphertext>gAAAAA[\w=-]{20,})"
    r"|(?P<hash>(?:scrypt|pbkdf2)[:$][\w:$.=/+-]{10,})")
_REPLACEMENTS = {"email": "<e-mail>", "ciphertext": "<encrypted>", "hash": "<password hash>"}
UNREDACTED = "sidecar_unredacted"  # extra={UNREDACTED: True}: the one-order body switch


def redact(line: str) -> str:
    if "@" not in line and "gAAAAA" not in line and "scrypt" not in line \
            and "pbkdf2" not in line:
        return line  # the common case, without running the expression
    return _SECRETS.sub(lambda m: _REPLACEMENTS[m.lastgroup or "email"], line)


class SqlParametersLeftOut(logging.Filter):
    """peewee's DEBUG lines carry each query's parameters: bodies, hashes, ciphertexts and
    e-mail addresses. The statement is kept, the values are left out."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("peewee") and isinstance(record.msg, tuple) \
                and len(record.msg) == 2:
            sql, params = record.msg
            record.msg, record.args = "db.query sql=%s params=%d", (sql, len(params or ()))
        return True


class KeyValueFormatter(logging.Formatter):
    """``ts=... level=info logger=sidecar.jobs event key=value ...``, UTC timestamps."""

    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        ts = self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z"
        level = record.levelname.lower()
        message = _message(record)
        if not getattr(record, UNREDACTED, False):
            message = redact(message)
        line = f"ts={ts} level={level} logger={record.name} {message}"
        if record.exc_info:
            line += "\n" + redact(self.formatException(record.exc_info))
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
    handler.addFilter(SqlParametersLeftOut())
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
