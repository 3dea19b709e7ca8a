"""The Fortnox simulator's credit invoices, as docs/fortnox-credits.md records Fortnox's rules.

Where Fortnox's behaviour is not known (a POSTed invoice naming CreditInvoiceReference), the
simulator takes the answer that would catch a mistake of ours, and the tests below say so.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests

from sidecar.sim.fortnox import FortnoxSimConfig
from sidecar.sim.fortnox import create_app
from sidecar.sim.server import serve_in_thread
from tests.sim.test_fortnox_sim import CLIENT
from tests.sim.test_fortnox_sim import TENANT
from tests.sim.test_fortnox_sim import Sim
from tests.sim.test_fortnox_sim import error_of
from tests.sim.test_fortnox_sim import seed_shop
from tests.sim.test_fortnox_sim import service_token


@pytest.fixture(name="sim")
def credits_sim() -> Iterator[Sim]:
    """A simulator with an empty company and a service-account token."""
    app = create_app(FortnoxSimConfig(client_id=CLIENT[0], client_secret=CLIENT[1],
                                      tenant_id=TENANT, service_account_tenants=(TENANT,),
                                      seed_demo_data=False))
    server = serve_in_thread(app)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {service_token(server.url)}"
    yield Sim(url=server.url, state=app.extensions["fortnox_sim"], api=session)
    server.stop()


def invoice(sim: Sim, *rows: dict[str, Any], **header: Any) -> dict[str, Any]:
    answer = sim.post("/3/invoices", {"Invoice": {"CustomerNumber": "100",
                                                  "InvoiceRows": list(rows), **header}})
    assert answer.status_code == 201, answer.text
    return dict(answer.json()["Invoice"])


def booked(sim: Sim, *rows: dict[str, Any], **header: Any) -> str:
    number = str(invoice(sim, *rows, **header)["DocumentNumber"])
    assert sim.put(f"/3/invoices/{number}/bookkeep").status_code == 200
    return number


def get(sim: Sim, number: str) -> dict[str, Any]:
    return dict(sim.get(f"/3/invoices/{number}").json()["Invoice"])


def message(answer: Any) -> str:
    error = error_of(answer)
    return str(error.get("Message") or error.get("message"))


def stock_of(sim: Sim, article: str) -> Decimal:
    return Decimal(str(sim.get(f"/3/articles/{article}").json()["Article"]["QuantityInStock"]))


def test_a_credit_links_both_ways_and_the_credit_names_the_original_in_invoice_reference(
        sim: Sim) -> None:
    seed_shop(sim)
    number = booked(sim, {"ArticleNumber": "MUG", "DeliveredQuantity": 2})

    answer = sim.put(f"/3/invoices/{number}/credit")

    original = answer.json()["Invoice"]
    credit = get(sim, original["CreditInvoiceReference"])
    assert original["DocumentNumber"] == number and credit["Credit"] == "true"
    # softwerkab/fortnox-csharp-api-sdk e26c7c4: on the credit, the original is in
    # InvoiceReference, not in CreditInvoiceReference.
    assert credit["InvoiceReference"] == number
    assert credit["CreditInvoiceReference"] == "0"
    assert credit["Total"] == -original["Total"]


def test_an_invoice_is_credited_once_and_a_credit_is_never_credited(sim: Sim) -> None:
    seed_shop(sim)
    number = booked(sim, {"ArticleNumber": "MUG", "DeliveredQuantity": 1})
    credit = sim.put(f"/3/invoices/{number}/credit").json()["Invoice"]["CreditInvoiceReference"]
    sim.put(f"/3/invoices/{credit}/bookkeep")

    again = sim.put(f"/3/invoices/{number}/credit")
    of_credit = sim.put(f"/3/invoices/{credit}/credit")

    assert again.status_code == 400 and "redan krediterad" in message(again)
    assert of_credit.status_code == 400


def test_an_unbooked_invoice_under_accrual_accounting_is_not_credited(sim: Sim) -> None:
    seed_shop(sim)
    number = str(invoice(sim, {"ArticleNumber": "MUG", "DeliveredQuantity": 1})["DocumentNumber"])

    answer = sim.put(f"/3/invoices/{number}/credit")

    assert answer.status_code == 400 and "bokförd" in message(answer)
    assert get(sim, number)["CreditInvoiceReference"] == "0"


def test_a_credit_copy_of_a_row_with_an_amount_discount_is_its_negative(sim: Sim) -> None:
    seed_shop(sim)
    number = booked(sim, {"Description": "Kopp", "DeliveredQuantity": 3, "Price": 100,
                          "Discount": 30, "DiscountType": "AMOUNT", "AccountNumber": 3001},
                    VATIncluded=True)

    credit = get(sim, sim.put(f"/3/invoices/{number}/credit").json()["Invoice"][
        "CreditInvoiceReference"])

    assert credit["InvoiceRows"][0]["Total"] == Decimal(-270)
    assert credit["TotalVAT"] == -get(sim, number)["TotalVAT"]


def test_a_partial_credit_is_the_credit_copy_with_its_rows_replaced(sim: Sim) -> None:
    """Fortnox's help "Delkreditera en befintlig faktura": credit, then change the rows."""
    seed_shop(sim)
    number = booked(sim, {"ArticleNumber": "MUG", "DeliveredQuantity": 3, "Price": 100})
    assert stock_of(sim, "MUG") == 7
    credit = sim.put(f"/3/invoices/{number}/credit").json()["Invoice"]["CreditInvoiceReference"]
    assert stock_of(sim, "MUG") == 10

    answer = sim.put(f"/3/invoices/{credit}", {"Invoice": {"InvoiceRows": [
        {"Description": "Kredit av faktura " + number},
        {"ArticleNumber": "MUG", "DeliveredQuantity": -1, "Price": 100}]}})

    assert answer.status_code == 200, answer.text
    changed = answer.json()["Invoice"]
    assert changed["Total"] == Decimal(-125) and changed["InvoiceReference"] == number
    assert stock_of(sim, "MUG") == 8  # one mug came back, not three


