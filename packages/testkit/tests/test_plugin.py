"""The suite as a plugin author meets it: hook-up, skips, CI, xfail overrides, mistakes, the report.

Each test runs a small pytest session (pytester) against core's real in-process and SQLite stores.
"""

from __future__ import annotations

import pytest

from praisonai_persist_testkit import StateStoreTests
from praisonai_persist_testkit.contract import GUARD_TEST

pytest_plugins = ["pytester"]

HEADER = """
import pytest
import pytest_asyncio
from praisonai_persist.adapters import as_async, as_sync
from praisonai_persist.backends.memory_state import MemoryStateStore
from praisonai_persist.backends.sqlite import SQLiteConversationStore
from praisonai_persist_testkit import *
"""

MEMORY_STATE = """
class TestMemory(StateStoreTests):
    backend = "memory"
    engine = "in-process memory"

    @pytest.fixture
    def store(self):
        store = MemoryStateStore()
        try:
            yield store
        finally:
            store.close()
"""

# Contract tests of a state class, the guard excluded (counted, so adding a check needs no edit here).
STATE_TESTS = sum(1 for name in StateStoreTests._persist_test_names if name != GUARD_TEST)


def _run(pytester: pytest.Pytester, body: str, *args: str) -> pytest.RunResult:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_backend=HEADER + body)
    return pytester.runpytest("-p", "no:cacheprovider", *args)


def test_report_shows_verified_and_skipped_backends(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        MEMORY_STATE
        + """
class TestCloud(StateStoreTests):
    backend = "cloud"
    skip_reason = "CLOUD_API_KEY is not set"
    capabilities = {"hashes": False}

    @pytest.fixture
    def store(self):
        raise AssertionError("a skipped backend's fixture must not run")
""",
    )
    result.assert_outcomes(passed=STATE_TESTS + 2, skipped=STATE_TESTS)
    result.stdout.fnmatch_lines(
        [
            "*praisonai-persist conformance*",
            "backend*kind*mode*passed*failed*xfailed*skipped*verdict*",
            f"cloud*state*sync*0*0*0*{STATE_TESTS}*skipped: CLOUD_API_KEY is not set",
            "    capabilities: hashes=False",
            f"memory*state*sync*{STATE_TESTS}*0*0*0*verified against in-process memory",
        ]
    )


def test_required_in_ci_fails_instead_of_skipping(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    result = _run(
        pytester,
        """
class TestLocalEngine(StateStoreTests):
    skip_reason = "redis is not running on localhost:6379"
    required_in_ci = True

    @pytest.fixture
    def store(self):
        raise AssertionError("never reached")
""",
        "-k",
        "test_hashes or test_missing_key",
    )
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(["*CI=true and TestLocalEngine requires its engine, but: redis is not running*"])


def test_xfail_override_is_reported_and_accepted(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        MEMORY_STATE
        + """
    @pytest.mark.xfail(reason="pretend the engine has no hashes", strict=True)
    def test_hashes(self, store):
        super().test_hashes(store)
        raise AssertionError("the gap")
""",
        "-k",
        "test_hashes or DO_NOT_OVERRIDE or test_missing_key",
    )
    result.assert_outcomes(passed=2, xfailed=1)
    result.stdout.fnmatch_lines(["memory*state*sync*1*0*1*0*verified against in-process memory"])


def test_override_without_reason_fails_the_guard(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        MEMORY_STATE
        + """
    def test_hashes(self, store):
        pass
""",
        "-k",
        "DO_NOT_OVERRIDE",
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*test_hashes is overridden without @pytest.mark.xfail(reason='...')*",
            "memory*state*sync*0*1*0*0*FAILED",
            "    class: test_backend.py::TestMemory",
            "*override violation: test_hashes is overridden*",
        ]
    )


def test_async_class_with_pytest_asyncio_fixture_in_strict_mode(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
class TestAsyncMemory(AsyncStateStoreTests):
    @pytest_asyncio.fixture
    async def store(self):
        store = as_async(MemoryStateStore())
        try:
            yield store
        finally:
            await store.close()
""",
        "-o",
        "asyncio_mode=strict",
    )
    result.assert_outcomes(passed=STATE_TESTS + 1)
    result.stdout.fnmatch_lines([f"TestAsyncMemory*state*async*{STATE_TESTS}*0*0*0*verified (engine not declared)"])


def test_wrong_store_form_and_missing_fixture_are_explained(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
class TestAsyncStoreInSyncClass(StateStoreTests):
    @pytest.fixture
    def store(self):
        yield as_async(MemoryStateStore())

class TestSyncStoreInAsyncClass(AsyncStateStoreTests):
    @pytest.fixture
    def store(self):
        yield MemoryStateStore()

class TestNoFixture(StateStoreTests):
    pass
""",
        "-k",
        "test_missing_key",
    )
    result.assert_outcomes(failed=2, errors=1)
    result.stdout.fnmatch_lines_random(
        [
            "*TestAsyncStoreInSyncClass tests sync stores but its 'store' fixture yielded an async*as_sync()*",
            "*TestSyncStoreInAsyncClass tests async stores but its 'store' fixture yielded a sync*as_async()*",
            "*TestNoFixture must define a fixture named 'store'*",
        ]
    )


def test_suite_catches_a_broken_store(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
class FirstNStore(SQLiteConversationStore):
    # The classic bug: limit keeps the oldest N messages instead of the most recent N.
    def get_messages(self, session_id, limit=None, before=None, after=None):
        messages = super().get_messages(session_id, None, before, after)
        return messages[:limit] if limit is not None else messages


class TestBroken(ConversationStoreTests):
    engine = "SQLite file"

    @pytest.fixture
    def store(self, tmp_path):
        store = FirstNStore(path=tmp_path / "conv.db")
        try:
            yield store
        finally:
            store.close()
""",
        "-k",
        "limit or ties or round_trip_unicode",
    )
    result.assert_outcomes(passed=2, failed=3)
    result.stdout.fnmatch_lines_random(
        [
            "FAILED *TestBroken::test_ties_keep_insertion_order*",
            "FAILED *TestBroken::test_limit_returns_most_recent_oldest_first*",
            "FAILED *TestBroken::test_before_with_limit_returns_most_recent*",
            "TestBroken*conversation*sync*2*3*0*0*FAILED",
        ]
    )


def test_removing_the_guard_fails_every_store_test(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        MEMORY_STATE
        + """
    test_no_overrides_DO_NOT_OVERRIDE = None
""",
        "-k",
        "test_missing_key or test_hashes",
    )
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*test_no_overrides_DO_NOT_OVERRIDE was removed or overridden*"])
