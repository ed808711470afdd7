"""Round-trip probes run by ``doctor``: write, read back and delete a probe in each store."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from ..adapters import as_sync
from ..models import ConversationMessage, ConversationSession, KnowledgeDocument


class ProbeFailed(Exception):
    """The store answered, but not with what was written."""


def _conversation(store: Any) -> str:
    sid = f"praisonai-persist-doctor-{uuid.uuid4().hex}"
    store.create_session(ConversationSession(session_id=sid, name="doctor probe"))
    try:
        store.add_message(sid, ConversationMessage(role="user", content="probe ✓"))
        got = store.get_messages(sid)
        if [m.content for m in got] != ["probe ✓"]:
            raise ProbeFailed(f"wrote one message, read back {[m.content for m in got]!r}")
    finally:
        store.delete_session(sid)
    if store.get_session(sid) is not None:
        raise ProbeFailed("the probe session is still there after delete_session")
    return "session created, message read back, session deleted"


def _knowledge(store: Any) -> str:
    name = f"doctor_probe_{uuid.uuid4().hex[:12]}"
    store.create_collection(name, dimension=3)
    try:
        store.insert(name, [KnowledgeDocument(id="probe", content="probe", embedding=[1.0, 0.0, 0.0])])
        hits = store.search(name, [1.0, 0.0, 0.0], limit=1)
        if not hits or hits[0].id != "probe":
            raise ProbeFailed(f"inserted one document, search returned {[h.id for h in hits]!r}")
    finally:
        store.delete_collection(name)
    return "collection created, document found by search, collection dropped"


def _state(store: Any) -> str:
    key = f"praisonai-persist-doctor:{uuid.uuid4().hex}"
    store.set(key, {"probe": [1, 2.5, True]}, ttl=60)
    try:
        got = store.get(key)
        if got != {"probe": [1, 2.5, True]}:
            raise ProbeFailed(f"wrote a JSON value, read back {got!r}")
    finally:
        store.delete(key)
    if store.exists(key):
        raise ProbeFailed("the probe key is still there after delete")
    return "key set, read back with its JSON types, deleted"


PROBES: dict[str, Callable[[Any], str]] = {"conversation": _conversation, "knowledge": _knowledge, "state": _state}


def run_probe(kind: str, store: Any) -> tuple[str, float]:
    """Run the probe of ``kind`` on ``store`` (any form); return (detail, milliseconds)."""
    sync_store = as_sync(store)
    started = time.perf_counter()
    detail = PROBES[kind](sync_store)
    return detail, (time.perf_counter() - started) * 1000.0
