"""In-memory state store (backend ``memory``), optionally persisted to a JSON file.

Values are JSON values and are copied in and out, so mutating what ``get`` returned never
changes the store. Key patterns follow Redis' glob rules (``*``, ``?``, ``[...]`` with ``^``
or ``!`` negation and ranges, ``\\`` escapes). With ``path``, the state is loaded from and
saved to that file atomically under a ``FileLock``, re-read before every change, so
several processes sharing the file keep each other's writes; expiry times are then
absolute wall-clock times (in memory only, the monotonic clock is used). A key holds a value
or a hash (marked ``"hash": true`` in the file), never both: using it as the other kind raises
:class:`~praisonai_persist.errors.WrongTypeError`.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from filelock import FileLock

from ..errors import CorruptDataError, WrongTypeError
from ..state import StateStore, check_expire_ttl, check_ttl
from ..urls import local_path
from .json_store import atomic_write_json

__all__ = ["MemoryStateStore", "compile_glob", "glob_match", "glob_prefix"]

FORMAT = "praisonai-persist-state"
FORMAT_VERSION = 1

_Entry = list[Any]  # [value, expires_at or None, is_hash]


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """Compile a Redis-style glob into a regex matching whole keys."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(pattern[i]))
        elif c == "[":
            end, regex = _glob_class(pattern, i + 1)
            if end < 0:
                out.append(re.escape("["))  # an unclosed bracket is literal
            else:
                out.append(regex)
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def _glob_class(pattern: str, j: int) -> tuple[int, str]:
    """Translate ``[...]`` starting after ``[``; return (index of ``]``, regex) or (-1, "")."""
    n = len(pattern)
    negate = j < n and pattern[j] in "^!"
    if negate:
        j += 1
    items: list[str] = []
    while j < n and pattern[j] != "]":
        c = pattern[j]
        if c == "\\" and j + 1 < n:
            items.append(re.escape(pattern[j + 1]))
            j += 2
        elif j + 2 < n and pattern[j + 1] == "-" and pattern[j + 2] != "]":
            lo, hi = sorted((c, pattern[j + 2]))  # Redis accepts reversed ranges
            items.append(f"{re.escape(lo)}-{re.escape(hi)}")
            j += 3
        else:
            items.append(re.escape(c))
            j += 1
    if j >= n:
        return -1, ""
    if not items:
        return j, "[\\s\\S]" if negate else "(?!)"
    return j, "[" + ("^" if negate else "") + "".join(items) + "]"


def glob_match(pattern: str, key: str) -> bool:
    """True if ``key`` matches the Redis-style glob ``pattern``."""
    return compile_glob(pattern).fullmatch(key) is not None


def glob_prefix(pattern: str) -> str:
    """The literal text every key matching ``pattern`` starts with (``"user:"`` for ``"user:*"``).

    Stores that list keys by prefix (object stores, DynamoDB, Firestore) narrow the listing with
    it and then apply :func:`glob_match` to what comes back.
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c in "*?[":
            break
        if c == "\\":
            if i + 1 >= len(pattern):
                break
            i += 1
            c = pattern[i]
        out.append(c)
        i += 1
    return "".join(out)


def _copy(value: Any) -> Any:
    """A deep copy that is also a check that ``value`` is JSON (tuples become lists)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"State values must be JSON values (dict, list, str, number, bool, None): {exc}") from exc


