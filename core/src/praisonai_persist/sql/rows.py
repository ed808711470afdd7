"""Row <-> model marshalling for the SQL conversation schema.

JSON columns hold ``json.dumps`` text (or a driver's decoded JSON); ``None`` is stored as
SQL NULL and empty containers as ``{}``/``[]`` text, so ``None``, ``{}`` and ``[]`` all
come back as they were written. Column order is that of
:data:`~praisonai_persist.sql.statements.SESSION_COLUMNS` / ``MESSAGE_COLUMNS``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from ..models import ConversationMessage, ConversationSession

__all__ = [
    "dump_json",
    "load_json",
    "message_from_row",
    "message_params",
    "messages_from_rows",
    "same_session",
    "session_from_row",
    "session_params",
]

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_decoder = json.JSONDecoder()
_decode = _decoder.decode
# The C scanner without json.loads' wrapper costs a fifth as much per value; history loads
# decode one or two small JSON values per message, so this dominates their cost.
_scan_once = _decoder.scan_once  # type: ignore[attr-defined]


def dump_json(value: Any) -> str | None:
    """JSON text for a JSON column; ``None`` stays NULL."""
    if value is None:
        return None
    return _encode(value)


def load_json(value: Any) -> Any:
    """Python value of a JSON column: text is parsed, NULL is ``None``, decoded JSON passes."""
    if value.__class__ is str:
        try:
            result, end = _scan_once(value, 0)
        except StopIteration:
            return _decode(value)  # leading whitespace, or invalid: the full decoder says which
        return result if end == len(value) else _decode(value)
    if value is None:
        return None
    if isinstance(value, str):
        return _decode(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _decode(bytes(value).decode("utf-8"))
    return value  # drivers such as psycopg already decode JSON/JSONB


def _float(value: Any) -> float:
    if value is None:
        return 0.0
    return value if type(value) is float else float(value)


def session_params(session: ConversationSession) -> tuple[Any, ...]:
    """Parameters in ``SESSION_COLUMNS`` order."""
    return (
        session.session_id,
        session.user_id,
        session.agent_id,
        session.name,
        dump_json(session.state),
        dump_json(session.metadata),
        session.created_at,
        session.updated_at,
    )


def session_from_row(row: Sequence[Any]) -> ConversationSession:
    """Session from a row in ``SESSION_COLUMNS`` order."""
    return ConversationSession(
        row[0], row[1], row[2], row[3], load_json(row[4]), load_json(row[5]), _float(row[6]), _float(row[7])
    )


def same_session(row: Sequence[Any], params: Sequence[Any]) -> bool:
    """True when ``row`` (as read, ``SESSION_COLUMNS`` order) holds exactly the session ``params``
    (as :func:`session_params` wrote them).

    A create retried after its commit reply was lost finds its own row and succeeds; a row that
    differs is another session with the same id.
    """
    if len(row) != len(params):
        return False
    for i, (got, sent) in enumerate(zip(row, params, strict=True)):
        if i in (4, 5):  # state, metadata: JSON text written, text or decoded JSON read
            got, sent = load_json(got), load_json(sent)
        elif i in (6, 7):  # created_at, updated_at: the driver may return Decimal or int
            got = None if got is None else float(got)
            sent = None if sent is None else float(sent)
        if got != sent:
            return False
    return True


def message_params(session_id: str, message: ConversationMessage) -> tuple[Any, ...]:
    """Parameters in ``MESSAGE_COLUMNS`` order, with ``session_id`` as given."""
    tool_calls = message.tool_calls
    metadata = message.metadata
    return (
        message.id,
        session_id,
        message.role,
        message.content,
        None if tool_calls is None else _encode(tool_calls),
        message.tool_call_id,
        None if metadata is None else _encode(metadata),
        message.created_at,
    )


def message_from_row(row: Sequence[Any]) -> ConversationMessage:
    """Message from a row in ``MESSAGE_COLUMNS`` order."""
    return messages_from_rows((row,))[0]


def messages_from_rows(rows: Iterable[Sequence[Any]]) -> list[ConversationMessage]:
    """Messages from rows in ``MESSAGE_COLUMNS`` order (one tight loop: history loads are hot)."""
    message = ConversationMessage
    lj = load_json
    return [
        message(
            mid,
            sid,
            role,
            "" if content is None else content,
            None if tool_calls is None else lj(tool_calls),
            tool_call_id,
            None if metadata is None else lj(metadata),
            created_at if created_at.__class__ is float else _float(created_at),
        )
        for (mid, sid, role, content, tool_calls, tool_call_id, metadata, created_at) in rows
    ]
