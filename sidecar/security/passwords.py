"""What makes a password and an e-mail address acceptable for an owner account."""

from __future__ import annotations

import functools
import re
from pathlib import Path

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # hashing a megabyte of "password" costs a worker a while
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
# local@domain.tld: no spaces or control characters, one @, a dot in the domain, no empty
# labels. The full RFC 5322 grammar accepts addresses no mail server delivers to.
_EMAIL = re.compile(r"[^\s@\x00-\x1f\x7f]{1,64}@(?:[^\s@.\x00-\x1f\x7f]{1,63}\.)+"
                    r"[^\s@.\x00-\x1f\x7f0-9]{2,63}")


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines
                     if line.strip() and not line.startswith("#"))


def password_problem(password: str) -> str:
    """Why the password is not acceptable (English, for the CLI), or ''."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"the password must have at most {MAX_PASSWORD_LENGTH} characters"
    if password.casefold() in common_passwords():
        return "the password is on a list of common passwords; choose another"
    if len(set(password.casefold())) < 4:
        return "the password repeats too few characters; choose another"
    return ""


def is_email(address: str) -> bool:
    return len(address) <= 254 and _EMAIL.fullmatch(address) is not None
