"""``praisonai-persist run`` / ``resume``: one agent turn over a persisted session (PraisonAI's option names).

A turn loads the session's recent history, sends ``[system instructions] + history + prompt`` to
the agent (``--agent module:attr`` or an OpenAI-compatible endpoint), then stores the prompt and
every reply message in ONE ``add_messages`` call: a failed agent call stores nothing, and a retry
never leaves a dangling user message. A new session is only created once the agent has replied.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from ..backends.sqlite import SQLITE_SCHEMES
from ..config import KINDS, PersistenceConfig
from ..models import ConversationMessage, ConversationSession
from ..runtime_state import visible_messages
from ..urls import local_path, mask_url, scheme_of
from .agents import DEFAULT_BASE_URL, DEFAULT_MODEL, Agent, ChatCompletionsAgent, load_agent, normalize_reply
from .common import CliError, config_from_params, handles_failures, json_option, open_configured, store_options
from .output import emit_json, shorten

__all__ = ["resume", "run"]

_F = TypeVar("_F", bound=Callable[..., Any])
DEFAULT_LIMIT = 50
DEFAULT_USER = "default"
_FILE_SCHEMES = (*SQLITE_SCHEMES, "json", "file")


# -- options ---------------------------------------------------------------------------------

def turn_options(func: _F) -> _F:
    """The agent, endpoint, history and dry-run options ``run`` and ``resume --continue`` share."""
    options = [
        click.option("--agent-name", default="Assistant", show_default=True,
                     help="Agent name (the agent id of a session created by this turn)."),
        click.option("--agent-instructions", default="You are a helpful assistant.", show_default=True,
                     help="System instructions sent first (not stored)."),
        click.option("--agent", "agent_spec", metavar="MODULE:ATTR",
                     help="Python callable taking the message dicts and returning a str, a message dict "
                     "or a list of them (tool calls, tool results, final answer)."),
        click.option("--base-url", envvar="OPENAI_BASE_URL", metavar="URL",
                     help=f"OpenAI-compatible endpoint; POST URL/chat/completions (env OPENAI_BASE_URL; "
                     f"default {DEFAULT_BASE_URL} when --model or --api-key is given)."),
        click.option("--model", envvar=["OPENAI_MODEL_NAME", "OPENAI_MODEL"], metavar="NAME",
                     help=f"Model name (env OPENAI_MODEL_NAME / OPENAI_MODEL; default {DEFAULT_MODEL})."),
        click.option("--api-key", envvar="OPENAI_API_KEY", metavar="KEY",
                     help="Bearer key for the endpoint (env OPENAI_API_KEY); never printed."),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=120.0, show_default=True,
                     metavar="SECONDS", help="HTTP timeout of the chat-completions request."),
        click.option("--limit", type=click.IntRange(min=0), default=DEFAULT_LIMIT, show_default=True,
                     metavar="N", help="How many recent messages of history go to the agent (and are shown)."),
        click.option("--dry-run", is_flag=True,
                     help="Show the session, stores and messages that would be sent; store nothing, call nothing."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _masks_api_key(func: _F) -> _F:
    """Remove the ``api_key`` parameter's value from any error message (the endpoint may echo it)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except click.ClickException as exc:
            key = kwargs.get("api_key")
            if key and key in exc.message:
                setattr(exc, "message", exc.message.replace(key, "***"))  # noqa: B010 (message is Final to mypy)
            raise

    return wrapper  # type: ignore[return-value]


# -- the turn --------------------------------------------------------------------------------

@dataclass
class Turn:
    """What one turn needs besides the session: the agent and how to talk to it."""

    agent_spec: str | None
    base_url: str | None
    model: str | None
    api_key: str | None
    timeout: float
    agent_name: str
    instructions: str
    limit: int
    dry_run: bool

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Turn:
        return cls(params["agent_spec"], params["base_url"], params["model"], params["api_key"], params["timeout"],
                   params["agent_name"], params["agent_instructions"], params["limit"], params["dry_run"])

    def _endpoint(self) -> ChatCompletionsAgent | None:
        if self.base_url or self.model or self.api_key:
            return ChatCompletionsAgent(self.base_url or DEFAULT_BASE_URL, self.model or DEFAULT_MODEL,
                                        self.api_key, self.timeout)
        return None

    def describe_agent(self) -> dict[str, Any]:
        if self.agent_spec:
            return {"type": "callable", "spec": self.agent_spec}
        endpoint = self._endpoint()
        if endpoint is None:
            raise CliError("No agent given: pass --agent MODULE:ATTR, or --base-url / --model for an "
                           "OpenAI-compatible endpoint (env OPENAI_BASE_URL, OPENAI_MODEL_NAME, OPENAI_API_KEY).")
        return endpoint.describe()

    def agent(self) -> Agent:
        """The agent to call (imports ``--agent``'s module)."""
        self.describe_agent()  # the "no agent" error
        if self.agent_spec:
            return load_agent(self.agent_spec)
        endpoint = self._endpoint()
        assert endpoint is not None
        return endpoint


