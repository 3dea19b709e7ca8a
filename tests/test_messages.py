"""Owner-visible messages: codes with parameters, stored as JSON, Swedish with the same gaps."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from sidecar.messages import TEXTS
from sidecar.messages import Amount
from sidecar.messages import Message
from sidecar.messages import msg

CATALOG = Path(__file__).resolve().parents[1] / "sidecar/translations/sv/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_an_unknown_code_is_refused_where_it_is_written() -> None:
    with pytest.raises(ValueError, match=r"unknown message code 'order\.no_such_thing'"):
        msg("order.no_such_thing", order=1)


def test_english_fills_nested_messages_and_amounts() -> None:
    message = msg("order.not_exported", order=46,
                  reason=msg("fortnox.said", error="Kontot finns inte (3520)"))
    refund = msg("order.credit_made", credit="63", refund=116, invoice="12",
                 amount=Amount(Decimal("159.00"), "SEK"))

    assert message.english() == "Order 46 was not exported: Fortnox said: Kontot finns inte (3520)"
    assert refund.english() == ("Credit invoice 63 made in Fortnox for refund 116 (159.00 SEK) "
                                "of invoice 12.")


def test_a_message_survives_being_stored() -> None:
    message = msg("order.refunded_without_invoice", order="46", fortnox_order="7",
                  amount=Amount(Decimal("50.00"), "EUR"))
    nested = msg("order.not_exported", order=46, reason=message)

    assert Message.from_json(nested.as_json()) == nested


@pytest.mark.parametrize("stored", [None, "text", ["no.such.code", {}], ["plain"], [1, 2],
                                    ["plain", "not a mapping"]])
def test_what_is_not_a_stored_message_reads_as_none(stored: object) -> None:
    assert Message.from_json(stored) is None


def test_every_text_has_swedish_with_the_same_placeholders() -> None:
    with CATALOG.open("rb") as f:
        swedish = {m.id: m.string for m in read_po(f) if m.id}

    for code, english in TEXTS.items():
        assert english in swedish, code
        assert set(PLACEHOLDER.findall(swedish[english])) == set(PLACEHOLDER.findall(english)), \
            code


def test_every_text_fills_from_its_own_placeholders() -> None:
    for code, english in TEXTS.items():
        params = {name: f"<{name}>" for name in PLACEHOLDER.findall(english)}
        text = Message(code, params).english()
        assert "%(" not in text and all(v in text for v in params.values()), code
