"""Copy, export and import of whole stores, streamed, idempotent and resumable.

Each operation takes sync stores (``as_sync`` of anything) and an optional ``progress`` object
told the total and each step, and returns counts. Nothing here prints.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import CorruptDataError
from ..knowledge import iter_documents
from ..models import CollectionInfo, ConversationMessage, ConversationSession, KnowledgeDocument
from .jsonl import JsonlWriter, read_records
from .reading import iter_messages, iter_sessions, list_session_ids, state_entry
from .writing import copy_session, write_state_entry

__all__ = ["Progress", "Selection", "TransferStats", "copy_store", "export_store", "import_file"]


class Progress(Protocol):
    """Receives the size of the job, then its advance (units: sessions, documents or keys)."""

    def start(self, total: int | None, unit: str) -> None: ...
    def advance(self, units: int = 0, items: int = 0) -> None: ...


class _Silent:
    def start(self, total: int | None, unit: str) -> None:
        pass

    def advance(self, units: int = 0, items: int = 0) -> None:
        pass


@dataclass
class Selection:
    """Which part of a store to move: sessions by id / user / agent, collections, a key prefix."""

    session_ids: list[str] = field(default_factory=list)
    user_id: str | None = None
    agent_id: str | None = None
    collections: list[str] = field(default_factory=list)
    key_prefix: str | None = None


@dataclass
class TransferStats:
    """Counts of one copy, export or import (``to_dict`` for ``--json``)."""

    kind: str
    containers: int = 0  # sessions, collections or (for state) keys
    records: int = 0  # messages, documents or keys written
    complete: int = 0  # sessions already complete in the destination (copy)
    resumed: int = 0  # sessions an earlier copy had started
    skipped: int = 0  # state keys that expired meanwhile
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "containers": self.containers, "records": self.records, "complete": self.complete,
            "resumed": self.resumed, "skipped": self.skipped, "seconds": round(self.seconds, 3),
            "records_per_second": round(self.records / self.seconds, 1) if self.seconds > 0 else None,
        }


def _plan(kind: str, src: Any, sel: Selection) -> tuple[list[str], int, str]:
    """What to move (session ids, collection names or keys), the progress total and its unit.

    Named sessions and collections must exist: a typo is an error, not an empty copy or export.
    """
    if kind == "conversation":
        for sid in sel.session_ids:
            if src.get_session(sid) is None:
                raise LookupError(f"Session {sid!r} not found in the source store.")
        ids = list(dict.fromkeys(sel.session_ids)) or list_session_ids(src, sel.user_id, sel.agent_id)
        return ids, len(ids), "sessions"
    if kind == "knowledge":
        for name in sel.collections:
            src.describe_collection(name)  # CollectionNotFoundError names a missing one
        names = list(dict.fromkeys(sel.collections)) or list(src.list_collections())
        return names, sum(src.count(n) for n in names), "documents"
    if kind == "state":
        keys = sorted(src.scan_prefix(sel.key_prefix) if sel.key_prefix else src.keys("*"))
        return keys, len(keys), "keys"
    raise ValueError(f"Unknown store kind {kind!r}; expected conversation, knowledge or state.")


# -- copy ---------------------------------------------------------------------------------------


def copy_store(kind: str, src: Any, dst: Any, sel: Selection | None = None, batch_size: int = 500,
               progress: Progress | None = None) -> TransferStats:
    """Copy sessions with messages, collections with documents, or state keys from ``src`` to ``dst``.

    Re-running after an interruption finishes the job without duplicates: sessions resume after
    the destination's newest message, documents and keys are upserted by id / key.
    """
    sel, progress = sel or Selection(), progress or _Silent()
    stats = TransferStats(kind)
    started = time.perf_counter()
    items, total, unit = _plan(kind, src, sel)
    progress.start(total, unit)
    if kind == "conversation":
        for session in iter_sessions(src, items):
            done = copy_session(src, dst, session, batch_size, lambda n: progress.advance(items=n))
            stats.containers += 1
            stats.records += done.messages
            stats.complete += done.status == "complete"
            stats.resumed += done.status == "resumed"
            progress.advance(units=1)
    elif kind == "knowledge":
        for name in items:
            info = src.describe_collection(name)
            dst.create_collection(name, info.dimension, distance=info.distance, metadata=info.metadata or None)
            for page in iter_documents(src, name, batch_size):
                dst.upsert(name, page)
                stats.records += len(page)
                progress.advance(units=len(page), items=len(page))
            stats.containers += 1
    else:
        for key in items:
            entry = state_entry(src, key)
            if entry is None or not write_state_entry(dst, entry):
                stats.skipped += 1
            else:
                stats.records += 1
            stats.containers += 1
            progress.advance(units=1, items=1)
    stats.seconds = time.perf_counter() - started
    return stats


# -- export -------------------------------------------------------------------------------------


def export_store(kind: str, src: Any, path: str, sel: Selection | None = None, batch_size: int = 500,
                 progress: Progress | None = None) -> TransferStats:
    """Write ``src``'s sessions, collections or keys to the JSONL file ``path`` (``"-"``: stdout)."""
    sel, progress = sel or Selection(), progress or _Silent()
    stats = TransferStats(kind)
    started = time.perf_counter()
    items, total, unit = _plan(kind, src, sel)  # before the file: a missing session writes nothing
    progress.start(total, unit)
    with JsonlWriter(path, kind) as out:
        if kind == "conversation":
            for session in iter_sessions(src, items):
                out.write("session", session.to_dict())
                for batch in iter_messages(src, session.session_id, batch_size):
                    for message in batch:
                        out.write("message", message.to_dict())
                    stats.records += len(batch)
                    progress.advance(items=len(batch))
                stats.containers += 1
                progress.advance(units=1)
        elif kind == "knowledge":
            for name in items:
                out.write("collection", src.describe_collection(name).to_dict())
                for page in iter_documents(src, name, batch_size):
                    for doc in page:
                        record = doc.to_dict()
                        record.pop("score", None)
                        out.write("document", {"collection": name, **record})
                    stats.records += len(page)
                    progress.advance(units=len(page), items=len(page))
                stats.containers += 1
        else:
            for key in items:
                entry = state_entry(src, key)
                if entry is None:
                    stats.skipped += 1
                else:
                    ttl = entry.pop("ttl")
                    entry["expires_at"] = None if ttl is None else time.time() + ttl
                    out.write("key", entry)
                    stats.records += 1
                stats.containers += 1
                progress.advance(units=1, items=1)
    stats.seconds = time.perf_counter() - started
    return stats


