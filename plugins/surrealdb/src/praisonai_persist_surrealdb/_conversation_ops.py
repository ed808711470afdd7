"""The conversation store's operations, written once as generators of bound SurrealQL queries.

Tables ``{prefix}sessions`` (record id = session_id) and ``{prefix}messages`` (record id =
message id). JSON fields (state, metadata, tool_calls) are kept as JSON text, because SurrealDB
drops ``null`` members of objects. ``seq`` (a per-process monotonic nanosecond counter) keeps
insertion order among messages with the same ``created_at``.
"""

# ruff: noqa: S608  -- the only interpolated parts are identifiers checked by validate_identifier

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from typing import Any

from praisonai_persist.errors import SessionExistsError, SessionNotFoundError
from praisonai_persist.identifiers import validate_identifier
from praisonai_persist.models import ConversationMessage, ConversationSession

from ._connection import Operation, Query, QueryFailed

__all__ = ["ConversationOps"]

_MISSING = "praisonai-persist: session not found"
_MSG_FIELDS = "record::id(id) AS msg_id, session_id, role, content, tool_calls, tool_call_id, metadata, created_at"
_SESSION_FIELDS = "record::id(id) AS sid, user_id, agent_id, name, state, metadata, created_at, updated_at"


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _loads(text: Any) -> Any:
    return None if text is None else json.loads(text)


def _session(row: dict[str, Any]) -> ConversationSession:
    return ConversationSession(
        session_id=str(row["sid"]),
        user_id=row.get("user_id"),
        agent_id=row.get("agent_id"),
        name=row.get("name"),
        state=_loads(row.get("state")),
        metadata=_loads(row.get("metadata")),
        created_at=float(row["created_at"]),
        updated_at=float(row["updated_at"]),
    )


def _message(row: dict[str, Any]) -> ConversationMessage:
    return ConversationMessage(
        id=str(row["msg_id"]),
        session_id=str(row["session_id"]),
        role=row.get("role") or "",
        content=row.get("content") or "",
        tool_calls=_loads(row.get("tool_calls")),
        tool_call_id=row.get("tool_call_id"),
        metadata=_loads(row.get("metadata")),
        created_at=float(row["created_at"]),
    )


