"""The JSONL exchange format of ``export`` / ``import``: one JSON object per line, streamed.

A file starts with a header ``{"format": "praisonai-persist", "version": 1, "kind": ...}`` and
ends with ``{"type": "end", "records": N}``. Between them, by kind:

* conversation: ``{"type": "session", ...session}`` followed by that session's
  ``{"type": "message", ...message}`` lines, oldest first;
* knowledge: ``{"type": "collection", "name", "dimension", "distance", "metadata"}`` followed by
  its ``{"type": "document", "collection", ...document}`` lines;
* state: ``{"type": "key", "key", "value" | "hash", "expires_at"}`` (absolute epoch seconds, so a
  TTL keeps counting down while the file waits).

Fields are those of the models' ``to_dict()``; floats are written exactly (timestamps round-trip
bit for bit). PraisonAI's export lines (a session dict holding a ``messages`` list) are read too.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from ..errors import CorruptDataError

__all__ = ["FORMAT", "VERSION", "JsonlWriter", "read_records"]

FORMAT = "praisonai-persist"
VERSION = 1
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class JsonlWriter:
    """Write records to ``path`` (``"-"``: stdout); the file appears complete or not at all.

    Records go to a temporary file beside ``path`` that is fsynced and renamed over it on success,
    so an interrupted export never leaves a truncated file under the real name.
    """

    def __init__(self, path: str, kind: str) -> None:
        self.path = path
        self.kind = kind
        self.records = 0
        self._tmp: str | None = None
        self._out: IO[str]
        if path == "-":
            self._out = sys.stdout
        else:
            target = Path(path)
            fd, self._tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
            self._out = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        self._line({"format": FORMAT, "version": VERSION, "kind": kind})

    def _line(self, record: dict[str, Any]) -> None:
        self._out.write(_ENCODER.encode(record))
        self._out.write("\n")

    def write(self, record_type: str, fields: dict[str, Any]) -> None:
        """Append one record of ``record_type`` (``session``, ``message``, ``document`` ...)."""
        self._line({"type": record_type, **fields})
        self.records += 1

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self._line({"type": "end", "records": self.records})
        if self._tmp is None:
            self._out.flush()
            return
        try:
            if exc_type is None:
                self._out.flush()
                os.fsync(self._out.fileno())
            self._out.close()
            if exc_type is None:
                os.replace(self._tmp, self.path)
        finally:
            if exc_type is not None and os.path.exists(self._tmp):
                os.remove(self._tmp)


def _legacy(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """PraisonAI's export line: one session dict with its ``messages`` list."""
    messages = record.get("messages") or []
    session = {k: v for k, v in record.items() if k != "messages"}
    session_id = session.get("session_id") or session.get("id")
    yield {"type": "session", **session, "session_id": session_id}
    for message in messages:
        yield {"type": "message", **message, "session_id": session_id}


def read_records(path: str, kind: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, record)`` for every record of ``path`` (``"-"``: stdin), header checked.

    Raises :class:`CorruptDataError` naming the line for malformed JSON, a foreign header, a
    file of another kind, or records after the end marker.
    """
    stream: IO[str] = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    try:
        header_seen = ended = False
        for lineno, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorruptDataError(f"{path}:{lineno}: not valid JSON ({exc.msg}).") from None
            if not isinstance(record, dict):
                raise CorruptDataError(f"{path}:{lineno}: expected a JSON object, got {type(record).__name__}.")
            if ended:
                raise CorruptDataError(f"{path}:{lineno}: a record after the end marker.")
            if not header_seen:
                header_seen = True
                if record.get("format") == FORMAT:
                    if record.get("version") != VERSION:
                        raise CorruptDataError(
                            f"{path}: format version {record.get('version')!r} is not supported (this version reads {VERSION})."
                        )
                    if record.get("kind") != kind:
                        raise CorruptDataError(f"{path}: holds {record.get('kind')!r} records, not {kind!r} (see --kind).")
                    continue
                if kind != "conversation" or "type" in record:
                    raise CorruptDataError(f"{path}:1: no praisonai-persist header; is this an export file?")
            if record.get("type") == "end":
                ended = True
                continue
            if "type" not in record and "messages" in record:
                for item in _legacy(record):
                    yield lineno, item
                continue
            yield lineno, record
    finally:
        if stream is not sys.stdin:
            stream.close()
