"""``praisonai-persist run`` / ``resume`` in subprocesses: a local callable agent and a local chat-completions server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from .conftest import Run, ok_json

AGENT_MODULE = '''
import json, os

TOOL_CALL = {"id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": "{\\"q\\": \\"ana\\"}"}}


def reply(messages):
    with open(os.environ["AGENT_LOG"], "a") as log:
        log.write(json.dumps(messages) + "\\n")
    prompt = messages[-1]["content"]
    if "fail" in prompt:
        raise RuntimeError("boom")
    if "bad" in prompt:
        return 42
    if "tool" in prompt:
        return [
            {"role": "assistant", "content": None, "tool_calls": [TOOL_CALL]},
            {"role": "tool", "tool_call_id": "call_1", "content": "Ana likes tea", "name": "lookup"},
            {"role": "assistant", "content": "Ana likes tea."},
        ]
    return f"echo: {prompt} (saw {len(messages)})"
'''

SECRET = "sk-test-Zq9SuperSecretKey"


@pytest.fixture
def agent_env(tmp_path: Path) -> dict[str, str]:
    """PYTHONPATH holding ``fakeagent`` (a callable agent) and AGENT_LOG, where it logs what it received."""
    (tmp_path / "fakeagent.py").write_text(AGENT_MODULE)
    return {"PYTHONPATH": str(tmp_path), "AGENT_LOG": str(tmp_path / "agent.log")}


def agent_calls(env: dict[str, str]) -> list[list[dict[str, Any]]]:
    path = Path(env["AGENT_LOG"])
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def history(cli: Run, url: str, sid: str, *extra: str) -> list[dict[str, Any]]:
    data = ok_json(cli("resume", "--session-id", sid, "--conversation-url", url, "--show-history", "--json", *extra))
    return data["history"]  # type: ignore[no-any-return]


def test_help_has_examples(cli: Run) -> None:
    for command in ("run", "resume"):
        proc = cli(command, "--help")
        assert proc.returncode == 0 and "Examples:" in proc.stdout
        assert "--session-id" in proc.stdout and "--conversation-url" in proc.stdout
    assert "--agent-instructions" in cli("run", "--help").stdout


def test_callable_agent_history_and_tool_messages(cli: Run, sql_url: str, agent_env: dict[str, str]) -> None:
    base = ["--session-id", "s1", "--conversation-url", sql_url, "--agent", "fakeagent:reply", "--json"]
    first = ok_json(cli("run", "Hi, I am Ana", *base, "--user-id", "u7", "--agent-name", "Bot", env=agent_env))
    assert first["session_id"] == "s1" and first["created"] is True
    assert first["reply"] == "echo: Hi, I am Ana (saw 2)"
    assert (first["stored"], first["history"]) == (2, 0)

    second = ok_json(cli("run", "use the tool", *base, "--agent-instructions", "Be brief.", env=agent_env))
    assert (second["reply"], second["stored"], second["history"], second["created"]) == ("Ana likes tea.", 4, 2, False)
    sent = agent_calls(agent_env)[1]
    assert sent == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi, I am Ana"},
        {"role": "assistant", "content": "echo: Hi, I am Ana (saw 2)"},
        {"role": "user", "content": "use the tool"},
    ]

    stored = history(cli, sql_url, "s1")
    assert [m["role"] for m in stored] == ["user", "assistant", "user", "assistant", "tool", "assistant"]
    assert stored[3]["tool_calls"][0]["id"] == "call_1" and stored[3]["content"] == ""
    assert stored[3]["tool_calls"][0]["function"] == {"name": "lookup", "arguments": '{"q": "ana"}'}
    assert stored[4]["tool_call_id"] == "call_1" and stored[4]["metadata"] == {"name": "lookup"}

    # The third turn sees the tool exchange as the API expects it; --limit keeps the most recent messages.
    ok_json(cli("run", "and now?", *base, "--limit", "3", env=agent_env))
    sent = agent_calls(agent_env)[2]
    assert sent[1:] == [
        {"role": "assistant", "content": "", "tool_calls": stored[3]["tool_calls"]},
        {"role": "tool", "content": "Ana likes tea", "tool_call_id": "call_1"},
        {"role": "assistant", "content": "Ana likes tea."},
        {"role": "user", "content": "and now?"},
    ]
    data = ok_json(cli("resume", "--session-id", "s1", "--conversation-url", sql_url, "--json"))
    assert data["session"]["user_id"] == "u7" and data["session"]["agent_id"] == "Bot"
    assert len(history(cli, sql_url, "s1", "--limit", "100")) == 8


def test_text_output_and_generated_session_id(cli: Run, tmp_path: Path, agent_env: dict[str, str]) -> None:
    url = f"sqlite:///{tmp_path}/chat.db"
    proc = cli("run", "hello", "--conversation-url", url, "--agent", "fakeagent:reply", env=agent_env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "echo: hello (saw 2)\n"
    assert proc.stderr.startswith("session: ") and "(new)" in proc.stderr
    sid = proc.stderr.split()[1]
    assert [m["content"] for m in history(cli, url, sid)] == ["hello", "echo: hello (saw 2)"]
    data = ok_json(cli("resume", "--session-id", sid, "--conversation-url", url, "--json"))
    assert data["session"]["user_id"] == "default" and data["session"]["agent_id"] == "Assistant"
    # PRAISONAI_SESSION_ID and PRAISONAI_USER_ID are honoured.
    env = {**agent_env, "PRAISONAI_SESSION_ID": "from-env", "PRAISONAI_USER_ID": "envuser",
           "PRAISONAI_CONVERSATION_URL": url}
    assert ok_json(cli("run", "x", "--agent", "fakeagent:reply", "--json", env=env))["session_id"] == "from-env"
    assert ok_json(cli("resume", "--json", env=env))["session"]["user_id"] == "envuser"


def test_failed_agent_stores_nothing(cli: Run, tmp_path: Path, agent_env: dict[str, str]) -> None:
    url = f"sqlite:///{tmp_path}/chat.db"
    base = ["--session-id", "s1", "--conversation-url", url, "--agent", "fakeagent:reply"]
    proc = cli("run", "please fail", *base, env=agent_env)
    assert proc.returncode == 1 and "RuntimeError: boom" in proc.stderr
    missing = cli("resume", "--session-id", "s1", "--conversation-url", url)
    assert missing.returncode == 1 and "session s1 not found" in missing.stderr  # not even an empty session
    assert cli("run", "hi", *base, env=agent_env).returncode == 0
    for prompt in ("fail again", "bad reply"):
        proc = cli("run", prompt, *base, env=agent_env)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "must be a string or a dict" in proc.stderr
    assert [m["content"] for m in history(cli, url, "s1")] == ["hi", "echo: hi (saw 2)"]


def test_agent_option_errors(cli: Run, tmp_path: Path, agent_env: dict[str, str]) -> None:
    url = f"sqlite:///{tmp_path}/chat.db"
    for spec in ("nocolon", "no_such_module_xyz:f", "fakeagent:missing"):
        proc = cli("run", "hi", "--conversation-url", url, "--agent", spec, env=agent_env)
        assert proc.returncode == 2 and "--agent" in proc.stderr, proc.stderr
    proc = cli("run", "hi", "--conversation-url", url)
    assert proc.returncode == 1 and "No agent given" in proc.stderr
    proc = cli("run", "hi", "--agent", "fakeagent:reply", env=agent_env)
    assert proc.returncode == 1 and "--conversation-url" in proc.stderr
    assert not (tmp_path / "chat.db").exists()


def test_resume_show_history_and_continue(cli: Run, tmp_path: Path, agent_env: dict[str, str]) -> None:
    url = f"sqlite:///{tmp_path}/chat.db"
    agent = ["--agent", "fakeagent:reply"]
    ok_json(cli("run", "Hi", "--session-id", "s1", "--conversation-url", url, *agent, "--json", env=agent_env))
    ok_json(cli("run", "tool please", "--session-id", "s1", "--conversation-url", url, *agent, "--json", env=agent_env))

    proc = cli("resume", "--session-id", "s1", "--conversation-url", url, "--show-history")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "session s1: 6 message(s)"
    assert lines[1:] == ["[user] Hi", "[assistant] echo: Hi (saw 2)", "[user] tool please",
                         "[assistant]  (tool calls: lookup)", "[tool call_1] Ana likes tea", "[assistant] Ana likes tea."]
    full = history(cli, url, "s1", "--limit", "2")
    assert [m["role"] for m in full] == ["tool", "assistant"] and {"id", "created_at", "metadata"} <= set(full[0])

    proc = cli("resume", "--session-id", "s1", "--conversation-url", url, "--continue", "more", *agent, env=agent_env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "echo: more (saw 8)\n"
    data = ok_json(cli("resume", "--session-id", "s1", "--conversation-url", url, "--show-history", "--continue",
                       "again", *agent, "--json", env=agent_env))
    assert len(data["history"]) == 8 and data["turn"]["stored"] == 2 and data["turn"]["history"] == 8
    assert data["turn"]["reply"] == "echo: again (saw 10)"

    for args in (["--show-history"], ["--continue", "hi", *agent]):
        proc = cli("resume", "--session-id", "nope", "--conversation-url", url, *args, env=agent_env)
        assert proc.returncode == 1 and "session nope not found" in proc.stderr
    assert len(agent_calls(agent_env)) == 4  # the missing session called no agent
    proc = cli("resume", "--conversation-url", url)
    assert proc.returncode == 2 and "--session-id" in proc.stderr


def test_dry_run_writes_and_calls_nothing(cli: Run, tmp_path: Path, agent_env: dict[str, str]) -> None:
    db = tmp_path / "chat.db"
    url = f"sqlite:///{db}"
    base = ["--session-id", "s1", "--conversation-url", url, "--agent", "fakeagent:reply"]
    proc = cli("run", "hello", *base, "--dry-run", env=agent_env)
    assert proc.returncode == 0, proc.stderr
    assert "Dry run" in proc.stdout and "s1 (new" in proc.stdout and "[user] hello" in proc.stdout
    assert not db.exists() and agent_calls(agent_env) == []

    ok_json(cli("run", "first", *base, "--json", env=agent_env))
    secret_state = "redis://:Pw0rdSecret1@127.0.0.1:6379/0"
    plan = ok_json(cli("run", "second", *base, "--dry-run", "--json", "--agent-instructions", "Sys",
                       "--state-url", secret_state, env=agent_env))
    assert plan["dry_run"] and plan["session_exists"] and plan["history"] == 2
    assert plan["messages"] == [{"role": "system", "content": "Sys"}, {"role": "user", "content": "first"},
                                {"role": "assistant", "content": "echo: first (saw 2)"},
                                {"role": "user", "content": "second"}]
    assert "Pw0rdSecret1" not in json.dumps(plan) and "***" in plan["stores"]["state"]["url"]
    proc = cli("resume", "--session-id", "s1", "--conversation-url", url, "--continue", "third", "--dry-run",
               "--agent", "fakeagent:reply", env=agent_env)
    assert proc.returncode == 0 and "[user] third" in proc.stdout
    assert len(agent_calls(agent_env)) == 1 and len(history(cli, url, "s1")) == 2


# -- an OpenAI-compatible server ----------------------------------------------------------------

class FakeOpenAI:
    """A chat-completions endpoint on 127.0.0.1: records requests, answers from a queue."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.replies: list[tuple[int, dict[str, Any]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status, payload = fake.replies.pop(0)
                if status != 200:  # a careless server echoing the credentials back
                    payload = {"error": {"message": f"boom, header was {self.headers['Authorization']}"}}
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reply(self, message: dict[str, Any], status: int = 200) -> None:
        self.replies.append((status, {"id": "x", "object": "chat.completion",
                                      "choices": [{"index": 0, "message": message, "finish_reason": "stop"}]}))


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def test_chat_completions_endpoint(cli: Run, sql_url: str, openai_server: FakeOpenAI) -> None:
    base = ["--session-id", "s1", "--conversation-url", sql_url, "--base-url", openai_server.base_url,
            "--model", "m-test", "--api-key", SECRET, "--json"]
    openai_server.reply({"role": "assistant", "content": "Hello Ana"})
    first = ok_json(cli("run", "I am Ana", *base))
    assert first["reply"] == "Hello Ana" and first["stored"] == 2
    call = {"id": "call_9", "type": "function", "function": {"name": "weather", "arguments": "{}"}}
    openai_server.reply({"role": "assistant", "content": None, "tool_calls": [call]})
    second = ok_json(cli("run", "Weather?", *base, "--agent-instructions", "Use tools."))
    assert second["reply"] == "" and second["stored"] == 2 and second["history"] == 2

    request = openai_server.requests[1]
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == f"Bearer {SECRET}"
    assert request["body"] == {"model": "m-test", "messages": [
        {"role": "system", "content": "Use tools."}, {"role": "user", "content": "I am Ana"},
        {"role": "assistant", "content": "Hello Ana"}, {"role": "user", "content": "Weather?"}]}
    stored = history(cli, sql_url, "s1")
    assert stored[-1]["role"] == "assistant" and stored[-1]["tool_calls"] == [call]

    # The OPENAI_* variables work too; the key is never printed, not even by --dry-run.
    env = {"OPENAI_BASE_URL": openai_server.base_url, "OPENAI_MODEL_NAME": "m-env", "OPENAI_API_KEY": SECRET}
    openai_server.reply({"role": "assistant", "content": "from env"})
    proc = cli("run", "again", "--session-id", "s1", "--conversation-url", sql_url, env=env)
    assert proc.returncode == 0 and proc.stdout == "from env\n"
    assert openai_server.requests[2]["body"]["model"] == "m-env"
    assert openai_server.requests[2]["body"]["messages"][-2]["tool_calls"] == [call]
    dry = cli("run", "dry", "--session-id", "s1", "--conversation-url", sql_url, "--dry-run", env=env)
    dry_json = cli("run", "dry", "--session-id", "s1", "--conversation-url", sql_url, "--dry-run", "--json", env=env)
    assert dry.returncode == 0 and "m-env" in dry.stdout and "API key set" in dry.stdout
    assert ok_json(dry_json)["agent"]["api_key"] == "set" and len(openai_server.requests) == 3
    for proc in (dry, dry_json):
        assert SECRET not in proc.stdout + proc.stderr


