"""JSON-file conversation store (backend ``json``): one file per session in a directory.

* File names are the SHA-256 of the session id, never the id itself, so ids such as
  ``a/b``, ``../x``, ``CON`` or 10,000 characters are all safe and distinct on every OS.
* Writes are atomic (temporary file in the same directory, flush, fsync, ``os.replace``,
  fsync of the directory) and serialised across threads and processes by a ``FileLock``;
  every write re-reads the file under the lock, so concurrent appenders lose nothing.
* A file that cannot be decoded raises :class:`CorruptDataError` and is left untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from filelock import FileLock

from ..conversation import ConversationStore
from ..errors import CorruptDataError, SessionExistsError, SessionNotFoundError, StoreConnectionError
from ..models import ConversationMessage, ConversationSession
from ..urls import local_path

__all__ = ["DEFAULT_DIRECTORY", "JSONConversationStore", "atomic_write_json", "session_file_name"]

DEFAULT_DIRECTORY = "./praisonai_conversations"
FORMAT = "praisonai-persist-json-conversation"
FORMAT_VERSION = 1
_SESSION_FILE = re.compile(r"[0-9a-f]{64}\.json")


def session_file_name(session_id: str) -> str:
    """File name of a session: hex SHA-256 of its UTF-8 id (case-insensitive-FS safe)."""
    if not isinstance(session_id, str):
        raise TypeError(f"session_id must be a string, got {type(session_id).__name__}.")
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest() + ".json"


def _fsync_directory(directory: str) -> None:
    if os.name != "posix":
        return  # directories cannot be opened for fsync on Windows; os.replace is atomic there
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_json(path: str, data: Any) -> None:
    """Replace ``path`` with ``data`` as JSON so readers see the old or the new file, never half."""
    directory = os.path.dirname(os.path.abspath(path))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_directory(directory)


class JSONConversationStore(ConversationStore):
    """Conversation store in a directory of JSON files (default ``./praisonai_conversations``).

    ``url`` or ``path``: a directory path or ``json:///dir`` / ``file:///dir`` URL. Suited to
    development and small deployments: each append rewrites its session's file.
    """

    backend_name = "json"

    def __init__(
        self, url: str | os.PathLike[str] | None = None, *, path: str | os.PathLike[str] | None = None
    ) -> None:
        target = path if path is not None else url
        directory = local_path(os.fspath(target), ("json", "file")) if target is not None else None
        self.directory = os.path.abspath(directory or DEFAULT_DIRECTORY)
        try:
            os.makedirs(self.directory, exist_ok=True)
        except OSError as exc:
            raise StoreConnectionError(
                f"Cannot create the conversation directory {self.directory!r}: {exc}. Check the path and permissions."
            ) from exc
        self._file_lock = FileLock(os.path.join(self.directory, ".praisonai-persist.lock"))
        self._thread_lock = threading.RLock()
        self._closed = False

    # -- files ---------------------------------------------------------------------------

    def _path(self, session_id: str) -> str:
        return os.path.join(self.directory, session_file_name(session_id))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Exclusive access to the directory for this thread, across threads and processes."""
        if self._closed:
            raise StoreConnectionError(f"This store is closed; create a new one to use {self.directory!r}.")
        with self._thread_lock, self._file_lock:
            yield

    def _load(self, path: str) -> dict[str, Any] | None:
        """The decoded file, ``None`` if it does not exist, :class:`CorruptDataError` if unreadable."""
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            return None
        except (ValueError, UnicodeDecodeError) as exc:
            raise CorruptDataError(
                f"Session file {path!r} is not valid JSON ({exc}). It was left untouched: restore it from a "
                "backup, or move it away to drop that session."
            ) from exc
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("session"), dict)
            or not isinstance(data.get("messages"), list)
        ):
            raise CorruptDataError(
                f"Session file {path!r} does not hold a session and its messages. It was left untouched: "
                "restore it from a backup, or move it away to drop that session."
            )
        return data

    def _load_session(self, session_id: str) -> dict[str, Any] | None:
        data = self._load(self._path(session_id))
        if data is not None and data["session"].get("session_id") != session_id:
            raise CorruptDataError(
                f"Session file {self._path(session_id)!r} holds session "
                f"{data['session'].get('session_id')!r}, not {session_id!r}. It was left untouched."
            )
        return data

    def _save(self, session_id: str, data: dict[str, Any]) -> None:
        atomic_write_json(self._path(session_id), data)

    # -- sessions ------------------------------------------------------------------------

    def create_session(self, session: ConversationSession) -> ConversationSession:
        with self._locked():
            if self._load_session(session.session_id) is not None:
                raise SessionExistsError(session.session_id)
            self._save(
                session.session_id,
                {"format": FORMAT, "version": FORMAT_VERSION, "session": session.to_dict(), "messages": []},
            )
        return session

    def upsert_session(self, session: ConversationSession) -> ConversationSession:
        """Create the session, or update it if it exists (no check-then-act race)."""
        try:
            return self.create_session(session)
        except SessionExistsError:
            return self.update_session(session)

    def get_session(self, session_id: str) -> ConversationSession | None:
        data = self._load_session(session_id)
        return None if data is None else ConversationSession.from_dict(data["session"])

    def update_session(self, session: ConversationSession) -> ConversationSession:
        with self._locked():
            data = self._load_session(session.session_id)
            if data is None:
                raise SessionNotFoundError(session.session_id)
            stored = data["session"]
            for name in ("user_id", "agent_id", "name", "state", "metadata"):
                stored[name] = getattr(session, name)
            session.updated_at = _bumped(stored)
            self._save(session.session_id, data)
        return session

    def restore_session(self, session: ConversationSession) -> ConversationSession:
        record = session.to_dict()
        json.dumps(record)  # fail on a non-JSON value before taking the lock
        with self._locked():
            data = self._load_session(session.session_id)
            if data is None:
                data = {"format": FORMAT, "version": FORMAT_VERSION, "session": record, "messages": []}
            else:
                data["session"] = record
            self._save(session.session_id, data)
        return session

    def delete_session(self, session_id: str) -> bool:
        with self._locked():
            try:
                os.remove(self._path(session_id))
            except FileNotFoundError:
                return False
            _fsync_directory(self.directory)
            return True

    def list_sessions(
        self, user_id: str | None = None, agent_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[ConversationSession]:
        if limit is not None:
            _check_count(limit, "limit")
        _check_count(offset, "offset")
        sessions: list[ConversationSession] = []
        for entry in os.scandir(self.directory):
            if not _SESSION_FILE.fullmatch(entry.name):
                continue
            data = self._load(entry.path)
            if data is None:
                continue  # deleted while we listed
            s = ConversationSession.from_dict(data["session"])
            if (user_id is None or s.user_id == user_id) and (agent_id is None or s.agent_id == agent_id):
                sessions.append(s)
        sessions.sort(key=lambda s: s.session_id)
        sessions.sort(key=lambda s: s.updated_at, reverse=True)
        return sessions[offset:] if limit is None else sessions[offset : offset + limit]

    # -- messages ------------------------------------------------------------------------

    def add_message(self, session_id: str, message: ConversationMessage) -> ConversationMessage:
        return self.add_messages(session_id, [message])[0]

    def add_messages(self, session_id: str, messages: Sequence[ConversationMessage]) -> list[ConversationMessage]:
        out = list(messages)
        for m in out:
            m.session_id = session_id
        records = [m.to_dict() for m in out]
        json.dumps(records)  # fail on a non-JSON value before taking the lock
        with self._locked():
            data = self._load_session(session_id)
            if data is None:
                raise SessionNotFoundError(session_id)
            if not out:
                return out
            known = {m.get("id") for m in data["messages"]}
            for record in records:
                # Keyed by id like the SQL stores: a retried append never duplicates a message.
                if record["id"] not in known:
                    data["messages"].append(record)
                    known.add(record["id"])
            _bumped(data["session"])
            self._save(session_id, data)
        return out

    def get_messages(
        self, session_id: str, limit: int | None = None, before: float | None = None, after: float | None = None
    ) -> list[ConversationMessage]:
        if limit is not None:
            _check_count(limit, "limit")
        data = self._load_session(session_id)
        if data is None:
            return []
        msgs = [ConversationMessage.from_dict(r) for r in data["messages"]]
        msgs.sort(key=lambda m: m.created_at)  # stable: ties keep insertion order
        if before is not None:
            msgs = [m for m in msgs if m.created_at < before]
        if after is not None:
            msgs = [m for m in msgs if m.created_at > after]
        if limit is not None:
            if after is not None:
                msgs = msgs[:limit]  # paging forward: the first N after the bound
            else:
                msgs = msgs[len(msgs) - limit :] if limit else []  # the most recent N
        return msgs

    def delete_messages(self, session_id: str, message_ids: Sequence[str] | None = None) -> int:
        with self._locked():
            data = self._load_session(session_id)
            if data is None:
                return 0
            before = len(data["messages"])
            if message_ids is None:
                data["messages"] = []
            else:
                doomed = {message_ids} if isinstance(message_ids, str) else set(message_ids)
                data["messages"] = [m for m in data["messages"] if m.get("id") not in doomed]
            removed = before - len(data["messages"])
            if removed:
                self._save(session_id, data)
            return removed

    def close(self) -> None:
        self._closed = True

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self.directory!r})"


def _bumped(stored: dict[str, Any]) -> float:
    """Set the stored session's ``updated_at`` to now, strictly later than before; return it."""
    now = time.time()
    previous = stored.get("updated_at")
    if isinstance(previous, (int, float)) and previous >= now:
        now = previous + 1e-6
    stored["updated_at"] = now
    return now


def _check_count(value: Any, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative integer, got {value!r}.")
