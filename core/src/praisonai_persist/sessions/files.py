"""File primitives of the JSON session stores: safe names, cross-process locks, durable writes.

* A session id never becomes a path: its file stem is a readable slug plus the SHA-256 of the
  exact id, so ``a/b`` and ``a_b`` (or ``A`` and ``a`` on a case-insensitive disk) never share a
  file and ``../x`` cannot leave the directory. The id itself is stored inside the file.
* Locks are a per-process thread lock plus a ``FileLock`` per lock file, always taken in sorted
  order, so an operation touching two sessions (a fork) cannot deadlock against another.
* Whole-file writes go through a temporary file, fsync, rename and directory fsync; appends to a
  JSONL log are one ``write`` of whole lines followed by fsync, and a torn last line left by a
  crash is ignored on read and cut off before the next append.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

from filelock import FileLock, Timeout

from ..backends.json_store import atomic_write_json
from ..errors import CorruptDataError, StoreConnectionError

__all__ = [
    "append_jsonl",
    "atomic_write_json",
    "atomic_write_jsonl",
    "encode_lines",
    "file_stem",
    "fsync_directory",
    "locked",
    "quarantine",
    "read_json",
    "read_jsonl",
]

logger = logging.getLogger("praisonai_persist.sessions")

_SLUG_UNSAFE = re.compile(r"[^a-z0-9_-]+")
# Threads of one process queue on one of a fixed set of locks (by hash of the lock path), so
# memory stays bounded however many sessions a long-lived process touches.
_THREAD_LOCKS = tuple(threading.Lock() for _ in range(64))
_FILE_MODE = 0o600  # chat histories are private: owner only, like the metadata's mkstemp files
_POLL_INTERVAL = 0.002  # filelock polls a non-blocking flock; a short wait keeps contended appends fast


def file_stem(session_id: str) -> str:
    """The file stem of a session: ``<slug>-<sha256 hex>``; distinct ids give distinct stems."""
    if not isinstance(session_id, str):
        raise TypeError(f"session_id must be a string, got {type(session_id).__name__}.")
    if not session_id:
        raise ValueError("session_id must be a non-empty string.")
    digest = hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()
    slug = _SLUG_UNSAFE.sub("_", session_id.lower())[:40].strip("_") or "session"
    return f"{slug}-{digest}"


def fsync_directory(directory: str) -> None:
    """Make a rename or unlink in ``directory`` durable (no-op where directories can't be fsynced)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stripe(path: str) -> int:
    return int.from_bytes(hashlib.blake2b(path.encode("utf-8", "surrogatepass"), digest_size=4).digest(), "big") % len(
        _THREAD_LOCKS
    )


@contextmanager
def locked(lock_paths: Sequence[str], timeout: float) -> Iterator[None]:
    """Hold every lock in ``lock_paths`` (threads and processes), taken in sorted order.

    Threads of one process queue on a thread lock first, so only one of them polls the file lock.
    A lock not obtained within ``timeout`` seconds raises :class:`StoreConnectionError`.
    """
    deadline = time.monotonic() + timeout
    paths = sorted(set(lock_paths))
    with ExitStack() as stack:
        # Every thread lock is taken before any file lock, each in one global order: a thread that
        # holds a file lock never waits for a thread lock, so no cycle (no deadlock) can form.
        for stripe in sorted({_stripe(p) for p in paths}):
            thread_lock = _THREAD_LOCKS[stripe]
            if not thread_lock.acquire(timeout=max(deadline - time.monotonic(), 0.0)):
                raise _lock_timeout(paths[0], timeout)
            stack.callback(thread_lock.release)
        for path in paths:
            file_lock = FileLock(path)
            try:
                file_lock.acquire(timeout=max(deadline - time.monotonic(), 0.0), poll_interval=_POLL_INTERVAL)
            except Timeout as exc:
                raise _lock_timeout(path, timeout) from exc
            stack.callback(file_lock.release)
        yield


def _lock_timeout(path: str, timeout: float) -> StoreConnectionError:
    return StoreConnectionError(
        f"Could not lock {path!r} within {timeout:g}s: another thread or process holds it. "
        "Retry, or raise lock_timeout if sessions are written by many processes at once."
    )


def read_json(path: str) -> Any:
    """The decoded JSON file, ``None`` if missing; :class:`CorruptDataError` if undecodable."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise CorruptDataError(f"{path!r} is not valid JSON ({exc}).") from exc


def read_jsonl(path: str) -> list[dict[str, Any]]:
    """Records of a JSONL log, ``[]`` if missing. A last line without newline is a torn,
    unacknowledged append and is ignored; any other bad line raises :class:`CorruptDataError`."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        return []
    end = raw.rfind(b"\n") + 1
    if end < len(raw):
        logger.warning(
            "Ignoring a torn last line (%d bytes) of %s left by an interrupted append.", len(raw) - end, path
        )
    records: list[dict[str, Any]] = []
    for number, line in enumerate(raw[:end].splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise CorruptDataError(f"Line {number} of {path!r} is not valid JSON ({exc}).") from exc
        if not isinstance(record, dict):
            raise CorruptDataError(f"Line {number} of {path!r} is not a JSON object.")
        records.append(record)
    return records


def encode_lines(records: Sequence[dict[str, Any]]) -> bytes:
    """JSONL bytes of ``records``; a value JSON can't hold raises ``TypeError`` here, before any write."""
    # ensure_ascii keeps every line free of raw U+2028/U+2029 that some readers split on.
    return b"".join(json.dumps(r, separators=(",", ":")).encode("ascii") + b"\n" for r in records)


def append_jsonl(path: str, records: Sequence[dict[str, Any]] | bytes) -> None:
    """Append records (or their :func:`encode_lines` bytes) in one write and fsync; caller holds the lock."""
    data = records if isinstance(records, bytes) else encode_lines(records)
    created = not os.path.exists(path)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, _FILE_MODE)
    try:
        _cut_torn_tail(fd, path)
        written = 0
        while written < len(data):
            written += os.write(fd, data[written:])
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        fsync_directory(os.path.dirname(os.path.abspath(path)))


def _cut_torn_tail(fd: int, path: str) -> None:
    """Drop bytes after the last newline (an append a crash interrupted, never acknowledged)."""
    size = os.fstat(fd).st_size
    if size == 0 or _read_at(fd, size - 1, 1) == b"\n":
        return
    end = size
    while end > 0:
        start = max(0, end - 65536)
        chunk = _read_at(fd, start, end - start)
        cut = chunk.rfind(b"\n")
        if cut >= 0:
            end = start + cut + 1
            break
        end = start
    logger.warning("Cutting a torn last line (%d bytes) off %s before appending.", size - end, path)
    os.ftruncate(fd, end)


def _read_at(fd: int, offset: int, size: int) -> bytes:
    """``size`` bytes at ``offset`` (lseek + read: os.pread does not exist on Windows)."""
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


def atomic_write_jsonl(path: str, records: Sequence[dict[str, Any]]) -> None:
    """Replace a JSONL log at once (clear, revert, fork): temp file, fsync, rename, dir fsync."""
    directory = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(directory, f".tmp-{uuid.uuid4().hex}.jsonl")
    try:
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _FILE_MODE), "wb") as fh:
            fh.write(encode_lines(records))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_directory(directory)


def quarantine(paths: Sequence[str]) -> list[str]:
    """Rename existing ``paths`` aside to ``<name>.corrupt-<time>`` and return the new names."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{uuid.uuid4().hex[:8]}"
    moved: list[str] = []
    for path in paths:
        target = f"{path}.corrupt-{stamp}"
        try:
            os.replace(path, target)
        except FileNotFoundError:
            continue
        moved.append(target)
    if moved:
        fsync_directory(os.path.dirname(os.path.abspath(moved[0])))
    return moved