def test_endpoint_error_stores_nothing_and_masks_the_key(cli: Run, tmp_path: Path, openai_server: FakeOpenAI) -> None:
    url = f"sqlite:///{tmp_path}/chat.db"
    base = ["--session-id", "s1", "--conversation-url", url, "--base-url", openai_server.base_url,
            "--model", "m", "--api-key", SECRET]
    openai_server.reply({}, status=500)
    proc = cli("run", "hi", *base)
    assert proc.returncode == 1
    assert "HTTP 500" in proc.stderr and "boom, header was Bearer ***" in proc.stderr
    assert SECRET not in proc.stdout + proc.stderr and "Traceback" not in proc.stderr
    assert cli("resume", "--session-id", "s1", "--conversation-url", url).returncode == 1  # nothing stored

    openai_server.reply({"role": "assistant", "content": "ok"})
    assert cli("run", "hi", *base).returncode == 0
    openai_server.reply({}, status=500)
    assert cli("run", "second", *base, "--json").returncode == 1
    assert [m["content"] for m in history(cli, url, "s1")] == ["hi", "ok"]

    # Unreachable endpoint: exit 1, short message, key masked.
    proc = cli("run", "hi", *base[:4], "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--api-key", SECRET,
               "--timeout", "5")
    assert proc.returncode == 1 and "127.0.0.1:9" in proc.stderr and SECRET not in proc.stdout + proc.stderr
