"""`/3/articles` and `/3/prices`: articles with their stock figures, and price list prices."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import Response
from flask import request

from sidecar.sim.fortnox.listing import ListRules
from sidecar.sim.fortnox.rest import body_of
from sidecar.sim.fortnox.rest import locked
from sidecar.sim.fortnox.rest import many
from sidecar.sim.fortnox.rest import one
from sidecar.sim.fortnox.rest import sim
from sidecar.sim.fortnox.rest import url_for_item
from sidecar.sim.fortnox.values import render
from sidecar.sim.fortnox.values import to_decimal

bp = Blueprint("fortnox_articles", __name__)

# List item fields, from the spec's ArticleListItem schema.
ARTICLE_LIST_KEYS = ("ArticleNumber", "Description", "DisposableQuantity", "EAN", "Housework",
                     "PurchasePrice", "QuantityInStock", "ReservedQuantity", "SalesPrice",
                     "StockPlace", "StockValue", "Unit", "VAT", "WebshopArticle")
ARTICLE_RULES = ListRules(
    search={"articlenumber": "ArticleNumber", "description": "Description", "ean": "EAN",
            "suppliernumber": "SupplierNumber", "manufacturer": "Manufacturer",
            "manufacturerarticlenumber": "ManufacturerArticleNumber"},
    filters={"active": lambda a: a["Active"], "inactive": lambda a: not a["Active"]},
    sort={"articlenumber": "ArticleNumber", "quantityinstock": "QuantityInStock",
          "reservedquantity": "ReservedQuantity", "stockvalue": "StockValue"},
    default_sort="ArticleNumber",
)


@bp.get("/3/articles")
@locked
def list_articles() -> Response:
    state = sim()
    items = [state.article_view(a) for a in state.articles.values()]
    return many("Articles", items, ARTICLE_RULES, ARTICLE_LIST_KEYS,
                lambda a: url_for_item("articles", a["ArticleNumber"]))


@bp.get("/3/articles/<path:number>")
@locked
def get_article(number: str) -> Response:
    state = sim()
    return one("Article", state.article_view(state.article(number)),
               url_for_item("articles", number))


@bp.post("/3/articles")
@locked
def create_article() -> Response:
    state = sim()
    article = state.create_article(body_of("Article", "fortnox_Article"))
    return one("Article", state.article_view(article),
               url_for_item("articles", article["ArticleNumber"]), 201)


@bp.put("/3/articles/<path:number>")
@locked
def update_article(number: str) -> Response:
    state = sim()
    article = state.update_article(number, body_of("Article", "fortnox_Article"))
    return one("Article", state.article_view(article), url_for_item("articles", number))


def _price_url(price: dict[str, Any]) -> str:
    return url_for_item("prices", price["PriceList"], price["ArticleNumber"],
                        str(render(price["FromQuantity"])))


@bp.get("/3/prices/sublist/<price_list>/<path:article>")
@locked
def list_price_breaks(price_list: str, article: str) -> Response:
    state = sim()
    state.register_item("pricelists", price_list)
    state.article(article)
    items = [p for (pl, art, _), p in sorted(state.prices.items()) if pl == price_list
             and art == article]
    return many("Prices", items, ListRules(), None, _price_url)


@bp.post("/3/prices")
@locked
def create_price() -> Response:
    body = body_of("Price", "fortnox_Price")
    price = sim().set_price(str(body.get("PriceList", "")), str(body.get("ArticleNumber", "")),
                            to_decimal(body.get("FromQuantity", 0), "FromQuantity"),
                            to_decimal(body.get("Price", 0), "Price"))
    return one("Price", price, _price_url(price), 201)


@bp.route("/3/prices/<price_list>/<article>", methods=["GET", "PUT"])
@bp.route("/3/prices/<price_list>/<article>/<from_quantity>", methods=["GET", "PUT", "DELETE"])
@locked
def price(price_list: str, article: str, from_quantity: str = "0") -> Response:
    state = sim()
    quantity = to_decimal(from_quantity, "FromQuantity")
    if request.method == "GET":
        found = state.price(price_list, article, quantity)
        return one("Price", found, _price_url(found))
    if request.method == "DELETE":
        state.price(price_list, article, quantity)
        del state.prices[(price_list, article, quantity)]
        return Response(status=204)
    body = body_of("Price", "fortnox_Price")
    updated = state.set_price(price_list, article, quantity,
                              to_decimal(body.get("Price", 0), "Price"), create=False)
    return one("Price", updated, _price_url(updated))

