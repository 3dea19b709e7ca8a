"""Request bodies are bounded on every route, and refused before they are read."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sidecar.models import Owner
from sidecar.web.site import MAX_BODY_BYTES


class Untouchable(io.RawIOBase):
    """A request body that fails the test if anyone reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        raise AssertionError("the body was read")


def post_declaring(client: FlaskClient, path: str, length: int):  # type: ignore[no-untyped-def]
    return client.post(path, content_type="application/x-www-form-urlencoded",
                       environ_overrides={"wsgi.input": Untouchable(),
                                          "CONTENT_LENGTH": str(length)})


@pytest.mark.parametrize("path", ["/auth/sign-in", "/api/orders/1/resend", "/language",
                                  "/settings"])
def test_a_gibibyte_body_is_refused_before_it_is_read(client: FlaskClient, owner: Owner,
                                                       path: str) -> None:
    response = post_declaring(client, path, 1024**3)

    assert response.status_code in (413, 302), response.text  # 302: sign in first, unread
    if path in ("/auth/sign-in", "/api/orders/1/resend", "/language"):
        assert response.status_code == 413


def test_a_body_over_the_page_limit_is_refused_when_signed_in(signed_in: FlaskClient) -> None:
    response = post_declaring(signed_in, "/settings", MAX_BODY_BYTES + 1)

    assert response.status_code == 413


def test_a_form_under_the_limit_is_still_read(client: FlaskClient, owner: Owner) -> None:
    response = client.post("/auth/sign-in", data={"email": "x" * 500_000, "password": "p"})

    assert response.status_code == 403  # read, then refused for its missing CSRF token


def test_the_limit_is_set_on_the_app(app: Flask) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
