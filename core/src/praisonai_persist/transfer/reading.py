"""Stream everything a store holds, page by page, so copies and exports run in bounded memory.

Only protocol methods are used, so every backend can be read: sessions page through
``list_sessions(limit, offset)`` (ordered by ``updated_at`` with the id as tie-break), messages
through ``get_messages(after=...)`` with exact-time tie groups, documents through ``scroll``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from ..models import ConversationMessage, ConversationSession

__all__ = ["EARLIEST", "iter_messages", "messages_at", "iter_sessions", "list_session_ids", "state_entry"]

#: ``after=`` bound of the first page: before any real timestamp, finite for every SQL engine.
EARLIEST = -1.0e15


def list_session_ids(store: Any, user_id: str | None = None, agent_id: str | None = None, page: int = 1000) -> list[str]:
    """Ids of every session (optionally one user's or agent's), most recently updated first.

    Ids only (not sessions) are kept, so a million sessions cost tens of megabytes at most.
    """
    ids: dict[str, None] = {}
    offset = 0
    while True:
        batch = store.list_sessions(user_id=user_id, agent_id=agent_id, limit=page, offset=offset)
        for session in batch:
            ids.setdefault(session.session_id, None)
        if len(batch) < page:
            return list(ids)
        offset += page


def iter_sessions(store: Any, session_ids: list[str]) -> Iterator[ConversationSession]:
    """The sessions of ``session_ids`` that still exist, read one at a time."""
    for sid in session_ids:
        session = store.get_session(sid)
        if session is not None:
            yield session


def messages_at(store: Any, session_id: str, at: float) -> list[ConversationMessage]:
    """The messages created at exactly ``at`` (a tie group), with an exclusive window one ulp wide."""
    found: list[ConversationMessage] = store.get_messages(
        session_id, after=math.nextafter(at, -math.inf), before=math.nextafter(at, math.inf)
    )
    return found


def iter_messages(store: Any, session_id: str, batch_size: int = 500, after: float = EARLIEST) -> Iterator[list[ConversationMessage]]:
    """Every message of a session after ``after``, oldest first, ``batch_size`` at a time.

    Paging is by ``created_at`` (``after`` is exclusive). When a page ends on a timestamp that
    more messages share, the whole tie group is read with an exact-time window, so no message is
    skipped or repeated however many share one time.
    """
    cursor = after
    while True:
        page = store.get_messages(session_id, limit=batch_size, after=cursor)
        if len(page) < batch_size:
            if page:
                yield page
            return
        last = page[-1].created_at
        head = [m for m in page if m.created_at < last]
        ties = messages_at(store, session_id, last)
        if head:
            yield head
        if ties:
            yield ties
        cursor = last


def state_entry(store: Any, key: str) -> dict[str, Any] | None:
    """``{"key", "value" | "hash", "ttl"}`` of one state key, or ``None`` if it is gone (expired)."""
    from ..errors import WrongTypeError

    try:
        value = store.get(key)
        entry: dict[str, Any] = {"key": key, "value": value}
        if value is None and not store.exists(key):
            return None
    except WrongTypeError:
        fields = store.hgetall(key)
        if not fields:
            return None
        entry = {"key": key, "hash": fields}
    entry["ttl"] = store.ttl(key)
    return entry
