"""Connection failures of the Qdrant client turned into StoreConnectionError (URL masked)."""

from __future__ import annotations

import functools
import inspect
from typing import Any

from qdrant_client.http.exceptions import ResponseHandlingException

from praisonai_persist.errors import StoreConnectionError

__all__ = ["Guarded"]


def _error(display: str, exc: BaseException) -> StoreConnectionError:
    cause = getattr(exc, "source", None) or exc
    return StoreConnectionError(f"Cannot reach Qdrant at {display}: {type(cause).__name__}: {cause}")


class Guarded:
    """Wraps a QdrantClient or AsyncQdrantClient: the same methods, clearer connection errors."""

    def __init__(self, client: Any, display: str) -> None:
        self._client = client
        self._display = display

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if not callable(attr):
            return attr
        display = self._display
        if inspect.iscoroutinefunction(attr):

            @functools.wraps(attr)
            async def guarded_async(*args: Any, **kwargs: Any) -> Any:
                try:
                    return await attr(*args, **kwargs)
                except ResponseHandlingException as exc:
                    raise _error(display, exc) from exc

            return guarded_async

        @functools.wraps(attr)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return attr(*args, **kwargs)
            except ResponseHandlingException as exc:
                raise _error(display, exc) from exc

        return guarded
