"""A dry run: the exact Fortnox payloads an order would give, and why each row is as it is.

Nothing is sent: the customer number comes from our own links (or is shown as "new"), the
article register from the facts cache (read-only requests), so the owner can check the mapping
of any order before, or instead of, exporting it. The CLI prints it; the settings page will too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import CustomerLink
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sync.orders.customer_mapping import map_customer
from sidecar.sync.orders.customers import match_keys
from sidecar.sync.orders.fortnox_facts import FortnoxFacts
from sidecar.sync.orders.mapping import ExportContext
from sidecar.sync.orders.mapping import map_order
from sidecar.sync.orders.mapping import order_reference
from sidecar.sync.orders.plan import eligibility
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import OrderNotMappable
from sidecar.sync.orders.woo_order import parse_order

NEW_CUSTOMER = "(new customer)"


def dry_run(shop: Shop, payload: Mapping[str, Any], *, settings: ExportSettings,
            facts: FortnoxFacts | None, unread: str | Message = "",
            notes: tuple[Message, ...] = ()) -> dict[str, Any]:
    """`facts` None: Fortnox could not be read (`unread` says why), so whether each SKU is an
    article is not known, which is said as such (never as "article missing"). An order the
    export would stop for (an unknown SKU with "Stop") is shown with the reason, never raised.
    An order already in Fortnox says so, with its documents. Reasons and warnings are
    `Message`s (English in `str()`), shown in the reader's language."""
    order = parse_order(payload)
    verdict = eligibility(order, settings)
    customer = map_customer(order, settings)
    number = customer.match.shared_customer_number or _linked_number(shop, match_keys(customer))
    warnings: list[str | Message] = list(notes)
    if facts is None:
        warnings.append(msg("dry_run.fortnox_unreachable", reason=unread or "–"))
        settings = replace(settings, unknown_article="description_only")
    result: dict[str, Any] = {
        "order": order.id, "reference": order_reference(settings.shop_slug, order.id),
        "eligible": verdict.eligible, "eligibility": verdict.reason, "stopped": "",
        "exported": already_exported(shop, order.id), "currency": order.currency,
        "steps": [], "customer": {"number": number or NEW_CUSTOMER,
                                  "payload": customer.payload},
        "order_payload": None, "invoice_payload": None, "articles_to_create": [], "rows": [],
        "expected_total": order.total, "expected_vat": [], "warnings": warnings}
    try:
        mapped = map_order(order, settings, ExportContext(
            number or NEW_CUSTOMER, fortnox_articles=facts.articles if facts else {},
            warehouse_active=facts.warehouse_active if facts else False))
    except OrderNotMappable as exc:
        result["stopped"] = exc.message
        return result
    result.update({
        "steps": list(mapped.plan.steps), "order_payload": mapped.order,
        "invoice_payload": mapped.invoice, "articles_to_create": list(mapped.articles_to_create),
        "rows": [{f.name: getattr(r, f.name) for f in fields(r)} for r in mapped.rows],
        "expected_total": mapped.expected_total,
        "expected_vat": [{"rate": rate, "vat": vat} for rate, vat in mapped.expected_vat],
        # Without Fortnox's articles no SKU is known to be missing: not said per line.
        "warnings": warnings + [w for w in mapped.warnings if facts is not None or not (
            isinstance(w, Message) and w.code.startswith("lines."))]})
    return result


def already_exported(shop: Shop, order_id: int) -> Message | None:
    """"Already exported as invoice 12" for an order the ledger has in Fortnox."""
    ledger = OrderLedger.get_or_none((OrderLedger.shop == shop)
                                     & (OrderLedger.woo_order_id == order_id))
    if ledger is None:
        return None
    documents = [msg(f"dry_run.document.{kind}", number=number) for kind, number in (
        ("order", ledger.fortnox_order_number), ("invoice", ledger.fortnox_invoice_number))
        if number]
    if not documents:
        return None
    shown: Message = documents[0] if len(documents) == 1 else msg(
        "dry_run.documents_both", first=documents[0], second=documents[1])
    return msg("dry_run.already_exported", documents=shown)


def _linked_number(shop: Shop, keys: list[str]) -> str:
    for key in keys:
        link = CustomerLink.get_or_none((CustomerLink.shop == shop)
                                        & (CustomerLink.match_key == key))
        if link is not None:
            return str(link.fortnox_customer_number)
    return ""


def as_json(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False, default=_plain)


def as_text(result: dict[str, Any]) -> str:
    verdict = (f"stops: {result['stopped']}" if result.get("stopped") else
               str(result["exported"]) if result.get("exported") else
               "will be exported" if result["eligible"] else "not exported")
    lines = [f"Order {result['order']} ({result['reference']}): {verdict}"
             + f" - {result['eligibility']}",
             f"Steps: {', '.join(result['steps'])}",
             f"Customer: {result['customer']['number']}",
             "", "Rows:"]
    for row in result["rows"]:
        lines.append(f"  {row['description'][:40]:<40} {row['total']:>10}  VAT {row['vat']}% "
                     f"({row['vat_reason']})  account {row['account']} ({row['account_reason']})")
    vat = ", ".join(f"{v['rate']}%: {v['vat']}" for v in result["expected_vat"])
    lines += ["", f"Expected total {result['expected_total']}; VAT {vat or 'none'}"]
    lines += [f"Warning: {w}" for w in result["warnings"]]
    for name in ("order_payload", "invoice_payload"):
        if result[name]:
            lines += ["", f"{name.replace('_', ' ').capitalize()}:",
                      json.dumps(result[name], indent=2, ensure_ascii=False, default=_plain)]
    return "\n".join(lines)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal | Message):
        return str(value)
    raise TypeError(type(value).__name__)
