"""A test-owned Upstash REST front over the machine's real Redis, and per-test key prefixes.

The front speaks the protocol upstash-redis uses (read from its source, upstash_redis/http.py):
``POST /`` with a JSON array (one command), ``POST /pipeline`` and ``POST /multi-exec`` with an
array of commands; ``Authorization: Bearer TOKEN``; replies ``{"result": ...}`` or
``{"error": "..."}`` (a list of those for pipelines); with ``Upstash-Encoding: base64`` every
string in a result is base64 except the status ``OK``; an ``Upstash-Sync-Token`` header. Each
command runs on the real Redis server (127.0.0.1:6379, REDIS_STATE_URL overrides it).
"""

from __future__ import annotations

import base64
import json
import os
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

TOKEN = "test-token-" + uuid.uuid4().hex
REDIS_URL = os.environ.get("REDIS_STATE_URL", "redis://127.0.0.1:6379/0")


def _jsonable(value: Any, b64: bool) -> Any:
    if isinstance(value, bytes):
        if value == b"OK":
            return "OK"
        return base64.b64encode(value).decode() if b64 else value.decode("utf-8", "replace")
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, b64) for v in value]
    if isinstance(value, dict):  # a RESP3 map, flattened as RESP2 sends it
        return [_jsonable(x, b64) for pair in value.items() for x in pair]
    if isinstance(value, bool):
        return int(value)
    return value


class _Front(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def _reply(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Upstash-Sync-Token", str(self.server.sync))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"null")
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._reply(401, {"error": "Unauthorized"})
            return
        b64 = self.headers.get("Upstash-Encoding") == "base64"
        self.server.sync += 1
        redis = self.server.redis
        import redis as redis_py

        if self.path.rstrip("/") in ("/pipeline", "/multi-exec"):
            pipe = redis.pipeline(transaction=self.path.rstrip("/") == "/multi-exec")
            for command in body:
                pipe.execute_command(*command)
            results = pipe.execute(raise_on_error=False)
            self._reply(
                200,
                [
                    {"error": str(r)} if isinstance(r, redis_py.ResponseError) else {"result": _jsonable(r, b64)}
                    for r in results
                ],
            )
            return
        try:
            result = redis.execute_command(*body)
        except redis_py.ResponseError as exc:
            self._reply(400, {"error": str(exc)})
            return
        self._reply(200, {"result": _jsonable(result, b64)})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    redis: Any
    sync: int = 0


@pytest.fixture(scope="session")
def upstash_front() -> Iterator[str]:
    """URL of the REST front (session-wide; every test isolates itself with a key prefix)."""
    import redis as redis_py

    server = _Server(("127.0.0.1", 0), _Front)
    server.redis = redis_py.Redis.from_url(REDIS_URL, protocol=2)  # Upstash replies are RESP2-shaped
    server.redis.response_callbacks.clear()  # raw replies, as Upstash's REST API returns them
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        server.redis.close()


@pytest.fixture
def upstash_token() -> str:
    return TOKEN


@pytest.fixture
def key_prefix() -> str:
    return f"pptest_up_{uuid.uuid4().hex[:12]}:"
