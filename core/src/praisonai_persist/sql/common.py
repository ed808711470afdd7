"""What the sync and async SQL bases share: dialect hooks, statements, argument checks.

Everything here is pure (no I/O), so the sync and async bases differ only in how they
execute statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar, Protocol

from ..identifiers import validate_identifier
from ..models import ConversationMessage
from .dialect import SQLITE, Dialect
from .migrations import SCHEMA_VERSION
from .retry import RetryPolicy, retry_policy_for
from .rows import messages_from_rows as _messages_from_rows
from .statements import MODE_ALL, MODE_NEWEST, MODE_OLDEST, Statements, build_statements

__all__ = ["AsyncCursor", "Cursor", "SQLStoreCommon"]

_STYLE_OF_PARAM = {"?": "qmark", "%s": "format", "$1": "numeric", "$": "numeric"}
_PARAM_OF_STYLE = {"qmark": "?", "format": "%s", "numeric": "$1"}

#: Large enough for "no limit" on every engine (MySQL has no LIMIT ALL).
NO_LIMIT = 2**62


class Cursor(Protocol):
    """The DB-API cursor subset the sync base uses (sqlite3, psycopg, PyMySQL, libsql fit)."""

    @property
    def rowcount(self) -> int: ...
    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any: ...
    def executemany(self, sql: str, seq_of_params: Any, /) -> Any: ...
    def fetchall(self) -> Sequence[Sequence[Any]]: ...


class AsyncCursor(Protocol):
    """The async cursor subset the async base uses (psycopg async, aiomysql fit)."""

    @property
    def rowcount(self) -> int: ...
    async def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any: ...
    async def executemany(self, sql: str, seq_of_params: Any, /) -> Any: ...
    async def fetchall(self) -> Sequence[Sequence[Any]]: ...


class SQLStoreCommon:
    """Dialect hooks and pure helpers of the SQL conversation store bases.

    A subclass for another engine sets ``dialect`` (see :mod:`.dialect`) or, as in PraisonAI,
    the class attributes ``_id_type``, ``_json_type``, ``_float_type`` and ``_param``; the
    two are kept in step when the class is created.
    """

    dialect: ClassVar[Dialect] = SQLITE
    _id_type: ClassVar[str] = SQLITE.id_type
    _json_type: ClassVar[str] = SQLITE.json_type
    _float_type: ClassVar[str] = SQLITE.float_type
    _param: ClassVar[str] = "?"
    #: Schema version this code writes (also in :mod:`.migrations`).
    SCHEMA_VERSION: ClassVar[str] = SCHEMA_VERSION
    #: Exception types worth retrying (lock timeouts, dropped connections); see :meth:`_is_transient`.
    _transient_errors: ClassVar[tuple[type[BaseException], ...]] = ()

    table_prefix: str
    schema: str | None
    auto_create_tables: bool
    _sql: Statements
    _retry: RetryPolicy

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__
        d = cls.dialect
        if "dialect" in own:  # a new dialect: the PraisonAI-style attributes follow it unless set here
            defaults = {
                "_id_type": d.id_type,
                "_json_type": d.json_type,
                "_float_type": d.float_type,
                "_param": _PARAM_OF_STYLE[d.paramstyle],
            }
            for attr, value in defaults.items():
                if attr not in own:
                    setattr(cls, attr, value)
        style = _STYLE_OF_PARAM.get(cls._param)
        if style is None:
            raise TypeError(f"{cls.__name__}._param must be one of {sorted(_STYLE_OF_PARAM)}, got {cls._param!r}.")
        cls.dialect = replace(
            d, id_type=cls._id_type, json_type=cls._json_type, float_type=cls._float_type, paramstyle=style
        )

    def _init_common(
        self,
        *,
        table_prefix: str,
        auto_create_tables: bool,
        max_retries: int | None,
        retry_delay: float | None,
        url: str | None,
        schema: str | None = None,
    ) -> None:
        """Validate the options and build the statements (subclasses call this first)."""
        self.table_prefix = validate_identifier(table_prefix, "table_prefix", allow_empty=False)
        self.schema = None if schema is None else validate_identifier(schema, "schema", allow_empty=False)
        self.auto_create_tables = bool(auto_create_tables)
        self._sql = build_statements(type(self).dialect, self.table_prefix, self.schema)
        self._retry = retry_policy_for(url, max_retries, retry_delay)

    def _is_transient(self, exc: BaseException) -> bool:
        """True if ``exc`` is worth retrying; override for message-based checks."""
        return bool(self._transient_errors) and isinstance(exc, self._transient_errors)

    def _describe(self) -> str:
        """Where the data lives, for error messages (never contains a password)."""
        where = f"{self.schema}.{self.table_prefix}*" if self.schema else f"{self.table_prefix}*"
        return f"the {self.dialect.name} database (tables {where})"

    # -- pure helpers used by both bases -------------------------------------------------

    def _messages_query(
        self, session_id: str, limit: int | None, before: float | None, after: float | None
    ) -> tuple[str, list[Any], bool]:
        """(sql, params, reverse) for get_messages; ``reverse`` when the newest were fetched first."""
        params: list[Any] = [session_id]
        if before is not None:
            params.append(before)
        if after is not None:
            params.append(after)
        if limit is None:
            mode = MODE_ALL
        else:
            params.append(_check_count(limit, "limit"))
            mode = MODE_OLDEST if after is not None else MODE_NEWEST
        sql = self._sql.get_messages[(before is not None, after is not None, mode)]
        return sql, params, mode == MODE_NEWEST

    def _sessions_query(
        self, user_id: str | None, agent_id: str | None, limit: int | None, offset: int
    ) -> tuple[str, list[Any]]:
        params: list[Any] = []
        if user_id is not None:
            params.append(user_id)
        if agent_id is not None:
            params.append(agent_id)
        params.append(NO_LIMIT if limit is None else _check_count(limit, "limit"))
        params.append(_check_count(offset, "offset"))
        return self._sql.list_sessions[(user_id is not None, agent_id is not None)], params


def _check_count(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative integer, got {value!r}.")
    return value


def messages_from_rows(rows: Sequence[Sequence[Any]], reverse: bool) -> list[ConversationMessage]:
    """Messages from rows, oldest first (rows of a newest-first query are reversed)."""
    out = _messages_from_rows(rows)
    if reverse:
        out.reverse()
    return out


def chunks(ids: Sequence[str], size: int) -> list[list[str]]:
    """``ids`` without duplicates, in slices of at most ``size``."""
    unique = list(dict.fromkeys(ids))
    return [unique[i : i + size] for i in range(0, len(unique), size)]
