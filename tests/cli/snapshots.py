"""Seed stores with awkward data and read back everything they hold, for exact comparisons."""

from __future__ import annotations

from typing import Any

from praisonai_persist import (
    ConversationMessage,
    ConversationSession,
    as_sync,
    create_conversation_store,
    create_state_store,
)

T0 = 1_700_000_000.0


def conversation(url: str, **options: Any) -> Any:
    """A sync conversation store on ``url``."""
    return as_sync(create_conversation_store(url, mode="sync", **options))


def seed_conversations(url: str, sessions: int = 3, messages: int = 5, **options: Any) -> None:
    """Sessions for two users and agents with unicode, tool calls, ties and exact float timestamps."""
    with conversation(url, **options) as store:
        for s in range(sessions):
            sid = f"sess-{s} ü'\"😀"
            session = ConversationSession(
                session_id=sid, user_id="alice" if s % 2 == 0 else "bob", agent_id=f"agent-{s % 2}",
                name=f"chat {s} — RTL مرحبا", state={"turn": s, "nested": {"x": [1, None, 2.5]}},
                metadata={"m": s, "tags": ["a", "ü"]}, created_at=T0 + s + 0.1, updated_at=T0 + 100 + s + 0.123456789,
            )
            store.restore_session(session)
            batch = []
            for i in range(messages):
                at = T0 + s * 1000 + (i // 2) + 0.000001 * s  # pairs share a timestamp: ties
                batch.append(ConversationMessage(
                    id=f"{s}-{i}", role=("user", "assistant", "tool")[i % 3], content=f"message {i} of {s} 漢字 \t\n",
                    tool_calls=[{"id": f"call-{i}", "type": "function",
                                 "function": {"name": "lookup", "arguments": "{\"q\": 1}"}}] if i % 3 == 1 else None,
                    tool_call_id=f"call-{i - 1}" if i % 3 == 2 else None,
                    metadata={"i": i, "f": 0.1 + i} if i % 2 else None, created_at=at,
                ))
            for start in range(0, len(batch), 1000):
                store.add_messages(sid, batch[start : start + 1000])
            store.restore_session(session)  # the appends moved updated_at


def conversation_snapshot(url: str, **options: Any) -> dict[str, Any]:
    """Every session (``to_dict``) with its messages, by session id."""
    with conversation(url, **options) as store:
        out: dict[str, Any] = {}
        offset = 0
        while True:
            page = store.list_sessions(limit=100, offset=offset)
            for s in page:
                out[s.session_id] = {"session": s.to_dict(), "messages": [m.to_dict() for m in store.get_messages(s.session_id)]}
            if len(page) < 100:
                return out
            offset += 100


def state_snapshot(url: str, **options: Any) -> dict[str, Any]:
    """Every live key with its value or hash and whether it has a TTL."""
    from praisonai_persist.errors import WrongTypeError

    with as_sync(create_state_store(url, mode="sync", **options)) as store:
        out: dict[str, Any] = {}
        for key in store.keys("*"):
            try:
                out[key] = ("value", store.get(key), store.ttl(key) is not None)
            except WrongTypeError:
                out[key] = ("hash", store.hgetall(key), store.ttl(key) is not None)
        return out