def _wire(message: ConversationMessage) -> dict[str, Any]:
    """A stored message as the agent sees it."""
    out: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.tool_calls:
        out["tool_calls"] = message.tool_calls
    if message.tool_call_id:
        out["tool_call_id"] = message.tool_call_id
    return out


def recent_history(store: Any, session_id: str, limit: int) -> list[ConversationMessage]:
    """The most recent ``limit`` chat messages, oldest first, runtime-state records skipped."""
    if limit <= 0:
        return []
    fetch = limit
    while True:
        messages = store.get_messages(session_id, limit=fetch)
        chat = visible_messages(messages)
        if len(chat) >= limit or len(messages) < fetch:
            return chat[-limit:]
        fetch += len(messages) - len(chat)


def _missing_local_store(config: PersistenceConfig) -> bool:
    """True when the conversation store is a local file or directory that does not exist yet.

    ``--dry-run`` then reads nothing instead of opening the store (which would create it).
    """
    backend, url, _ = config.store_spec("conversation")
    if url is None:
        return False
    scheme = scheme_of(url)
    if scheme is not None and scheme not in _FILE_SCHEMES:
        return False
    if backend is not None and scheme is None and backend.lower() not in (*_FILE_SCHEMES, "async_sqlite"):
        return False
    try:
        path = local_path(url)
    except ValueError:
        return False
    return bool(path) and path != ":memory:" and not os.path.exists(path)  # type: ignore[arg-type]


def _new_session(session_id: str, user_id: str, agent_name: str) -> ConversationSession:
    return ConversationSession(session_id=session_id, user_id=user_id, agent_id=agent_name,
                               name=f"Session {session_id[:8]}", metadata={"created_by": "praisonai-persist run"})


def _create_session(store: Any, session: ConversationSession) -> bool:
    """Create ``session``; ``False`` when another writer created it meanwhile."""
    try:
        store.create_session(session)
    except Exception:
        if store.get_session(session.session_id) is None:
            raise
        return False
    return True


