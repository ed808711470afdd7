"""``praisonai-persist doctor``: plugin health and a round trip through every configured store."""

from __future__ import annotations

from typing import Any

import click

from ..adapters import as_sync
from ..discovery import discovery_report, plugin_manager
from ..factory import create_store
from ..registry import KINDS
from ..urls import mask_url, redact
from .common import config_from_params, failures, json_option, store_options
from .migrate_cmd import open_unmigrated, schema_report
from .output import emit_json, print_table
from .probes import run_probe


def inspect_schema(backend: str | None, url: str | None, options: dict[str, Any]) -> dict[str, Any] | None:
    """Schema version and pending steps, read with automatic migration off (``None``: schemaless)."""
    store = open_unmigrated(backend, url, options)
    if store is None:
        return None
    try:
        return schema_report(store)
    finally:
        store.close()


def check_store(kind: str, backend: str | None, url: str | None, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Create the store, run its probe, close it; secrets never appear in the result.

    A conversation store's schema is inspected first (version, pending steps) without migrating;
    the probe then opens the store as an application would, which applies pending steps when
    ``auto_create_tables`` is on (the report says so).
    """
    options = dict(options or {})
    result: dict[str, Any] = {"kind": kind, "backend": backend, "url": mask_url(url), "ok": False}
    store = None
    try:
        if kind == "conversation":
            result["schema"] = inspect_schema(backend, url, options)
        store = create_store(kind, backend, url, **options)
        result["backend"] = getattr(store, "backend_name", None) or backend
        detail, ms = run_probe(kind, store)
        schema = result.get("schema")
        if schema is not None:
            after = schema_report(as_sync(store))
            schema["version_after"] = after["version"] if after else None
            detail += f"; schema {schema['version_after']}"
            if schema["pending"]:
                detail += f" ({len(schema['pending'])} pending step(s) applied on connect)"
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
@store_options("conversation", "knowledge", "state")
@click.option("--all", "all_stores", is_flag=True, help="Check every configured store (the default; PraisonAI's flag).")
@json_option
def doctor(all_stores: bool, as_json: bool, **params: Any) -> None:
    """Check plugins, then connect to each configured store and round-trip a probe.

    For each store given by option, config file or environment: connect, create / read / delete
    a probe, and report latency; for SQL conversation stores also the schema version and the
    pending migration steps. Exits 1 when a plugin failed to load or any check fails. URLs are
    shown with passwords and tokens masked.

    \b
    Examples:
      praisonai-persist doctor --conversation-url sqlite:///chat.db --state-store memory
      PRAISONAI_CONVERSATION_URL=postgresql://user:pw@db/app praisonai-persist doctor --json
    """
    with failures(*(v for k, v in params.items() if k.endswith("_url"))):
        config = config_from_params(params)
    report = discovery_report()
    checks = []
    for kind in KINDS:
        backend, url, options = config.store_spec(kind)
        if backend is not None or url is not None:
            checks.append(check_store(kind, backend, url, options))
    plugin_failures = [{"distribution": f.distribution, "version": f.version, "entry_point": f.name, "error": f.error}
                for f in report.failures]
    conflicts = report.conflicts()
    extra = plugin_checks()
    ok = all(c["ok"] for c in checks + extra) and not plugin_failures and not conflicts
    if as_json:
        emit_json({"ok": ok, "stores": checks, "plugin_checks": extra, "plugin_errors": plugin_failures, "conflicts": conflicts,
                   "plugins": [f"{p.distribution} {p.version}" for p in report.loaded]})
    else:
        click.echo(f"plugins loaded: {', '.join(sorted({f'{p.distribution} {p.version}' for p in report.loaded}))}")
        for f in plugin_failures:
            click.echo(f"FAIL plugin {f['distribution']} {f['version']} ({f['entry_point']}): {f['error']}")
        for c in conflicts:
            click.echo(f"FAIL conflict: {c}")
        for e in extra:
            click.echo(f"{'OK  ' if e['ok'] else 'FAIL'} {e['check']}: {e['detail']}")
        if checks:
            rows = [[c["kind"], str(c["backend"]), c["url"] or "-", "OK" if c["ok"] else "FAIL",
                     f"{c['latency_ms']:.1f} ms" if c["ok"] else "-", c.get("detail") or c.get("error", "")]
                    for c in checks]
            print_table(["KIND", "BACKEND", "URL", "STATUS", "LATENCY", "DETAIL"], rows)
        else:
            click.echo("no stores configured: pass --conversation-url / --knowledge-url / --state-url "
                       "(or set PRAISONAI_*_URL) to check them")
        click.echo("doctor: all checks passed" if ok else "doctor: some checks FAILED")
    if not ok:
        raise SystemExit(1)
