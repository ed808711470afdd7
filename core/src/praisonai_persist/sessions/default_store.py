"""``DefaultSessionStore``: PraisonAI's JSON session store, safe across threads and processes.

Each session is three files in ``session_dir`` named after :func:`~.files.file_stem` of its id:
``<stem>.meta.json`` (small: ids, times, metadata; rewritten atomically), ``<stem>.messages.jsonl``
(the history, append-only: an append writes one line, never the whole history) and
``<stem>.lock``. Every call, reads included, works on what is on disk under the session's lock,
so several stores, threads and processes see each other's writes at once. A file that cannot be
decoded is moved aside and reported with :class:`CorruptDataError`; it is never silently reset.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, ClassVar

from ..errors import CorruptDataError, StoreConnectionError
from .files import (
    append_jsonl,
    atomic_write_json,
    atomic_write_jsonl,
    encode_lines,
    file_stem,
    fsync_directory,
    locked,
    logger,
    quarantine,
    read_json,
    read_jsonl,
)
from .legacy import LEGACY_FILE, legacy_path, migrate_legacy, read_legacy
from .models import SessionData, SessionMessage, iso_now

__all__ = ["DEFAULT_LOCK_TIMEOUT", "DEFAULT_SESSION_DIR", "DefaultSessionStore", "SessionFiles"]

DEFAULT_SESSION_DIR = os.path.join("~", ".praisonai", "sessions")
DEFAULT_LOCK_TIMEOUT = 10.0
FORMAT = "praisonai-persist-session"
FORMAT_VERSION = 1
_META_SUFFIX = ".meta.json"
_BASE_FIELDS = ("created_at", "updated_at", "agent_name", "user_id", "metadata", "gateway_session_id", "agent_id")


@dataclass(frozen=True)
class SessionFiles:
    """The paths of one session's files."""

    directory: str
    stem: str

    @property
    def meta(self) -> str:
        return os.path.join(self.directory, self.stem + _META_SUFFIX)

    @property
    def log(self) -> str:
        return os.path.join(self.directory, self.stem + ".messages.jsonl")

    @property
    def lock(self) -> str:
        return os.path.join(self.directory, self.stem + ".lock")

    def snapshot(self, snapshot_id: str) -> str:
        return os.path.join(self.directory, f"{self.stem}.snap-{file_stem(snapshot_id)}.jsonl")

    def snapshots(self) -> list[str]:
        prefix = self.stem + ".snap-"
        return [e.path for e in os.scandir(self.directory) if e.name.startswith(prefix) and e.name.endswith(".jsonl")]


