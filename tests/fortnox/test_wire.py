"""What goes on the wire: Swedish lastmodified times, exact money in JSON, escaped paths."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import date
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sidecar.fortnox.wire import encode_body
from sidecar.fortnox.wire import format_lastmodified
from sidecar.fortnox.wire import segment
from sidecar.fortnox.wire import to_decimal


@pytest.mark.parametrize(
    ("utc", "swedish"),
    [
        (datetime(2024, 1, 15, 12, 0, tzinfo=UTC), "2024-01-15 13:00"),  # CET, +1
        (datetime(2024, 7, 1, 12, 0, tzinfo=UTC), "2024-07-01 14:00"),  # CEST, +2
        (datetime(2024, 3, 31, 0, 59, tzinfo=UTC), "2024-03-31 01:59"),  # last minute of CET
        (datetime(2024, 3, 31, 1, 0, tzinfo=UTC), "2024-03-31 03:00"),  # clocks jump to CEST
        (datetime(2024, 10, 27, 0, 30, tzinfo=UTC), "2024-10-27 02:30"),  # CEST, before fall-back
        (datetime(2024, 10, 27, 1, 30, tzinfo=UTC), "2024-10-27 02:30"),  # CET, the repeated hour
        (datetime(2023, 12, 31, 23, 30, tzinfo=UTC), "2024-01-01 00:30"),  # new year in Sweden
    ],
)
def test_it_formats_lastmodified_as_swedish_wall_clock_time(utc: datetime, swedish: str) -> None:
    assert format_lastmodified(utc) == swedish


def test_it_refuses_a_naive_lastmodified() -> None:
    with pytest.raises(ValueError, match="aware"):
        format_lastmodified(datetime(2024, 1, 15, 12, 0))


def test_it_sends_decimals_as_json_numbers_and_dates_as_iso_strings() -> None:
    body = {"Price": Decimal("199.20"), "VAT": Decimal("25.00"), "OrderDate": date(2024, 5, 1)}

    assert encode_body(body) == b'{"Price": 199.2, "VAT": 25, "OrderDate": "2024-05-01"}'


def test_it_keeps_swedish_letters_as_utf8() -> None:
    assert encode_body({"Name": "Åsa Öberg"}) == '{"Name": "Åsa Öberg"}'.encode()


def test_it_refuses_decimals_it_cannot_send_exactly() -> None:
    with pytest.raises(ValueError, match="too many digits"):
        encode_body({"Price": Decimal("1234567890.1234567")})
    with pytest.raises(ValueError):
        encode_body({"Price": Decimal("NaN")})


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False))
def test_it_puts_every_ore_amount_on_the_wire_exactly(amount: Decimal) -> None:
    sent = json.loads(encode_body({"Price": amount}), parse_float=Decimal)

    assert Decimal(sent["Price"]) == amount


def test_it_escapes_slashes_in_path_segments() -> None:
    assert segment("ART/1 A") == "ART%2F1%20A"
    assert segment(42) == "42"


def test_it_reads_fortnox_numbers_leniently_as_decimals() -> None:
    assert to_decimal("12.50") == Decimal("12.50")
    assert to_decimal(3) == Decimal(3)
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_decimal("") is None
    assert to_decimal("n/a") is None
