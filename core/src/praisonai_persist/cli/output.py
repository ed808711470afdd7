"""Tables (rich) and JSON output for the CLI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

__all__ = ["console", "emit_json", "print_table", "shorten"]


def emit_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout (non-ASCII kept, so ids read as they are stored)."""
    click.echo(json.dumps(data, indent=2, sort_keys=True, default=str, ensure_ascii=False))


def shorten(text: str, width: int = 80) -> str:
    """``text`` on one line (whitespace runs become one space), cut to ``width`` with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def console(stderr: bool = False) -> Any:
    """A rich console; off a terminal it never wraps or colours, so output stays greppable."""
    from rich.console import Console

    con = Console(stderr=stderr)
    if not con.is_terminal:
        con = Console(stderr=stderr, width=100_000, no_color=True, highlight=False)
    return con


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None) -> None:
    """Print a table on stdout (rich; plain columns off a terminal)."""
    from rich import box
    from rich.table import Table

    table = Table(*headers, title=title, box=box.SIMPLE_HEAD, title_justify="left", highlight=False)
    for row in rows:
        table.add_row(*(str(c) for c in row))
    console().print(table, markup=False)
