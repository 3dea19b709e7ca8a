"""Owner accounts: creating one, changing its password, and checking a password with growing
delays after failed attempts (sidecar.security.throttle).

Failed attempts are rows in the database, so the delays hold across threads, processes and
containers. While a delay runs the attempt is not checked at all, so guessing cannot go on; the
owner is told how long to wait, never whether the password was right.
"""

from __future__ import annotations

import enum
from datetime import datetime
from datetime import timedelta

from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from sidecar.db import database
from sidecar.models import Owner
from sidecar.models import Shop
from sidecar.security import throttle
from sidecar.security.passwords import MIN_PASSWORD_LENGTH
from sidecar.security.passwords import is_email
from sidecar.security.passwords import password_problem

__all__ = ["MIN_PASSWORD_LENGTH", "AccountError", "SignIn", "authenticate", "create_owner",
           "set_password"]

# Checked when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password-of-anyone")


class AccountError(ValueError):
    """The account cannot be created as asked; the message says why."""


class SignIn(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    THROTTLED = "throttled"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def create_owner(shop: Shop, email: str, password: str) -> Owner:
    email = normalize_email(email)
    if not is_email(email):
        raise AccountError(f"{email!r} is not an e-mail address")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if Owner.select().where(Owner.email == email).exists():
        raise AccountError(f"an account for {email} already exists")
    return Owner.create(shop=shop, email=email, password_hash=generate_password_hash(password))


def set_password(owner: Owner, password: str) -> None:
    """A new password; every session of the owner ends."""
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    Owner.update(password_hash=generate_password_hash(password),
                 session_generation=Owner.session_generation + 1).where(
        Owner.id == owner.id).execute()


def authenticate(email: str, password: str, *, ip: str,
                 now: datetime) -> tuple[SignIn, Owner | None, timedelta]:
    """Check a sign-in: the outcome, the owner on success, and the wait when throttled. Every
    failure is counted; a success forgets the account's failures."""
    email = normalize_email(email)[:254]
    ip = ip[:64]
    wait = throttle.wait_left(email, ip, now=now)
    if wait > timedelta(0):
        return SignIn.THROTTLED, None, wait
    owner = Owner.get_or_none(Owner.email == email)
    # Never hash more than a password can be: a megabyte of input would cost a worker seconds.
    password = password[:1024]
    matches = check_password_hash(owner.password_hash if owner else _DUMMY_HASH, password)
    if owner is None or not matches:
        throttle.record_failure(email, ip, now=now)
        return SignIn.WRONG, None, timedelta(0)
    with database.atomic():
        throttle.forget(email, now=now)
        owner.last_sign_in_at = now
        owner.save()
    return SignIn.OK, owner, timedelta(0)