# -- import -------------------------------------------------------------------------------------


def _model(cls: Any, record: dict[str, Any], where: str) -> Any:
    fields = {k: v for k, v in record.items() if k != "type"}
    try:
        return cls.from_dict(fields)
    except (TypeError, ValueError) as exc:
        raise CorruptDataError(f"{where}: not a valid {cls.__name__} record ({exc}).") from None


def _import_conversation(records: Iterator[tuple[int, dict[str, Any]]], dst: Any, path: str, batch_size: int,
                         stats: TransferStats, progress: Progress) -> None:
    session: ConversationSession | None = None
    batch: list[ConversationMessage] = []

    def flush(final: bool) -> None:
        nonlocal batch
        if session is None:
            return
        if batch:
            dst.add_messages(session.session_id, batch)
            stats.records += len(batch)
            progress.advance(items=len(batch))
            batch = []
        if final:
            dst.restore_session(session)
            stats.containers += 1
            progress.advance(units=1)

    for lineno, record in records:
        where = f"{path}:{lineno}"
        kind = record.get("type")
        if kind == "session":
            flush(final=True)
            session = _model(ConversationSession, record, where)
            dst.restore_session(session)
        elif kind == "message":
            message = _model(ConversationMessage, record, where)
            if session is None or message.session_id not in (None, session.session_id):
                raise CorruptDataError(f"{where}: a message of session {message.session_id!r} outside its session.")
            batch.append(message)
            if len(batch) >= batch_size:
                flush(final=False)
        else:
            raise CorruptDataError(f"{where}: unknown record type {kind!r} in a conversation file.")
    flush(final=True)


def _import_knowledge(records: Iterator[tuple[int, dict[str, Any]]], dst: Any, path: str, batch_size: int,
                      stats: TransferStats, progress: Progress) -> None:
    collection: str | None = None
    batch: list[KnowledgeDocument] = []

    def flush() -> None:
        nonlocal batch
        if collection is not None and batch:
            dst.upsert(collection, batch)
            stats.records += len(batch)
            progress.advance(units=len(batch), items=len(batch))
            batch = []

    for lineno, record in records:
        where = f"{path}:{lineno}"
        kind = record.get("type")
        if kind == "collection":
            flush()
            info = _model(CollectionInfo, record, where)
            dst.create_collection(info.name, info.dimension, distance=info.distance, metadata=info.metadata or None)
            collection = info.name
            stats.containers += 1
        elif kind == "document":
            if record.get("collection") != collection:
                raise CorruptDataError(f"{where}: a document of collection {record.get('collection')!r} outside it.")
            batch.append(_model(KnowledgeDocument, {k: v for k, v in record.items() if k != "collection"}, where))
            if len(batch) >= batch_size:
                flush()
        else:
            raise CorruptDataError(f"{where}: unknown record type {kind!r} in a knowledge file.")
    flush()


def _import_state(records: Iterator[tuple[int, dict[str, Any]]], dst: Any, path: str,
                  stats: TransferStats, progress: Progress) -> None:
    for lineno, record in records:
        where = f"{path}:{lineno}"
        if record.get("type") != "key" or not isinstance(record.get("key"), str):
            raise CorruptDataError(f"{where}: expected a state key record.")
        if "hash" in record and not isinstance(record["hash"], dict):
            raise CorruptDataError(f"{where}: \"hash\" must be an object of fields.")
        expires_at = record.get("expires_at")
        entry = {k: v for k, v in record.items() if k in ("key", "value", "hash")}
        entry["ttl"] = None if expires_at is None else math.ceil(float(expires_at) - time.time())
        if write_state_entry(dst, entry):
            stats.records += 1
        else:
            stats.skipped += 1
        stats.containers += 1
        progress.advance(units=1, items=1)


def import_file(kind: str, path: str, dst: Any, batch_size: int = 500, progress: Progress | None = None) -> TransferStats:
    """Import a JSONL export into ``dst``; importing the same file twice changes nothing."""
    progress = progress or _Silent()
    stats = TransferStats(kind)
    started = time.perf_counter()
    progress.start(None, {"conversation": "sessions", "knowledge": "documents", "state": "keys"}.get(kind, "records"))
    records = read_records(path, kind)
    if kind == "conversation":
        _import_conversation(records, dst, path, batch_size, stats, progress)
    elif kind == "knowledge":
        _import_knowledge(records, dst, path, batch_size, stats, progress)
    elif kind == "state":
        _import_state(records, dst, path, stats, progress)
    else:
        raise ValueError(f"Unknown store kind {kind!r}; expected conversation, knowledge or state.")
    stats.seconds = time.perf_counter() - started
    return stats

