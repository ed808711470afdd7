"""Runtime state records: a small per-turn record stored with the session, as a reserved message.

A record is an ordinary :class:`ConversationMessage` with role ``"runtime_state"`` and a marker
in its metadata, so it works on every conversation backend through the ``ConversationStore``
API alone, lives and dies with its session, and is written by an atomic append: two processes
mirroring turns at once lose nothing (a read-modify-write of session metadata would). Readers
fold the records: the newest record of a turn wins; history readers skip them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import RuntimeStateTooLargeError
from .models import ConversationMessage
from .session_config import SessionConfig

__all__ = [
    "RUNTIME_STATE_ROLE",
    "TurnRecord",
    "encode_turn",
    "fold_turns",
    "is_runtime_record",
    "records_to_evict",
    "runtime_record_ids",
    "visible_messages",
]

#: Role of a runtime state record; no chat model knows it, so a record is never sent as chat.
RUNTIME_STATE_ROLE = "runtime_state"
_MARKER_KEY = "praisonai_persist_kind"
_MARKER = "runtime_state"
_FORMAT_VERSION = 1


@dataclass(frozen=True)
class TurnRecord:
    """One decoded record: which runtime and turn, the state, and the message that holds it."""

    runtime_id: str
    turn_id: str
    state: dict[str, Any]
    message_id: str
    size: int


def is_runtime_record(message: ConversationMessage) -> bool:
    """True for a runtime state record (not part of the chat history)."""
    return (
        message.role == RUNTIME_STATE_ROLE
        and isinstance(message.metadata, Mapping)
        and message.metadata.get(_MARKER_KEY) == _MARKER
    )


def visible_messages(messages: Iterable[ConversationMessage]) -> list[ConversationMessage]:
    """``messages`` without runtime state records."""
    return [m for m in messages if not is_runtime_record(m)]


def _check_name(value: str | int, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"{what} must be a string or an integer, got {type(value).__name__}.")
    text = str(value)
    if not text or len(text) > 256:
        raise ValueError(f"{what} must be 1 to 256 characters long, got {len(text)}.")
    return text


def encode_turn(
    session_id: str, runtime_id: str | int, turn_id: str | int, state: Mapping[str, Any], config: SessionConfig
) -> ConversationMessage:
    """The message holding one turn record; refuses state that is not JSON or is over the turn limit."""
    rid = _check_name(runtime_id, "runtime_id")
    tid = _check_name(turn_id, "turn_id")
    if not isinstance(state, Mapping):
        raise TypeError(f"Runtime state must be a mapping (a JSON object), got {type(state).__name__}.")
    try:
        content = json.dumps(
            {"v": _FORMAT_VERSION, "runtime_id": rid, "turn_id": tid, "state": dict(state)},
            ensure_ascii=False,
            allow_nan=False,
            separators=(",", ":"),
        )
    except (TypeError, ValueError) as exc:
        raise TypeError(f"Runtime state of runtime {rid!r} turn {tid!r} is not JSON-serialisable: {exc}") from exc
    size = len(content.encode("utf-8"))
    if size > config.max_turn_state_bytes:
        raise RuntimeStateTooLargeError(rid, tid, size, config.max_turn_state_bytes)
    return ConversationMessage(
        session_id=session_id,
        role=RUNTIME_STATE_ROLE,
        content=content,
        metadata={_MARKER_KEY: _MARKER, "runtime_id": rid, "turn_id": tid},
    )


def decode(message: ConversationMessage) -> TurnRecord | None:
    """The record a message holds, or ``None`` if it is not a (readable) runtime state record."""
    if not is_runtime_record(message):
        return None
    try:
        data = json.loads(message.content)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("state"), dict):
        return None
    return TurnRecord(
        runtime_id=str(data.get("runtime_id")),
        turn_id=str(data.get("turn_id")),
        state=data["state"],
        message_id=message.id,
        size=len(message.content.encode("utf-8")),
    )


def _records(messages: Iterable[ConversationMessage], runtime_id: str | None) -> list[TurnRecord]:
    out = []
    for m in messages:
        rec = decode(m)
        if rec is not None and (runtime_id is None or rec.runtime_id == runtime_id):
            out.append(rec)
    return out


def fold_turns(messages: Sequence[ConversationMessage], runtime_id: str | int) -> dict[str, dict[str, Any]]:
    """``{turn_id: state}`` of one runtime in the order turns were first written; newest record wins."""
    rid = _check_name(runtime_id, "runtime_id")
    turns: dict[str, dict[str, Any]] = {}
    for rec in _records(messages, rid):
        turns[rec.turn_id] = rec.state
    return turns


def runtime_record_ids(messages: Sequence[ConversationMessage], runtime_id: str | int | None) -> list[str]:
    """Ids of the records of one runtime (every runtime when ``None``)."""
    rid = None if runtime_id is None else _check_name(runtime_id, "runtime_id")
    return [m.id for m in messages if is_runtime_record(m) and (rid is None or (m.metadata or {}).get("runtime_id") == rid)]


def records_to_evict(messages: Sequence[ConversationMessage], runtime_id: str | int, config: SessionConfig) -> list[str]:
    """Message ids to delete so one runtime is within its bounds.

    Superseded records of a turn go first; then whole turns, oldest first, until the runtime
    has at most ``max_runtime_turns`` turns and ``max_runtime_state_bytes`` bytes. The newest
    turn is never evicted.
    """
    rid = _check_name(runtime_id, "runtime_id")
    records = _records(messages, rid)
    latest: dict[str, tuple[int, TurnRecord]] = {}
    evict: list[str] = []
    for pos, rec in enumerate(records):
        previous = latest.get(rec.turn_id)
        if previous is not None:
            evict.append(previous[1].message_id)
        latest[rec.turn_id] = (pos, rec)
    # A turn's position is when it was last written, so a rewritten turn counts as recent.
    live = [rec for _, rec in sorted(latest.values(), key=lambda item: item[0])]
    total = sum(r.size for r in live)
    while len(live) > 1 and (len(live) > config.max_runtime_turns or total > config.max_runtime_state_bytes):
        oldest = live.pop(0)
        total -= oldest.size
        evict.append(oldest.message_id)
    return evict
