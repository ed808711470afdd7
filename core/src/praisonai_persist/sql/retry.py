"""Unified retry for SQL stores: exponential backoff with jitter, transient errors only.

A store says which errors are transient (a lock timeout, a dropped connection, a
serialization failure); anything else, including every error of ours, is raised at once.
Serverless hosts (Neon, Supabase, Turso, PlanetScale, ...) drop idle connections and
cold-start, so retrying is switched on for them even when the caller did not ask.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_RETRY_DELAY",
    "SERVERLESS_HOST_SUFFIXES",
    "RetryPolicy",
    "is_serverless_host",
    "retry_policy_for",
]

_T = TypeVar("_T")

DEFAULT_MAX_RETRIES = 3
DEFAULT_RETRY_DELAY = 0.1
#: Serverless hosts get at least this many retries and this base delay (cold starts take seconds).
SERVERLESS_MIN_RETRIES = 5
SERVERLESS_MIN_DELAY = 0.5

SERVERLESS_HOST_SUFFIXES = (
    ".neon.tech",
    ".supabase.co",
    ".supabase.com",
    ".pooler.supabase.com",
    ".turso.io",
    ".psdb.cloud",
    ".xata.sh",
    ".cockroachlabs.cloud",
    ".singlestore.com",
    ".tidbcloud.com",
    ".aivencloud.com",
)


def is_serverless_host(url_or_host: str | None) -> bool:
    """True if the URL's host (or the host given) belongs to a known serverless provider."""
    if not url_or_host:
        return False
    host = url_or_host
    if "://" in url_or_host:
        try:
            host = urlsplit(url_or_host).hostname or ""
        except ValueError:
            return False
    host = "." + host.lower().rstrip(".")
    return host.endswith(SERVERLESS_HOST_SUFFIXES)


@dataclass(frozen=True)
class RetryPolicy:
    """``max_retries`` further attempts after the first, waiting ``retry_delay * 2**n`` (+ jitter)."""

    max_retries: int = DEFAULT_MAX_RETRIES
    retry_delay: float = DEFAULT_RETRY_DELAY
    max_delay: float = 5.0
    #: Each wait is scaled by a random factor in ``[1 - jitter, 1 + jitter]`` so that
    #: processes that collided do not retry in lockstep.
    jitter: float = 0.5

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}.")
        if self.retry_delay < 0:
            raise ValueError(f"retry_delay must be >= 0, got {self.retry_delay}.")

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based)."""
        base = min(self.retry_delay * (2**attempt), self.max_delay)
        return float(base * random.uniform(1.0 - self.jitter, 1.0 + self.jitter))

    def call(self, fn: Callable[[], _T], is_transient: Callable[[BaseException], bool]) -> _T:
        """Run ``fn``; on a transient error wait and run it again, at most ``max_retries`` times."""
        attempt = 0
        while True:
            try:
                return fn()
            except Exception as exc:
                if attempt >= self.max_retries or not is_transient(exc):
                    raise
            time.sleep(self.delay(attempt))
            attempt += 1

    async def acall(self, fn: Callable[[], Awaitable[_T]], is_transient: Callable[[BaseException], bool]) -> _T:
        """Async twin of :meth:`call` (waits with ``asyncio.sleep``)."""
        attempt = 0
        while True:
            try:
                return await fn()
            except Exception as exc:
                if attempt >= self.max_retries or not is_transient(exc):
                    raise
            await asyncio.sleep(self.delay(attempt))
            attempt += 1


def retry_policy_for(
    url: str | None = None, max_retries: int | None = None, retry_delay: float | None = None
) -> RetryPolicy:
    """The policy for a store at ``url``: the caller's numbers, raised to a floor on serverless hosts.

    ``None`` means the default (3 retries from 0.1 s); on a serverless host at least 5 retries
    from 0.5 s are used unless the caller explicitly passed ``max_retries=0``.
    """
    retries = DEFAULT_MAX_RETRIES if max_retries is None else max_retries
    delay = DEFAULT_RETRY_DELAY if retry_delay is None else retry_delay
    if is_serverless_host(url) and max_retries != 0:
        retries = max(retries, SERVERLESS_MIN_RETRIES)
        delay = max(delay, SERVERLESS_MIN_DELAY) if retry_delay is None else delay
    return RetryPolicy(max_retries=retries, retry_delay=delay)
