"""Slowing down password guessing without locking the owner out.

Failures are counted per account and per client address, separately, over WINDOW. Past a few
free failures each further one doubles the wait before the next attempt is even checked, up to
MAX_DELAY. Nothing is locked: once the wait is over the right password works, and an address
that guessed at many accounts slows down only itself, never the owner at another address.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

from peewee import fn

from sidecar.models import SignInFailure

WINDOW = timedelta(hours=1)
MAX_DELAY = timedelta(minutes=15)
FREE_FAILURES_PER_ACCOUNT = 3
# Higher than per account: several owners may sit behind one office address.
FREE_FAILURES_PER_ADDRESS = 10


def delay_after(failures: int, free: int) -> timedelta:
    """The wait after `failures` recent failures: none for the free ones, then 2 s, 4 s, 8 s …"""
    if failures < free:
        return timedelta(0)
    return min(MAX_DELAY, timedelta(seconds=2 ** min(failures - free + 1, 20)))


def wait_left(email: str, address: str, *, now: datetime) -> timedelta:
    """How long this account, or this address, must still wait before another attempt."""
    recent = SignInFailure.created_at > now - WINDOW
    waits = [timedelta(0)]
    for column, value, free in ((SignInFailure.email, email, FREE_FAILURES_PER_ACCOUNT),
                                (SignInFailure.ip, address, FREE_FAILURES_PER_ADDRESS)):
        count, last = (SignInFailure.select(fn.COUNT(SignInFailure.id),
                                            fn.MAX(SignInFailure.created_at))
                       .where(recent, column == value).scalar(as_tuple=True))
        if count and last is not None:
            last = SignInFailure.created_at.python_value(last)
            waits.append(last + delay_after(count, free) - now)
    return max(waits)


def record_failure(email: str, address: str, *, now: datetime) -> None:
    SignInFailure.create(email=email, ip=address, created_at=now)


def forget(email: str, *, now: datetime) -> None:
    """A successful sign-in: the account's failures are forgiven, old ones dropped."""
    SignInFailure.delete().where(SignInFailure.email == email).execute()
    SignInFailure.delete().where(SignInFailure.created_at < now - WINDOW).execute()
