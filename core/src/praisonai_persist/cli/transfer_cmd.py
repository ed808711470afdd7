"""``export``, ``import`` and ``copy``: move sessions, collections or state keys, streamed and idempotent."""

from __future__ import annotations

from typing import Any

import click

from ..registry import KINDS, get_default_registry
from ..transfer import Selection, TransferStats, copy_store, export_store, import_file
from ..urls import mask_url
from .common import (
    config_from_params,
    failures,
    handles_failures,
    json_option,
    open_configured,
    open_store,
    parse_options,
    store_options,
)
from .output import emit_json
from .progress import ProgressBar

__all__ = ["copy", "export", "import_"]

_ITEMS = {"conversation": "messages", "knowledge": "documents", "state": "keys"}
_CONTAINERS = {"conversation": "sessions", "knowledge": "collections", "state": "keys"}

kind_option = click.option(
    "--kind", type=click.Choice(KINDS), default="conversation", show_default=True,
    help="What to move: sessions with messages, collections with documents, or state keys.",
)
batch_option = click.option(
    "--batch-size", type=click.IntRange(min=1, max=100_000), default=500, show_default=True,
    help="Messages, documents or keys per read and write (memory stays bounded by it).",
)
progress_option = click.option("--no-progress", is_flag=True, help="No progress bar (it is off anyway when stderr is not a terminal).")


def selection_options(func: Any) -> Any:
    """The options that pick a part of a store (sessions, collections, keys)."""
    func = click.option("--prefix", "key_prefix", help="State: only keys starting with this prefix.")(func)
    func = click.option("--collection", "collections", multiple=True, help="Knowledge: only this collection (repeatable).")(func)
    func = click.option("--agent-id", help="Conversation: only this agent's sessions.")(func)
    func = click.option("--user-id", help="Conversation: only this user's sessions.")(func)
    func = click.option("--session-id", "session_ids", multiple=True, help="Conversation: only this session (repeatable).")(func)
    return func


def _selection(params: dict[str, Any]) -> Selection:
    return Selection(
        session_ids=list(params.pop("session_ids", ()) or ()), user_id=params.pop("user_id", None),
        agent_id=params.pop("agent_id", None), collections=list(params.pop("collections", ()) or ()),
        key_prefix=params.pop("key_prefix", None),
    )


def _report(verb: str, stats: TransferStats, as_json: bool, extra: dict[str, Any]) -> None:
    if as_json:
        emit_json({**stats.to_dict(), **extra})
        return
    rate = f" ({stats.records / stats.seconds:,.0f} {_ITEMS[stats.kind]}/s)" if stats.seconds > 0 and stats.records else ""
    line = f"{verb} {stats.containers:,} {_CONTAINERS[stats.kind]}, {stats.records:,} {_ITEMS[stats.kind]} in {stats.seconds:.1f} s{rate}"
    if stats.complete:
        line += f"; {stats.complete:,} already complete"
    if stats.resumed:
        line += f"; {stats.resumed:,} resumed"
    if stats.skipped:
        line += f"; {stats.skipped:,} expired meanwhile"
    click.echo(line)


@click.command()
@store_options("conversation", "knowledge", "state")
@kind_option
@selection_options
@click.option("--output", "-o", metavar="FILE",
              help="File to write ('-': stdout). Default: session-<ID>.jsonl for one --session-id, else <kind>-export.jsonl.")
@batch_option
@progress_option
@json_option
@handles_failures
def export(kind: str, output: str | None, batch_size: int, no_progress: bool, as_json: bool, **params: Any) -> None:
    """Export sessions (with messages), collections (with embeddings) or state keys to JSONL.

    Lossless: ids, timestamps, state, metadata, tool_calls and tool_call_id are kept exactly.
    Many sessions go in one file; the file is written under a temporary name and renamed when
    complete. The summary goes to stderr when the export goes to stdout.

    \b
    Examples:
      praisonai-persist export --conversation-url sqlite:///chat.db --session-id chat-1
      praisonai-persist export --conversation-url postgresql://app@db/app --user-id alice -o alice.jsonl
      praisonai-persist export --kind state --state-url redis://localhost:6379/0 --prefix user: -o -
    """
    sel = _selection(params)
    config = config_from_params(params)
    if output is None:
        output = f"session-{sel.session_ids[0]}.jsonl" if kind == "conversation" and len(sel.session_ids) == 1 \
            else f"{kind}-export.jsonl"
    with open_configured(kind, config) as store, ProgressBar("export", _ITEMS[kind], not no_progress) as bar:
        stats = export_store(kind, store, output, sel, batch_size, bar)
    if output == "-":
        if not as_json:
            click.echo(f"exported {stats.containers:,} {_CONTAINERS[kind]}, {stats.records:,} {_ITEMS[kind]}", err=True)
        return
    _report("exported", stats, as_json, {"file": output})


