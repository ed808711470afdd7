"""The agents ``run`` and ``resume`` talk to: a Python callable (``--agent module:attr``) or an
OpenAI-compatible chat-completions endpoint (plain ``urllib``, no extra dependency).

An agent takes the list of message dicts (``{"role", "content", "tool_calls"?, "tool_call_id"?}``)
and returns the reply: a string, one message dict, or a list of them (for example an assistant
message with ``tool_calls``, the tool messages answering them, then the final assistant message).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

import click

from ..urls import mask_url, redact
from .common import CliError

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MODEL",
    "Agent",
    "ChatCompletionsAgent",
    "load_agent",
    "normalize_reply",
]

Agent = Callable[[list[dict[str, Any]]], Any]

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_MODEL = "gpt-4o-mini"
_EXCERPT = 300
_KNOWN_KEYS = ("role", "content", "tool_calls", "tool_call_id")


def load_agent(spec: str) -> Agent:
    """The callable ``module:attr`` names (``attr`` may be dotted); the current directory is importable."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name.strip() or not attr.strip():
        raise click.BadParameter(f"expected module:attr, got {spec!r}", param_hint="--agent")
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())  # like `python -m`: modules next to the user are found
    try:
        target: Any = importlib.import_module(module_name.strip())
    except ImportError as exc:
        raise click.BadParameter(f"cannot import {module_name!r}: {exc}", param_hint="--agent") from None
    for part in attr.strip().split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise click.BadParameter(f"{module_name!r} has no attribute {attr!r}", param_hint="--agent") from None
    if not callable(target):
        raise click.BadParameter(f"{spec!r} is not callable", param_hint="--agent")
    return target  # type: ignore[no-any-return]


class ChatCompletionsAgent:
    """``POST {base_url}/chat/completions`` with ``{"model", "messages"}``; the reply is ``choices[0].message``.

    The API key goes in the ``Authorization`` header only; every error message has it masked.
    """

    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 120.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self._api_key = api_key or None
        self.timeout = timeout

    @property
    def endpoint(self) -> str:
        return f"{self.base_url}/chat/completions"

    def describe(self) -> dict[str, Any]:
        """What ``--dry-run`` shows: endpoint (masked), model, whether a key is set (never the key)."""
        return {"type": "chat-completions", "endpoint": mask_url(self.endpoint), "model": self.model,
                "api_key": "set" if self._api_key else "not set", "timeout": self.timeout}

    def mask(self, text: str) -> str:
        """``text`` without the API key or the endpoint's own secrets."""
        if self._api_key:
            text = text.replace(self._api_key, "***")
        return redact(text, self.endpoint)

    def __call__(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        body = json.dumps({"model": self.model, "messages": messages}).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json",
                   "User-Agent": "praisonai-persist"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        request = urllib.request.Request(self.endpoint, data=body, headers=headers, method="POST")
        where = mask_url(self.endpoint)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (user's URL)
                raw = response.read()
        except urllib.error.HTTPError as exc:
            excerpt = _excerpt(exc.read() if exc.fp is not None else b"")
            raise CliError(self.mask(f"chat completions request to {where} failed: HTTP {exc.code} "
                                     f"{exc.reason}" + (f": {excerpt}" if excerpt else ""))) from None
        except TimeoutError:
            raise CliError(self.mask(f"chat completions request to {where} timed out after {self.timeout:g}s")) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise CliError(self.mask(f"chat completions request to {where} timed out after "
                                         f"{self.timeout:g}s")) from None
            raise CliError(self.mask(f"cannot reach {where}: {exc.reason}")) from None
        except OSError as exc:
            raise CliError(self.mask(f"chat completions request to {where} failed: {exc}")) from None
        try:
            message = json.loads(raw)["choices"][0]["message"]
            if not isinstance(message, dict):
                raise TypeError("message is not an object")
        except (ValueError, LookupError, TypeError) as exc:
            raise CliError(self.mask(f"unexpected chat completions response from {where} ({exc}): "
                                     f"{_excerpt(raw)}")) from None
        reply = {"role": message.get("role") or "assistant", "content": message.get("content")}
        if message.get("tool_calls"):
            reply["tool_calls"] = message["tool_calls"]
        return reply


def _excerpt(raw: bytes) -> str:
    text = " ".join(raw.decode("utf-8", "replace").split())
    return text if len(text) <= _EXCERPT else text[:_EXCERPT] + "..."


def normalize_reply(reply: Any) -> list[dict[str, Any]]:
    """The agent's reply as message dicts ``{"role", "content", "tool_calls", "tool_call_id", "metadata"}``.

    A string is one assistant message; ``content`` ``None`` (an assistant message that only calls
    tools) becomes ``""``; keys other than the four message fields go to ``metadata``.
    Raises :class:`ValueError` naming what is wrong.
    """
    items: Sequence[Any] = reply if isinstance(reply, (list, tuple)) else [reply]
    if not items:
        raise ValueError("the agent returned no message")
    messages = []
    for i, item in enumerate(items):
        where = f"reply message {i}" if len(items) > 1 else "reply"
        if isinstance(item, str):
            item = {"role": "assistant", "content": item}
        if not isinstance(item, dict):
            raise ValueError(f"{where} must be a string or a dict, got {type(item).__name__}")
        role = item.get("role") or "assistant"
        content = item.get("content")
        content = "" if content is None else content
        tool_calls = item.get("tool_calls") or None
        tool_call_id = item.get("tool_call_id")
        if not isinstance(role, str):
            raise ValueError(f"{where}: role must be a string, got {type(role).__name__}")
        if not isinstance(content, str):
            raise ValueError(f"{where}: content must be a string, got {type(content).__name__}")
        if tool_calls is not None and not (isinstance(tool_calls, list) and all(isinstance(c, dict) for c in tool_calls)):
            raise ValueError(f"{where}: tool_calls must be a list of dicts")
        if tool_call_id is not None and not isinstance(tool_call_id, str):
            raise ValueError(f"{where}: tool_call_id must be a string, got {type(tool_call_id).__name__}")
        extra = {k: v for k, v in item.items() if k not in _KNOWN_KEYS and k != "metadata"}
        metadata = dict(item["metadata"]) if isinstance(item.get("metadata"), dict) else {}
        metadata.update(extra)
        try:
            json.dumps([tool_calls, metadata])
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where}: not JSON-serialisable ({exc})") from None
        messages.append({"role": role, "content": content, "tool_calls": tool_calls,
                         "tool_call_id": tool_call_id, "metadata": metadata or None})
    return messages
