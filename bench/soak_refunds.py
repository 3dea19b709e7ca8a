"""The soak's refund invariants: every WooCommerce refund is booked in Fortnox once, exactly.

For each refund of each order, what the ledger says it became must be in the Fortnox
simulator's state, and nothing else:

- a credit invoice: exactly one live invoice with the refund's key; its total (before
  öresavrundning) is minus the refund's amount; a refund with lines has WooCommerce's refunded
  VAT per rate, negated; and it is linked: the invoice's own credit (CreditInvoiceReference and
  InvoiceReference both ways) or, for a later credit, one naming the invoice in its text;
- a correction of the Fortnox order before invoicing: its "Återbetalning <id>" row once;
- a refund of the whole order before invoicing: the Fortnox order cancelled;
- not booked (the order was cancelled in Fortnox, say): no document for it at all.

Goods WooCommerce put back in stock for an order's booked refunds come back in Fortnox through
exactly as many units on article rows of those documents.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.sim.fortnox.money import RowInput
from sidecar.sim.fortnox.money import document_totals


def refund_outcomes(shop: Any) -> dict[int, dict[int, tuple[str, str, str]]]:
    """Woo order id → refund id → (state, kind, Fortnox number), from the sidecar's ledger
    (call inside the sidecar's database context)."""
    found: dict[int, dict[int, tuple[str, str, str]]] = {}
    rows = {row.id: row.woo_order_id for row in OrderLedger.select().where(
        OrderLedger.shop == shop)}
    for step in OrderStep.select().where(OrderStep.step.startswith("refund:")).order_by(
            OrderStep.id):
        refund_id = step.step.partition(":")[2]
        if step.ledger_id in rows and refund_id.isdigit():
            kind = step.request.get("kind", "") if isinstance(step.request, dict) else ""
            found.setdefault(rows[step.ledger_id], {})[int(refund_id)] = (
                step.state, kind, str(step.fortnox_number or ""))
    return found


def check_refunds(store: Any, documents: Any, key_of: Any,
                  outcomes: dict[int, dict[int, tuple[str, str, str]]]) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    problems: list[dict[str, Any]] = []
    invoices = [i for i in documents.invoices.values() if not i["Cancelled"]]
    for order_id, order in store.orders.items():
        if not order["refund_ids"]:
            continue
        key = key_of(order_id)
        fortnox_orders = [o for o in documents.orders.values()
                          if o["ExternalInvoiceReference1"] == key]
        restocked_units = Decimal(0)
        booked_all = True
        for refund_id in order["refund_ids"]:
            refund = store.refunds[refund_id]
            counts["refunds"] += 1
            credits = [i for i in invoices
                       if i["ExternalInvoiceReference1"] == f"{key}/refund-{refund_id}"]
            corrections = sum(1 for o in fortnox_orders for row in o["OrderRows"]
                              if row["Description"] == f"Återbetalning {refund_id}")
            state, kind, number = outcomes.get(order_id, {}).get(refund_id, ("", "", ""))
            problem = _problem(refund, state, kind, number, credits, corrections,
                               fortnox_orders, documents)
            counts[f"refund_{kind or 'missing'}"] += 1
            if len(credits) > 1 or corrections > 1:
                counts["refund_duplicates"] += 1
            if problem:
                counts["refund_mismatch"] += 1
                problems.append({"order": order_id, "refund": refund_id, "problem": problem})
            if state != "done" or kind not in ("credit", "order"):
                booked_all = False
            restocked_units += sum(
                (_article_units(c["InvoiceRows"]) for c in credits), Decimal(0))
            restocked_units += sum((_correction_units(o["OrderRows"], refund_id)
                                    for o in fortnox_orders), Decimal(0))
        woo_restocked = sum((Decimal(m["value"]) for item in order["line_items"]
                             for m in item["meta_data"]
                             if m["key"] == "_restock_refunded_items"), Decimal(0))
        if booked_all and restocked_units != -woo_restocked:
            counts["restock_mismatch"] += 1
            problems.append({"order": order_id, "problem": f"{woo_restocked} units restocked "
                             f"in WooCommerce, {-restocked_units} through Fortnox documents"})
    return {"refunds": counts["refunds"], "refund_credits": counts["refund_credit"],
            "refund_corrections": counts["refund_order"],
            "refund_order_cancels": counts["refund_order_cancelled"],
            "refunds_missing": counts["refund_missing"],
            "refund_duplicates": counts["refund_duplicates"],
            "refund_mismatch": counts["refund_mismatch"],
            "restock_mismatch": counts["restock_mismatch"],
            "refunds_not_booked": counts["refunds"] - counts["refund_credit"]
            - counts["refund_order"] - counts["refund_order_cancelled"]
            - counts["refund_missing"],
            "refund_problems": problems[:10]}


def _problem(refund: dict[str, Any], state: str, kind: str, number: str,
             credits: list[dict[str, Any]], corrections: int,
             fortnox_orders: list[dict[str, Any]], documents: Any) -> str:
    if not state:
        return "no outcome in the ledger"
    if state != "done":
        return "booked although noted" if credits or corrections else ""
    if kind == "order":
        return "" if corrections == 1 and not credits else (
            f"{corrections} corrections, {len(credits)} credits")
    if kind == "order_cancelled":
        return "" if all(o["Cancelled"] for o in fortnox_orders) else "order not cancelled"
    if kind != "credit" or len(credits) != 1:
        return f"{len(credits)} credits for kind {kind}"
    credit = credits[0]
    if str(credit["DocumentNumber"]) != number:
        return f"ledger names {number}, Fortnox has {credit['DocumentNumber']}"
    if credit["Total"] - credit["RoundOff"] != -refund["amount"]:
        return f"credit totals {credit['Total'] - credit['RoundOff']}, refund {refund['amount']}"
    has_lines = any(refund[k] for k in ("line_items", "shipping_lines", "fee_lines"))
    wanted = {Decimal(str(t["rate_percent"])): Decimal(t["tax_total"])
              + Decimal(t["shipping_tax_total"]) for t in refund.get("tax_lines") or []}
    if has_lines and _vat(credit) != {r: v for r, v in wanted.items() if v}:
        return f"credit VAT {_vat(credit)}, refund VAT {wanted}"
    return _unlinked(credit, documents)


def _unlinked(credit: dict[str, Any], documents: Any) -> str:
    original = documents.invoices.get(str(credit["InvoiceReference"]))
    if original is not None:  # made by /credit: linked both ways
        return "" if original["CreditInvoiceReference"] == credit["DocumentNumber"] else (
            "the invoice does not name its credit")
    named = [i for i in documents.invoices.values()
             if f"Kreditering av faktura {i['DocumentNumber']}:" in str(credit["Remarks"])]
    return "" if named else "the credit names no invoice"


def _vat(document: dict[str, Any]) -> dict[Decimal, Decimal]:
    found = {}
    for rate in {row["VAT"] for row in document["InvoiceRows"]}:
        vat = document_totals([RowInput(r["Price"], r["DeliveredQuantity"], r["VAT"],
                                        r["Discount"], r["DiscountType"])
                               for r in document["InvoiceRows"] if r["VAT"] == rate],
                              vat_included=document["VATIncluded"],
                              round_to_whole_kronor=False).total_vat
        if vat:
            found[rate] = vat
    return found


def _article_units(rows: list[dict[str, Any]]) -> Decimal:
    return sum((r["DeliveredQuantity"] for r in rows if r["ArticleNumber"]), Decimal(0))


def _correction_units(rows: list[dict[str, Any]], refund_id: int) -> Decimal:
    """Article units of one refund's rows on a corrected Fortnox order (after its text row,
    up to the next text row or the öre rows)."""
    units, inside = Decimal(0), False
    for row in rows:
        description = str(row["Description"])
        if description.startswith("Återbetalning "):
            inside = description == f"Återbetalning {refund_id}"
        elif description.startswith(("Öresjustering", "Öresavrundning")):
            inside = False
        elif inside and row["ArticleNumber"]:
            units += row["DeliveredQuantity"]
    return units
