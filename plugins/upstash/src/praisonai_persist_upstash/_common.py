"""Pieces shared by the Upstash stores: client imports, credentials, key prefixes, the JSON codec."""

from __future__ import annotations

import json
import math
import os
from typing import Any

from praisonai_persist import BackendNotInstalledError, InvalidIdentifierError, StoreConnectionError
from praisonai_persist.identifiers import validate_identifier
from praisonai_persist.urls import redact

__all__ = [
    "DISTRIBUTION",
    "credentials",
    "decode",
    "encode",
    "escape_glob",
    "import_module_of",
    "pttl_to_seconds",
    "ttl_to_ms",
    "upstash_error",
    "validate_key_prefix",
]

DISTRIBUTION = "praisonai-persist-upstash"
_GLOB_SPECIALS = frozenset("*?[]\\")


def import_module_of(kind: str, backend: str, module: str) -> Any:
    """Import the client library on first use; a missing one is reported with the install line."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise BackendNotInstalledError(kind, backend, DISTRIBUTION, missing_module=module, detail=str(exc)) from exc


def credentials(url: str | None, token: str | None, url_env: str, token_env: str) -> tuple[str, str]:
    """REST URL and token from the arguments or the environment Upstash's console names."""
    url = url or os.environ.get(url_env)
    token = token or os.environ.get(token_env)
    if not url or not token:
        raise StoreConnectionError(
            f"Upstash needs a REST URL and a token: pass url=... and token=..., or set {url_env} and {token_env}."
        )
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"The Upstash REST URL must start with https:// (got {url.split('://')[0]}://...).")
    return url.rstrip("/"), token


def upstash_error(exc: BaseException, url: str, token: str) -> StoreConnectionError:
    """StoreConnectionError for a failed REST call; the token never appears."""
    text = redact(str(exc), url).replace(token, "***")
    return StoreConnectionError(
        f"Upstash at {url} failed: {text or type(exc).__name__}. Check the REST URL, the token and the network."
    )


def validate_key_prefix(prefix: object) -> str:
    """A key prefix made of identifier segments separated by ``:`` (``"praison:"``)."""
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


def encode(value: Any) -> str:
    """JSON text of a state value; non-JSON values are a TypeError naming the allowed types."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"State values must be JSON values (dict, list, str, number, bool, None): {exc}") from exc


def decode(raw: str | None) -> Any:
    return None if raw is None else json.loads(raw)


def ttl_to_ms(ttl: Any) -> int | None:
    if ttl is None:
        return None
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or not ttl > 0 or math.isinf(ttl):
        raise ValueError(f"ttl must be a positive number of seconds or None, got {ttl!r}.")
    return max(1, round(ttl * 1000))


def pttl_to_seconds(pttl: int) -> int | None:
    return None if pttl < 0 else max(1, math.ceil(pttl / 1000))
