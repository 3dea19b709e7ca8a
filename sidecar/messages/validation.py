"""Refusals of input read at the edges: the field named in the owner's words."""

from __future__ import annotations

from sidecar.messages.marks import N_  # noqa: F401 (for the texts to come)

TEXTS: dict[str, str] = {
}
