"""The override guard: removing a contract test, or overriding it without an xfail reason, is caught."""

from __future__ import annotations

from typing import Any

import pytest

from praisonai_persist_testkit import (
    AsyncConversationStoreTests,
    AsyncKnowledgeStoreTests,
    AsyncStateStoreTests,
    ConversationStoreTests,
    KnowledgeStoreTests,
    StateStoreTests,
    find_override_violations,
)
from praisonai_persist_testkit.contract import GUARD_TEST

CONTRACTS = [
    ConversationStoreTests,
    AsyncConversationStoreTests,
    KnowledgeStoreTests,
    AsyncKnowledgeStoreTests,
    StateStoreTests,
    AsyncStateStoreTests,
]


def _subclass(base: type, **attrs: Any) -> type:
    return type("TestBackend", (base,), attrs)


def test_untouched_subclass_has_no_violation() -> None:
    for contract in CONTRACTS:
        assert find_override_violations(_subclass(contract)) == []


def test_sync_and_async_classes_hold_the_same_tests() -> None:
    for sync, async_ in zip(CONTRACTS[::2], CONTRACTS[1::2], strict=True):
        names: Any = sync._persist_test_names  # type: ignore[attr-defined]
        assert names == async_._persist_test_names  # type: ignore[attr-defined]
        assert names[0] == "test_store_is_empty"
        assert names[-2:] == ("test_store_still_empty", GUARD_TEST)


def test_every_contract_test_has_a_troubleshooting_hint() -> None:
    for contract in CONTRACTS:
        for name in contract._persist_test_names:  # type: ignore[attr-defined]
            doc = getattr(contract, name).__doc__ or ""
            assert "Troubleshooting:" in doc, f"{contract.__name__}.{name}"


def test_override_without_xfail_is_a_violation() -> None:
    def test_hashes(self: Any, store: Any) -> None:
        pass

    problems = find_override_violations(_subclass(StateStoreTests, test_hashes=test_hashes))
    assert len(problems) == 1 and problems[0].startswith("test_hashes is overridden without")


def test_override_with_empty_xfail_reason_is_a_violation() -> None:
    @pytest.mark.xfail(reason=" ")
    def test_hashes(self: Any, store: Any) -> None:
        pass

    assert len(find_override_violations(_subclass(StateStoreTests, test_hashes=test_hashes))) == 1


def test_override_with_xfail_reason_is_allowed() -> None:
    @pytest.mark.xfail(reason="engine has no hashes yet")
    def test_hashes(self: Any, store: Any) -> None:
        pass

    assert find_override_violations(_subclass(StateStoreTests, test_hashes=test_hashes)) == []


def test_removed_test_is_a_violation() -> None:
    problems = find_override_violations(_subclass(KnowledgeStoreTests, test_filter_or=None))
    assert len(problems) == 1 and "test_filter_or was removed" in problems[0]


def test_touching_the_guard_is_a_violation() -> None:
    @pytest.mark.xfail(reason="trying to dodge the guard")
    def guard(self: Any) -> None:
        pass

    for value in (None, guard):
        problems = find_override_violations(_subclass(ConversationStoreTests, **{GUARD_TEST: value}))
        assert problems == [f"{GUARD_TEST} was removed or overridden; it must stay as the testkit defines it."]
