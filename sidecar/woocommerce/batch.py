"""Batch writes: split into requests WooCommerce accepts, and surface every failed item.

WooCommerce answers a batch with 200 even when items fail; each failed entry carries an
`error` object instead of the resource. A batch over the limit (100 objects across create,
update and delete together) fails as a whole with 413.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sidecar.woocommerce.errors import WooInvalidResponse

BATCH_LIMIT = 100
ACTIONS = ("create", "update", "delete")


@dataclass(frozen=True)
class ItemError:
    """One item WooCommerce refused inside a batch that otherwise went through."""

    action: str  # create | update | delete
    item: Any  # what we sent: the object, or the id for a delete
    code: str
    message: str
    status: int | None = None

    @property
    def item_id(self) -> int | None:
        raw = self.item if self.action == "delete" else self.item.get("id")
        return int(raw) if raw else None

    @property
    def sku(self) -> str | None:
        return self.item.get("sku") if isinstance(self.item, Mapping) else None


@dataclass(frozen=True)
class BatchResult:
    """Everything a batch did, item by item; `errors` is empty only if every item succeeded."""

    created: tuple[dict[str, Any], ...] = ()
    updated: tuple[dict[str, Any], ...] = ()
    deleted: tuple[dict[str, Any], ...] = ()
    errors: tuple[ItemError, ...] = ()
    requests: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def __add__(self, other: BatchResult) -> BatchResult:
        return BatchResult(
            created=self.created + other.created,
            updated=self.updated + other.updated,
            deleted=self.deleted + other.deleted,
            errors=self.errors + other.errors,
            requests=self.requests + other.requests,
        )


def chunked(
    *,
    create: Sequence[Any] = (),
    update: Sequence[Any] = (),
    delete: Sequence[Any] = (),
    limit: int = BATCH_LIMIT,
) -> Iterator[dict[str, list[Any]]]:
    """Batch bodies holding at most `limit` objects in total, in the order given."""
    body: dict[str, list[Any]] = {}
    size = 0
    for action, items in (("create", create), ("update", update), ("delete", delete)):
        for item in items:
            if size == limit:
                yield body
                body, size = {}, 0
            body.setdefault(action, []).append(item)
            size += 1
    if size:
        yield body


def read_batch_response(sent: Mapping[str, list[Any]], answer: Any) -> BatchResult:
    """Pair each item we sent with WooCommerce's answer for it (same order, per action)."""
    if not isinstance(answer, Mapping):
        raise WooInvalidResponse("The shop's batch answer is not a JSON object")
    done: dict[str, list[dict[str, Any]]] = {action: [] for action in ACTIONS}
    errors: list[ItemError] = []
    for action in ACTIONS:
        items = sent.get(action, [])
        results = answer.get(action) or []
        for index, item in enumerate(items):
            result = results[index] if index < len(results) else None
            error = _item_error(action, item, result)
            if error is None:
                done[action].append(result)  # type: ignore[arg-type]
            else:
                errors.append(error)
    return BatchResult(
        created=tuple(done["create"]),
        updated=tuple(done["update"]),
        deleted=tuple(done["delete"]),
        errors=tuple(errors),
        requests=1,
    )


def _item_error(action: str, item: Any, result: Any) -> ItemError | None:
    if not isinstance(result, Mapping):
        return ItemError(action, item, "missing_in_response", "The shop did not report on it")
    error = result.get("error")
    if not error:
        return None
    if not isinstance(error, Mapping):
        return ItemError(action, item, "unknown", str(error))
    data = error.get("data")
    status = data.get("status") if isinstance(data, Mapping) else None
    return ItemError(
        action,
        item,
        code=str(error.get("code") or "unknown"),
        message=str(error.get("message") or ""),
        status=int(status) if isinstance(status, int) else None,
    )


def sum_results(results: Iterable[BatchResult]) -> BatchResult:
    total = BatchResult()
    for result in results:
        total = total + result
    return total
