"""``PersistenceOrchestrator``: the agent-facing facade over a conversation, knowledge and state store.

Same API as PraisonAI's (``on_agent_start`` / ``on_message`` / ``on_agent_end``, their ``aon_*``
twins, knowledge and state helpers, ``build_context``), with its known bugs fixed:
``build_context`` returns the most recent history; ``resume=False`` on an existing session id
keeps that session instead of crashing; there is no "current session" shared between callers;
cached sessions are deep copies in and out, under a lock.

Each operation is written once, as a coroutine over an ``_IO`` object: the async API awaits it,
the sync API drives it with a single ``send`` because its ``_IO`` never suspends.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import threading
import uuid
from collections.abc import Coroutine, Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar

from .config import KINDS, PersistenceConfig
from .errors import CollectionNotFoundError, ConfigError, SessionNotFoundError, StoreConnectionError
from .factory import create_store
from .models import ConversationMessage, ConversationSession, KnowledgeDocument
from .runtime_state import encode_turn, fold_turns, records_to_evict, runtime_record_ids, visible_messages
from .session_config import SessionConfig
from .store_runner import StoreRunner

__all__ = ["PersistenceOrchestrator", "SessionHistory"]

logger = logging.getLogger(__name__)

_T = TypeVar("_T")


class SessionHistory(list[ConversationMessage]):
    """What ``on_agent_start`` returns: the resumed messages (a list), plus which session they belong to."""

    def __init__(self, messages: Sequence[ConversationMessage], session_id: str, session: ConversationSession | None):
        super().__init__(messages)
        self.session_id = session_id
        self.session = session


def _drive(coro: Coroutine[Any, Any, _T]) -> _T:
    """Run a coroutine that never suspends (the sync ``_IO``) to completion."""
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    coro.close()
    raise RuntimeError("internal error: a synchronous orchestrator operation tried to suspend")


class _Slot:
    """One store kind: the ready runner, or what is needed to build it on first use."""

    def __init__(self, spec: tuple[str | None, str | None, dict[str, Any]] | None = None) -> None:
        self.spec = spec
        self.runner: StoreRunner | None = None
        self.lock = threading.Lock()


class _IO:
    """Store access for one calling convention: sync (never suspends) or async."""

    def __init__(self, orchestrator: PersistenceOrchestrator, is_async: bool) -> None:
        self._orch = orchestrator
        self.is_async = is_async

    async def runner(self, kind: str) -> StoreRunner | None:
        if self.is_async:
            return await self._orch._arunner(kind)
        return self._orch._runner(kind)

    async def __call__(self, runner: StoreRunner, method: str, *args: Any, **kwargs: Any) -> Any:
        if self.is_async:
            return await runner.acall(method, *args, **kwargs)
        return runner.call(method, *args, **kwargs)


class PersistenceOrchestrator:
    """Coordinates the stores an agent uses: session create/resume, messages, RAG, state.

    Stores are given directly, or built from a :class:`PersistenceConfig` (on first use when
    ``lazy_init`` is true: exactly once, however many threads and tasks ask at the same time).
    Sync and async stores both work from sync and async code (see :mod:`.store_runner`).

    Example::

        with PersistenceOrchestrator(config=PersistenceConfig(conversation_store="sqlite",
                                                               conversation_url="chat.db")) as p:
            history = p.on_agent_start(agent, session_id="s1")
            p.on_message("s1", "user", "hi")
            p.on_agent_end(agent, "s1")
    """

    def __init__(
        self,
        conversation_store: Any = None,
        knowledge_store: Any = None,
        state_store: Any = None,
        config: PersistenceConfig | Mapping[str, Any] | None = None,
        session_config: SessionConfig | Mapping[str, Any] | None = None,
    ) -> None:
        if config is not None and not isinstance(config, PersistenceConfig):
            config = PersistenceConfig.from_dict(config)
        self._config = config
        if session_config is None:
            session_config = config.session_config() if config is not None else SessionConfig()
        elif not isinstance(session_config, SessionConfig):
            session_config = SessionConfig.from_dict(session_config)
        self.session_config: SessionConfig = session_config
        explicit = {"conversation": conversation_store, "knowledge": knowledge_store, "state": state_store}
        self._slots: dict[str, _Slot] = {}
        for kind in KINDS:
            slot = _Slot()
            if explicit[kind] is not None:
                slot.runner = StoreRunner(explicit[kind])
            elif config is not None:
                backend, url, options = config.store_spec(kind)
                if backend is not None or url is not None:
                    slot.spec = (backend, url, options)
            self._slots[kind] = slot
        self._closed = False
        self._session_cache: dict[str, ConversationSession] = {}
        self._cache_lock = threading.RLock()
        self._sync_io = _IO(self, False)
        self._async_io = _IO(self, True)
        if config is not None and not config.lazy_init:
            for kind in KINDS:
                self._runner(kind)

    @classmethod
    def from_config(cls, config: PersistenceConfig | Mapping[str, Any]) -> PersistenceOrchestrator:
        """An orchestrator whose stores the config names."""
        return cls(config=config)

    @classmethod
    def from_env(cls) -> PersistenceOrchestrator:
        """An orchestrator configured from ``PRAISONAI_*`` environment variables."""
        return cls(config=PersistenceConfig.from_env())

    @property
    def config(self) -> PersistenceConfig | None:
        """The config the orchestrator was built from, if any."""
        return self._config

    def __repr__(self) -> str:
        kinds = ", ".join(
            f"{kind}={type(s.runner.store).__name__ if s.runner else ('lazy' if s.spec else None)}"
            for kind, s in self._slots.items()
        )
        return f"PersistenceOrchestrator({kinds})"

    # -- stores, built on first use --------------------------------------------------------

    def _runner(self, kind: str) -> StoreRunner | None:
        if self._closed:
            raise StoreConnectionError("This PersistenceOrchestrator is closed; create a new one.")
        slot = self._slots[kind]
        if slot.runner is not None or slot.spec is None:
            return slot.runner
        with slot.lock:
            if slot.runner is None and slot.spec is not None:
                backend, url, options = slot.spec
                slot.runner = StoreRunner(create_store(kind, backend, url, **options))
        return slot.runner

    async def _arunner(self, kind: str) -> StoreRunner | None:
        slot = self._slots[kind]
        if self._closed or slot.runner is not None or slot.spec is None:
            return self._runner(kind)
        # Building may connect: do it off the loop; the slot lock makes it happen once.
        return await asyncio.to_thread(self._runner, kind)

    def _store(self, kind: str) -> Any:
        runner = self._runner(kind)
        return None if runner is None else runner.store

    def _set_store(self, kind: str, store: Any) -> None:
        slot = self._slots[kind]
        with slot.lock:
            slot.runner = None if store is None else StoreRunner(store)
            slot.spec = None

    @property
    def conversation(self) -> Any:
        """The conversation store (built now if the config names one and it was not built yet)."""
        return self._store("conversation")

    @conversation.setter
    def conversation(self, store: Any) -> None:
        self._set_store("conversation", store)

    @property
    def knowledge(self) -> Any:
        """The knowledge store, or ``None``."""
        return self._store("knowledge")

    @knowledge.setter
    def knowledge(self, store: Any) -> None:
        self._set_store("knowledge", store)

    @property
    def state(self) -> Any:
        """The state store, or ``None``."""
        return self._store("state")

    @state.setter
    def state(self, store: Any) -> None:
        self._set_store("state", store)

    # -- session cache: deep copies in and out ------------------------------------------

    def _cache_put(self, session: ConversationSession) -> None:
        with self._cache_lock:
            self._session_cache[session.session_id] = copy.deepcopy(session)

    def _cache_get(self, session_id: str) -> ConversationSession | None:
        with self._cache_lock:
            cached = self._session_cache.get(session_id)
            return copy.deepcopy(cached) if cached is not None else None

    def _cache_delete(self, session_id: str) -> ConversationSession | None:
        with self._cache_lock:
            return self._session_cache.pop(session_id, None)

    def _cache_clear(self) -> None:
        with self._cache_lock:
            self._session_cache.clear()

    def cached_session(self, session_id: str) -> ConversationSession | None:
        """A copy of the session as this orchestrator last saw it (no store access), or ``None``."""
        return self._cache_get(session_id)

    # -- shared flows (written once, run sync or async) -------------------------------

    def _new_session(self, agent: Any, session_id: str, user_id: str | None) -> ConversationSession:
        agent_id = getattr(agent, "name", None) or getattr(agent, "agent_id", None)
        return ConversationSession(
            session_id=session_id,
            user_id=user_id,
            agent_id=agent_id if isinstance(agent_id, str) else None,
            name=f"Session {session_id[:8]}",
            metadata={"agent_type": type(agent).__name__} if agent is not None else None,
        )

    async def _ensure_session(
        self, io: _IO, runner: StoreRunner, session_id: str, agent: Any = None, user_id: str | None = None
    ) -> tuple[ConversationSession, bool]:
        """The session, created if missing; ``(session, created)``. Safe against a concurrent creator."""
        session = await io(runner, "get_session", session_id)
        if session is not None:
            return session, False
        if user_id is None and self._config is not None:
            user_id = self._config.user_id
        new = self._new_session(agent, session_id, user_id)
        try:
            created = await io(runner, "create_session", new)
        except Exception:
            # Another thread or process created it first: use theirs.
            session = await io(runner, "get_session", session_id)
            if session is None:
                raise
            return session, False
        return (created if isinstance(created, ConversationSession) else new), True

    async def _history(self, io: _IO, runner: StoreRunner, session_id: str, limit: int | None) -> list[ConversationMessage]:
        """The most recent ``limit`` chat messages (all when ``None``), oldest first, without runtime records."""
        if limit is None:
            return visible_messages(await io(runner, "get_messages", session_id))
        if limit <= 0:
            return []
        fetch = limit
        while True:
            messages = await io(runner, "get_messages", session_id, limit=fetch)
            chat = visible_messages(messages)
            if len(chat) >= limit or len(messages) < fetch:
                return chat[-limit:]
            fetch += len(messages) - len(chat)  # skip past the runtime records in the window

    async def _append(self, io: _IO, runner: StoreRunner, session_id: str, message: ConversationMessage) -> None:
        try:
            await io(runner, "add_message", session_id, message)
        except SessionNotFoundError:
            if not self.session_config.auto_create_session:
                raise
            await self._ensure_session(io, runner, session_id)
            await io(runner, "add_message", session_id, message)

    async def _start(
        self, io: _IO, agent: Any, session_id: str | None, user_id: str | None, resume: bool
    ) -> SessionHistory:
        sid = session_id or (self._config.session_id if self._config is not None else None) or str(uuid.uuid4())
        if not isinstance(sid, str):
            raise TypeError(f"session_id must be a string, got {type(sid).__name__}.")
        runner = await io.runner("conversation")
        if runner is None:
            logger.debug("No conversation store configured; session %s is not persisted.", sid)
            return SessionHistory([], sid, None)
        session, created = await self._ensure_session(io, runner, sid, agent, user_id)
        self._cache_put(session)
        history: list[ConversationMessage] = []
        if resume and not created:
            history = await self._history(io, runner, sid, self.session_config.history_limit)
        logger.debug("%s session %s", "Created" if created else "Resumed", sid)
        return SessionHistory(history, sid, copy.deepcopy(session))

    async def _message(
        self,
        io: _IO,
        session_id: str,
        role: str,
        content: str,
        tool_calls: list[dict[str, Any]] | None,
        tool_call_id: str | None,
        metadata: dict[str, Any] | None,
    ) -> ConversationMessage | None:
        if not isinstance(session_id, str) or not session_id:
            raise ValueError(f"session_id must be a non-empty string, got {session_id!r}.")
        if not isinstance(role, str) or not role:
            raise ValueError(f"role must be a non-empty string such as 'user' or 'assistant', got {role!r}.")
        if not isinstance(content, str):
            raise TypeError(f"content must be a string, got {type(content).__name__}.")
        runner = await io.runner("conversation")
        if runner is None:
            return None
        message = ConversationMessage(
            session_id=session_id,
            role=role,
            content=content,
            tool_calls=tool_calls,
            tool_call_id=tool_call_id,
            metadata=metadata,
        )
        await self._append(io, runner, session_id, message)
        return message

    async def _end(self, io: _IO, session_id: str, metadata: Mapping[str, Any] | None) -> None:
        runner = await io.runner("conversation")
        if runner is None:
            return
        # Read the stored session, not the cache: another process may have changed it since.
        session = await io(runner, "get_session", session_id)
        if session is None:
            self._cache_delete(session_id)
            return
        if metadata:
            session.metadata = {**(session.metadata or {}), **metadata}
        updated = await io(runner, "update_session", session)
        self._cache_put(updated if isinstance(updated, ConversationSession) else session)

    async def _retrieve(
        self,
        io: _IO,
        query_embedding: Sequence[float],
        collection: str,
        limit: int,
        filters: Mapping[str, Any] | None,
        score_threshold: float | None,
    ) -> list[KnowledgeDocument]:
        runner = await io.runner("knowledge")
        if runner is None:
            logger.debug("No knowledge store configured")
            return []
        kwargs: dict[str, Any] = {"limit": limit, "filters": filters}
        if score_threshold is not None:
            kwargs["score_threshold"] = score_threshold
        result: list[KnowledgeDocument] = await io(runner, "search", collection, list(query_embedding), **kwargs)
        return result

    async def _add_knowledge(self, io: _IO, documents: Sequence[KnowledgeDocument], collection: str) -> list[str]:
        runner = await io.runner("knowledge")
        if runner is None:
            raise ConfigError("No knowledge store configured: set knowledge_store / knowledge_url or pass knowledge_store=.")
        docs = list(documents)
        if not docs:
            return []
        if not await io(runner, "collection_exists", collection):
            embedding = docs[0].embedding
            if not embedding:
                raise CollectionNotFoundError(collection)
            try:
                await io(runner, "create_collection", collection, dimension=len(embedding))
            except Exception:
                if not await io(runner, "collection_exists", collection):  # not a concurrent creator
                    raise
        ids: list[str] = await io(runner, "upsert", collection, docs)
        return ids

    async def _build_context(
        self,
        io: _IO,
        session_id: str,
        query_embedding: Sequence[float] | None,
        history_limit: int,
        knowledge_limit: int,
        knowledge_collection: str,
    ) -> dict[str, Any]:
        context: dict[str, Any] = {"history": [], "knowledge": []}
        runner = await io.runner("conversation")
        if runner is not None:
            history = []
            for m in await self._history(io, runner, session_id, history_limit):
                item: dict[str, Any] = {"role": m.role, "content": m.content}
                if m.tool_calls:
                    item["tool_calls"] = m.tool_calls
                if m.tool_call_id:
                    item["tool_call_id"] = m.tool_call_id
                history.append(item)
            context["history"] = history
        if query_embedding is not None:
            try:
                docs = await self._retrieve(io, query_embedding, knowledge_collection, knowledge_limit, None, None)
            except CollectionNotFoundError:
                docs = []  # nothing was added to that collection yet
            context["knowledge"] = [
                {"id": d.id, "content": d.content, "metadata": d.metadata, "score": d.score} for d in docs
            ]
        return context

    async def _kv(self, io: _IO, method: str, *args: Any) -> Any:
        runner = await io.runner("state")
        if runner is None:
            return False if method == "delete" else None
        return await io(runner, method, *args)

    async def _conv(self, io: _IO, method: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        runner = await io.runner("conversation")
        if runner is None:
            return default
        return await io(runner, method, *args, **kwargs)

    async def _get_session(self, io: _IO, session_id: str) -> ConversationSession | None:
        session = await self._conv(io, "get_session", None, session_id)
        if session is not None:
            self._cache_put(session)
        return session  # type: ignore[no-any-return]

    async def _delete_session(self, io: _IO, session_id: str) -> bool:
        self._cache_delete(session_id)
        return bool(await self._conv(io, "delete_session", False, session_id))

    async def _get_messages(
        self, io: _IO, session_id: str, limit: int | None, include_runtime_state: bool
    ) -> list[ConversationMessage]:
        runner = await io.runner("conversation")
        if runner is None:
            return []
        if include_runtime_state:
            result: list[ConversationMessage] = await io(runner, "get_messages", session_id, limit=limit)
            return result
        return await self._history(io, runner, session_id, limit)

    # -- runtime state mirroring ------------------------------------------------------

    async def _set_runtime_state(
        self, io: _IO, session_id: str, runtime_id: str | int, turn_id: str | int, state: Mapping[str, Any]
    ) -> bool:
        if not self.session_config.mirror_runtime_state:
            return False
        record = encode_turn(session_id, runtime_id, turn_id, state, self.session_config)  # refuses before writing
        runner = await io.runner("conversation")
        if runner is None:
            raise ConfigError("mirror_runtime_state needs a conversation store; none is configured.")
        await self._append(io, runner, session_id, record)
        evict = records_to_evict(await io(runner, "get_messages", session_id), runtime_id, self.session_config)
        if evict:
            await io(runner, "delete_messages", session_id, evict)
        return True

    async def _get_runtime_state(
        self, io: _IO, session_id: str, runtime_id: str | int, turn_id: str | int | None
    ) -> dict[str, Any]:
        if not self.session_config.mirror_runtime_state:
            return {}
        runner = await io.runner("conversation")
        if runner is None:
            return {}
        turns = fold_turns(await io(runner, "get_messages", session_id), runtime_id)
        if turn_id is None:
            return dict(turns)
        return turns.get(str(turn_id), {})

    async def _clear_runtime_state(self, io: _IO, session_id: str, runtime_id: str | int | None) -> bool:
        if not self.session_config.mirror_runtime_state:
            return False
        runner = await io.runner("conversation")
        if runner is None:
            return False
        ids = runtime_record_ids(await io(runner, "get_messages", session_id), runtime_id)
        if ids:
            await io(runner, "delete_messages", session_id, ids)
        return True

    # -- agent lifecycle -----------------------------------------------------------------

    def on_agent_start(
        self, agent: Any, session_id: str | None = None, user_id: str | None = None, resume: bool = True
    ) -> SessionHistory:
        """Create or resume a session; the resumed messages (``[]`` for a new session or ``resume=False``).

        ``resume=False`` on an existing id keeps that session and its messages but returns no
        history. The result's ``session_id`` attribute names the session (useful when generated).
        """
        return _drive(self._start(self._sync_io, agent, session_id, user_id, resume))

    async def aon_agent_start(
        self, agent: Any, session_id: str | None = None, user_id: str | None = None, resume: bool = True
    ) -> SessionHistory:
        """Async :meth:`on_agent_start`."""
        return await self._start(self._async_io, agent, session_id, user_id, resume)

    def on_message(
        self,
        session_id: str,
        role: str,
        content: str,
        tool_calls: list[dict[str, Any]] | None = None,
        tool_call_id: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> ConversationMessage | None:
        """Persist one message; the stored message, or ``None`` without a conversation store."""
        return _drive(self._message(self._sync_io, session_id, role, content, tool_calls, tool_call_id, metadata))

    async def aon_message(
        self,
        session_id: str,
        role: str,
        content: str,
        tool_calls: list[dict[str, Any]] | None = None,
        tool_call_id: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> ConversationMessage | None:
        """Async :meth:`on_message`."""
        return await self._message(self._async_io, session_id, role, content, tool_calls, tool_call_id, metadata)

    def on_agent_end(self, agent: Any, session_id: str, metadata: dict[str, Any] | None = None) -> None:
        """Merge ``metadata`` into the stored session and bump its ``updated_at``."""
        _drive(self._end(self._sync_io, session_id, metadata))

    async def aon_agent_end(self, agent: Any, session_id: str, metadata: dict[str, Any] | None = None) -> None:
        """Async :meth:`on_agent_end`."""
        await self._end(self._async_io, session_id, metadata)

    # -- knowledge -----------------------------------------------------------------------

    def retrieve_knowledge(
        self,
        query_embedding: Sequence[float],
        collection: str = "default",
        limit: int = 5,
        filters: dict[str, Any] | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]:
        """Nearest documents for RAG (``[]`` without a knowledge store)."""
        return _drive(self._retrieve(self._sync_io, query_embedding, collection, limit, filters, score_threshold))

    async def aretrieve_knowledge(
        self,
        query_embedding: Sequence[float],
        collection: str = "default",
        limit: int = 5,
        filters: dict[str, Any] | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]:
        """Async :meth:`retrieve_knowledge`."""
        return await self._retrieve(self._async_io, query_embedding, collection, limit, filters, score_threshold)

    def add_knowledge(self, documents: Sequence[KnowledgeDocument], collection: str = "default") -> list[str]:
        """Upsert documents (creating the collection from the first embedding's size if missing); their ids."""
        return _drive(self._add_knowledge(self._sync_io, documents, collection))

    async def aadd_knowledge(self, documents: Sequence[KnowledgeDocument], collection: str = "default") -> list[str]:
        """Async :meth:`add_knowledge`."""
        return await self._add_knowledge(self._async_io, documents, collection)

    # -- state ------------------------------------------------------------------------------

    def get_state(self, key: str) -> Any | None:
        """State value, or ``None`` (also without a state store)."""
        return _drive(self._kv(self._sync_io, "get", key))

    async def aget_state(self, key: str) -> Any | None:
        """Async :meth:`get_state`."""
        return await self._kv(self._async_io, "get", key)

    def set_state(self, key: str, value: Any, ttl: int | None = None) -> None:
        """Set a state value, with an optional TTL in seconds (no-op without a state store)."""
        _drive(self._kv(self._sync_io, "set", key, value, ttl))

    async def aset_state(self, key: str, value: Any, ttl: int | None = None) -> None:
        """Async :meth:`set_state`."""
        await self._kv(self._async_io, "set", key, value, ttl)

    def delete_state(self, key: str) -> bool:
        """Delete a state value; ``True`` if it existed."""
        return bool(_drive(self._kv(self._sync_io, "delete", key)))

    async def adelete_state(self, key: str) -> bool:
        """Async :meth:`delete_state`."""
        return bool(await self._kv(self._async_io, "delete", key))

    # -- sessions --------------------------------------------------------------------------

    def get_session(self, session_id: str) -> ConversationSession | None:
        """The stored session (read from the store, never from the cache), or ``None``."""
        return _drive(self._get_session(self._sync_io, session_id))

    async def aget_session(self, session_id: str) -> ConversationSession | None:
        """Async :meth:`get_session`."""
        return await self._get_session(self._async_io, session_id)

    def list_sessions(
        self, user_id: str | None = None, limit: int = 100, agent_id: str | None = None, offset: int = 0
    ) -> list[ConversationSession]:
        """Sessions, most recently updated first."""
        kwargs = {"user_id": user_id, "agent_id": agent_id, "limit": limit, "offset": offset}
        sessions: list[ConversationSession] = _drive(self._conv(self._sync_io, "list_sessions", [], **kwargs))
        return sessions

    async def alist_sessions(
        self, user_id: str | None = None, limit: int = 100, agent_id: str | None = None, offset: int = 0
    ) -> list[ConversationSession]:
        """Async :meth:`list_sessions`."""
        kwargs = {"user_id": user_id, "agent_id": agent_id, "limit": limit, "offset": offset}
        sessions: list[ConversationSession] = await self._conv(self._async_io, "list_sessions", [], **kwargs)
        return sessions

    def delete_session(self, session_id: str) -> bool:
        """Delete a session and all its messages (runtime state included)."""
        return _drive(self._delete_session(self._sync_io, session_id))

    async def adelete_session(self, session_id: str) -> bool:
        """Async :meth:`delete_session`."""
        return await self._delete_session(self._async_io, session_id)

    def get_messages(
        self, session_id: str, limit: int | None = None, include_runtime_state: bool = False
    ) -> list[ConversationMessage]:
        """Chat messages oldest first; ``limit`` keeps the most recent ones. Runtime records are skipped."""
        return _drive(self._get_messages(self._sync_io, session_id, limit, include_runtime_state))

    async def aget_messages(
        self, session_id: str, limit: int | None = None, include_runtime_state: bool = False
    ) -> list[ConversationMessage]:
        """Async :meth:`get_messages`."""
        return await self._get_messages(self._async_io, session_id, limit, include_runtime_state)

    def build_context(
        self,
        session_id: str,
        query_embedding: Sequence[float] | None = None,
        history_limit: int = 20,
        knowledge_limit: int = 5,
        knowledge_collection: str = "default",
    ) -> dict[str, Any]:
        """``{"history": [...], "knowledge": [...]}``: the MOST RECENT ``history_limit`` messages, plus hits."""
        return _drive(
            self._build_context(
                self._sync_io, session_id, query_embedding, history_limit, knowledge_limit, knowledge_collection
            )
        )

    async def abuild_context(
        self,
        session_id: str,
        query_embedding: Sequence[float] | None = None,
        history_limit: int = 20,
        knowledge_limit: int = 5,
        knowledge_collection: str = "default",
    ) -> dict[str, Any]:
        """Async :meth:`build_context`."""
        return await self._build_context(
            self._async_io, session_id, query_embedding, history_limit, knowledge_limit, knowledge_collection
        )

    # -- runtime state (opt-in: SessionConfig.mirror_runtime_state) ---------------------

    def set_runtime_state(
        self, session_id: str, runtime_id: str | int, turn_id: str | int, state: Mapping[str, Any]
    ) -> bool:
        """Store one turn record with the session; ``False`` (nothing stored) when mirroring is off.

        Raises :class:`~praisonai_persist.errors.RuntimeStateTooLargeError` (storing nothing) for
        a record over ``max_turn_state_bytes``; older turns past the runtime bounds are dropped.
        """
        return _drive(self._set_runtime_state(self._sync_io, session_id, runtime_id, turn_id, state))

    async def aset_runtime_state(
        self, session_id: str, runtime_id: str | int, turn_id: str | int, state: Mapping[str, Any]
    ) -> bool:
        """Async :meth:`set_runtime_state`."""
        return await self._set_runtime_state(self._async_io, session_id, runtime_id, turn_id, state)

    def get_runtime_state(
        self, session_id: str, runtime_id: str | int, turn_id: str | int | None = None
    ) -> dict[str, Any]:
        """One turn's state, or ``{turn_id: state}`` of the runtime in turn order; ``{}`` when off or absent."""
        return _drive(self._get_runtime_state(self._sync_io, session_id, runtime_id, turn_id))

    async def aget_runtime_state(
        self, session_id: str, runtime_id: str | int, turn_id: str | int | None = None
    ) -> dict[str, Any]:
        """Async :meth:`get_runtime_state`."""
        return await self._get_runtime_state(self._async_io, session_id, runtime_id, turn_id)

    def clear_runtime_state(self, session_id: str, runtime_id: str | int | None = None) -> bool:
        """Delete the runtime's records (every runtime's when ``None``); ``False`` when mirroring is off."""
        return _drive(self._clear_runtime_state(self._sync_io, session_id, runtime_id))

    async def aclear_runtime_state(self, session_id: str, runtime_id: str | int | None = None) -> bool:
        """Async :meth:`clear_runtime_state`."""
        return await self._clear_runtime_state(self._async_io, session_id, runtime_id)

    # -- lifecycle -----------------------------------------------------------------------

    def _take_runners(self) -> list[StoreRunner]:
        runners = []
        for slot in self._slots.values():
            with slot.lock:
                if slot.runner is not None:
                    runners.append(slot.runner)
                slot.runner = None
                slot.spec = None
        self._closed = True
        self._cache_clear()
        return runners

    def close(self) -> None:
        """Close the stores this orchestrator built or was given; calling it again does nothing."""
        for runner in self._take_runners():
            runner.call("close")

    async def aclose(self) -> None:
        """Async :meth:`close`."""
        for runner in self._take_runners():
            await runner.acall("close")

    def __enter__(self) -> PersistenceOrchestrator:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    async def __aenter__(self) -> PersistenceOrchestrator:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
