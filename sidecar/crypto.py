"""Encryption at rest for credentials and tokens (Fernet, key derived from SIDECAR_SECRET_KEY)."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet
from cryptography.fernet import InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Bound by the app factory (and by CLI commands) before any model touches an encrypted field;
# module state, like the database proxy, so that models stay plain declarations.
_fernet: Fernet | None = None


class SecretUnreadable(Exception):
    """A stored secret was encrypted with another SIDECAR_SECRET_KEY."""


def derive_fernet_key(secret_key: str) -> bytes:
    """A Fernet key of its own for storage, so the session signing key is never reused as-is."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"sidecar-storage-v1")
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode("utf-8")))


def configure(secret_key: str) -> None:
    global _fernet
    _fernet = Fernet(derive_fernet_key(secret_key))


def _cipher() -> Fernet:
    if _fernet is None:
        raise RuntimeError("sidecar.crypto.configure() was not called")
    return _fernet


def encrypt(plaintext: str) -> str:
    return _cipher().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise SecretUnreadable(
            "a stored secret cannot be decrypted: SIDECAR_SECRET_KEY changed since it was saved"
        ) from None