def test_a_posted_credit_reference_links_nothing_by_default(sim: Sim) -> None:
    """No source shows what Fortnox does with CreditInvoiceReference in a POST. By default the
    simulator makes nothing of it, so nothing of ours may count on Fortnox linking a second
    credit; the original keeps naming its one credit made by /credit."""
    seed_shop(sim)
    number = booked(sim, {"ArticleNumber": "MUG", "DeliveredQuantity": 3, "Price": 100})
    first = sim.put(f"/3/invoices/{number}/credit").json()["Invoice"]["CreditInvoiceReference"]

    second = invoice(sim, {"Description": "Kopp", "DeliveredQuantity": -1, "Price": 100,
                           "AccountNumber": 3001}, CreditInvoiceReference=number)

    assert second["Credit"] == "false" and second["InvoiceReference"] == "0"
    assert get(sim, number)["CreditInvoiceReference"] == first


def test_a_posted_credit_reference_can_link_or_be_refused_by_knob(sim: Sim) -> None:
    seed_shop(sim)
    number = booked(sim, {"ArticleNumber": "MUG", "DeliveredQuantity": 3, "Price": 100})
    row = {"Description": "Kopp", "DeliveredQuantity": -1, "Price": 100, "AccountNumber": 3001}

    sim.control("POST", "/knobs", json={"credit_reference_on_post": "link"})
    linked = invoice(sim, row, CreditInvoiceReference=number)
    sim.control("POST", "/knobs", json={"credit_reference_on_post": "reject"})
    refused = sim.post("/3/invoices", {"Invoice": {"CustomerNumber": "100", "InvoiceRows": [row],
                                                   "CreditInvoiceReference": number}})

    assert linked["Credit"] == "true" and linked["InvoiceReference"] == number
    assert get(sim, number)["CreditInvoiceReference"] == "0"  # one link, made by /credit only
    assert refused.status_code == 400
    assert sim.control("POST", "/knobs", json={"credit_reference_on_post": "maybe"}
                       ).status_code == 400


@pytest.mark.parametrize("reference", ["999", "abc"])
def test_a_posted_credit_reference_must_name_an_invoice(sim: Sim, reference: str) -> None:
    seed_shop(sim)

    answer = sim.post("/3/invoices", {"Invoice": {
        "CustomerNumber": "100", "CreditInvoiceReference": reference,
        "InvoiceRows": [{"Description": "x", "DeliveredQuantity": -1, "Price": 1}]}})

    assert answer.status_code == 400


def test_credit_invoices_are_listed_with_the_credit_parameter(sim: Sim) -> None:
    seed_shop(sim)
    number = booked(sim, {"ArticleNumber": "MUG", "DeliveredQuantity": 1})
    credit = sim.put(f"/3/invoices/{number}/credit").json()["Invoice"]["CreditInvoiceReference"]

    listed = sim.get("/3/invoices", params={"credit": "true"}).json()["Invoices"]

    assert [i["DocumentNumber"] for i in listed] == [credit]


def test_the_fortnox_user_credits_and_cancels_invoices_in_the_gui(sim: Sim) -> None:
    seed_shop(sim)
    first = str(invoice(sim, {"ArticleNumber": "MUG", "DeliveredQuantity": 1})["DocumentNumber"])
    second = str(invoice(sim, {"ArticleNumber": "MUG", "DeliveredQuantity": 1})["DocumentNumber"])

    assert sim.control("POST", f"/invoices/{first}/bookkeep").status_code == 200
    credit = sim.control("POST", f"/invoices/{first}/credit").json()
    cancelled = sim.control("POST", f"/invoices/{second}/cancel").json()

    assert credit["Credit"] == "true" and credit["InvoiceReference"] == first
    assert cancelled["Cancelled"] is True
