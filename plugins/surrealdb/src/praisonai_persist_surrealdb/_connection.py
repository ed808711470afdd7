"""Opening SurrealDB connections (embedded, WebSocket, HTTP) and running queries with bound variables.

Every query here is SurrealQL text made only of validated identifiers; user values travel as
``vars`` (SurrealDB's ``$name`` parameters). Engine errors become praisonai-persist errors, with
the URL's secrets masked.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from praisonai_persist.errors import BackendNotInstalledError, PersistError, StoreConnectionError
from praisonai_persist.identifiers import validate_identifier
from praisonai_persist.urls import mask_url, redact

__all__ = [
    "DISTRIBUTION",
    "EMBEDDED_SCHEMES",
    "Query",
    "QueryFailed",
    "Settings",
    "client",
    "drive_async",
    "drive_sync",
    "settings_from",
]

DISTRIBUTION = "praisonai-persist-surrealdb"
EMBEDDED_SCHEMES = ("mem", "memory", "surrealkv", "surrealkv+versioned", "file")
REMOTE_SCHEMES = ("ws", "wss", "http", "https")
_T = TypeVar("_T")


class QueryFailed(PersistError):
    """A SurrealQL statement returned an error (the message is the engine's, secrets removed)."""


@dataclass(frozen=True)
class Query:
    """One round trip: SurrealQL text (identifiers only) and its bound variables."""

    sql: str
    vars: Mapping[str, Any]


@dataclass(frozen=True)
class Settings:
    """Where and how to connect; ``repr`` never shows the password or token."""

    url: str
    namespace: str
    database: str
    username: str | None
    password: str | None
    token: str | None

    def __repr__(self) -> str:
        return f"Settings(url={mask_url(self.url)!r}, namespace={self.namespace!r}, database={self.database!r})"


def client(kind: str, backend: str) -> Any:
    """Import the SurrealDB SDK on first use; a missing one is reported with the install line."""
    try:
        import surrealdb
    except ImportError as exc:
        raise BackendNotInstalledError(
            kind, backend, DISTRIBUTION, missing_module="surrealdb", detail=str(exc)
        ) from exc
    return surrealdb


def _normalise_url(url: str | os.PathLike[str] | None) -> str:
    """``mem://`` for nothing, ``surrealkv://PATH`` for a bare path, else the URL as given."""
    if url is None:
        return "mem://"
    text = os.fspath(url)
    if text in (":memory:", "memory", "mem://", "memory://"):
        return "mem://"
    scheme, sep, _ = text.partition("://")
    if not sep:
        return "surrealkv://" + os.path.abspath(text)
    if scheme.lower() not in EMBEDDED_SCHEMES + REMOTE_SCHEMES:
        raise ValueError(
            f"Unsupported SurrealDB URL scheme {scheme!r} in {mask_url(text)!r}; use mem://, "
            "surrealkv://PATH, ws(s)://HOST:PORT or http(s)://HOST:PORT."
        )
    return text


def settings_from(
    url: str | os.PathLike[str] | None,
    path: str | os.PathLike[str] | None,
    namespace: str,
    database: str,
    username: str | None,
    password: str | None,
    token: str | None,
) -> Settings:
    """Validated connection settings (namespace and database are identifiers)."""
    validate_identifier(namespace, "namespace")
    validate_identifier(database, "database")
    return Settings(_normalise_url(path if path is not None else url), namespace, database, username, password, token)


def _signin_vars(settings: Settings) -> dict[str, Any] | None:
    if settings.username is None:
        return None
    return {"username": settings.username, "password": settings.password or ""}


def connect_sync(settings: Settings, kind: str, backend: str) -> Any:
    """A connected blocking SurrealDB connection using ``settings``' namespace and database."""
    sdk = client(kind, backend)
    try:
        db = sdk.Surreal(settings.url)
        if hasattr(db, "connect"):
            db.connect()
        if settings.token is not None:
            db.authenticate(settings.token)
        elif (creds := _signin_vars(settings)) is not None:
            db.signin(creds)
        db.use(settings.namespace, settings.database)
    except Exception as exc:
        raise _connection_error(settings, exc) from None
    return db


async def connect_async(settings: Settings, kind: str, backend: str) -> Any:
    """A connected async SurrealDB connection (the SDK's native asyncio API)."""
    sdk = client(kind, backend)
    try:
        db = sdk.AsyncSurreal(settings.url)
        await db.connect()
        if settings.token is not None:
            await db.authenticate(settings.token)
        elif (creds := _signin_vars(settings)) is not None:
            await db.signin(creds)
        await db.use(settings.namespace, settings.database)
    except Exception as exc:
        raise _connection_error(settings, exc) from None
    return db


def _connection_error(settings: Settings, exc: BaseException) -> StoreConnectionError:
    detail = redact(str(exc), settings.url)
    for secret in (settings.password, settings.token):
        if secret:
            detail = detail.replace(secret, "***")
    return StoreConnectionError(f"Cannot connect to SurrealDB at {mask_url(settings.url)}: {detail}")


def results(raw: Any) -> list[Any]:
    """The per-statement results of a ``query_raw`` answer; the first failed statement raises."""
    if not isinstance(raw, Mapping):
        raise QueryFailed(f"Unexpected SurrealDB answer {type(raw).__name__}")
    if raw.get("error"):
        raise QueryFailed(str(raw["error"]))
    out: list[Any] = []
    for statement in raw.get("result") or []:
        if statement.get("status") != "OK":
            raise QueryFailed(str(statement.get("result")))
        out.append(statement.get("result"))
    return out


def _run_sync(db: Any, query: Query) -> list[Any]:
    try:
        raw = db.query_raw(query.sql, dict(query.vars))
    except RuntimeError as exc:  # the embedded engine raises RuntimeError for query errors
        raise QueryFailed(str(exc)) from None
    return results(raw)


async def _run_async(db: Any, query: Query) -> list[Any]:
    try:
        raw = await db.query_raw(query.sql, dict(query.vars))
    except RuntimeError as exc:
        raise QueryFailed(str(exc)) from None
    return results(raw)


Operation = Generator[Query, list[Any], _T]


def drive_sync(db: Any, operation: Operation[_T]) -> _T:
    """Run an operation (a generator of queries that receives their results) on a blocking connection."""
    try:
        query = next(operation)
        while True:
            try:
                answer = _run_sync(db, query)
            except QueryFailed as exc:
                query = operation.throw(exc)  # the operation may translate the engine's error
                continue
            query = operation.send(answer)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def drive_async(db: Any, operation: Operation[_T]) -> _T:
    """Run the same operation on an async connection: one code path for both store forms."""
    try:
        query = next(operation)
        while True:
            try:
                answer = await _run_async(db, query)
            except QueryFailed as exc:
                query = operation.throw(exc)
                continue
            query = operation.send(answer)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
