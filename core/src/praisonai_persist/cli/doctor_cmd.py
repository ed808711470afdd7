"""``praisonai-persist doctor``: plugin health and a round trip through every configured store."""

from __future__ import annotations

from typing import Any

import click

from ..adapters import as_sync
from ..config import PersistenceConfig
from ..discovery import discovery_report, plugin_manager
from ..factory import create_store
from ..registry import KINDS
from ..urls import mask_url, redact
from .output import emit_json, table
from .probes import run_probe


def check_store(kind: str, backend: str | None, url: str | None) -> dict[str, Any]:
    """Create the store, run its probe, close it; secrets never appear in the result."""
    result: dict[str, Any] = {"kind": kind, "backend": backend, "url": mask_url(url), "ok": False}
    store = None
    try:
        store = create_store(kind, backend, url)
        result["backend"] = getattr(store, "backend_name", None) or backend
        detail, ms = run_probe(kind, store)
        result.update(ok=True, detail=detail, latency_ms=round(ms, 2))
    except Exception as exc:
        result["error"] = redact(f"{type(exc).__name__}: {exc}", url)
    finally:
        if store is not None:
            try:
                as_sync(store).close()
            except Exception as exc:
                result.setdefault("error", redact(f"close failed: {type(exc).__name__}: {exc}", url))
    return result


def plugin_checks() -> list[dict[str, Any]]:
    """Run the checks plugins contribute through the ``persist_doctor_checks`` hook."""
    results = []
    for contributed in plugin_manager().hook.persist_doctor_checks():
        for title, check in contributed or []:
            try:
                results.append({"check": str(title), "ok": True, "detail": str(check())})
            except Exception as exc:
                results.append({"check": str(title), "ok": False, "detail": f"{type(exc).__name__}: {exc}"})
    return results


@click.command()
@click.option("--conversation-url", envvar=["PRAISONAI_CONVERSATION_URL", "PRAISON_CONVERSATION_URL"],
              help="Conversation store URL or path (env PRAISONAI_CONVERSATION_URL).")
@click.option("--conversation-store", envvar="PRAISONAI_CONVERSATION_STORE", help="Conversation backend name.")
@click.option("--knowledge-url", envvar=["PRAISONAI_KNOWLEDGE_URL", "PRAISON_KNOWLEDGE_URL"],
              help="Knowledge store URL or path (env PRAISONAI_KNOWLEDGE_URL).")
@click.option("--knowledge-store", envvar="PRAISONAI_KNOWLEDGE_STORE", help="Knowledge backend name.")
@click.option("--state-url", envvar=["PRAISONAI_STATE_URL", "PRAISON_STATE_URL"],
              help="State store URL or path (env PRAISONAI_STATE_URL).")
@click.option("--state-store", envvar="PRAISONAI_STATE_STORE", help="State backend name.")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def doctor(
    conversation_url: str | None,
    conversation_store: str | None,
    knowledge_url: str | None,
    knowledge_store: str | None,
    state_url: str | None,
    state_store: str | None,
    as_json: bool,
) -> None:
    """Check plugins, then connect to each configured store and round-trip a probe.

    Exits non-zero when a plugin failed to load or any store check fails. URLs are shown
    with passwords and tokens masked.

    \b
    Examples:
      praisonai-persist doctor --conversation-url sqlite:///chat.db --state-store memory
      PRAISONAI_CONVERSATION_URL=postgresql://user:pw@db/app praisonai-persist doctor --json
    """
    config = PersistenceConfig(
        conversation_store=conversation_store, conversation_url=conversation_url,
        knowledge_store=knowledge_store, knowledge_url=knowledge_url,
        state_store=state_store, state_url=state_url,
    )
    report = discovery_report()
    checks = []
    for kind in KINDS:
        backend, url, _ = config.store_spec(kind)
        if backend is not None or url is not None:
            checks.append(check_store(kind, backend, url))
    failures = [{"distribution": f.distribution, "version": f.version, "entry_point": f.name, "error": f.error}
                for f in report.failures]
    conflicts = report.conflicts()
    extra = plugin_checks()
    ok = all(c["ok"] for c in checks + extra) and not failures and not conflicts
    if as_json:
        emit_json({"ok": ok, "stores": checks, "plugin_checks": extra, "plugin_errors": failures, "conflicts": conflicts,
                   "plugins": [f"{p.distribution} {p.version}" for p in report.loaded]})
    else:
        click.echo(f"plugins loaded: {', '.join(sorted({f'{p.distribution} {p.version}' for p in report.loaded}))}")
        for f in failures:
            click.echo(f"FAIL plugin {f['distribution']} {f['version']} ({f['entry_point']}): {f['error']}")
        for c in conflicts:
            click.echo(f"FAIL conflict: {c}")
        for e in extra:
            click.echo(f"{'OK  ' if e['ok'] else 'FAIL'} {e['check']}: {e['detail']}")
        if checks:
            rows = [[c["kind"], str(c["backend"]), c["url"] or "-", "OK" if c["ok"] else "FAIL",
                     f"{c['latency_ms']:.1f} ms" if c["ok"] else "-", c.get("detail") or c.get("error", "")]
                    for c in checks]
            click.echo(table(["KIND", "BACKEND", "URL", "STATUS", "LATENCY", "DETAIL"], rows))
        else:
            click.echo("no stores configured: pass --conversation-url / --knowledge-url / --state-url "
                       "(or set PRAISONAI_*_URL) to check them")
        click.echo("doctor: all checks passed" if ok else "doctor: some checks FAILED")
    if not ok:
        raise SystemExit(1)
