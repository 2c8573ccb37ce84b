"""Authenticated encryption of small secrets under SECRET_KEY (AES-256-GCM, key from HKDF)."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_NONCE_BYTES = 12
_VERSION = b"\x01"


class Unsealable(Exception):
    """A sealed value was altered, or sealed under another key (SECRET_KEY changed)."""


class Sealer:
    """Seals and opens secrets that the server must read back (never passwords of accounts).

    Each purpose gets its own key, derived from SECRET_KEY by HKDF-SHA256, and the purpose and
    a context (e.g. the user id) are bound as associated data, so a value sealed for one user
    cannot be moved to another. Output: version byte, 96-bit random nonce, ciphertext+tag.
    """

    __slots__ = ("_keys", "_secret")

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()
        self._keys: dict[str, AESGCM] = {}

    def __repr__(self) -> str:
        return "Sealer(<secret>)"

    def _key(self, purpose: str) -> AESGCM:
        key = self._keys.get(purpose)
        if key is None:
            derived = HKDF(
                algorithm=hashes.SHA256(),
                length=32,
                salt=b"soundstack-sealing-v1",
                info=purpose.encode(),
            ).derive(self._secret)
            key = self._keys[purpose] = AESGCM(derived)
        return key

    def seal(self, purpose: str, context: str, plaintext: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        aad = f"{purpose}\0{context}".encode()
        return _VERSION + nonce + self._key(purpose).encrypt(nonce, plaintext.encode(), aad)

    def open(self, purpose: str, context: str, sealed: bytes) -> str:
        """The plaintext; Unsealable when the value was altered or sealed under another key."""
        if len(sealed) < 1 + _NONCE_BYTES + 16 or sealed[:1] != _VERSION:
            raise Unsealable("not a sealed value")
        nonce, body = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
        aad = f"{purpose}\0{context}".encode()
        try:
            return self._key(purpose).decrypt(nonce, body, aad).decode()
        except (InvalidTag, UnicodeDecodeError) as exc:
            raise Unsealable("the sealed value does not open under this key") from exc
