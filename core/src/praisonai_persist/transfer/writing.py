"""Write sessions, documents and state keys into a store so that doing it twice changes nothing.

Sessions go through ``restore_session`` (exact timestamps) before and after their messages,
messages are keyed by id (a stored id is never added twice), documents are upserted by id and
state keys are overwritten with their remaining TTL.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..models import ConversationSession
from .reading import EARLIEST, iter_messages, messages_at

__all__ = ["SessionCopy", "copy_session", "resume_point", "write_state_entry"]


@dataclass
class SessionCopy:
    """What copying one session did: ``copied`` (new), ``resumed`` (partial before) or ``complete``."""

    session_id: str
    status: str
    messages: int


def resume_point(src: Any, dst: Any, session: ConversationSession) -> float | None:
    """Where copying ``session`` into ``dst`` must start: ``None`` if ``dst`` already holds all of it.

    ``dst``'s newest message tells how far an earlier, interrupted copy got, provided the source has
    that message (same id, same time); the copy then restarts at its timestamp (the tie group is
    sent again and deduplicated by id). Otherwise the whole session is sent again, also deduplicated.
    """
    sid = session.session_id
    dst_last = dst.get_messages(sid, limit=1)
    src_last = src.get_messages(sid, limit=1)
    if [m.id for m in dst_last] == [m.id for m in src_last]:
        return None
    if not dst_last:
        return EARLIEST
    at = dst_last[0].created_at
    if any(m.id == dst_last[0].id for m in messages_at(src, sid, at)):
        return math.nextafter(at, -math.inf)
    return EARLIEST


def copy_session(
    src: Any, dst: Any, session: ConversationSession, batch_size: int = 500,
    on_messages: Callable[[int], None] | None = None,
) -> SessionCopy:
    """Copy one session and its messages from ``src`` to ``dst``; safe to repeat or resume."""
    sid = session.session_id
    existing = dst.get_session(sid)
    start = EARLIEST if existing is None else resume_point(src, dst, session)
    if start is None:
        if existing != session:
            dst.restore_session(session)
        return SessionCopy(sid, "complete", 0)
    if existing is None:
        dst.restore_session(session)
    written = 0
    for batch in iter_messages(src, sid, batch_size, after=start):
        dst.add_messages(sid, batch)
        written += len(batch)
        if on_messages is not None:
            on_messages(len(batch))
    dst.restore_session(session)  # adding messages moved updated_at; put the source's back
    return SessionCopy(sid, "copied" if existing is None or start == EARLIEST else "resumed", written)


def write_state_entry(dst: Any, entry: dict[str, Any]) -> bool:
    """Write one ``state_entry`` (value or hash, remaining TTL); ``False`` if it expired meanwhile."""
    key, ttl = entry["key"], entry.get("ttl")
    if ttl is not None:
        ttl = math.ceil(ttl)
        if ttl <= 0:
            return False
    if "hash" in entry:
        dst.delete(key)
        for field, value in entry["hash"].items():
            dst.hset(key, field, value)
        if ttl is not None:
            dst.expire(key, ttl)
    else:
        dst.set(key, entry["value"], ttl=ttl)
    return True
