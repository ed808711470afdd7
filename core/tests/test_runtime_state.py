"""Runtime state mirroring: opt-in, bounded, stored with the session on every conversation backend."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from praisonai_persist import (
    ConversationMessage,
    PersistenceOrchestrator,
    RuntimeStateTooLargeError,
    SessionConfig,
    as_async,
)
from praisonai_persist.backends.async_sqlite import AsyncSQLiteConversationStore
from praisonai_persist.backends.json_store import JSONConversationStore
from praisonai_persist.backends.sqlite import SQLiteConversationStore
from praisonai_persist.runtime_state import (
    RUNTIME_STATE_ROLE,
    encode_turn,
    fold_turns,
    is_runtime_record,
    records_to_evict,
)

ON = SessionConfig(mirror_runtime_state=True, max_turn_state_bytes=2048, max_runtime_turns=3,
                   max_runtime_state_bytes=4096)


def _store(form: str, path: Path) -> Any:
    if form == "sqlite":
        return SQLiteConversationStore(path=path / "c.db")
    if form == "async_sqlite":
        return AsyncSQLiteConversationStore(path=path / "c.db")
    if form == "json":
        return JSONConversationStore(path=path / "sessions")
    return as_async(SQLiteConversationStore(path=path / "c.db"))


FORMS = ["sqlite", "async_sqlite", "json", "as_async(sqlite)"]


@pytest.fixture(params=FORMS)
def orch(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PersistenceOrchestrator]:
    o = PersistenceOrchestrator(conversation_store=_store(request.param, tmp_path), session_config=ON)
    o.on_agent_start(None, session_id="s")
    yield o
    o.close()


@pytest.fixture(params=FORMS)
async def aorch(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[PersistenceOrchestrator]:
    o = PersistenceOrchestrator(conversation_store=_store(request.param, tmp_path), session_config=ON)
    await o.aon_agent_start(None, session_id="s")
    yield o
    await o.aclose()


def test_off_by_default_is_a_no_op(tmp_path: Path) -> None:
    o = PersistenceOrchestrator(conversation_store=SQLiteConversationStore(path=tmp_path / "c.db"))
    assert o.session_config.mirror_runtime_state is False
    o.on_agent_start(None, "s")
    assert o.set_runtime_state("s", "native", 1, {"x": 1}) is False
    assert o.get_messages("s", include_runtime_state=True) == []
    assert o.get_runtime_state("s", "native") == {} and o.clear_runtime_state("s") is False
    o.close()


def test_set_get_clear(orch: PersistenceOrchestrator) -> None:
    orch.on_message("s", "user", "run the tool")
    assert orch.set_runtime_state("s", "native", 1, {"tool_calls": [{"id": "c1"}], "results": {"c1": "ok"}})
    assert orch.set_runtime_state("s", "native", 2, {"step": 2})
    assert orch.set_runtime_state("s", "harness", "t-1", {"other": True})
    assert orch.get_runtime_state("s", "native", 1) == {"tool_calls": [{"id": "c1"}], "results": {"c1": "ok"}}
    assert orch.get_runtime_state("s", "native") == {"1": {"tool_calls": [{"id": "c1"}], "results": {"c1": "ok"}},
                                                     "2": {"step": 2}}
    assert orch.get_runtime_state("s", "native", 99) == {} and orch.get_runtime_state("s", "nobody") == {}
    # The records are not chat history.
    assert [m.content for m in orch.get_messages("s")] == ["run the tool"]
    assert [m.content for m in orch.on_agent_start(None, "s")] == ["run the tool"]
    assert len(orch.get_messages("s", include_runtime_state=True)) == 4
    assert orch.clear_runtime_state("s", "native") is True
    assert orch.get_runtime_state("s", "native") == {} and orch.get_runtime_state("s", "harness") == {"t-1": {"other": True}}
    assert orch.clear_runtime_state("s") is True
    assert orch.get_messages("s", include_runtime_state=True)[0].content == "run the tool"
    assert len(orch.get_messages("s", include_runtime_state=True)) == 1


async def test_async_set_get_clear(aorch: PersistenceOrchestrator) -> None:
    assert await aorch.aset_runtime_state("s", "native", 1, {"a": 1})
    assert await aorch.aset_runtime_state("s", "native", 1, {"a": 2})  # rewrite: newest wins, one record left
    assert await aorch.aget_runtime_state("s", "native") == {"1": {"a": 2}}
    assert len(await aorch.aget_messages("s", include_runtime_state=True)) == 1
    assert await aorch.aclear_runtime_state("s") is True
    assert await aorch.aget_runtime_state("s", "native", 1) == {}


def test_turn_over_the_limit_raises_and_stores_nothing(orch: PersistenceOrchestrator) -> None:
    orch.set_runtime_state("s", "native", 1, {"small": True})
    with pytest.raises(RuntimeStateTooLargeError, match="max_turn_state_bytes") as info:
        orch.set_runtime_state("s", "native", 2, {"blob": "x" * 3000})
    assert info.value.limit == 2048 and info.value.size > 3000
    assert isinstance(info.value, ValueError)
    with pytest.raises(TypeError, match="JSON"):
        orch.set_runtime_state("s", "native", 3, {"obj": object()})
    with pytest.raises(TypeError, match="mapping"):
        orch.set_runtime_state("s", "native", 4, ["not", "a", "dict"])  # type: ignore[arg-type]
    assert orch.get_runtime_state("s", "native") == {"1": {"small": True}}
    assert len(orch.get_messages("s", include_runtime_state=True)) == 1


def test_a_runtime_keeps_its_newest_turns(orch: PersistenceOrchestrator) -> None:
    orch.set_runtime_state("s", "other", 0, {"keep": "me"})
    for turn in range(1, 6):
        orch.set_runtime_state("s", "native", turn, {"turn": turn})
    assert orch.get_runtime_state("s", "native") == {"3": {"turn": 3}, "4": {"turn": 4}, "5": {"turn": 5}}
    assert orch.get_runtime_state("s", "other") == {"0": {"keep": "me"}}
    assert len(orch.get_messages("s", include_runtime_state=True)) == 4


def test_a_runtime_keeps_within_its_byte_bound(tmp_path: Path) -> None:
    cfg = SessionConfig(mirror_runtime_state=True, max_turn_state_bytes=1000, max_runtime_state_bytes=2500,
                        max_runtime_turns=100)
    with PersistenceOrchestrator(conversation_store=SQLiteConversationStore(path=tmp_path / "c.db"),
                                 session_config=cfg) as o:
        for turn in range(6):
            o.set_runtime_state("s", "native", turn, {"pad": "y" * 800})
        kept = o.get_runtime_state("s", "native")
        assert list(kept) == ["4", "5"]  # each record is ~860 bytes: three would pass 2500


def test_history_limit_skips_runtime_records(orch: PersistenceOrchestrator) -> None:
    for i in range(6):
        orch.on_message("s", "user", f"m{i}")
        orch.set_runtime_state("s", f"rt{i}", i, {"i": i})  # six runtimes: nothing is evicted
    ctx = orch.build_context("s", history_limit=4)
    assert [h["content"] for h in ctx["history"]] == ["m2", "m3", "m4", "m5"]
    assert [m.content for m in orch.get_messages("s", limit=2)] == ["m4", "m5"]


def test_runtime_state_lives_with_the_session(tmp_path: Path) -> None:
    """Another orchestrator over the same file (another runtime) reads it; deleting the session drops it."""
    first = PersistenceOrchestrator(conversation_store=SQLiteConversationStore(path=tmp_path / "c.db"), session_config=ON)
    first.on_agent_start(None, "handover")
    first.set_runtime_state("handover", "native", 7, {"pending_tool": "search"})
    first.close()
    second = PersistenceOrchestrator(conversation_store=SQLiteConversationStore(path=tmp_path / "c.db"), session_config=ON)
    assert second.get_runtime_state("handover", "native", 7) == {"pending_tool": "search"}
    second.delete_session("handover")
    assert second.get_runtime_state("handover", "native") == {}
    second.close()


def test_set_runtime_state_on_a_new_session_creates_it(tmp_path: Path) -> None:
    with PersistenceOrchestrator(conversation_store=JSONConversationStore(path=tmp_path / "j"), session_config=ON) as o:
        assert o.set_runtime_state("brand-new", "native", 1, {"a": 1})
        assert o.get_session("brand-new") is not None


# -- the record format -------------------------------------------------------------------------


def test_record_encoding_and_eviction_plan() -> None:
    cfg = SessionConfig(mirror_runtime_state=True, max_runtime_turns=2)
    msgs = [encode_turn("s", "rt", t, {"t": t}, cfg) for t in (1, 2, 1, 3)]
    assert all(is_runtime_record(m) and m.role == RUNTIME_STATE_ROLE for m in msgs)
    assert json.loads(msgs[0].content)["state"] == {"t": 1}
    assert not is_runtime_record(ConversationMessage(role=RUNTIME_STATE_ROLE, content="{}"))  # no marker
    assert fold_turns(msgs, "rt") == {"1": {"t": 1}, "2": {"t": 2}, "3": {"t": 3}}
    # The first turn-1 record is superseded; then turn 2 is the oldest of three live turns.
    assert records_to_evict(msgs, "rt", cfg) == [msgs[0].id, msgs[1].id]
    with pytest.raises(ValueError, match="runtime_id"):
        encode_turn("s", "", 1, {}, cfg)
    with pytest.raises(TypeError, match="turn_id"):
        encode_turn("s", "rt", 1.5, {}, cfg)  # type: ignore[arg-type]
