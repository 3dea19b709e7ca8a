"""The WooCommerce simulator answers the 114 captured exchanges as the real store did.

tests/fixtures/woocommerce/rest holds requests made to a real WordPress 6.4.2 + WooCommerce
8.4.0 store and its answers. `woo_replay` sends them again, in order, to the simulator seeded
as that store was; here every answer is compared with the captured one: the status, the paging
headers (X-WP-Total, X-WP-TotalPages, and the rel/page pairs of Link), and the body, field by
field, in order. Fields that can't agree by construction are in NOT_COMPARABLE; differences
kept on purpose are in TOLERATED, each with its reason. Both lists are checked to be needed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest

from tests.sim.woo_replay import Answer
from tests.sim.woo_replay import Replay
from tests.sim.woo_replay import exchanges

EXCHANGES = exchanges()

# Paths (regular expressions over "body.line_items[0].meta_data[1].id") that can't agree.
NOT_COMPARABLE: dict[str, str] = {
    r"\.related_ids$": "WooCommerce picks related products at random on every read",
}


@dataclass(frozen=True)
class Tolerated:
    exchanges: frozenset[str]
    where: str  # a regular expression over the difference's text
    reason: str


def _numbers(*spans: str) -> frozenset[str]:
    found = set()
    for span in spans:
        first, _, last = span.partition("-")
        found.update(f"{n:03d}" for n in range(int(first), int(last or first) + 1))
    return frozenset(found)


TOLERATED: tuple[Tolerated, ...] = (
    Tolerated(_numbers("049"), r"\.meta_data\[id=\d+\]: only in",
              "a restocking refund's new item meta (_restock_refunded_items) gets 3978 in "
              "WooCommerce, whose item meta sequence also counts the hidden meta (quantity, "
              "totals) it writes for the refund's own lines; the simulator gives the next id"),
    Tolerated(_numbers("065", "110"), r"\]\.date_modified(_gmt)?: ",
              "each delivery outcome saves a webhook; WooCommerce delivers from Action "
              "Scheduler at moments of its own, the simulator right after the change"),
    Tolerated(_numbers("072"), r"^(status|body):",
              "the list of shipping method types is not simulated: the settings page reads "
              "each zone's methods, which name the type"),
    Tolerated(_numbers("071", "073-075"),
              r"^body\[\d+\]\.(?!(id|title|enabled|method_id|instance_id|name)[:\s])",
              "payment gateways and shipping zones are simulated with the fields the settings "
              "page reads (ids, titles, enabled, zones' methods), not every setting's form"),
    Tolerated(_numbers("079-081"), r"(\[id=woocommerce_\w+\]|\.options): only in real",
              "the simulated settings groups hold the options an integration reads, not every "
              "field of WooCommerce's settings screens nor the country and currency lists"),
)


def links(headers: dict[str, str]) -> set[tuple[str, str | None]]:
    """The (rel, page) pairs of a Link header; WordPress's discovery link is left out."""
    found = set()
    for url, rel in re.findall(r'<([^>]*)>;\s*rel="([^"]+)"', headers.get("Link", "")):
        if rel != "https://api.w.org/":
            found.add((rel, parse_qs(urlsplit(url).query).get("page", [None])[0]))
    return found


def differences(real: dict[str, Any], answer: Answer,
                ignored: dict[str, str] = NOT_COMPARABLE) -> list[str]:
    found = []
    if real["status"] != answer.status:
        found.append(f"status: real {real['status']}, sim {answer.status}")
    for header in ("X-WP-Total", "X-WP-TotalPages"):
        if real["headers"].get(header) != answer.headers.get(header):
            found.append(f"{header}: real {real['headers'].get(header)}, "
                         f"sim {answer.headers.get(header)}")
    if links(real["headers"]) != links(answer.headers):
        found.append(f"Link: real {sorted(links(real['headers']), key=str)}, "
                     f"sim {sorted(links(answer.headers), key=str)}")
    found.extend(_diff(real["body"], answer.body, "body", ignored))
    return found


