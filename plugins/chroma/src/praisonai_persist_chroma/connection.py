"""Where a Chroma store connects: an embedded PersistentClient (a path) or a Chroma server.

A directory path (or ``chroma:///path``) opens the embedded engine; ``http(s)://HOST:PORT`` and
``chroma://HOST:PORT`` talk to a Chroma server (``api_key`` is sent as the ``x-chroma-token``
header and never printed). Telemetry is off unless the caller passes ``settings``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from praisonai_persist.identifiers import validate_identifier
from praisonai_persist.urls import local_path, mask_url, scheme_of

__all__ = ["Settings", "chroma_settings", "settings_from"]


@dataclass(frozen=True)
class Settings:
    """How to build the client (secrets included, never printed) and store options."""

    kind: str  # "persistent" or "http"
    client_kwargs: dict[str, Any] = field(repr=False)
    display: str
    collection_prefix: str
    hnsw: dict[str, Any]


def chroma_settings(settings: Any = None) -> Any:
    """chromadb Settings with anonymized telemetry off (the caller's own settings win)."""
    from chromadb.config import Settings as ChromaSettings

    return settings if settings is not None else ChromaSettings(anonymized_telemetry=False)


def settings_from(
    url: str | os.PathLike[str] | None,
    path: str | os.PathLike[str] | None,
    *,
    api_key: str | None = None,
    headers: dict[str, str] | None = None,
    tenant: str | None = None,
    database: str | None = None,
    settings: Any = None,
    collection_prefix: str = "",
    hnsw: dict[str, Any] | None = None,
) -> Settings:
    """Parse the store's url/path and options; bad values raise ValueError naming the option."""
    given = path if path is not None else url
    if given is None:
        raise ValueError("The chroma store needs a directory path or a Chroma server URL (url= or path=).")
    target = os.fspath(given)
    validate_identifier(collection_prefix, "collection_prefix", allow_empty=True, max_length=24)
    scheme = scheme_of(target)
    kwargs: dict[str, Any] = {"settings": chroma_settings(settings)}
    if tenant is not None:
        kwargs["tenant"] = tenant
    if database is not None:
        kwargs["database"] = database
    if scheme is None or (scheme == "chroma" and target.startswith("chroma:///")):
        kwargs["path"] = local_path(target, ("chroma",))
        return Settings("persistent", kwargs, target, collection_prefix, dict(hnsw or {}))
    if scheme not in ("http", "https", "chroma"):
        raise ValueError(
            f"Unsupported Chroma URL scheme {scheme!r}: use a directory path, chroma:///path, "
            "http(s)://HOST:PORT or chroma://HOST:PORT."
        )
    parts = urlsplit(target)
    if not parts.hostname:
        raise ValueError(f"Chroma server URL {mask_url(target)!r} has no host.")
    ssl = scheme == "https"
    all_headers = dict(headers or {})
    if api_key is not None:
        all_headers["x-chroma-token"] = api_key
    kwargs.update(host=parts.hostname, port=parts.port or (443 if ssl else 8000), ssl=ssl)
    if all_headers:
        kwargs["headers"] = all_headers
    return Settings("http", kwargs, mask_url(target), collection_prefix, dict(hnsw or {}))
