"""pytest plugin (entry point ``pytest11``): the end-of-run conformance report.

For every subclass of a contract class that ran, the report shows its backend, kind, sync or
async form, the engine it talked to, its declared capabilities, how many contract tests
passed, failed, xfailed or were skipped, and whether the backend was verified against a real
engine or skipped (and why). Items carry their class's description in ``user_properties``,
so the report also works with pytest-xdist. Disable it with ``-p no:praisonai_persist_testkit``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from .capabilities import describe_capabilities
from .contract import GUARD_TEST, ContractTests, find_override_violations

__all__ = ["ConformanceReport", "ContractResult"]

_PROPERTY = "praisonai_persist_contract"


@dataclass
class ContractResult:
    """Outcome counts of one contract subclass."""

    nodeid: str
    backend: str
    kind: str
    mode: str
    engine: str
    capabilities: str
    violations: list[str] = field(default_factory=list)
    passed: int = 0
    failed: int = 0
    xfailed: int = 0
    xpassed: int = 0
    skipped: int = 0
    skip_reasons: dict[str, int] = field(default_factory=dict)

    def count_skip(self, reason: str) -> None:
        self.skipped += 1
        self.skip_reasons[reason] = self.skip_reasons.get(reason, 0) + 1

    @property
    def verdict(self) -> str:
        if self.failed or self.violations:
            return "FAILED"
        if self.passed:
            return f"verified against {self.engine}" if self.engine != "-" else "verified (engine not declared)"
        if self.skipped:
            return "skipped: " + "; ".join(sorted(self.skip_reasons))
        return "not run"


def _describe(item: pytest.Item) -> str | None:
    cls = getattr(item, "cls", None)
    if not isinstance(cls, type) or not issubclass(cls, ContractTests) or not cls._persist_kind:
        return None
    try:
        capabilities = describe_capabilities(cls._persist_kind, cls.persist_capabilities())
    except ValueError as exc:
        capabilities = f"INVALID: {exc}"
    node = item.nodeid.rsplit("::", 1)[0]
    return json.dumps(
        {
            "nodeid": node,
            "backend": cls.backend or cls.__name__,
            "kind": cls._persist_kind,
            "mode": "async" if cls._persist_async else "sync",
            "engine": cls.engine or "-",
            "capabilities": capabilities,
            "violations": find_override_violations(cls),
        }
    )


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(ConformanceReport(), "praisonai-persist-conformance-report")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        described = _describe(item)
        if described is not None:
            item.user_properties.append((_PROPERTY, described))


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr: Any = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        reason = str(longrepr[2])
        return reason[len("Skipped: ") :] if reason.startswith("Skipped: ") else reason
    return "skipped"


class ConformanceReport:
    """Collects outcomes per contract subclass and prints the table at the end of the run."""

    def __init__(self) -> None:
        self.results: dict[str, ContractResult] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        described = next((value for key, value in report.user_properties if key == _PROPERTY), None)
        if not isinstance(described, str):
            return
        data = json.loads(described)
        result = self.results.get(data["nodeid"])
        if result is None:
            result = self.results[data["nodeid"]] = ContractResult(**data)
        xfail = hasattr(report, "wasxfail")
        if report.nodeid.endswith("::" + GUARD_TEST):
            # The guard needs no engine: it verifies nothing about the backend, it can only fail it.
            if report.failed:
                result.failed += 1
            return
        if report.when == "call":
            if xfail:
                if report.skipped:
                    result.xfailed += 1
                else:
                    result.xpassed += 1
            elif report.passed:
                result.passed += 1
            elif report.failed:
                result.failed += 1
            else:
                result.count_skip(_skip_reason(report))
        elif report.when == "setup":
            if report.failed:
                result.failed += 1
            elif report.skipped:
                if xfail:
                    result.xfailed += 1
                else:
                    result.count_skip(_skip_reason(report))
        elif report.failed:  # an error in teardown
            result.failed += 1

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.results:
            return
        tr = terminalreporter
        tr.write_sep("=", "praisonai-persist conformance")
        ordered = sorted(self.results.values(), key=lambda r: (r.kind, r.backend, r.mode, r.nodeid))
        header = ("backend", "kind", "mode", "passed", "failed", "xfailed", "skipped")
        rows = [
            (r.backend, r.kind, r.mode, str(r.passed), str(r.failed), str(r.xfailed), str(r.skipped))
            for r in ordered
        ]
        widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

        def line(row: tuple[str, ...], last: str) -> str:
            cells = [c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
            return "  ".join([*cells, last])

        tr.write_line(line(header, "verdict (capabilities: full contract unless listed)"))
        for row, result in zip(rows, ordered, strict=True):
            verdict = result.verdict
            tr.write_line(line(row, verdict), red=verdict == "FAILED", green=verdict.startswith("verified"))
            if result.capabilities != "full contract":
                tr.write_line(f"    capabilities: {result.capabilities}")
            if verdict == "FAILED":
                tr.write_line(f"    class: {result.nodeid}")
            if result.passed and result.skip_reasons:
                reasons = ", ".join(f"{why} (x{n})" for why, n in sorted(result.skip_reasons.items()))
                tr.write_line(f"    skipped tests: {reasons}")
            if result.xpassed:
                tr.write_line(f"    {result.xpassed} xfail-marked test(s) passed: remove their xfail override")
            for violation in result.violations:
                tr.write_line(f"    override violation: {violation}", red=True)
