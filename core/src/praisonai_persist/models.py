"""Data model shared by every store: sessions, messages and knowledge documents.

Field names and defaults follow PraisonAI's ``praisonai.persistence`` so code written
against it keeps working: ids default to uuid4 strings, times to epoch seconds.
"""

from __future__ import annotations

import copy
import hashlib
import time
import uuid
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

__all__ = ["CollectionInfo", "ConversationMessage", "ConversationSession", "KnowledgeDocument", "copy_json"]

_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-like data (dicts, lists, scalars), several times faster than deepcopy.

    Stores hand out copies of metadata so callers cannot change what is stored.
    """
    if isinstance(value, dict):
        if all(v.__class__ in _SCALAR_TYPES for v in value.values()):
            return dict(value)  # the common flat metadata: one C-level copy
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return copy.deepcopy(value) if isinstance(value, (set, tuple)) else value


_T = TypeVar("_T")


def _new_id() -> str:
    return str(uuid.uuid4())


def _from_dict(cls: type[_T], data: dict[str, Any]) -> _T:
    """Build ``cls`` from ``data``, ignoring keys the dataclass does not have."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class ConversationMessage:
    """One message of a conversation (user, assistant, system or tool)."""

    id: str = field(default_factory=_new_id)
    session_id: str = ""
    role: str = ""
    content: str = ""
    tool_calls: list[dict[str, Any]] | None = None
    tool_call_id: str | None = None
    metadata: dict[str, Any] | None = None
    created_at: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        """Return the message as a plain dict (JSON-serialisable when its fields are)."""
        return {
            "id": self.id,
            "session_id": self.session_id,
            "role": self.role,
            "content": self.content,
            "tool_calls": self.tool_calls,
            "tool_call_id": self.tool_call_id,
            "metadata": self.metadata,
            "created_at": self.created_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConversationMessage:
        """Build a message from a dict such as :meth:`to_dict` returns."""
        return _from_dict(cls, data)


@dataclass
class ConversationSession:
    """A conversation: who it belongs to, its name, state and metadata."""

    session_id: str = field(default_factory=_new_id)
    user_id: str | None = None
    agent_id: str | None = None
    name: str | None = None
    state: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    created_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        """Return the session as a plain dict."""
        return {
            "session_id": self.session_id,
            "user_id": self.user_id,
            "agent_id": self.agent_id,
            "name": self.name,
            "state": self.state,
            "metadata": self.metadata,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConversationSession:
        """Build a session from a dict such as :meth:`to_dict` returns."""
        return _from_dict(cls, data)


def content_hash_of(content: str) -> str:
    """Short stable hash of a document's text, as PraisonAI computes it."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]


@dataclass
class KnowledgeDocument:
    """A document with its embedding; ``score`` is set on search results only.

    ``score`` is a similarity (higher is better) on the scale fixed per distance by
    :mod:`praisonai_persist.scores`.
    """

    id: str = field(default_factory=_new_id)
    content: str = ""
    embedding: list[float] | None = None
    metadata: dict[str, Any] | None = None
    content_hash: str | None = None
    created_at: float = field(default_factory=time.time)
    score: float | None = None

    def __post_init__(self) -> None:
        if self.content and not self.content_hash:
            self.content_hash = content_hash_of(self.content)

    def to_dict(self) -> dict[str, Any]:
        """Return the document as a plain dict."""
        return {
            "id": self.id,
            "content": self.content,
            "embedding": self.embedding,
            "metadata": self.metadata,
            "content_hash": self.content_hash,
            "created_at": self.created_at,
            "score": self.score,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KnowledgeDocument:
        """Build a document from a dict such as :meth:`to_dict` returns."""
        return _from_dict(cls, data)


@dataclass
class CollectionInfo:
    """What ``describe_collection`` reports: enough to re-create the collection elsewhere."""

    name: str
    dimension: int
    distance: str = "cosine"
    #: The ``metadata`` given to ``create_collection``, where the backend keeps it (else ``{}``).
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the description as a plain dict."""
        return {"name": self.name, "dimension": self.dimension, "distance": self.distance, "metadata": self.metadata}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CollectionInfo:
        """Build a description from a dict such as :meth:`to_dict` returns."""
        return _from_dict(cls, data)
