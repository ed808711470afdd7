"""Where a Turso / libSQL store connects: a local file, a remote database, or an embedded replica.

Pure (no client import), so the translation of URLs and options into ``libsql.connect``
arguments is unit tested without a server. The auth token and encryption key never appear in
``repr``, :meth:`LibsqlTarget.describe` or error messages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from praisonai_persist.errors import ConfigError
from praisonai_persist.urls import local_path

__all__ = ["DEFAULT_PATH", "LOCAL", "REMOTE", "REMOTE_SCHEMES", "REPLICA", "LibsqlTarget", "resolve_target"]

DEFAULT_PATH = "praisonai_conversations.db"
LOCAL, REMOTE, REPLICA = "local", "remote", "replica"
#: Schemes of a remote libSQL server (Turso, sqld). ``ws``/``wss`` are sent over HTTP, which
#: the client speaks; the data and the protocol (Hrana) are the same.
REMOTE_SCHEMES = {"libsql": "libsql", "https": "https", "http": "http", "wss": "https", "ws": "http"}
_LOCAL_SCHEMES = ("file", "sqlite", "libsql+file")
_TOKEN_KEYS = ("authtoken", "auth_token", "token", "jwt")


@dataclass(frozen=True)
class LibsqlTarget:
    """Resolved connection target; :meth:`connect_args` gives what ``libsql.connect`` takes."""

    mode: str
    #: Local file path (local and replica modes) or the remote URL without secrets (remote mode).
    database: str
    #: The primary an embedded replica syncs from (replica mode only).
    sync_url: str | None = None
    auth_token: str | None = field(default=None, repr=False)
    encryption_key: str | None = field(default=None, repr=False)
    sync_interval: float | None = None
    timeout: float = 5.0

    @property
    def remote_url(self) -> str | None:
        """The server URL (remote or replica mode), without secrets."""
        return self.database if self.mode == REMOTE else self.sync_url

    def describe(self) -> str:
        """For messages: the file and/or server, never a secret."""
        if self.mode == LOCAL:
            return f"libSQL file {self.database}"
        if self.mode == REMOTE:
            return f"libSQL server {self.database}"
        return f"libSQL embedded replica {self.database} of {self.sync_url}"

    def secrets(self) -> list[str]:
        """The secret strings to scrub from any message."""
        return [s for s in (self.auth_token, self.encryption_key) if s]

    def connect_args(self) -> tuple[str, dict[str, Any]]:
        """``(database, keyword arguments)`` for ``libsql.connect``."""
        kwargs: dict[str, Any] = {"isolation_level": None, "timeout": self.timeout, "_check_same_thread": False}
        if self.mode == REPLICA:
            kwargs["sync_url"] = self.sync_url
            if self.sync_interval is not None:
                kwargs["sync_interval"] = self.sync_interval
        if self.mode != LOCAL and self.auth_token:
            kwargs["auth_token"] = self.auth_token
        if self.encryption_key and self.mode != REMOTE:
            kwargs["encryption_key"] = self.encryption_key
        return self.database, kwargs


def _split_remote(url: str) -> tuple[str, str | None]:
    """A remote URL without its token query parameter, and the token found there (if any)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ConfigError("The libSQL URL is malformed; expected libsql://HOST[:PORT].") from None
    scheme = REMOTE_SCHEMES[parts.scheme.lower()]
    if not parts.hostname:
        raise ConfigError("The libSQL URL has no host; expected libsql://HOST[:PORT] (for a file, give its path).")
    token: str | None = None
    kept: list[tuple[str, str]] = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in _TOKEN_KEYS:
            token = value
        else:
            kept.append((key, value))
    if kept:
        names = ", ".join(sorted(k for k, _ in kept))
        raise ConfigError(f"Unknown libSQL URL parameter(s) {names}; only authToken is read from the URL.")
    if parts.username or parts.password:
        raise ConfigError("Put the libSQL auth token in auth_token= (or ?authToken=), not in the URL's user part.")
    return urlunsplit((scheme, parts.netloc, parts.path, "", "")), token


def _local(target: str) -> str:
    if target.lower().startswith("file:") and "://" not in target:
        target = target[5:]  # file:relative.db, as libSQL's own clients write it
    resolved = local_path(target, _LOCAL_SCHEMES)
    if not resolved:
        raise ConfigError(f"No database file in {target!r}; give a path, file:PATH or sqlite:///PATH.")
    return resolved


def resolve_target(
    url: str | os.PathLike[str] | None = None,
    *,
    path: str | os.PathLike[str] | None = None,
    auth_token: str | None = None,
    sync_url: str | None = None,
    sync_interval: float | None = None,
    encryption_key: str | None = None,
    timeout: float = 5.0,
) -> LibsqlTarget:
    """Resolve the options of a Turso store into a :class:`LibsqlTarget`.

    * a path (``url`` or ``path=``, plain, ``file:`` or ``sqlite:///``): a local file;
    * ``libsql://…`` / ``https://…`` alone: the remote database (``auth_token=`` or ``?authToken=``);
    * a remote URL **and** a path (or ``path=`` with ``sync_url=``): an embedded replica, a local
      file synced from the remote primary.
    """
    if sync_interval is not None and (isinstance(sync_interval, bool) or float(sync_interval) <= 0):
        raise ConfigError(f"sync_interval must be a positive number of seconds, got {sync_interval!r}.")
    if isinstance(timeout, bool) or float(timeout) <= 0:
        raise ConfigError(f"timeout must be a positive number of seconds, got {timeout!r}.")
    text = os.fspath(url) if url is not None else None
    local = os.fspath(path) if path is not None else None
    remote: str | None = None
    url_token: str | None = None
    for candidate in (text, sync_url):
        if candidate is None:
            continue
        head = candidate.split("://", 1)[0].lower() if "://" in candidate else ""
        if head in REMOTE_SCHEMES:
            if remote is not None:
                raise ConfigError("Give the remote libSQL URL once (url= or sync_url=), not both.")
            remote, url_token = _split_remote(candidate)
        elif candidate is sync_url:
            raise ConfigError(f"sync_url must be a libsql:// or https:// URL, got scheme {head or 'none'!r}.")
        else:
            if local is not None:
                raise ConfigError("Give the database file once (url= or path=), not both.")
            local = candidate
    if auth_token is not None and url_token is not None and auth_token != url_token:
        raise ConfigError("Two different auth tokens were given (auth_token= and ?authToken= in the URL).")
    token = auth_token if auth_token is not None else url_token
    common: dict[str, Any] = {
        "auth_token": token or None,
        "encryption_key": encryption_key or None,
        "timeout": float(timeout),
    }
    if remote is None:
        if token:
            raise ConfigError("auth_token was given but no remote URL (libsql://...); a local file needs no token.")
        return LibsqlTarget(LOCAL, _local(local if local is not None else DEFAULT_PATH), **common)
    if local is None:
        if sync_interval is not None:
            raise ConfigError("sync_interval needs a local replica file: pass path= with the remote URL.")
        if encryption_key:
            raise ConfigError("encryption_key encrypts a local file: pass path= to use an embedded replica.")
        return LibsqlTarget(REMOTE, remote, **common)
    return LibsqlTarget(
        REPLICA,
        _local(local),
        sync_url=remote,
        sync_interval=None if sync_interval is None else float(sync_interval),
        **common,
    )
