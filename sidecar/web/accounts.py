"""Owner accounts: creating one, and checking a password with a limit on failed attempts.

Failed attempts are rows in the database, so the limit holds across threads, processes and
containers. A locked account is refused whatever the password, so guessing cannot go on; the
owner is told to wait, never whether the password was right.
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
from sidecar.models import SignInFailure

MIN_PASSWORD_LENGTH = 10
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
# Higher than per account: several owners may sit behind one office address.
MAX_FAILURES_PER_ADDRESS = 20

# Checked when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password-of-anyone")


class AccountError(ValueError):
    """The account cannot be created as asked; the message says why."""


class SignIn(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def create_owner(shop: Shop, email: str, password: str) -> Owner:
    email = normalize_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"{email!r} is not an e-mail address")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if Owner.select().where(Owner.email == email).exists():
        raise AccountError(f"an account for {email} already exists")
    return Owner.create(shop=shop, email=email, password_hash=generate_password_hash(password))


def is_locked(email: str, ip: str, *, now: datetime) -> bool:
    since = now - FAILURE_WINDOW
    recent = SignInFailure.select().where(SignInFailure.created_at > since)
    return (recent.where(SignInFailure.email == email).count() >= MAX_FAILURES_PER_ACCOUNT
            or recent.where(SignInFailure.ip == ip).count() >= MAX_FAILURES_PER_ADDRESS)


def authenticate(email: str, password: str, *, ip: str, now: datetime) -> tuple[SignIn,
                                                                                Owner | None]:
    """Check a sign-in; every failure is counted, a success forgets the account's failures."""
    email = normalize_email(email)[:254]
    ip = ip[:64]
    if is_locked(email, ip, now=now):
        return SignIn.LOCKED, None
    owner = Owner.get_or_none(Owner.email == email)
    matches = check_password_hash(owner.password_hash if owner else _DUMMY_HASH, password)
    if owner is None or not matches:
        SignInFailure.create(email=email, ip=ip, created_at=now)
        return SignIn.WRONG, None
    with database.atomic():
        SignInFailure.delete().where(SignInFailure.email == email).execute()
        # Old failures are of no use to anyone; drop them while we are here.
        SignInFailure.delete().where(SignInFailure.created_at < now - FAILURE_WINDOW).execute()
        owner.last_sign_in_at = now
        owner.save()
    return SignIn.OK, owner
