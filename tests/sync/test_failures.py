"""One classification of failures: passing (retried), needs the owner (parked with a fix), or a
bug (parked with details); a side call is named in the words and the hint."""

from __future__ import annotations

import pytest
from peewee import OperationalError

from sidecar.fortnox import FortnoxAuthError
from sidecar.fortnox import FortnoxNotFound
from sidecar.fortnox import FortnoxOutcomeUnknown
from sidecar.fortnox import FortnoxPermissionDenied
from sidecar.fortnox import FortnoxRateLimited
from sidecar.fortnox import FortnoxTransient
from sidecar.fortnox import FortnoxValidationError
from sidecar.sync.failures import BUG
from sidecar.sync.failures import OWNER
from sidecar.sync.failures import PASSING
from sidecar.sync.failures import SideCall
from sidecar.sync.failures import classify
from sidecar.woocommerce.errors import WooAuthError
from sidecar.woocommerce.errors import WooError


@pytest.mark.parametrize(("error", "kind", "cause"), [
    (FortnoxTransient("Service unavailable", status=503), PASSING, "fortnox.no_proper_answer"),
    (FortnoxOutcomeUnknown("No answer"), PASSING, "fortnox.no_proper_answer"),
    (FortnoxRateLimited("Too many", retry_after=5), PASSING, "fortnox.busy"),
    (FortnoxAuthError("Unauthorized", status=401), OWNER, "fortnox.sign_in_refused"),
    (FortnoxPermissionDenied("Saknar behörighet", status=403), OWNER, "fortnox.refused"),
    (FortnoxValidationError("Kunde inte hitta konto 3520", status=400, code=2001304), OWNER,
     "fortnox.said.2001304"),
    (FortnoxValidationError("Något annat", status=400, code=2999999), OWNER,
     "fortnox.said.2999999"),
    (FortnoxValidationError("För långt värde", status=400, code=2000107), BUG,
     "fortnox.said.2000107"),
    (WooError("Gateway timeout", status=504, retryable=True), PASSING, "woo.said"),
    (WooAuthError("Consumer key is invalid", status=401), OWNER, "woo.said"),
    (OperationalError("database is locked"), PASSING, "database.busy"),
    (KeyError("Total"), BUG, "bug.KeyError"),
])
def test_each_failure_is_sorted_once(error: Exception, kind: str, cause: str) -> None:
    failure = classify(error)

    assert (failure.kind, failure.cause) == (kind, cause)
    assert failure.retryable == (kind == PASSING)
    assert failure.problem.english() and failure.advice.english()


def test_an_account_missing_in_fortnox_gets_its_own_fix() -> None:
    failure = classify(FortnoxValidationError("Kunde inte hitta konto (3520)", status=400,
                                              code=2001304))

    assert failure.advice.english().startswith("Account 3520 does not exist in Fortnox")


def test_a_bug_keeps_where_it_happened() -> None:
    from sidecar.sync.orders.export_errors import explain

    try:
        {}["Total"]
    except KeyError as exc:
        failure = classify(exc)
        exported = explain(exc)

    assert "test_a_bug_keeps_where_it_happened" in failure.details["traceback"]
    assert "tell us" in failure.advice.english()
    assert exported.kind == BUG and not exported.retryable  # parked at once, with the details
    assert exported.details == failure.details


def test_a_failed_side_call_names_the_call_not_a_document() -> None:
    lager = SideCall("warehouse")

    passing = classify(FortnoxTransient("Simulated error 503", status=503), call=lager)
    refused = classify(FortnoxValidationError("Nej", status=400, code=2999999), call=lager)

    assert passing.kind == PASSING and passing.cause == "fortnox.no_proper_answer@warehouse"
    assert "Lager check (GET /api/warehouse/tenants-v4)" in passing.problem.english()
    assert passing.problem.english().startswith("Nothing was sent to Fortnox yet")
    assert "Lager check" in passing.advice.english()
    assert "document" not in passing.advice.english()
    assert refused.kind == OWNER and "Lager check" in refused.advice.english()
    assert "rejected the document" not in refused.advice.english()


def test_a_missing_article_looked_up_is_named_by_its_number() -> None:
    failure = classify(FortnoxNotFound("Hittades inte", status=404),
                       call=SideCall("article", "MUG-1"))

    assert "looking up article MUG-1 (GET /3/articles/MUG-1)" in failure.problem.english()
