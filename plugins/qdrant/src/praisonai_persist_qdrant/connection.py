"""Where a Qdrant store connects: the keyword arguments of QdrantClient / AsyncQdrantClient.

``:memory:`` and file paths select the client's local mode (embedded, no server); ``http(s)://``
and ``qdrant://HOST[:PORT]`` URLs select a server. The API key is passed to the client and never
kept in anything this package prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from praisonai_persist.identifiers import validate_identifier
from praisonai_persist.urls import mask_url, scheme_of

__all__ = ["DISTRIBUTION", "Settings", "settings_from"]

DISTRIBUTION = "praisonai-persist-qdrant"
DEFAULT_BATCH_SIZE = 512


@dataclass(frozen=True)
class Settings:
    """Client arguments (secret included, never printed) and store options."""

    client_kwargs: dict[str, Any] = field(repr=False)
    display: str
    collection_prefix: str
    batch_size: int
    exact: bool


def settings_from(
    url: str | os.PathLike[str] | None,
    path: str | os.PathLike[str] | None,
    *,
    api_key: str | None = None,
    https: bool | None = None,
    prefer_grpc: bool = False,
    timeout: int | None = None,
    collection_prefix: str = "",
    batch_size: int = DEFAULT_BATCH_SIZE,
    exact: bool = False,
) -> Settings:
    """Parse the store's url/path and options; bad values raise ValueError naming the option."""
    given = path if path is not None else url
    target = ":memory:" if given is None else os.fspath(given)
    validate_identifier(collection_prefix, "collection_prefix", allow_empty=True, max_length=24)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    kwargs: dict[str, Any] = {}
    scheme = scheme_of(target)
    if target == ":memory:" or scheme is None:
        kwargs["location" if target == ":memory:" else "path"] = target
        display = target
    elif scheme in ("http", "https", "qdrant"):
        server = "http://" + target.split("://", 1)[1] if scheme == "qdrant" else target
        if scheme == "qdrant" and https:
            server = "https://" + target.split("://", 1)[1]
        kwargs.update(url=server, prefer_grpc=prefer_grpc)
        if api_key is not None:
            kwargs["api_key"] = api_key
        if timeout is not None:
            kwargs["timeout"] = timeout
        display = mask_url(server)
    else:
        raise ValueError(
            f"Unsupported Qdrant URL scheme {scheme!r}: use a directory path, ':memory:', http(s)://HOST:PORT "
            "or qdrant://HOST:PORT."
        )
    return Settings(kwargs, display, collection_prefix, batch_size, bool(exact))
