"""How SQL reaches ClickHouse: in-process chDB for ``chdb://`` URLs, clickhouse-connect for servers.

Both executors take the same :class:`~.sql.Query` (``{name:Type}`` placeholders plus values). For
chDB the values are written in ClickHouse's escaped text format by :func:`format_param` and
bound by the engine; clickhouse-connect binds them itself (server-side parameters).
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from typing import Any, Protocol

from praisonai_persist import BackendNotInstalledError
from praisonai_persist.errors import StoreConnectionError

__all__ = ["ChdbExecutor", "Executor", "ServerExecutor", "format_param"]

DISTRIBUTION = "praisonai-persist-clickhouse"
#: chDB comes with the [chdb] extra, so its install line names the extra.
CHDB_DISTRIBUTION = "praisonai-persist-clickhouse[chdb]"
_TEXT_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0", "\b": "\\b", "\f": "\\f"}


def _import(module: str) -> Any:
    """Import a client library on first use; a missing one is reported with its install line."""
    try:
        return __import__(module)
    except ImportError as exc:
        distribution = CHDB_DISTRIBUTION if module == "chdb" else DISTRIBUTION
        raise BackendNotInstalledError(
            "knowledge", "clickhouse", distribution, missing_module=module, detail=str(exc)
        ) from exc


def _escape(text: str, quote: str = "") -> str:
    out = "".join(_TEXT_ESCAPES.get(c, c) for c in text)
    return out.replace(quote, "\\" + quote) if quote else out


def _element(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        return "'" + _escape(value, "'") + "'"
    raise TypeError(f"Cannot bind a {type(value).__name__} inside an array parameter.")


def _number(value: float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return repr(value)


def format_param(value: Any) -> str:
    """``value`` in ClickHouse's escaped text format, as query parameters are parsed.

    Strings have backslash, tab, newline, CR, NUL, BS and FF escaped; arrays are written as
    ``['a','b']`` / ``[1.0,2.5]`` with quotes escaped inside their elements.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_element(v) for v in value) + "]"
    raise TypeError(f"Cannot bind a {type(value).__name__} as a ClickHouse query parameter.")


class Executor(Protocol):
    """What the store needs from a ClickHouse connection."""

    def query(self, sql: str, params: dict[str, Any]) -> list[list[Any]]: ...

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None: ...

    def insert(self, database: str, table: str, columns: Sequence[str], rows: list[list[Any]]) -> None: ...

    def close(self) -> None: ...


# chDB keeps one engine per process; connections to the same path are shared and reference-counted.
_CHDB_LOCK = threading.Lock()
_CHDB: dict[str, tuple[Any, int]] = {}


class ChdbExecutor:
    """ClickHouse in-process (chDB) on a data directory or ``:memory:``."""

    def __init__(self, path: str) -> None:
        chdb = _import("chdb")
        self.path = path
        with _CHDB_LOCK:
            conn, users = _CHDB.get(path, (None, 0))
            others = [p for p in _CHDB if p != path]
            if conn is None and others:
                raise StoreConnectionError(
                    f"chDB runs one embedded ClickHouse per process and it is open on {others[0]!r}; "
                    f"close the stores using it before opening {path!r}, or use one path for all stores."
                )
            if conn is None:
                conn = chdb.connect(path)
            _CHDB[path] = (conn, users + 1)
        self._conn = conn
        self._lock = threading.Lock()
        self._closed = False

    def query(self, sql: str, params: dict[str, Any]) -> list[list[Any]]:
        bound = {k: format_param(v) for k, v in params.items()}
        with self._lock:
            result = self._conn.query(sql, "JSONCompact", params=bound or None)
        text = result.data() if hasattr(result, "data") else str(result)
        return list(json.loads(text)["data"]) if text.strip() else []

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        bound = {k: format_param(v) for k, v in (params or {}).items()}
        with self._lock:
            self._conn.query(sql, "CSV", params=bound or None)

    def insert(self, database: str, table: str, columns: Sequence[str], rows: list[list[Any]]) -> None:
        # Rows travel as JSONEachRow data after FORMAT: parsed by the format reader, never as SQL.
        body = "\n".join(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False) for row in rows)
        sql = f"INSERT INTO `{database}`.`{table}` ({', '.join(columns)}) FORMAT JSONEachRow\n{body}"
        with self._lock:
            self._conn.query(sql, "CSV")

    def close(self) -> None:
        with _CHDB_LOCK:
            if self._closed:
                return
            self._closed = True
            conn, users = _CHDB.get(self.path, (None, 0))
            if conn is None:
                return
            if users <= 1:
                del _CHDB[self.path]
                conn.close()
            else:
                _CHDB[self.path] = (conn, users - 1)


class ServerExecutor:
    """A ClickHouse server through clickhouse-connect (HTTP), with server-side parameters."""

    def __init__(self, client: Any) -> None:
        self._client = client

    @classmethod
    def connect(cls, url: str, **options: Any) -> ServerExecutor:
        cc = _import("clickhouse_connect")
        return cls(cc.get_client(dsn=url, **options))

    def query(self, sql: str, params: dict[str, Any]) -> list[list[Any]]:
        return [list(row) for row in self._client.query(sql, parameters=params).result_rows]

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self._client.command(sql, parameters=params or None)

    def insert(self, database: str, table: str, columns: Sequence[str], rows: list[list[Any]]) -> None:
        self._client.insert(table, rows, column_names=list(columns), database=database)

    def close(self) -> None:
        self._client.close()
