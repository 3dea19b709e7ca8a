"""marshmallow schemas for what the sidecar reads of Fortnox's answers.

Fortnox sends numbers as JSON numbers or as strings ("1", "12.50"), depending on the resource
and the field; both are read exactly, as Decimal. Keys the sidecar does not read are ignored. A
value of the wrong kind is refused with the field named (`read` raises a FortnoxError that no
retry helps); a key that is missing or null reads as its default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any
from typing import TypeVar

from marshmallow import EXCLUDE
from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import missing
from marshmallow import post_load

from sidecar.fortnox.errors import FortnoxError

T = TypeVar("T")
ZERO = Decimal(0)


class Number(fields.Field):
    """An exact number, sent as a number or a string; missing, null or "" is `empty`."""

    def __init__(self, empty: Decimal | None = ZERO, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.empty = empty

    def deserialize(self, value: Any, attr: str | None = None,
                    data: Mapping[str, Any] | None = None, **kwargs: Any) -> Decimal | None:
        if value is missing or value is None or value == "":
            return self.empty
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            raise ValidationError(f"is not a number: {value!r:.60}")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValidationError(f"is not a number: {value!r:.60}") from None
        if not number.is_finite():
            raise ValidationError(f"is not a number: {value!r:.60}")
        return number


class Text(fields.Field):
    """Text; a number where text belongs (a document number, say) is read as text."""

    def deserialize(self, value: Any, attr: str | None = None,
                    data: Mapping[str, Any] | None = None, **kwargs: Any) -> str:
        if value is missing or value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise ValidationError(f"is not text: {value!r:.60}")
        return str(value)


class Flag(fields.Field):
    """true/false, as JSON or as the strings "true"/"false"; missing or null is `empty`."""

    def __init__(self, empty: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.empty = empty

    def deserialize(self, value: Any, attr: str | None = None,
                    data: Mapping[str, Any] | None = None, **kwargs: Any) -> bool:
        if value is missing or value is None:
            return self.empty
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ValidationError(f"is not true or false: {value!r:.60}")


class Reading(Schema):
    class Meta:
        unknown = EXCLUDE


@dataclass(frozen=True)
class Account:
    """An account of the chart, as Fortnox has it in the financial year read."""

    number: int
    description: str
    active: bool


class AccountSchema(Reading):
    Number = fields.Integer(required=True, error_messages={
        "required": "is missing", "null": "is missing", "invalid": "is not a whole number"})
    Description = Text()
    Active = Flag(empty=True)

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Account:
        return Account(data["Number"], data["Description"], data["Active"])


@dataclass(frozen=True)
class StockBalance:
    """One article's stock at one stock point. Available = in stock - reserved."""

    item_id: str
    stock_point_code: str
    in_stock: Decimal
    available_stock: Decimal


class StockBalanceSchema(Reading):
    itemId = Text()
    stockPointCode = Text()
    inStock = Number()
    availableStock = Number()

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> StockBalance:
        return StockBalance(data["itemId"], data["stockPointCode"], data["inStock"],
                            data["availableStock"])


class TenantSchema(Reading):
    """The Lager check: whether the company runs Fortnox Lager."""

    activated = Flag()


@dataclass(frozen=True)
class ArticleFigures:
    """What the product and stock sync read of an article."""

    description: str
    vat: Decimal | None
    in_stock: Decimal
    available: Decimal
    stock_place: str


class ArticleSchema(Reading):
    Description = Text()
    VAT = Number(empty=None)
    QuantityInStock = Number()
    DisposableQuantity = Number()
    StockPlace = Text()

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> ArticleFigures:
        return ArticleFigures(data["Description"], data["VAT"], data["QuantityInStock"],
                              data["DisposableQuantity"], data["StockPlace"])


class DocumentRowSchema(Reading):
    VAT = Number()
    Price = Number()
    DeliveredQuantity = Number()
    Discount = Number()
    DiscountType = Text()


class DocumentSchema(Reading):
    """An order or invoice (whole, or as a list item), or a body the sidecar sent as one."""

    DocumentNumber = Text()
    ExternalInvoiceReference1 = Text()
    ExternalInvoiceReference2 = Text()
    OrderDate = Text()
    InvoiceDate = Text()
    Currency = Text()
    Total = Number()
    RoundOff = Number()
    Freight = Number()
    Cancelled = Flag()
    VATIncluded = Flag()
    OrderRows = fields.List(fields.Nested(DocumentRowSchema), load_default=list)
    InvoiceRows = fields.List(fields.Nested(DocumentRowSchema), load_default=list)


ACCOUNT = AccountSchema()
STOCK_BALANCE = StockBalanceSchema()
TENANT = TenantSchema()
ARTICLE = ArticleSchema()
DOCUMENT = DocumentSchema()


def read(schema: Schema, body: Any, what: str) -> Any:
    """`body` loaded by `schema`; a FortnoxError naming the field when Fortnox sent something
    the sidecar cannot read (retrying would only read it again)."""
    if not isinstance(body, Mapping):
        raise FortnoxError(f"Fortnox's {what} is not an object", retryable=False)
    try:
        return schema.load(body)
    except ValidationError as error:
        raise FortnoxError(f"Fortnox's {what}: {_named(error.messages)}",
                           retryable=False) from None


def _named(messages: Any, path: str = "") -> str:
    """The first refusal with the path of its field: "InvoiceRows[1].Price is not a number"."""
    if isinstance(messages, list):
        return f"{path} {messages[0]}"
    key, inner = next(iter(messages.items()))
    return _named(inner, path + (f"[{key}]" if isinstance(key, int) else
                                 f".{key}" if path else str(key)))