class DefaultSessionStore:
    """JSON session store (default directory ``~/.praisonai/sessions/``), PraisonAI's API.

    ``max_messages`` caps what ``get_chat_history`` returns by default (``None``: everything);
    nothing is ever dropped from disk. ``lock_timeout`` bounds the wait for a session's lock.
    """

    _data_class: ClassVar[type[SessionData]] = SessionData

    def __init__(
        self,
        session_dir: str | os.PathLike[str] | None = None,
        max_messages: int | None = None,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        if max_messages is not None and (isinstance(max_messages, bool) or max_messages < 0):
            raise ValueError(f"max_messages must be a non-negative integer or None, got {max_messages!r}.")
        if lock_timeout <= 0:
            raise ValueError(f"lock_timeout must be a positive number of seconds, got {lock_timeout!r}.")
        target = os.fspath(session_dir) if session_dir is not None else DEFAULT_SESSION_DIR
        self.session_dir = os.path.abspath(os.path.expanduser(target))
        self.max_messages = max_messages
        self.lock_timeout = lock_timeout
        try:
            os.makedirs(self.session_dir, exist_ok=True)
        except OSError as exc:
            raise StoreConnectionError(
                f"Cannot create the session directory {self.session_dir!r}: {exc}. Check the path and permissions."
            ) from exc

    # -- files and locks -----------------------------------------------------------------

    def _files(self, session_id: str) -> SessionFiles:
        return SessionFiles(self.session_dir, file_stem(session_id))

    @contextmanager
    def _locked(self, *session_ids: str) -> Iterator[None]:
        """Hold the locks of every named session (one lock each, sorted, so forks can't deadlock)."""
        with locked([self._files(s).lock for s in session_ids], self.lock_timeout):
            yield

    def _quarantine(self, session_id: str, files: SessionFiles, problem: CorruptDataError) -> CorruptDataError:
        """Move a session's unreadable files aside, log it, and return the error to raise."""
        moved = quarantine([files.meta, files.log])
        logger.error("Session %r is corrupt (%s); its files were moved aside to %s.", session_id, problem, moved)
        return CorruptDataError(
            f"Session {session_id!r} could not be read: {problem} Its files were moved aside to {moved} for "
            "inspection or repair; the session id now starts empty."
        )

    def _read_meta(self, session_id: str, files: SessionFiles) -> dict[str, Any] | None:
        """The session's metadata record, ``None`` if the session does not exist (caller holds the lock).

        A session PraisonAI's own store wrote is converted on this first access.
        """
        try:
            meta: dict[str, Any] | None = read_json(files.meta)
            if meta is not None and (not isinstance(meta, dict) or meta.get("session_id") != session_id):
                raise CorruptDataError(f"{files.meta!r} does not hold the record of session {session_id!r}.")
        except CorruptDataError as exc:
            raise self._quarantine(session_id, files, exc) from exc
        if meta is None:
            legacy = self._legacy(session_id)
            if legacy is not None:
                meta = migrate_legacy(session_id, legacy, legacy_path(self.session_dir, session_id), files.meta,
                                      files.log, self._new_meta(session_id))  # fmt: skip
        return meta

    def _legacy(self, session_id: str) -> dict[str, Any] | None:
        """The PraisonAI-format file of ``session_id``, if there is one holding that very id."""
        path = legacy_path(self.session_dir, session_id)
        if not os.path.exists(path):
            return None
        data = read_legacy(path)
        if data is None:
            return None
        # PraisonAI's file names are lossy ("a/b" and "a_b" share one): only the stored id decides,
        # and a file of another format (the ``json`` conversation backend's) is never touched.
        if data.get("session_id") == session_id and "format" not in data:
            return data
        return None

    def _exists(self, session_id: str) -> bool:
        """Whether the session exists, in this layout or as a PraisonAI file not yet converted."""
        return os.path.exists(self._files(session_id).meta) or self._legacy(session_id) is not None

    def _read_messages(self, session_id: str, files: SessionFiles) -> list[dict[str, Any]]:
        try:
            return read_jsonl(files.log)
        except CorruptDataError as exc:
            raise self._quarantine(session_id, files, exc) from exc

    def _new_meta(self, session_id: str) -> dict[str, Any]:
        now = iso_now()
        return {"format": FORMAT, "version": FORMAT_VERSION, "session_id": session_id, "created_at": now,
                "updated_at": now, "agent_name": None, "user_id": None, "metadata": {},
                "gateway_session_id": None, "agent_id": None}  # fmt: skip

    def _write_meta(self, files: SessionFiles, meta: dict[str, Any]) -> None:
        meta["updated_at"] = iso_now()
        atomic_write_json(files.meta, meta)

    def _meta_or_new(self, session_id: str, files: SessionFiles) -> dict[str, Any]:
        return self._read_meta(session_id, files) or self._new_meta(session_id)

    def _modify_meta(self, session_id: str, change: Any) -> bool:
        """Read, change and rewrite a session's metadata under its lock (creating the session)."""
        files = self._files(session_id)
        with self._locked(session_id):
            meta = self._meta_or_new(session_id, files)
            change(meta)
            self._write_meta(files, meta)
        return True

    def _build(self, meta: Mapping[str, Any], records: Sequence[dict[str, Any]]) -> SessionData:
        data = dict(meta)
        data["messages"] = records
        data["updated_at"] = _latest(meta.get("updated_at"), records)
        return self._data_class.from_dict(data)

    # -- messages ------------------------------------------------------------------------

    def add_message(
        self,
        session_id: str,
        role: str,
        content: str,
        metadata: dict[str, Any] | None = None,
        tool_calls: list[dict[str, Any]] | None = None,
        tool_call_id: str | None = None,
    ) -> bool:
        """Append one message (creating the session on first use); durable when it returns ``True``."""
        message = SessionMessage(role, content, time.time(), dict(metadata or {}), tool_calls, tool_call_id)
        self._append(session_id, [message.to_dict()])
        return True

    def add_user_message(self, session_id: str, content: str, metadata: dict[str, Any] | None = None) -> bool:
        return self.add_message(session_id, "user", content, metadata)

    def add_assistant_message(self, session_id: str, content: str, metadata: dict[str, Any] | None = None) -> bool:
        return self.add_message(session_id, "assistant", content, metadata)

    def _append(self, session_id: str, records: list[dict[str, Any]]) -> None:
        data = encode_lines(records)  # a value JSON can't hold fails here, before anything is written
        files = self._files(session_id)
        with self._locked(session_id):
            if not os.path.exists(files.meta) and self._read_meta(session_id, files) is None:
                atomic_write_json(files.meta, self._new_meta(session_id))
            append_jsonl(files.log, data)

    def get_chat_history(self, session_id: str, max_messages: int | None = None) -> list[dict[str, Any]]:
        """The history as LLM messages, oldest first; ``max_messages`` keeps the most recent ones."""
        return self.get_session(session_id).get_chat_history(max_messages or self.max_messages)

    def get_session(self, session_id: str) -> SessionData:
        """The session read from disk now (an empty, unsaved one if it does not exist)."""
        files = self._files(session_id)
        with self._locked(session_id):
            meta = self._read_meta(session_id, files)
            records = self._read_messages(session_id, files) if meta is not None else []
        return self._build(meta or self._new_meta(session_id), records)

    def set_chat_history(self, session_id: str, messages: Sequence[Mapping[str, Any]]) -> bool:
        """Replace the whole history at once (atomic: readers see the old or the new one)."""
        records = [
            SessionMessage(
                role=m.get("role", "user"),
                content=m.get("content", "") or "",
                timestamp=m.get("timestamp", time.time()),
                metadata=dict(m.get("metadata") or {}),
                tool_calls=m.get("tool_calls"),
                tool_call_id=m.get("tool_call_id"),
            ).to_dict()
            for m in messages
        ]
        json.dumps(records)
        files = self._files(session_id)
        with self._locked(session_id):
            meta = self._meta_or_new(session_id, files)
            atomic_write_jsonl(files.log, records)
            self._write_meta(files, meta)
        return True

    def clear_session(self, session_id: str) -> bool:
        """Remove every message of the session, keeping the session and its metadata."""
        return self.set_chat_history(session_id, [])

    # -- sessions ------------------------------------------------------------------------

    def set_agent_info(self, session_id: str, agent_name: str | None = None, user_id: str | None = None) -> bool:
        def change(meta: dict[str, Any]) -> None:
            if agent_name:
                meta["agent_name"] = agent_name
            if user_id:
                meta["user_id"] = user_id

        return self._modify_meta(session_id, change)

    def update_session_metadata(self, session_id: str, **fields: Any) -> bool:
        """Merge ``fields`` into the session's metadata (``None`` values are skipped)."""
        if not fields:
            return True
        json.dumps(fields)

        def change(meta: dict[str, Any]) -> None:
            for key, value in fields.items():
                if value is None:
                    continue
                meta.setdefault("metadata", {})[key] = value
                if key in ("agent_id", "agent_name", "user_id"):
                    meta[key] = value

        return self._modify_meta(session_id, change)

    def session_exists(self, session_id: str) -> bool:
        files = self._files(session_id)
        with self._locked(session_id):
            return os.path.exists(files.meta) or self._read_meta(session_id, files) is not None

    def delete_session(self, session_id: str) -> bool:
        """Delete the session and its messages and snapshots; ``True`` even if it did not exist."""
        files = self._files(session_id)
        with self._locked(session_id):
            self._delete_files(files)
        return True

    def _delete_files(self, files: SessionFiles) -> None:
        # The log goes first: a crash part-way leaves an empty session, never a log without owner.
        for path in [files.log, *files.snapshots(), files.meta]:
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
        fsync_directory(self.session_dir)

    def list_sessions(self, limit: int = 50) -> list[dict[str, Any]]:
        """Summaries of the sessions, most recently updated first (PraisonAI's dict shape)."""
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ValueError(f"limit must be a non-negative integer, got {limit!r}.")
        self._convert_legacy_files()
        sessions: list[dict[str, Any]] = []
        for entry in os.scandir(self.session_dir):
            if not entry.name.endswith(_META_SUFFIX):
                continue
            summary = self._summary(entry.path)
            if summary is not None:
                sessions.append(summary)
        sessions.sort(key=lambda s: s.get("updated_at") or "", reverse=True)
        return sessions[:limit]

    def _summary(self, meta_path: str) -> dict[str, Any] | None:
        """One session's summary; an unreadable one is moved aside, logged and left out."""
        files = SessionFiles(self.session_dir, os.path.basename(meta_path)[: -len(_META_SUFFIX)])
        with locked([files.lock], self.lock_timeout):
            try:
                meta = read_json(files.meta)
                if meta is None:
                    return None  # deleted while we listed
                session_id = meta.get("session_id") if isinstance(meta, dict) else None
                if not isinstance(session_id, str) or file_stem(session_id) != files.stem:
                    raise CorruptDataError(f"{files.meta!r} does not hold the record of the session named by its file.")
                records = read_jsonl(files.log)
            except CorruptDataError as exc:
                moved = quarantine([files.meta, files.log])
                logger.error("Session file %s is corrupt (%s); moved aside to %s.", files.meta, exc, moved)
                return None
        meta_dict = meta.get("metadata") or {}
        return {
            "session_id": session_id,
            "id": session_id,
            "agent_name": meta.get("agent_name"),
            "agent_id": meta.get("agent_id") or meta_dict.get("agent_id"),
            "user_id": meta.get("user_id"),
            "parent_id": meta.get("parent_id"),
            "title": meta.get("title"),
            "created_at": meta.get("created_at"),
            "updated_at": _latest(meta.get("updated_at"), records),
            "message_count": len(records),
            "metadata": meta_dict,
        }

    def _convert_legacy_files(self) -> None:
        """Convert every PraisonAI-format session file in the directory (done once per file)."""
        for entry in os.scandir(self.session_dir):
            if not LEGACY_FILE.fullmatch(entry.name):
                continue
            try:
                data = read_legacy(entry.path)
            except CorruptDataError as exc:
                logger.error("Skipping a PraisonAI session file in list_sessions: %s", exc)
                continue
            session_id = data.get("session_id") if data is not None else None
            if (
                not isinstance(session_id, str)
                or not session_id
                or legacy_path(self.session_dir, session_id) != entry.path
            ):
                continue  # not where PraisonAI would have put that id: not one of its files
            files = self._files(session_id)
            try:
                with self._locked(session_id):
                    self._read_meta(session_id, files)
            except CorruptDataError:
                continue  # logged and moved aside

    def invalidate_cache(self, session_id: str | None = None) -> None:
        """Kept for PraisonAI compatibility: this store has no cache, every call reads the disk."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_dir={self.session_dir!r})"


def _latest(updated_at: Any, records: Sequence[dict[str, Any]]) -> str:
    """The later of the metadata's ``updated_at`` and the last message's time, as ISO text.

    Appends don't rewrite the metadata file, so the newest message also counts as an update.
    """
    stamp = updated_at if isinstance(updated_at, str) else iso_now()
    if records:
        last = records[-1].get("timestamp")
        if isinstance(last, (int, float)):
            try:
                if last > datetime.fromisoformat(stamp).timestamp():
                    return datetime.fromtimestamp(last, timezone.utc).isoformat()
            except ValueError:
                pass
    return stamp
