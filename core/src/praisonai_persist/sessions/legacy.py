"""Open session files written by PraisonAI's own JSON store (``<sanitised id>.json``).

PraisonAI kept a session in one JSON file named after its id with every character other than
letters, digits, ``-`` and ``_`` replaced by ``_``. The first access to such a session converts it
to this package's layout (log first, metadata last, so a crash part-way just converts again) and
renames the old file to ``<name>.json.migrated``; nothing is deleted.
"""

from __future__ import annotations

import os
import re
from typing import Any

from ..errors import CorruptDataError
from .files import atomic_write_json, atomic_write_jsonl, logger, quarantine, read_json

__all__ = ["LEGACY_FILE", "legacy_path", "migrate_legacy"]

LEGACY_FILE = re.compile(r"[A-Za-z0-9_-]+\.json")
_COPIED = (
    "created_at",
    "updated_at",
    "agent_name",
    "user_id",
    "metadata",
    "gateway_session_id",
    "agent_id",
    "parent_id",
    "forked_from_message_id",
    "children_ids",
    "is_shared",
    "title",
)


def legacy_path(directory: str, session_id: str) -> str:
    """Where PraisonAI's store kept ``session_id`` (its lossy sanitising, reproduced)."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in session_id)
    return os.path.join(directory, f"{safe}.json")


def read_legacy(path: str) -> dict[str, Any] | None:
    """A PraisonAI session file's data; ``None`` if absent; quarantined with an error if undecodable."""
    try:
        data = read_json(path)
        if data is not None and (not isinstance(data, dict) or not isinstance(data.get("messages", []), list)):
            raise CorruptDataError(f"{path!r} is not a PraisonAI session file.")
    except CorruptDataError as exc:
        moved = quarantine([path])
        raise CorruptDataError(f"{exc} It was moved aside to {moved} for inspection.") from exc
    return data


def migrate_legacy(
    session_id: str, data: dict[str, Any], legacy: str, meta_path: str, log_path: str, new_meta: dict[str, Any]
) -> dict[str, Any]:
    """Convert one PraisonAI session file (caller holds the session's lock); return the new metadata."""
    messages = [m for m in data.get("archived_messages") or [] if isinstance(m, dict)]
    # A compaction summary stands in for archived turns, which are kept in full above.
    messages += [m for m in data.get("messages") or [] if isinstance(m, dict) and not _is_summary(m)]
    meta = dict(new_meta)
    for name in _COPIED:
        if data.get(name) is not None:
            meta[name] = data[name]
    if data.get("snapshots"):
        logger.warning(
            "Snapshots of PraisonAI session %r were not converted (they point into the old file).", session_id
        )
    atomic_write_jsonl(log_path, messages)
    atomic_write_json(meta_path, meta)
    os.replace(legacy, legacy + ".migrated")
    logger.info(
        "Converted PraisonAI session file %s (%d messages); the old file is %s.migrated.", legacy, len(messages), legacy
    )
    return meta


def _is_summary(message: dict[str, Any]) -> bool:
    metadata = message.get("metadata")
    return isinstance(metadata, dict) and bool(metadata.get("compaction"))
