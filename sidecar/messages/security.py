"""Sign-in, sessions, secrets and the security log."""

from __future__ import annotations

from sidecar.messages.marks import N_  # noqa: F401 (for the texts to come)

TEXTS: dict[str, str] = {
}
