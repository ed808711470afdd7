"""``praisonai-persist sessions list | show | delete``: look into and prune a conversation store."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from ..transfer.reading import list_session_ids
from .common import CliError, config_from_params, handles_failures, json_option, open_configured, store_options
from .output import emit_json, print_table, shorten

__all__ = ["sessions"]


def _when(epoch: float | None) -> str:
    if epoch is None:
        return "-"
    return dt.datetime.fromtimestamp(epoch).isoformat(sep=" ", timespec="seconds")


@click.group()
def sessions() -> None:
    """List, show and delete conversation sessions.

    \b
    Examples:
      praisonai-persist sessions list --conversation-url sqlite:///chat.db --user-id alice
      praisonai-persist sessions show --session-id chat-1 --limit 20
      praisonai-persist sessions delete --user-id bob --yes
    """


@sessions.command("list")
@store_options("conversation")
@click.option("--user-id", help="Only this user's sessions.")
@click.option("--agent-id", help="Only this agent's sessions.")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True, help="At most this many sessions.")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Skip this many first.")
@json_option
@handles_failures
def list_cmd(user_id: str | None, agent_id: str | None, limit: int, offset: int, as_json: bool, **params: Any) -> None:
    """Sessions, most recently updated first, with their message counts.

    \b
    Examples:
      praisonai-persist sessions list --conversation-url postgresql://app@db/app --limit 10
      praisonai-persist sessions list --user-id alice --json
    """
    config = config_from_params(params)
    with open_configured("conversation", config) as store:
        found = store.list_sessions(user_id=user_id, agent_id=agent_id, limit=limit, offset=offset)
        if as_json:
            emit_json({"sessions": [s.to_dict() for s in found]})
            return
        rows = [[s.session_id, s.user_id or "-", s.agent_id or "-", s.name or "-", _when(s.created_at),
                 _when(s.updated_at)] for s in found]
        print_table(["SESSION", "USER", "AGENT", "NAME", "CREATED", "UPDATED"], rows)
        if not found:
            click.echo("no sessions" + (" match these filters" if user_id or agent_id else ""), err=True)


@sessions.command("show")
@store_options("conversation")
@click.option("--session-id", required=True, help="The session to show.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the most recent N messages.")
@json_option
@handles_failures
def show_cmd(session_id: str, limit: int | None, as_json: bool, **params: Any) -> None:
    """A session's fields and its messages, oldest first (tool calls included).

    \b
    Examples:
      praisonai-persist sessions show --session-id chat-1 --conversation-url sqlite:///chat.db
      praisonai-persist sessions show --session-id chat-1 --limit 5 --json
    """
    config = config_from_params(params)
    with open_configured("conversation", config) as store:
        session = store.get_session(session_id)
        if session is None:
            raise CliError(f"Session {session_id!r} not found.")
        messages = store.get_messages(session_id, limit=limit)
    if as_json:
        emit_json({"session": session.to_dict(), "messages": [m.to_dict() for m in messages]})
        return
    click.echo(f"session {session.session_id}  user {session.user_id or '-'}  agent {session.agent_id or '-'}  "
               f"name {session.name or '-'}")
    click.echo(f"created {_when(session.created_at)}  updated {_when(session.updated_at)}")
    if session.state:
        click.echo(f"state {session.state}")
    rows = []
    for m in messages:
        extra = f" [tool_calls: {len(m.tool_calls)}]" if m.tool_calls else ""
        extra += f" [tool_call_id: {m.tool_call_id}]" if m.tool_call_id else ""
        rows.append([_when(m.created_at), m.role, shorten(m.content or "") + extra])
    print_table(["TIME", "ROLE", "CONTENT"], rows)


@sessions.command("delete")
@store_options("conversation")
@click.option("--session-id", "session_ids", multiple=True, help="A session to delete (repeatable).")
@click.option("--user-id", help="Delete every session of this user.")
@click.option("--agent-id", help="Delete every session of this agent.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@json_option
@handles_failures
def delete_cmd(session_ids: tuple[str, ...], user_id: str | None, agent_id: str | None, yes: bool, as_json: bool,
               **params: Any) -> None:
    """Delete sessions with all their messages, by id or by user / agent.

    Asks for confirmation unless --yes is given (required when stdin is not a terminal).
    Exits 1 if a named session does not exist (the others are still deleted).

    \b
    Examples:
      praisonai-persist sessions delete --session-id chat-1 --session-id chat-2 --yes
      praisonai-persist sessions delete --user-id bob --agent-id support --yes --json
    """
    if not session_ids and user_id is None and agent_id is None:
        raise click.UsageError("Name the sessions to delete: --session-id, --user-id and/or --agent-id.")
    config = config_from_params(params)
    with open_configured("conversation", config) as store:
        targets = list(session_ids)
        if user_id is not None or agent_id is not None:
            matched = list_session_ids(store, user_id, agent_id)
            targets = [t for t in targets if t in matched] if session_ids else matched
        if targets and not yes:
            if not sys.stdin.isatty():
                raise click.UsageError(f"Refusing to delete {len(targets)} session(s) without --yes (stdin is not a terminal).")
            click.confirm(f"Delete {len(targets)} session(s) and all their messages?", abort=True)
        deleted: list[str] = []
        missing: list[str] = []
        for sid in targets:
            (deleted if store.delete_session(sid) else missing).append(sid)
    if as_json:
        emit_json({"deleted": deleted, "missing": missing})
    else:
        click.echo(f"deleted {len(deleted)} session(s)")
        for sid in missing:
            click.echo(f"not found: {sid}", err=True)
    if missing:
        raise SystemExit(1)
