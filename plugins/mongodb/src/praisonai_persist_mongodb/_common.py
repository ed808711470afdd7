"""Pieces shared by the MongoDB stores: client import, URL and name checks, the state document codec.

State documents: ``{_id: key, json: "<JSON text>", expires_at: datetime | None}`` for values and
``{_id: key, hash: {escaped_field: "<JSON text>"}, expires_at: ...}`` for hashes. Values travel as
JSON text so every JSON value keeps its exact type (BSON has no arbitrary-size ints and restricts
field names); documents written by PraisonAI (a native ``value`` field) are still read.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from praisonai_persist import BackendNotInstalledError, StoreConnectionError
from praisonai_persist.errors import WrongTypeError
from praisonai_persist.identifiers import validate_identifier
from praisonai_persist.state import check_ttl
from praisonai_persist.urls import mask_url, redact, scheme_of

__all__ = [
    "DEFAULT_URL",
    "DISTRIBUTION",
    "connection_error",
    "decode",
    "decode_field",
    "encode",
    "encode_field",
    "expiry",
    "import_pymongo",
    "is_live",
    "live",
    "now",
    "prefix_regex",
    "seconds_left",
    "validate_url",
    "hash_doc",
    "value_doc",
]

DISTRIBUTION = "praisonai-persist-mongodb"
DEFAULT_URL = "mongodb://localhost:27017"
_SCHEMES = ("mongodb", "mongodb+srv")


def import_pymongo(kind: str, backend: str) -> Any:
    """The ``pymongo`` package, or BackendNotInstalledError with the install line."""
    try:
        import pymongo
    except ImportError as exc:
        raise BackendNotInstalledError(kind, backend, DISTRIBUTION, missing_module="pymongo", detail=str(exc)) from exc
    return pymongo


def validate_url(url: str | None) -> str:
    """``url`` if it is a mongodb:// or mongodb+srv:// URL (default: localhost)."""
    if url is None:
        return DEFAULT_URL
    if scheme_of(url) not in _SCHEMES:
        raise ValueError(f"Expected a mongodb:// or mongodb+srv:// URL, got {mask_url(url)!r}.")
    return url


def validate_names(database: str, collection: str) -> tuple[str, str]:
    """Database and collection names are identifiers (they reach the server as names)."""
    return validate_identifier(database, "database name"), validate_identifier(collection, "collection name")


def connection_error(exc: BaseException, url: str) -> StoreConnectionError:
    """StoreConnectionError for a failed MongoDB call; the URL's secrets are masked."""
    return StoreConnectionError(
        f"Cannot reach MongoDB at {mask_url(url)}: {redact(str(exc), url)}. Check that the server runs and that "
        "the URL, credentials and TLS settings are right."
    )


def encode(value: Any) -> str:
    """JSON text of a state value; non-JSON values are a TypeError naming the allowed types."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"State values must be JSON values (dict, list, str, number, bool, None): {exc}") from exc


def decode(doc: dict[str, Any] | None) -> Any:
    """The value a state document holds (hash documents read back as dicts)."""
    if doc is None:
        return None
    if "json" in doc:
        return json.loads(doc["json"])
    if "hash" in doc:
        return {decode_field(k): json.loads(v) for k, v in (doc["hash"] or {}).items()}
    return doc.get("value")  # written by PraisonAI's MongoDB state store


def value_doc(doc: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
    """``doc`` when it holds a plain value (or is ``None``); a hash document raises WrongTypeError."""
    if doc is not None and "hash" in doc:
        raise WrongTypeError(key, "hash")
    return doc


def hash_doc(doc: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
    """``doc`` when it holds a hash (or is ``None``); a plain-value document raises WrongTypeError."""
    if doc is not None and "hash" not in doc:
        raise WrongTypeError(key, "value")
    return doc


def encode_field(field: str) -> str:
    """A hash field as a MongoDB field name: ``%``, ``.`` and ``$`` are percent-escaped."""
    if field == "":
        return "%"
    return field.replace("%", "%25").replace(".", "%2E").replace("$", "%24")


def decode_field(name: str) -> str:
    if name == "%":
        return ""
    return name.replace("%24", "$").replace("%2E", ".").replace("%25", "%")


def now() -> datetime:
    return datetime.now(timezone.utc)


def expiry(ttl: Any) -> datetime | None:
    """Absolute expiry time for a TTL in seconds (``None``: no expiry)."""
    seconds = check_ttl(ttl)
    return None if seconds is None else now() + timedelta(seconds=seconds)


def live(key: Any = None) -> dict[str, Any]:
    """Filter for documents that have not expired (TTL monitors run only once a minute)."""
    condition: dict[str, Any] = {"$or": [{"expires_at": None}, {"expires_at": {"$gt": now()}}]}
    if key is not None:
        condition["_id"] = key
    return condition


def seconds_left(doc: dict[str, Any] | None) -> int | None:
    """Whole seconds (rounded up) until a document expires; None without expiry or document."""
    expires = None if doc is None else _expires(doc)
    if expires is None:
        return None
    return max(1, math.ceil((expires - now()).total_seconds()))


def _expires(doc: dict[str, Any]) -> datetime | None:
    """The document's expiry as an aware datetime (naive values are UTC; ISO text is parsed)."""
    value = doc.get("expires_at")
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def is_live(doc: dict[str, Any] | None) -> bool:
    """True for a document that exists and has not expired."""
    if doc is None:
        return False
    expires = _expires(doc)
    return expires is None or expires > now()


def prefix_regex(pattern: str, *, glob: bool = True) -> str:
    """Anchored regex of a literal prefix, or of a glob's literal head (up to its first special character)."""
    head = re.split(r"[*?\[\\]", pattern, maxsplit=1)[0] if glob else pattern
    return "^" + re.escape(head)
