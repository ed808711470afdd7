"""Machinery shared by the contract classes: test generation, the override guard, the gate.

Each contract test is written once, as an ``async def`` body that awaits store calls. The
async class awaits it on pytest-asyncio's loop; the sync class drives the same body without
any event loop, through :class:`_AwaitableFacade`, whose awaitables are already complete.
So the sync and async forms of a kind check exactly the same things, and a sync store is
called plainly from the test's thread, as a script would call it.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import time
from collections.abc import Awaitable, Callable, Coroutine, Generator, Iterator, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

import pytest

from .capabilities import resolve_capabilities

__all__ = ["GUARD_TEST", "Check", "ContractTests", "contract_class", "find_override_violations"]

GUARD_TEST = "test_no_overrides_DO_NOT_OVERRIDE"

Check = Callable[[Any, Any], Coroutine[Any, Any, None]]
_C = TypeVar("_C", bound=type)
_T = TypeVar("_T")

#: One method per kind that tells a sync store from an async one.
_MARKER_METHOD = {"conversation": "add_message", "knowledge": "search", "state": "get"}


class _Done:
    """An awaitable that is already complete: awaiting it returns ``value`` without suspending."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __await__(self) -> Generator[Any, None, Any]:
        # A generator that finishes on its first step: the await completes without suspending.
        yield from ()
        return self.value


class _AwaitableFacade:
    """A sync store seen through an async interface: ``await facade.m()`` calls ``store.m()``."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> _Done:
            __tracebackhide__ = True
            result = attr(*args, **kwargs)
            if inspect.isawaitable(result):
                if inspect.iscoroutine(result):
                    result.close()
                raise TypeError(
                    f"{type(self._store).__name__}.{name} returned an awaitable, but this is a sync "
                    "contract class: subclass the Async...Tests class, or wrap the store with "
                    "praisonai_persist.as_sync()."
                )
            return _Done(result)

        return call


def _drive(coro: Coroutine[Any, Any, _T]) -> _T:
    """Run a body whose every await is a :class:`_Done` (or a sync sleep) to completion."""
    __tracebackhide__ = True
    try:
        step = coro.send(None)
    except StopIteration as finished:
        return finished.value  # type: ignore[no-any-return]
    coro.close()
    raise RuntimeError(f"A sync contract test awaited a real awaitable ({step!r}); this is a testkit bug.")


def _has_xfail_reason(func: Any) -> bool:
    for mark in getattr(func, "pytestmark", []):
        if getattr(mark, "name", None) == "xfail":
            reason = mark.kwargs.get("reason")
            if isinstance(reason, str) and reason.strip():
                return True
    return False


def find_override_violations(cls: type) -> list[str]:
    """Contract tests that ``cls`` removed, or overrode without ``@pytest.mark.xfail(reason=...)``."""
    contract = getattr(cls, "_persist_contract", None)
    if contract is None:
        return []
    problems: list[str] = []
    for name in contract._persist_test_names:
        own = contract.__dict__[name]
        got = getattr(cls, name, None)
        if got is own:
            continue
        if name == GUARD_TEST:
            problems.append(f"{name} was removed or overridden; it must stay as the testkit defines it.")
        elif got is None:
            problems.append(
                f"{name} was removed (set to None); override it with "
                "@pytest.mark.xfail(reason='why') instead, so the gap shows in every run."
            )
        elif not _has_xfail_reason(got):
            problems.append(
                f"{name} is overridden without @pytest.mark.xfail(reason='...'); mark the override "
                "with a non-empty reason or delete it."
            )
    return problems


class ContractTests:
    """Base of every contract class. Subclass one of the six ``...StoreTests`` classes, not this.

    A subclass provides the ``store`` fixture and may set the class attributes below.
    """

    #: Name shown in the end-of-run report (default: the subclass's name).
    backend: ClassVar[str | None] = None
    #: The real engine these tests talk to, for the report ("SQLite file", "Redis 7 server").
    engine: ClassVar[str | None] = None
    #: Where this backend does less than the full contract (see ``capabilities.DEFAULT_CAPABILITIES``).
    capabilities: ClassVar[Mapping[str, Any]] = {}
    #: Set to a reason (e.g. "PINECONE_API_KEY is not set") to skip every store test, reported as such.
    skip_reason: ClassVar[str | None] = None
    #: With CI=true, fail instead of skipping: the engine is one that tools/ starts on this machine.
    required_in_ci: ClassVar[bool] = False

    # Set by @contract_class on the six contract classes.
    _persist_kind: ClassVar[str] = ""
    _persist_async: ClassVar[bool] = False
    _persist_contract: ClassVar[type | None] = None
    _persist_test_names: ClassVar[tuple[str, ...]] = ()

    @pytest.fixture
    def store(self) -> Any:
        """Overridden by the subclass: yield an empty store in its own namespace, clean up after."""
        pytest.fail(
            f"{type(self).__name__} must define a fixture named 'store' that yields an empty, "
            "isolated store and removes what it created in a finally block (see the testkit README)."
        )

    @pytest.fixture(autouse=True)
    def _persist_gate(self, request: pytest.FixtureRequest) -> None:
        """Skip (or fail in CI) store tests before the ``store`` fixture connects anywhere."""
        if "store" not in request.fixturenames:
            return
        reason = type(self).skip_reason
        if not reason:
            return
        if type(self).required_in_ci and os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true and {type(self).__name__} requires its engine, but: {reason}")
        pytest.skip(reason)

    @classmethod
    def persist_capabilities(cls) -> dict[str, Any]:
        """The capabilities in force: the kind's defaults updated with the declared ones."""
        return resolve_capabilities(cls._persist_kind, cls.capabilities, cls.__name__)

    def capability(self, name: str) -> Any:
        """Value of one capability for this backend."""
        return self.persist_capabilities()[name]

    def require(self, name: str) -> None:
        """Skip the calling test when the backend declared the boolean capability ``name`` absent."""
        if not self.capability(name):
            pytest.skip(f"{type(self).__name__} declares capabilities[{name!r}] = False")

    def pause(self, seconds: float) -> Awaitable[None]:
        """Sleep in the form the class runs in (a plain sleep for sync classes)."""
        if type(self)._persist_async:
            return asyncio.sleep(seconds)
        time.sleep(seconds)
        return _Done(None)

    def _persist_check_store(self, store: Any) -> None:
        __tracebackhide__ = True
        # Every contract test checks the guard, so removing the guard itself cannot go unnoticed.
        contract = type(self)._persist_contract
        if contract is not None and getattr(type(self), GUARD_TEST, None) is not contract.__dict__[GUARD_TEST]:
            pytest.fail(f"{GUARD_TEST} was removed or overridden; it must stay as the testkit defines it.")
        marker = getattr(store, _MARKER_METHOD[self._persist_kind], None)
        if marker is None:
            pytest.fail(
                f"The 'store' fixture of {type(self).__name__} yielded {store!r}, which has no "
                f"{_MARKER_METHOD[self._persist_kind]}() method: is it a {self._persist_kind} store?"
            )
        is_async = inspect.iscoroutinefunction(marker)
        if is_async != self._persist_async:
            want, got = ("async", "a sync") if self._persist_async else ("sync", "an async")
            other = "Async" if not self._persist_async else ""
            pytest.fail(
                f"{type(self).__name__} tests {want} stores but its 'store' fixture yielded {got} "
                f"store ({type(store).__name__}); subclass the {other}...StoreTests class instead, or "
                f"adapt the store with praisonai_persist.{'as_async' if self._persist_async else 'as_sync'}()."
            )


