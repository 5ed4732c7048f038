"""Encryption of personal fields at rest, and the keyed blind index for exact-match search.

* Values are encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``)
  through :class:`~cryptography.fernet.MultiFernet`: the first key of
  ``SAFERHUB_CASES_KEYS`` encrypts, every key decrypts, so keys can be rotated without
  downtime (``saferhub cases rotate-keys`` re-encrypts every value with the first key).
* The blind index is HMAC-SHA256 under ``SAFERHUB_CASES_INDEX_KEY`` of a normalised value
  (name folded to lower case with spaces collapsed, plus the ISO date of birth): equal
  inputs give equal digests, so an exact match is a plain indexed lookup, and the digest
  alone reveals nothing without the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "f1:"  # marks an encrypted value in the database


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("SAFERHUB_CASES_KEYS must name at least one Fernet key.")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "SAFERHUB_CASES_KEYS holds a value that is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.SAFERHUB_CASES_KEYS))


def encrypt(text: str) -> str:
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("The value is not encrypted.")
    try:
        return fernet().decrypt(token[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A personal field cannot be decrypted with any key in SAFERHUB_CASES_KEYS "
            "(was a key removed before `saferhub cases rotate-keys` ran?)."
        ) from exc


def rotate(token: str) -> str:
    """The same value encrypted under the first (newest) key."""
    return PREFIX + fernet().rotate(token[len(PREFIX) :].encode()).decode()


def normalise_name(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(folded.split())


def blind_index(name: str, date_of_birth: dt.date | None) -> str:
    """The keyed digest of name plus date of birth ('' when either is missing)."""
    if not name.strip() or date_of_birth is None:
        return ""
    message = f"{normalise_name(name)}|{date_of_birth.isoformat()}".encode()
    key = settings.SAFERHUB_CASES_INDEX_KEY.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
