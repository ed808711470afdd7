"""Pieces shared by the sync and async Redis stores: client import, URLs, key prefixes, JSON codec.

Nothing here talks to a server; the store modules do.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

from praisonai_persist import BackendNotInstalledError, InvalidIdentifierError, StoreConnectionError
from praisonai_persist.errors import WrongTypeError
from praisonai_persist.identifiers import validate_identifier
from praisonai_persist.urls import mask_url, redact, scheme_of

__all__ = [
    "DEFAULT_PREFIX",
    "SCAN_COUNT",
    "build_url",
    "DEFAULT_URL",
    "DISTRIBUTION",
    "connection_error",
    "decode",
    "encode",
    "escape_glob",
    "import_redis",
    "normalize_url",
    "pttl_to_seconds",
    "ttl_to_ms",
    "validate_key_prefix",
    "wrong_type",
]

DISTRIBUTION = "praisonai-persist-redis"
DEFAULT_URL = "redis://localhost:6379/0"
DEFAULT_PREFIX = "praison:"
SCAN_COUNT = 1000
_SCHEMES = {"redis": "redis", "rediss": "rediss", "valkey": "redis", "valkeys": "rediss", "unix": "unix"}
_GLOB_SPECIALS = frozenset("*?[]\\")


def import_redis(kind: str = "state") -> Any:
    """The ``redis`` package, or BackendNotInstalledError with the install line."""
    try:
        import redis
    except ImportError as exc:
        raise BackendNotInstalledError(kind, "redis", DISTRIBUTION, missing_module="redis", detail=str(exc)) from exc
    return redis


def normalize_url(url: str | None) -> str:
    """A URL redis-py understands: ``valkey://`` → ``redis://``, ``valkeys://`` → ``rediss://``."""
    if url is None:
        return DEFAULT_URL
    scheme = scheme_of(url)
    if scheme not in _SCHEMES:
        raise ValueError(
            f"Expected a redis://, rediss://, valkey://, valkeys:// or unix:// URL, got {mask_url(url)!r}."
        )
    return _SCHEMES[scheme] + url[len(scheme) :]


def build_url(url: str | None, host: str | None, port: int | None, db: int | None, password: str | None) -> str:
    """The connection URL from ``url`` or PraisonAI's ``host``/``port``/``db``/``password`` options."""
    if url is not None:
        return normalize_url(url)

    auth = f":{quote(password, safe='')}@" if password else ""
    return f"redis://{auth}{host or 'localhost'}:{port or 6379}/{db or 0}"


def validate_key_prefix(prefix: object) -> str:
    """A key prefix made of identifier segments separated by ``:`` (``"praison:"``, ``"app:state:"``)."""
    if not isinstance(prefix, str):
        raise InvalidIdentifierError(f"key_prefix must be a string, got {type(prefix).__name__}.")
    if len(prefix) > 128:
        raise InvalidIdentifierError(f"Invalid key_prefix {prefix[:20]!r}...: longer than 128 characters.")
    for segment in prefix.split(":"):
        validate_identifier(segment, "key_prefix segment", allow_empty=True)
    return prefix


def escape_glob(text: str) -> str:
    """``text`` with Redis glob specials backslash-escaped, so it matches only itself."""
    return "".join("\\" + c if c in _GLOB_SPECIALS else c for c in text)


#: Built once: json.dumps with any non-default option builds a new encoder on every call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def encode(value: Any) -> str:
    """JSON text of a state value; non-JSON values are a TypeError naming the allowed types."""
    try:
        return _ENCODER.encode(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"State values must be JSON values (dict, list, str, number, bool, None): {exc}") from exc


def decode(raw: str | bytes | None) -> Any:
    """The value a stored JSON text holds (``None`` stays ``None``)."""
    return None if raw is None else json.loads(raw)


def ttl_to_ms(ttl: Any) -> int | None:
    """Validated TTL in milliseconds (``None`` for no expiry)."""
    if ttl is None:
        return None
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or not ttl > 0 or math.isinf(ttl):
        raise ValueError(f"ttl must be a positive number of seconds or None, got {ttl!r}.")
    return max(1, round(ttl * 1000))


def pttl_to_seconds(pttl: int) -> int | None:
    """Whole seconds left from a PTTL reply (-1 no expiry, -2 missing → None)."""
    if pttl < 0:
        return None
    return max(1, math.ceil(pttl / 1000))


def connection_error(exc: BaseException, url: str) -> StoreConnectionError:
    """StoreConnectionError for a failed Redis call; the URL's secrets are masked."""
    return StoreConnectionError(
        f"Cannot reach Redis at {mask_url(url)}: {redact(str(exc), url)}. Check that the server runs and "
        "that the URL, password and TLS settings are right."
    )


@contextmanager
def wrong_type(response_error: type[BaseException], key: str, holds: str) -> Iterator[None]:
    """Turn Redis' WRONGTYPE reply into :class:`WrongTypeError` (``holds``: "hash" or "value")."""
    try:
        yield
    except response_error as exc:
        if "WRONGTYPE" not in str(exc):
            raise
        raise WrongTypeError(key, holds) from None
