"""``HierarchicalSessionStore``: sessions with parents and children, forks and snapshots.

PraisonAI's API on the files of :class:`DefaultSessionStore`. A fork or a child session and its
parent's ``children_ids`` change under one lock covering both sessions. On disk the parent lists
the child first and the child is written second, so a crash in between leaves at most a listed
child that does not exist, which every read leaves out. A snapshot copies the history into its own
file, so clearing or reverting the session never damages it.
"""

from __future__ import annotations

import copy
import os
import uuid
from typing import Any, ClassVar

from ..errors import CorruptDataError, SessionExistsError, SessionNotFoundError
from .default_store import DefaultSessionStore, SessionFiles
from .files import append_jsonl, atomic_write_json, atomic_write_jsonl, logger, quarantine, read_jsonl
from .models import ExtendedSessionData, SessionData, SessionSnapshot

__all__ = ["HierarchicalSessionStore"]


class HierarchicalSessionStore(DefaultSessionStore):
    """Session store with parent/child sessions, forking, snapshots and revert (PraisonAI's API)."""

    _data_class: ClassVar[type[SessionData]] = ExtendedSessionData

    def _new_meta(self, session_id: str) -> dict[str, Any]:
        meta = super()._new_meta(session_id)
        meta.update(parent_id=None, forked_from_message_id=None, children_ids=[], snapshots=[], is_shared=False,
                    title=None)  # fmt: skip
        return meta

    def _existing(self, session_ids: list[str]) -> list[str]:
        """The ids whose session exists (a crash can leave a listed child that was never written)."""
        return [s for s in session_ids if self._exists(s)]

    def _require_meta(self, session_id: str, files: SessionFiles) -> dict[str, Any]:
        meta = self._read_meta(session_id, files)
        if meta is None:
            raise SessionNotFoundError(session_id)
        return meta

    def get_session(self, session_id: str) -> ExtendedSessionData:
        session = super().get_session(session_id)
        assert isinstance(session, ExtendedSessionData)
        session.children_ids = self._existing(session.children_ids)
        return session

    def get_extended_session(self, session_id: str, force_reload: bool = False) -> ExtendedSessionData:
        """The session with its hierarchy fields (always read from disk; ``force_reload`` is accepted)."""
        return self.get_session(session_id)

    # -- tree ----------------------------------------------------------------------------

    def create_session(
        self,
        session_id: str | None = None,
        title: str | None = None,
        parent_id: str | None = None,
        agent_name: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        """Create a session (a child of ``parent_id`` when given) and return its id.

        Raises :class:`SessionExistsError` for a taken id, :class:`SessionNotFoundError` for a missing
        parent and ``ValueError`` for a session that would be its own parent.
        """
        sid = session_id or str(uuid.uuid4())
        if parent_id == sid:
            raise ValueError(f"Session {sid!r} cannot be its own parent.")
        files = self._files(sid)
        with self._locked(sid, *([parent_id] if parent_id else [])):
            if self._read_meta(sid, files) is not None:
                raise SessionExistsError(sid)
            if parent_id:
                self._adopt(parent_id, sid)
            meta = self._new_meta(sid)
            meta.update(title=title, parent_id=parent_id, agent_name=agent_name, metadata=dict(metadata or {}))
            self._write_meta(files, meta)
        return sid

    def _adopt(self, parent_id: str, child_id: str) -> None:
        """List ``child_id`` among the parent's children (caller holds both locks, child not yet written)."""
        parent_files = self._files(parent_id)
        parent = self._require_meta(parent_id, parent_files)
        children = [c for c in parent.get("children_ids") or [] if c != child_id]
        parent["children_ids"] = [*self._existing(children), child_id]
        self._write_meta(parent_files, parent)

    def fork_session(self, session_id: str, from_message_index: int | None = None, title: str | None = None) -> str:
        """Copy the session's messages (up to ``from_message_index`` inclusive) into a new child; return its id."""
        new_id = str(uuid.uuid4())
        files, child = self._files(session_id), self._files(new_id)
        with self._locked(session_id, new_id):
            parent = self._require_meta(session_id, files)
            records = self._read_messages(session_id, files)
            if from_message_index is not None:
                if isinstance(from_message_index, bool) or not 0 <= from_message_index < len(records):
                    raise ValueError(
                        f"Invalid message index {from_message_index!r}: session {session_id!r} has "
                        f"{len(records)} messages (valid: 0..{len(records) - 1})."
                    )
                records = records[: from_message_index + 1]
            self._adopt(session_id, new_id)
            if records:
                atomic_write_jsonl(child.log, records)
            meta = self._new_meta(new_id)
            meta.update(
                parent_id=session_id,
                forked_from_message_id=None if from_message_index is None else str(from_message_index),
                title=title or f"Fork of {parent.get('title') or session_id}",
                agent_name=parent.get("agent_name"),
                metadata=copy.deepcopy(parent.get("metadata") or {}),
            )
            self._write_meta(child, meta)
        return new_id

    def get_children(self, session_id: str) -> list[str]:
        return self.get_session(session_id).children_ids

    def get_parent(self, session_id: str) -> str | None:
        return self.get_session(session_id).parent_id

    def get_session_tree(self, session_id: str) -> dict[str, Any]:
        """Nested ``{"session_id", "title", "message_count", "children": [...]}``; a cycle raises ``ValueError``."""

        def node(session: ExtendedSessionData) -> dict[str, Any]:
            return {"session_id": session.session_id, "title": session.title,
                    "message_count": len(session.messages), "children": []}  # fmt: skip

        root_session = self.get_session(session_id)
        root = node(root_session)
        path = {session_id}
        stack = [(root, iter(root_session.children_ids), session_id)]
        while stack:  # iterative: a deep chain must not hit the recursion limit
            parent_node, children, parent_id = stack[-1]
            child_id = next(children, None)
            if child_id is None:
                stack.pop()
                path.discard(parent_id)
                continue
            if child_id in path:
                raise ValueError(f"Cycle detected in the session tree at {child_id!r}.")
            child = self.get_session(child_id)
            child_node = node(child)
            parent_node["children"].append(child_node)
            path.add(child_id)
            stack.append((child_node, iter(child.children_ids), child_id))
        return root

    # -- snapshots -----------------------------------------------------------------------

    def create_snapshot(self, session_id: str, label: str | None = None, metadata: dict[str, Any] | None = None) -> str:
        """Save the session's current messages as a restore point; return the snapshot id."""
        files = self._files(session_id)
        with self._locked(session_id):
            meta = self._require_meta(session_id, files)
            records = self._read_messages(session_id, files)
            snapshot = SessionSnapshot(
                session_id=session_id, message_index=len(records) - 1, label=label, metadata=dict(metadata or {})
            )
            atomic_write_jsonl(files.snapshot(snapshot.id), records)
            meta.setdefault("snapshots", []).append(snapshot.to_dict())
            self._write_meta(files, meta)
        return snapshot.id

    def get_snapshots(self, session_id: str) -> list[SessionSnapshot]:
        return list(self.get_session(session_id).snapshots)

    def revert_to_snapshot(self, session_id: str, snapshot_id: str) -> bool:
        """Restore the messages saved by ``create_snapshot``; ``False`` if there is no such snapshot."""
        files = self._files(session_id)
        with self._locked(session_id):
            meta = self._read_meta(session_id, files)
            if meta is None or not any(s.get("id") == snapshot_id for s in meta.get("snapshots") or []):
                logger.warning("Snapshot %r of session %r not found.", snapshot_id, session_id)
                return False
            path = files.snapshot(snapshot_id)
            if not os.path.exists(path):
                logger.warning("The file %s of snapshot %r is missing; nothing was reverted.", path, snapshot_id)
                return False
            try:
                records = read_jsonl(path)
            except CorruptDataError as exc:
                moved = quarantine([path])
                raise CorruptDataError(f"Snapshot {snapshot_id!r}: {exc} It was moved aside to {moved}.") from exc
            atomic_write_jsonl(files.log, records)
            self._write_meta(files, meta)
        return True

    def revert_to_message(self, session_id: str, message_index: int) -> bool:
        """Keep the messages up to ``message_index`` inclusive; ``False`` if the index is out of range."""
        files = self._files(session_id)
        with self._locked(session_id):
            meta = self._read_meta(session_id, files)
            records = self._read_messages(session_id, files) if meta is not None else []
            if meta is None or isinstance(message_index, bool) or not 0 <= message_index < len(records):
                return False
            atomic_write_jsonl(files.log, records[: message_index + 1])
            self._write_meta(files, meta)
        return True

    # -- flags, title, export ------------------------------------------------------------

    def set_title(self, session_id: str, title: str) -> bool:
        return self._modify_meta(session_id, lambda meta: meta.update(title=title))

    def share_session(self, session_id: str) -> bool:
        return self._modify_meta(session_id, lambda meta: meta.update(is_shared=True))

    def unshare_session(self, session_id: str) -> bool:
        return self._modify_meta(session_id, lambda meta: meta.update(is_shared=False))

    def is_shared(self, session_id: str) -> bool:
        return self.get_session(session_id).is_shared

    def export_session(self, session_id: str) -> dict[str, Any]:
        """The session with its messages as a JSON-ready dict (for :meth:`import_session`)."""
        return self.get_session(session_id).to_dict()

    def import_session(self, data: dict[str, Any], new_session_id: str | None = None) -> str:
        """Store an exported session under a new id (hierarchy links and snapshots are dropped)."""
        session = ExtendedSessionData.from_dict(data)
        sid = new_session_id or str(uuid.uuid4())
        files = self._files(sid)
        with self._locked(sid):
            if self._read_meta(sid, files) is not None:
                raise SessionExistsError(sid)
            meta = self._new_meta(sid)
            for name in ("created_at", "agent_name", "user_id", "metadata", "gateway_session_id", "agent_id", "title"):
                meta[name] = getattr(session, name)
            atomic_write_json(files.meta, meta)
            if session.messages:
                append_jsonl(files.log, [m.to_dict() for m in session.messages])
        return sid