def _diff(real: Any, sim: Any, path: str, ignored: dict[str, str]) -> Iterator[str]:
    def _comparable(path: str) -> bool:
        return not any(re.search(pattern, path) for pattern in ignored)

    if not _comparable(path):
        return
    if isinstance(real, dict) and isinstance(sim, dict):
        for key in sorted(set(real) - set(sim)):
            if _comparable(f"{path}.{key}"):
                yield f"{path}.{key}: only in real"
        for key in sorted(set(sim) - set(real)):
            if _comparable(f"{path}.{key}"):
                yield f"{path}.{key}: only in sim"
        for key in real:
            if key in sim:
                yield from _diff(real[key], sim[key], f"{path}.{key}", ignored)
        return
    if isinstance(real, list) and isinstance(sim, list):
        yield from _diff_list(real, sim, path, ignored)
        return
    if real != sim or type(real) is not type(sim):
        yield (f"{path}: real {json.dumps(real, ensure_ascii=False)[:120]}, "
               f"sim {json.dumps(sim, ensure_ascii=False)[:120]}")


def _diff_list(real: list[Any], sim: list[Any], path: str,
               ignored: dict[str, str]) -> Iterator[str]:
    """Objects with ids are paired by id (and their order compared); others by position."""
    with_ids = all(isinstance(x, dict) and "id" in x for x in real + sim) and all(
        len({str(x["id"]) for x in side}) == len(side) for side in (real, sim))
    if not with_ids or not (real or sim):
        if len(real) != len(sim):
            yield f"{path}: {len(real)} items in real, {len(sim)} in sim"
        for index, (one, other) in enumerate(zip(real, sim, strict=False)):
            yield from _diff(one, other, f"{path}[{index}]", ignored)
        return
    sim_by_id = {str(x["id"]): x for x in sim}
    real_ids = [str(x["id"]) for x in real]
    for item_id in real_ids:
        if item_id not in sim_by_id:
            yield f"{path}[id={item_id}]: only in real"
    for item_id in sim_by_id:
        if item_id not in real_ids:
            yield f"{path}[id={item_id}]: only in sim"
    common_real = [i for i in real_ids if i in sim_by_id]
    common_sim = [i for i in sim_by_id if i in real_ids]
    if common_real != common_sim:
        yield f"{path}: order real {common_real}, sim {common_sim}"
    for index, item in enumerate(real):
        if str(item["id"]) in sim_by_id:
            yield from _diff(item, sim_by_id[str(item["id"])], f"{path}[{index}]", ignored)


def _tolerated(number: str, difference: str) -> Tolerated | None:
    for entry in TOLERATED:
        if number in entry.exchanges and re.search(entry.where, difference):
            return entry
    return None


@pytest.fixture(scope="module")
def answers() -> Iterator[dict[str, Answer]]:
    replay = Replay()
    try:
        yield replay.run()
    finally:
        replay.close()


def test_all_captured_exchanges_are_replayed() -> None:
    assert len(EXCHANGES) == 114
    assert [e.number for e in EXCHANGES] == [f"{n:03d}" for n in range(1, 115)]


@pytest.mark.parametrize("exchange", EXCHANGES, ids=[e.name for e in EXCHANGES])
def test_the_simulator_answers_as_woocommerce_did(answers, exchange) -> None:
    found = differences(exchange.response, answers[exchange.number])
    unexpected = [d for d in found if _tolerated(exchange.number, d) is None]
    assert not unexpected, "\n".join(unexpected)


def test_every_tolerated_difference_still_shows(answers) -> None:
    """A tolerance nothing needs any more is taken off the list."""
    used = {entry for e in EXCHANGES
            for d in differences(e.response, answers[e.number])
            if (entry := _tolerated(e.number, d)) is not None}
    assert [t.reason for t in TOLERATED if t not in used] == []


def test_every_field_left_out_would_differ(answers) -> None:
    for pattern in NOT_COMPARABLE:
        compared = {**NOT_COMPARABLE}
        del compared[pattern]
        hits = [d for e in EXCHANGES for d in differences(e.response, answers[e.number], compared)
                if re.search(pattern, d.partition(":")[0])]
        assert hits, f"nothing differs at {pattern}: compare it"