def _dress(test: Callable[..., Any], body: Check, owner: type) -> None:
    test.__name__ = body.__name__
    test.__qualname__ = f"{owner.__name__}.{body.__name__}"
    test.__doc__ = body.__doc__
    test.__module__ = owner.__module__


def _sync_test(body: Check, owner: type) -> Callable[..., None]:
    def test(self: ContractTests, store: Any) -> None:
        __tracebackhide__ = True
        self._persist_check_store(store)
        _drive(body(self, _AwaitableFacade(store)))

    _dress(test, body, owner)
    return test


def _async_test(body: Check, owner: type) -> Callable[..., Any]:
    async def test(self: ContractTests, store: Any) -> None:
        __tracebackhide__ = True
        self._persist_check_store(store)
        await body(self, store)

    _dress(test, body, owner)
    return pytest.mark.asyncio(test)  # type: ignore[no-any-return]


def _guard_test(owner: type) -> Callable[..., None]:
    def test_no_overrides_DO_NOT_OVERRIDE(self: ContractTests) -> None:
        """No contract test is removed, or overridden without ``@pytest.mark.xfail(reason=...)``.

        Troubleshooting: mark an override ``@pytest.mark.xfail(reason="why")`` (or delete it); never
        set a contract test to None, and never override this guard.
        """
        problems = find_override_violations(type(self))
        if problems:
            pytest.fail("\n".join(problems), pytrace=False)

    test_no_overrides_DO_NOT_OVERRIDE.__qualname__ = f"{owner.__name__}.{GUARD_TEST}"
    test_no_overrides_DO_NOT_OVERRIDE.__module__ = owner.__module__
    return test_no_overrides_DO_NOT_OVERRIDE


def contract_class(kind: str, checks: Sequence[Check], *, is_async: bool) -> Callable[[_C], _C]:
    """Turn ``checks`` into test methods of the decorated class, in order, plus the guard test."""

    def decorate(cls: _C) -> _C:
        names: list[str] = []
        for body in checks:
            if not body.__name__.startswith("test_") or not (body.__doc__ and "Troubleshooting:" in body.__doc__):
                raise TypeError(f"Contract check {body.__name__} needs a test_ name and a Troubleshooting: line.")
            method = _async_test(body, cls) if is_async else _sync_test(body, cls)
            setattr(cls, body.__name__, method)
            names.append(body.__name__)
        setattr(cls, GUARD_TEST, _guard_test(cls))
        names.append(GUARD_TEST)
        target: Any = cls
        target._persist_kind = kind
        target._persist_async = is_async
        target._persist_contract = cls
        target._persist_test_names = tuple(names)
        return cls

    return decorate


class CheckList(list[Check]):
    """Ordered contract checks of one kind; ``@checks`` appends a body."""

    def __call__(self, body: Check) -> Check:
        if any(b.__name__ == body.__name__ for b in self):
            raise ValueError(f"Duplicate contract check {body.__name__}.")
        self.append(body)
        return body

    def names(self) -> Iterator[str]:
        return (b.__name__ for b in self)
