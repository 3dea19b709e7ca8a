"""The owner's pages and the command line: connect, error pages, the order list, the CLI."""

from __future__ import annotations

from sidecar.messages.marks import N_  # noqa: F401 (for the texts to come)

TEXTS: dict[str, str] = {
}
