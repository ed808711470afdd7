"""``praisonai-persist migrate``: show and apply the pending schema steps of a SQL conversation store."""

from __future__ import annotations

from typing import Any

import click

from .common import CliError, config_from_params, handles_failures, json_option, open_store, store_options
from .output import emit_json

__all__ = ["migrate", "open_unmigrated", "schema_report"]


def schema_report(store: Any) -> dict[str, Any] | None:
    """``{"version", "pending"}`` of a store with a versioned schema, ``None`` for schemaless backends."""
    if not callable(getattr(store, "pending_migrations", None)):
        return None
    return {"version": store.schema_version(), "pending": [str(step) for step in store.pending_migrations()]}


def open_unmigrated(backend: str | None, url: str | None, options: dict[str, Any]) -> Any | None:
    """The conversation store opened with automatic migration off, or ``None`` when the backend
    takes no ``auto_create_tables`` option (it has no versioned schema)."""
    try:
        return open_store("conversation", backend, url, {**options, "auto_create_tables": False})
    except TypeError:
        return None


@click.command()
@store_options("conversation")
@click.option("--dry-run", is_flag=True, help="Only list the pending steps; change nothing.")
@json_option
@handles_failures
def migrate(dry_run: bool, as_json: bool, **params: Any) -> None:
    """Create missing tables and add the columns and indexes older versions lack (never drops).

    The store is opened without its automatic migration, so --dry-run shows exactly what would
    change. A database stamped by a newer major version is refused (exit 1) and left as it is.
    Backends without a versioned schema (JSON, SurrealDB ...) have nothing to migrate.

    \b
    Examples:
      praisonai-persist migrate --conversation-url postgresql://app@db/app --dry-run
      praisonai-persist migrate --conversation-url mysql://root@localhost/app --json
    """
    config = config_from_params(params)
    backend, url, options = config.store_spec("conversation")
    store = open_unmigrated(backend, url, options) or open_store("conversation", backend, url, options)
    with store:
        before = schema_report(store)
        if before is None:
            result = {"backend": store.backend_name, "version": None, "pending": [], "applied": [],
                      "detail": "this backend has no versioned schema; nothing to migrate"}
        else:
            applied = [] if dry_run or not before["pending"] else [str(s) for s in store.migrate()]
            after = schema_report(store) if applied else before
            assert after is not None
            result = {"backend": store.backend_name, "version": after["version"], "pending": after["pending"],
                      "applied": applied, "dry_run": dry_run, "version_before": before["version"]}
    if as_json:
        emit_json(result)
        return
    if before is None:
        click.echo(f"{result['backend']}: {result['detail']}")
        return
    if dry_run:
        if not result["pending"]:
            click.echo(f"schema {result['version']}: up to date, nothing to do")
        for step in result["pending"]:
            click.echo(f"pending: {step}")
        return
    for step in result["applied"]:
        click.echo(f"applied: {step}")
    click.echo(f"schema {result['version']}: up to date" + ("" if result["applied"] else ", nothing to do"))
    if result["pending"]:
        raise CliError(f"{len(result['pending'])} step(s) still pending after migrate: {result['pending']}")