def _call_agent(agent: Agent, messages: list[dict[str, Any]], turn: Turn) -> list[dict[str, Any]]:
    try:
        reply = agent([dict(m) for m in messages])
    except (click.ClickException, click.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        raise CliError(f"agent {turn.agent_spec or ''} failed: {type(exc).__name__}: {exc}".replace("  ", " ")) from None
    try:
        return normalize_reply(reply)
    except ValueError as exc:
        raise CliError(f"agent reply rejected, nothing stored: {exc}") from None


def one_turn(store: Any, session_id: str, session: ConversationSession | None, prompt: str, user_id: str,
             turn: Turn, agent: Agent) -> dict[str, Any]:
    """Send history + ``prompt`` to ``agent``; store prompt and replies in one call. The JSON result."""
    history = recent_history(store, session_id, turn.limit) if session is not None else []
    sent = [{"role": "system", "content": turn.instructions}, *map(_wire, history),
            {"role": "user", "content": prompt}]
    user_message = ConversationMessage(session_id=session_id, role="user", content=prompt)
    replies = _call_agent(agent, sent, turn)
    reply_messages = [ConversationMessage(session_id=session_id, **r) for r in replies]
    created = False
    if session is None:
        created = _create_session(store, _new_session(session_id, user_id, turn.agent_name))
    stored = store.add_messages(session_id, [user_message, *reply_messages])
    assistant = [r for r in replies if r["role"] == "assistant"] or replies
    return {"session_id": session_id, "created": created, "reply": assistant[-1]["content"],
            "stored": len(stored), "history": len(history),
            "messages": [m.to_dict() for m in stored]}


def dry_run_plan(config: PersistenceConfig, store: Any, session_id: str, session: ConversationSession | None,
                 prompt: str, user_id: str, turn: Turn) -> dict[str, Any]:
    """What a turn would do; reads only."""
    history = recent_history(store, session_id, turn.limit) if store is not None and session is not None else []
    stores = {}
    for kind in KINDS:
        backend, url, _ = config.store_spec(kind)
        stores[kind] = {"backend": backend, "url": mask_url(url) or None}
    return {
        "dry_run": True, "session_id": session_id, "session_exists": session is not None,
        "user_id": session.user_id if session is not None else user_id,
        "agent_name": turn.agent_name, "agent": turn.describe_agent(), "stores": stores,
        "history": len(history), "limit": turn.limit,
        "messages": [{"role": "system", "content": turn.instructions}, *map(_wire, history),
                     {"role": "user", "content": prompt}],
    }


def _message_line(m: dict[str, Any]) -> str:
    role = m["role"] + (f" {m['tool_call_id']}" if m.get("tool_call_id") else "")
    line = f"[{role}] {m['content']}"
    if m.get("tool_calls"):
        names = [str((c.get("function") or {}).get("name") or c.get("name") or c.get("id") or "?")
                 for c in m["tool_calls"]]
        line += f" (tool calls: {', '.join(names)})"
    return line


def _echo_plan(plan: dict[str, Any]) -> None:
    click.echo("Dry run: nothing is stored and no agent is called.")
    state = "existing" if plan["session_exists"] else "new, would be created"
    click.echo(f"session:      {plan['session_id']} ({state}; user {plan['user_id']}, agent {plan['agent_name']})")
    for kind, spec in plan["stores"].items():
        shown = " ".join(x for x in (spec["backend"], spec["url"]) if x) or "-"
        click.echo(f"{kind + ':':<13} {shown}")
    agent = plan["agent"]
    if agent["type"] == "callable":
        click.echo(f"agent:        {agent['spec']}")
    else:
        click.echo(f"agent:        POST {agent['endpoint']} (model {agent['model']}, API key {agent['api_key']})")
    click.echo(f"history:      {plan['history']} message(s) (limit {plan['limit']})")
    click.echo(f"messages that would be sent ({len(plan['messages'])}):")
    for m in plan["messages"]:
        click.echo("  " + shorten(_message_line(m), 200))


def _session_or_none(store: Any, session_id: str) -> ConversationSession | None:
    return None if store is None else store.get_session(session_id)


def _open_for(config: PersistenceConfig, dry_run: bool) -> Any:
    """The conversation store; ``None`` for a dry run on a local store that does not exist yet."""
    if dry_run and _missing_local_store(config):
        return None
    return open_configured("conversation", config)


# -- commands ---------------------------------------------------------------------------------

@click.command()
@click.argument("prompt")
@click.option("--session-id", envvar="PRAISONAI_SESSION_ID", metavar="ID",
              help="Session to continue or create (env PRAISONAI_SESSION_ID); a new id is generated and printed "
              "when absent.")
@click.option("--user-id", envvar="PRAISONAI_USER_ID", metavar="ID",
              help=f"User of a new session (env PRAISONAI_USER_ID; default {DEFAULT_USER!r}).")
@store_options(*KINDS)
@turn_options
@json_option
@_masks_api_key
@handles_failures
def run(prompt: str, session_id: str | None, user_id: str | None, as_json: bool, **params: Any) -> None:
    """Run one agent turn on a persisted session: history in, prompt and reply stored.

    The agent gets the system instructions, the session's recent history (--limit) and PROMPT. The
    prompt and every reply message (tool calls and tool results included) are stored together once
    the agent has answered, so a failed call stores nothing. The reply is printed on stdout, the
    session id on stderr (--json: one document with both). Only the conversation store is used;
    --knowledge-url / --state-url are accepted for compatibility and shown by --dry-run.

    \b
    Examples:
      praisonai-persist run "Hi, I am Ana" --conversation-url sqlite:///chat.db --session-id s1 \\
          --agent myagents:reply
      OPENAI_API_KEY=... praisonai-persist run "What is my name?" --session-id s1 \\
          --conversation-url postgresql://user:pw@db/app --model gpt-4o-mini
      praisonai-persist run "hello" --base-url http://127.0.0.1:11434/v1 --model llama3.2 \\
          --conversation-url sqlite:///chat.db --dry-run
    """
    params.update(session_id=session_id, user_id=user_id)
    config = config_from_params(params)
    turn = Turn.from_params(params)
    sid = session_id or config.session_id or str(uuid.uuid4())
    user = user_id or config.user_id or DEFAULT_USER
    agent = None if turn.dry_run else turn.agent()  # a bad --agent fails before any store is opened
    if turn.dry_run:
        turn.describe_agent()
    store = _open_for(config, turn.dry_run)
    try:
        session = _session_or_none(store, sid)
        if turn.dry_run:
            plan = dry_run_plan(config, store, sid, session, prompt, user, turn)
            if as_json:
                emit_json(plan)
            else:
                _echo_plan(plan)
            return
        assert agent is not None
        result = one_turn(store, sid, session, prompt, user, turn, agent)
    finally:
        if store is not None:
            store.close()
    result.update(user_id=session.user_id if session is not None else user, agent_name=turn.agent_name)
    if as_json:
        emit_json(result)
    else:
        click.echo(f"session: {sid}{' (new)' if result['created'] else ''}", err=True)
        click.echo(result["reply"])


@click.command()
@click.option("--session-id", envvar="PRAISONAI_SESSION_ID", required=True, metavar="ID",
              help="Session to resume (env PRAISONAI_SESSION_ID).")
@click.option("--show-history", is_flag=True, help="Print the recent history (--limit messages).")
@click.option("--continue", "continue_prompt", metavar="PROMPT", help="Run one agent turn with PROMPT on the session.")
@store_options(*KINDS)
@turn_options
@json_option
@_masks_api_key
@handles_failures
def resume(session_id: str, show_history: bool, continue_prompt: str | None, as_json: bool, **params: Any) -> None:
    """Resume a stored session: show its history and/or continue it with one agent turn.

    A missing session is an error (exit 1); use `run` to start one. Without --show-history or
    --continue the session's details are printed. --continue takes the same agent options as `run`.

    \b
    Examples:
      praisonai-persist resume --session-id s1 --conversation-url sqlite:///chat.db --show-history
      praisonai-persist resume --session-id s1 --show-history --json --limit 10
      praisonai-persist resume --session-id s1 --continue "And now?" --agent myagents:reply
    """
    params.update(session_id=session_id)
    config = config_from_params(params)
    turn = Turn.from_params(params)
    agent = turn.agent() if continue_prompt is not None and not turn.dry_run else None
    if continue_prompt is not None and turn.dry_run:
        turn.describe_agent()
    store = _open_for(config, turn.dry_run)
    try:
        session = _session_or_none(store, session_id)
        if session is None:
            raise CliError(f"session {session_id} not found")
        history = recent_history(store, session_id, turn.limit) if show_history else []
        result: dict[str, Any] = {"session_id": session_id, "session": session.to_dict()}
        if show_history:
            result["history"] = [m.to_dict() for m in history]
        if continue_prompt is not None:
            if turn.dry_run:
                result["turn"] = dry_run_plan(config, store, session_id, session, continue_prompt,
                                              session.user_id or DEFAULT_USER, turn)
            else:
                assert agent is not None
                result["turn"] = one_turn(store, session_id, session, continue_prompt,
                                          session.user_id or DEFAULT_USER, turn, agent)
    finally:
        if store is not None:
            store.close()
    if as_json:
        emit_json(result)
        return
    if show_history:
        click.echo(f"session {session_id}: {len(history)} message(s)" + (" (limit reached)" if len(history) == turn.limit
                                                                         and turn.limit else ""))
        for m in history:
            click.echo(_message_line(m.to_dict()))
    if continue_prompt is None:
        if not show_history:
            click.echo(f"session {session_id}: user {session.user_id or '-'}, agent {session.agent_id or '-'}, "
                       f"name {session.name or '-'}")
            click.echo("pass --show-history to print it, --continue PROMPT to run a turn")
        return
    if turn.dry_run:
        _echo_plan(result["turn"])
    else:
        click.echo(result["turn"]["reply"])