class MemoryStateStore(StateStore):
    """Thread-safe key-value state with TTLs and hashes; ``path`` makes it a shared JSON file."""

    backend_name = "memory"

    def __init__(
        self, url: str | os.PathLike[str] | None = None, *, path: str | os.PathLike[str] | None = None
    ) -> None:
        target = path if path is not None else url
        file = local_path(os.fspath(target), ("memory", "file", "json")) if target is not None else None
        self.path = os.path.abspath(file) if file and file != ":memory:" else None
        self._lock = threading.RLock()
        self._data: dict[str, _Entry] = {}
        self._clock: Callable[[], float] = time.time if self.path else time.monotonic
        self._file_lock: FileLock | None = None
        self._signature: tuple[int, int, int] | None = None
        self._mutations = 0
        if self.path:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            self._file_lock = FileLock(self.path + ".lock")
            with self._lock:
                self._reload()

    # -- persistence ---------------------------------------------------------------------

    def _stat(self) -> tuple[int, int, int] | None:
        assert self.path is not None
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _reload(self) -> None:
        """Read the file (the caller holds ``_lock``); a missing file is an empty state."""
        assert self.path is not None
        signature = self._stat()
        if signature is None:
            self._data, self._signature = {}, None
            return
        try:
            with open(self.path, encoding="utf-8") as fh:
                raw = json.load(fh)
            entries = raw["entries"]
            data = {str(k): [v["value"], v.get("expires_at"), bool(v.get("hash"))] for k, v in entries.items()}
        except (ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise CorruptDataError(
                f"State file {self.path!r} cannot be read ({exc!r}). It was left untouched: restore it from a "
                "backup or move it away to start empty."
            ) from exc
        self._data, self._signature = data, signature

    def _refresh(self) -> None:
        """Before a read: reload if another process replaced the file."""
        if self.path is not None and self._stat() != self._signature:
            self._reload()

    def _save(self) -> None:
        assert self.path is not None
        now = self._clock()
        entries = {
            k: {"value": v, "expires_at": exp, **({"hash": True} if is_hash else {})}
            for k, (v, exp, is_hash) in self._data.items()
            if exp is None or exp > now
        }
        atomic_write_json(self.path, {"format": FORMAT, "version": FORMAT_VERSION, "entries": entries})
        self._signature = self._stat()

    @contextmanager
    def _mutating(self) -> Iterator[dict[str, _Entry]]:
        """Exclusive, up-to-date access to the data; saved afterwards when file-backed."""
        with self._lock:
            if self._file_lock is None:
                yield self._data
                self._mutations += 1
                if self._mutations % 1024 == 0:
                    self._purge_expired()
                return
            with self._file_lock:
                self._reload()
                yield self._data
                self._save()

    def _purge_expired(self) -> None:
        now = self._clock()
        for key in [k for k, entry in self._data.items() if entry[1] is not None and entry[1] <= now]:
            del self._data[key]

    @contextmanager
    def _reading(self) -> Iterator[dict[str, _Entry]]:
        with self._lock:
            self._refresh()
            yield self._data

    def _live(self, data: dict[str, _Entry], key: str) -> _Entry | None:
        entry = data.get(key)
        if entry is None:
            return None
        exp = entry[1]
        if exp is not None and exp <= self._clock():
            return None
        return entry

    # -- key-value -----------------------------------------------------------------------

    def get(self, key: str) -> Any | None:
        with self._reading() as data:
            entry = self._live(data, key)
            if entry is not None and entry[2]:
                raise WrongTypeError(key, "hash")
            return None if entry is None else _copy(entry[0])

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        seconds = check_ttl(ttl)
        stored = _copy(value)
        with self._mutating() as data:
            data[key] = [stored, None if seconds is None else self._clock() + seconds, False]

    def delete(self, key: str) -> bool:
        with self._mutating() as data:
            return self._live(data, key) is not None and data.pop(key, None) is not None

    def exists(self, key: str) -> bool:
        with self._reading() as data:
            return self._live(data, key) is not None

    def keys(self, pattern: str = "*") -> list[str]:
        regex = compile_glob(pattern)
        with self._reading() as data:
            now = self._clock()
            return [k for k, e in data.items() if (e[1] is None or e[1] > now) and regex.fullmatch(k)]

    def scan_prefix(self, prefix: str) -> list[str]:
        with self._reading() as data:
            now = self._clock()
            return [k for k, e in data.items() if (e[1] is None or e[1] > now) and k.startswith(prefix)]

    def ttl(self, key: str) -> int | None:
        with self._reading() as data:
            entry = self._live(data, key)
            if entry is None or entry[1] is None:
                return None
            expires_at: float = entry[1]
            return max(1, math.ceil(expires_at - self._clock()))

    def expire(self, key: str, ttl: int) -> bool:
        seconds = check_expire_ttl(ttl)
        with self._mutating() as data:
            entry = self._live(data, key)
            if entry is None:
                return False
            entry[1] = self._clock() + seconds
            return True

    # -- hashes --------------------------------------------------------------------------

    def _hash(self, data: dict[str, _Entry], key: str) -> dict[str, Any] | None:
        entry = self._live(data, key)
        if entry is None:
            return None
        if not entry[2]:
            raise WrongTypeError(key, "value")
        value: dict[str, Any] = entry[0]
        return value

    def hget(self, key: str, field: str) -> Any | None:
        with self._reading() as data:
            h = self._hash(data, key)
            return None if h is None else _copy(h.get(field))

    def hset(self, key: str, field: str, value: Any) -> None:
        stored = _copy(value)
        with self._mutating() as data:
            h = self._hash(data, key)
            if h is None:
                data[key] = [{field: stored}, None, True]
            else:
                h[field] = stored  # keeps the key's TTL, as Redis does

    def hgetall(self, key: str) -> dict[str, Any]:
        with self._reading() as data:
            h = self._hash(data, key)
            return {} if h is None else dict(_copy(h))

    def hdel(self, key: str, *fields: str) -> int:
        with self._mutating() as data:
            h = self._hash(data, key)
            if h is None:
                return 0
            removed = sum(1 for f in fields if h.pop(f, _MISSING) is not _MISSING)
            if not h:
                del data[key]  # Redis drops an empty hash
            return removed

    def clear(self) -> None:
        """Remove every key (a convenience of this backend)."""
        with self._mutating() as data:
            data.clear()

    def close(self) -> None:
        """Nothing to release: file-backed changes are saved as they happen."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self.path!r})"


_MISSING = object()
