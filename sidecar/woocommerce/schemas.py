"""marshmallow fields and schemas for what WooCommerce sends: orders, refunds, products.

WooCommerce's bodies are read tolerantly where plugins differ (extra keys ignored, a number
where text belongs read as text, null or "" for an empty amount or list) and strictly where a
wrong value would book wrong money: amounts come from the string totals as Decimal, never from
floats' binary values (woocommerce.md §2.4, §8.10), ids are whole numbers. A refusal names the
field the way the owner's words need it: `refusal()` turns marshmallow's nested messages into
one sentence such as "item line 1: quantity is not an amount: 'two'".
"""

from __future__ import annotations

import html
from collections.abc import Callable
from collections.abc import Mapping
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any
from typing import ClassVar

from marshmallow import EXCLUDE
from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import missing

ZERO = Decimal("0")


def shown(value: Any) -> str:
    """A value as the owner is shown it in a refusal: its repr, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Lenient(fields.Field):
    """A field for which null, "" and a missing key all mean `empty` (a missing key means
    `load_default` instead when one is given)."""

    empty: Any = None

    def deserialize(self, value: Any, attr: str | None = None,
                    data: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        if value is missing and self.load_default is not missing:
            return self.load_default
        if value is missing or value is None or (isinstance(value, str) and value == ""):
            return self.empty
        return self._deserialize(value, attr, data, **kwargs)


class Money(_Lenient):
    """An amount as Decimal; WooCommerce sends strings ("123.45"), some plugins numbers."""

    empty = ZERO

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            raise ValidationError(f"is not an amount: {shown(value)}")
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError(f"is not an amount: {shown(value)}") from None
        if not amount.is_finite():
            raise ValidationError(f"is not an amount: {shown(value)}")
        return amount


class WholeNumber(_Lenient):
    """An id or a count; WooCommerce sends them as numbers, some plugins as digit strings."""

    empty = 0

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            return int(value.strip())
        raise ValidationError(f"is not a whole number: {shown(value)}")


class Text(_Lenient):
    """Free text, HTML entities undone; a number where text belongs is read as text, a list or
    an object as nothing."""

    empty = ""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, list | dict):
            return ""
        return html.unescape(str(value))


class Flag(_Lenient):
    """A yes/no as WooCommerce and its plugins write it: true, "true", "yes" or 1."""

    empty = False

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        return value in (True, "true", "yes", 1)


class Entries(_Lenient):
    """A list of objects (line items, tax lines, meta data); null or missing is an empty list.

    With a schema, each object is loaded by it; without, the objects are kept as they came.
    `where(entry)` names one entry in a refusal ("item line 3"), or None to name only the field.
    """

    empty: Any = ()

    def __init__(self, schema: type[Schema] | None = None, *,
                 where: Callable[[Mapping[str, Any]], str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.schema = schema() if schema is not None else None
        self.where = where

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise ValidationError(f"is not a list of objects: {shown(value)}")
        if self.schema is None:
            return value
        loaded, errors = [], {}
        for index, entry in enumerate(value):
            try:
                loaded.append(self.schema.load(entry))
            except ValidationError as error:
                errors[index] = error.messages
        if errors:
            raise ValidationError(errors)
        return loaded


class Lenient(Schema):
    """Base of the WooCommerce schemas: unknown keys are ignored (plugins add them).

    `labels` names a field in a refusal when its key is not how the owner should read it.
    """

    labels: ClassVar[dict[str, str]] = {}

    class Meta:
        unknown = EXCLUDE


def refusal(schema: Schema, data: Any, messages: Any, prefix: str = "") -> str:
    """The first of marshmallow's error messages as one sentence naming the field."""
    if isinstance(messages, list):
        return f"{prefix}{messages[0]}"
    key, problem = next(iter(messages.items()))
    field = schema.fields.get(str(key))
    label = getattr(schema, "labels", {}).get(key, key)
    if isinstance(problem, list) or not isinstance(field, Entries) or field.schema is None:
        # Only Entries nest their messages; any other field has a list of them.
        return f"{prefix}{label} {problem[0] if isinstance(problem, list) else problem}"
    index, inner = next(iter(problem.items()))
    entry = data[key][index]
    where = f"{prefix}{field.where(entry)}: " if field.where else prefix
    return refusal(field.schema, entry, inner, where)


class NotReadable(ValueError):
    """A WooCommerce body of a shape WooCommerce would not send; the message names the field."""


class Plain(Text):
    """Text as stored: product names go back to WooCommerce as read, entities and all."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return "" if isinstance(value, list | dict) else str(value)


class StockQuantity(_Lenient):
    """The stock a product manages, as a whole number; none when it manages none."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(f"is not a quantity: {shown(value)}")
        return int(value)


class ProductSchema(Lenient):
    """A product or variation, from a webhook or the REST API (either route)."""

    id = WholeNumber()
    sku = Plain()
    type = Plain()
    parent_id = WholeNumber()
    name = Plain()
    regular_price = Plain()
    weight = Plain()
    tax_class = Plain()
    manage_stock = Flag()
    stock_quantity = StockQuantity()


PRODUCT = ProductSchema()


def load(schema: Schema, body: Any, *, what: str, refused: type[Exception],
         prefix: str = "") -> Any:
    """`body` loaded by `schema`; `refused` (with the field named after `prefix`) when it has
    a shape WooCommerce would not send."""
    if not isinstance(body, Mapping):
        raise refused(f"{what} is not a JSON object: {shown(body)}")
    try:
        return schema.load(body)
    except ValidationError as error:
        raise refused(refusal(schema, body, error.messages, prefix)) from None


def read_product(body: Any) -> dict[str, Any]:
    """The product's fields the sidecar reads; NotReadable names a field of the wrong kind."""
    where = f"product {shown(body.get('id'))}: " if isinstance(body, Mapping) else ""
    return load(PRODUCT, body, what="the product", refused=NotReadable,  # type: ignore[no-any-return]
                prefix=where)