class ConversationOps:
    """Statement builders and result handling shared by the sync and async conversation stores."""

    def __init__(self, sdk: Any, table_prefix: str) -> None:
        validate_identifier(table_prefix, "table_prefix")
        self._sdk = sdk
        self.sessions = f"{table_prefix}sessions"
        self.messages = f"{table_prefix}messages"
        self._seq_lock = threading.Lock()
        self._last_seq = 0
        self._ready = False

    def _seqs(self, n: int) -> list[int]:
        with self._seq_lock:
            start = max(self._last_seq + 1, time.time_ns())
            self._last_seq = start + n - 1
        return list(range(start, start + n))

    def _sid(self, session_id: str) -> Any:
        return self._sdk.RecordID(self.sessions, session_id)

    def _setup(self) -> Operation[None]:
        if self._ready:
            return
        yield Query(
            f"DEFINE TABLE IF NOT EXISTS `{self.sessions}` SCHEMALESS; "
            f"DEFINE TABLE IF NOT EXISTS `{self.messages}` SCHEMALESS; "
            f"DEFINE INDEX IF NOT EXISTS `{self.messages}_session` ON `{self.messages}` FIELDS session_id, created_at, seq; "
            f"DEFINE INDEX IF NOT EXISTS `{self.sessions}_updated` ON `{self.sessions}` FIELDS updated_at;",
            {},
        )
        self._ready = True

    def _session_content(self, session: ConversationSession, updated_at: float) -> dict[str, Any]:
        return {
            "user_id": session.user_id,
            "agent_id": session.agent_id,
            "name": session.name,
            "state": _dumps(session.state),
            "metadata": _dumps(session.metadata),
            "created_at": float(session.created_at),
            "updated_at": float(updated_at),
        }

    def create_session(self, session: ConversationSession) -> Operation[ConversationSession]:
        yield from self._setup()
        try:
            yield Query(
                "CREATE $r CONTENT $c RETURN NONE",
                {"r": self._sid(session.session_id), "c": self._session_content(session, session.updated_at)},
            )
        except QueryFailed as exc:
            if "already exists" in str(exc):
                raise SessionExistsError(session.session_id) from None
            raise
        return session

    def get_session(self, session_id: str) -> Operation[ConversationSession | None]:
        yield from self._setup()
        (rows,) = yield Query(f"SELECT {_SESSION_FIELDS} FROM $r", {"r": self._sid(session_id)})
        return _session(rows[0]) if rows else None

    def update_session(self, session: ConversationSession) -> Operation[ConversationSession]:
        yield from self._setup()
        now = time.time()
        content = self._session_content(session, now)
        (rows,) = yield Query(
            "UPDATE $r SET user_id = $c.user_id, agent_id = $c.agent_id, name = $c.name, state = $c.state, "
            "metadata = $c.metadata, updated_at = $c.updated_at RETURN VALUE record::id(id)",
            {"r": self._sid(session.session_id), "c": content},
        )
        if not rows:
            raise SessionNotFoundError(session.session_id)
        session.updated_at = now
        return session

    def upsert_session(self, session: ConversationSession) -> Operation[ConversationSession]:
        yield from self._setup()
        now = time.time()
        content = self._session_content(session, now)
        yield Query(
            "UPSERT $r SET user_id = $c.user_id, agent_id = $c.agent_id, name = $c.name, state = $c.state, "
            "metadata = $c.metadata, updated_at = $c.updated_at, created_at = created_at ?? $c.created_at "
            "RETURN NONE",
            {"r": self._sid(session.session_id), "c": content},
        )
        session.updated_at = now
        return session

    def restore_session(self, session: ConversationSession) -> Operation[ConversationSession]:
        """Write every field as given, timestamps included: one ``UPSERT ... CONTENT`` (insert or replace).

        The messages live in their own table, so they are left as they are.
        """
        yield from self._setup()
        yield Query(
            "UPSERT $r CONTENT $c RETURN NONE",
            {"r": self._sid(session.session_id), "c": self._session_content(session, session.updated_at)},
        )
        return session

    def delete_session(self, session_id: str) -> Operation[bool]:
        yield from self._setup()
        (had,) = yield Query(
            f"BEGIN; LET $had = record::exists($r); DELETE $r; DELETE `{self.messages}` WHERE session_id = $sid; "
            "RETURN $had; COMMIT;",
            {"r": self._sid(session_id), "sid": session_id},
        )
        return bool(had)

    def list_sessions(
        self, user_id: str | None, agent_id: str | None, limit: int, offset: int
    ) -> Operation[list[ConversationSession]]:
        yield from self._setup()
        conditions, params = [], {"limit": int(limit), "offset": int(offset)}
        if user_id is not None:
            conditions.append("user_id = $user_id")
            params["user_id"] = user_id  # type: ignore[assignment]
        if agent_id is not None:
            conditions.append("agent_id = $agent_id")
            params["agent_id"] = agent_id  # type: ignore[assignment]
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        (rows,) = yield Query(
            f"SELECT {_SESSION_FIELDS} FROM `{self.sessions}`{where} "
            "ORDER BY updated_at DESC, sid ASC LIMIT $limit START $offset",
            params,
        )
        return [_session(r) for r in rows or ()]

    def add_messages(
        self, session_id: str, messages: Sequence[ConversationMessage]
    ) -> Operation[list[ConversationMessage]]:
        yield from self._setup()
        seqs = self._seqs(len(messages))
        rows = []
        for message, seq in zip(messages, seqs, strict=True):
            message.session_id = session_id
            rows.append(
                {
                    "id": message.id,
                    "session_id": session_id,
                    "role": message.role,
                    "content": message.content,
                    "tool_calls": _dumps(message.tool_calls),
                    "tool_call_id": message.tool_call_id,
                    "metadata": _dumps(message.metadata),
                    "created_at": float(message.created_at),
                    "seq": seq,
                }
            )
        try:
            # The existence check, the insert and the bump of updated_at are one transaction;
            # INSERT IGNORE keeps a message whose id is already stored (retries never duplicate).
            yield Query(
                "BEGIN; IF !record::exists($r) { THROW $missing; }; "
                + (f"INSERT IGNORE INTO `{self.messages}` $rows RETURN NONE; " if rows else "")
                + "UPDATE $r SET updated_at = $now RETURN NONE; COMMIT;",
                {"r": self._sid(session_id), "rows": rows, "missing": _MISSING, "now": time.time()},
            )
        except QueryFailed as exc:
            if _MISSING in str(exc):
                raise SessionNotFoundError(session_id) from None
            raise
        return list(messages)

    def get_messages(
        self, session_id: str, limit: int | None, before: float | None, after: float | None
    ) -> Operation[list[ConversationMessage]]:
        yield from self._setup()
        conditions, params = ["session_id = $sid"], {"sid": session_id}
        if before is not None:
            conditions.append("created_at < $before")
            params["before"] = float(before)  # type: ignore[assignment]
        if after is not None:
            conditions.append("created_at > $after")
            params["after"] = float(after)  # type: ignore[assignment]
        newest_first = limit is not None and after is None
        order = "created_at DESC, seq DESC" if newest_first else "created_at ASC, seq ASC"
        tail = ""
        if limit is not None:
            tail = " LIMIT $limit"
            params["limit"] = max(int(limit), 0)  # type: ignore[assignment]
        (rows,) = yield Query(
            f"SELECT {_MSG_FIELDS}, seq FROM `{self.messages}` WHERE {' AND '.join(conditions)} ORDER BY {order}{tail}",
            params,
        )
        found = [_message(r) for r in rows or ()]
        return found[::-1] if newest_first else found

    def delete_messages(self, session_id: str, message_ids: Sequence[str] | None) -> Operation[int]:
        yield from self._setup()
        params: dict[str, Any] = {"sid": session_id}
        source = f"`{self.messages}`"
        if message_ids is not None:
            wanted = list(dict.fromkeys(message_ids))
            if not wanted:
                return 0
            params["ids"] = [self._sdk.RecordID(self.messages, i) for i in wanted]
            source = "$ids"
        (gone,) = yield Query(
            f"BEGIN; LET $gone = (SELECT VALUE id FROM {source} WHERE session_id = $sid); DELETE $gone; "
            "RETURN array::len($gone); COMMIT;",
            params,
        )
        return int(gone or 0)
