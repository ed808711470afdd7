"""``praisonai-persist backends``: what is registered, by which plugin, and what can be installed."""

from __future__ import annotations

from typing import Any

import click

from ..catalog import CATALOG
from ..discovery import discovery_report
from ..registry import KINDS, get_default_registry
from .output import emit_json, print_table


def collect() -> dict[str, Any]:
    """Registered and catalogued backends, plugin failures and conflicts, as plain data."""
    rows: list[dict[str, Any]] = []
    registered: set[tuple[str, str]] = set()
    for kind in KINDS:
        for entry in get_default_registry(kind).entries():
            registered.add((kind, entry.name))
            rows.append({
                "kind": kind,
                "name": entry.name,
                "aliases": list(entry.aliases),
                "schemes": list(entry.schemes),
                "distribution": entry.distribution,
                "version": entry.version,
                "installed": True,
                "install": None,
                "conflicts": list(entry.conflicts),
            })
    for cat in CATALOG:
        if (cat.kind, cat.name) not in registered:
            rows.append({
                "kind": cat.kind,
                "name": cat.name,
                "aliases": list(cat.aliases),
                "schemes": list(cat.schemes),
                "distribution": cat.distribution,
                "version": None,
                "installed": False,
                "install": f"pip install {cat.distribution}",
                "conflicts": [],
            })
    rows.sort(key=lambda r: (KINDS.index(r["kind"]), not r["installed"], r["name"]))
    report = discovery_report()
    return {
        "backends": rows,
        "plugin_errors": [
            {"distribution": f.distribution, "version": f.version, "entry_point": f.name, "group": f.group,
             "error": f.error}
            for f in report.failures
        ],
        "plugins": [{"distribution": p.distribution, "version": p.version, "entry_point": p.name, "group": p.group}
                    for p in report.loaded],
    }


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--installed", is_flag=True, help="Only backends whose plugin is installed.")
@click.option("--kind", type=click.Choice(KINDS), help="Only this store kind.")
def backends(as_json: bool, installed: bool, kind: str | None) -> None:
    """List backends: kind, aliases, URL schemes, providing plugin, and the pip line if missing.

    \b
    Examples:
      praisonai-persist backends
      praisonai-persist backends --kind knowledge --json
    """
    data = collect()
    rows = [r for r in data["backends"] if (not installed or r["installed"]) and (kind is None or r["kind"] == kind)]
    data["backends"] = rows
    if as_json:
        emit_json(data)
    else:
        body = [
            [
                r["kind"],
                r["name"],
                ", ".join(r["aliases"]) or "-",
                ", ".join(s + "://" for s in r["schemes"]) or "-",
                f"{r['distribution']} {r['version']}" if r["installed"] else r["install"],
                ("installed" if r["installed"] else "not installed")
                + (f" (CONFLICT: also {', '.join(r['conflicts'])})" if r["conflicts"] else ""),
            ]
            for r in rows
        ]
        print_table(["KIND", "BACKEND", "ALIASES", "SCHEMES", "PLUGIN / INSTALL", "STATUS"], body)
        for err in data["plugin_errors"]:
            click.echo(
                f"plugin error: {err['distribution']} {err['version']} ({err['entry_point']}): {err['error']}",
                err=True,
            )
