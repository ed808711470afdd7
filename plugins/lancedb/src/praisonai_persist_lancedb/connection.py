"""Where a LanceDB store connects: the URI and keyword arguments of ``lancedb.connect(_async)``.

A directory path (or ``lancedb:///path``) is a local database; ``s3://``, ``gs://``, ``az://``
and ``memory://`` URIs are passed to LanceDB as they are, with ``storage_options``; ``db://``
is LanceDB Cloud (``api_key``, ``region``). Secrets never appear in what this package prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from praisonai_persist.identifiers import validate_identifier
from praisonai_persist.urls import local_path, mask_url, scheme_of

__all__ = ["DEFAULT_BATCH_SIZE", "Settings", "settings_from"]

DEFAULT_BATCH_SIZE = 50_000
_PASSTHROUGH = ("s3", "s3+ddb", "gs", "gcs", "az", "abfs", "memory", "db", "file")


@dataclass(frozen=True)
class Settings:
    """Connection arguments (secrets included, never printed) and store options."""

    uri: str
    connect_kwargs: dict[str, Any] = field(repr=False)
    display: str
    collection_prefix: str
    batch_size: int


def settings_from(
    url: str | os.PathLike[str] | None,
    path: str | os.PathLike[str] | None,
    *,
    api_key: str | None = None,
    region: str | None = None,
    storage_options: dict[str, str] | None = None,
    read_consistency_interval: float | timedelta | None = None,
    collection_prefix: str = "",
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Settings:
    """Parse the store's url/path and options; bad values raise ValueError naming the option."""
    given = path if path is not None else url
    if given is None:
        raise ValueError("The lancedb store needs a directory path or a LanceDB URI (url= or path=).")
    target = os.fspath(given)
    validate_identifier(collection_prefix, "collection_prefix", allow_empty=True, max_length=24)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    scheme = scheme_of(target)
    if scheme == "lancedb":
        uri = local_path(target, ("lancedb",)) or ""
    elif scheme is None or scheme in _PASSTHROUGH:
        uri = target
    else:
        raise ValueError(
            f"Unsupported LanceDB URI scheme {scheme!r}: use a directory path, lancedb:///path, "
            "s3://, gs://, az://, memory:// or db:// (LanceDB Cloud)."
        )
    kwargs: dict[str, Any] = {}
    if api_key is not None:
        kwargs["api_key"] = api_key
    if region is not None:
        kwargs["region"] = region
    if storage_options:
        kwargs["storage_options"] = dict(storage_options)
    if read_consistency_interval is not None:
        interval = read_consistency_interval
        kwargs["read_consistency_interval"] = (
            interval if isinstance(interval, timedelta) else timedelta(seconds=float(interval))
        )
    return Settings(uri, kwargs, mask_url(uri) if scheme else uri, collection_prefix, batch_size)