@click.command("import")
@store_options("conversation", "knowledge", "state")
@kind_option
@click.option("--file", "file", required=True, metavar="FILE", help="JSONL file written by export ('-': stdin).")
@batch_option
@progress_option
@json_option
@handles_failures
def import_(kind: str, file: str, batch_size: int, no_progress: bool, as_json: bool, **params: Any) -> None:
    """Import a JSONL export into a store; importing the same file twice changes nothing.

    Sessions are restored with their exact timestamps and fields, messages are keyed by id (an
    id already stored is not added again), documents are upserted, keys keep what is left of
    their TTL. PraisonAI's session export lines are read too.

    \b
    Examples:
      praisonai-persist import --file session-chat-1.jsonl --conversation-url sqlite:///chat.db
      praisonai-persist import --kind knowledge --file docs.jsonl --knowledge-url ./lancedb
    """
    config = config_from_params(params)
    with open_configured(kind, config) as store, ProgressBar("import", _ITEMS[kind], not no_progress) as bar:
        stats = import_file(kind, file, store, batch_size, bar)
    _report("imported", stats, as_json, {"file": file})


def _kind_of(url: str, backend: str | None) -> set[str]:
    """The kinds whose registry knows this backend name or URL scheme."""
    kinds = set()
    for kind in KINDS:
        registry = get_default_registry(kind)
        if (backend is not None and backend in registry) or (backend is None and registry.name_for_url(url)):
            kinds.add(kind)
    return kinds


@click.command()
@click.argument("src_url", metavar="SRC_URL")
@click.argument("dst_url", metavar="DST_URL")
@click.option("--kind", type=click.Choice(KINDS), help="conversation, knowledge or state (default: the kind both URLs belong to).")
@click.option("--src-store", metavar="NAME", help="Source backend name, when SRC_URL's scheme does not say (a path).")
@click.option("--dst-store", metavar="NAME", help="Destination backend name, when DST_URL's scheme does not say.")
@click.option("--src-option", multiple=True, metavar="KEY=VALUE", help="Source store option, repeatable (table_prefix=app_).")
@click.option("--dst-option", multiple=True, metavar="KEY=VALUE", help="Destination store option, repeatable.")
@selection_options
@batch_option
@progress_option
@json_option
def copy(src_url: str, dst_url: str, kind: str | None, src_store: str | None, dst_store: str | None,
         src_option: tuple[str, ...], dst_option: tuple[str, ...], batch_size: int, no_progress: bool, as_json: bool,
         **params: Any) -> None:
    """Copy sessions and messages, collections with embeddings, or state keys with their TTL.

    Works between any two backends of the same kind, streamed in batches (memory stays bounded),
    with a progress bar. Resumable and idempotent: after an interruption, run the same command
    again; sessions continue after the destination's newest message and nothing is duplicated.

    \b
    Examples:
      praisonai-persist copy sqlite:///chat.db postgresql://app@db/app
      praisonai-persist copy sqlite:///chat.db mysql://root@localhost/app --user-id alice
      praisonai-persist copy --kind knowledge ./lancedb chroma://localhost:8000 --src-store lancedb
      praisonai-persist copy redis://localhost:6379/0 memory --kind state --dst-option path=state.json
    """
    sel = _selection(params)
    with failures(src_url, dst_url):
        if kind is None:
            common = _kind_of(src_url, src_store) & _kind_of(dst_url, dst_store)
            if len(common) != 1:
                found = " and ".join(sorted(common)) if common else "no kind both URLs share"
                raise click.UsageError(f"Cannot tell what to copy ({found}); pass --kind conversation|knowledge|state.")
            kind = common.pop()
        src_opts, dst_opts = parse_options(src_option, "--src-option"), parse_options(dst_option, "--dst-option")
        if (src_url, src_store, src_opts) == (dst_url, dst_store, dst_opts):
            raise click.UsageError("Source and destination are the same store.")
        src = open_store(kind, src_store, src_url, src_opts)
        try:
            dst = open_store(kind, dst_store, dst_url, dst_opts)
            try:
                with ProgressBar(f"copy {kind}", _ITEMS[kind], not no_progress) as bar:
                    stats = copy_store(kind, src, dst, sel, batch_size, bar)
            finally:
                dst.close()
        finally:
            src.close()
    _report("copied", stats, as_json, {"source": mask_url(src_url), "destination": mask_url(dst_url)})

