"""Where the engines that ``tools/engines.sh`` started listen, for test fixtures.

``tools/engines.sh up NAME`` records each engine it runs as ``.engines/NAME.port`` (and ``.pid``);
these helpers read that record so a test connects to the engine of this checkout, and say how to
start it when it is not running. The machine's own services (PostgreSQL, MariaDB, Redis) have
fixed addresses and are not recorded here.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

__all__ = ["engine_address", "engine_port", "engine_skip_reason", "engines_dir", "tcp_answers"]

HOST = "127.0.0.1"


def engines_dir() -> Path:
    """``$ENGINES_DIR``, else ``.engines`` of the checkout that holds ``tools/engines.sh``."""
    configured = os.environ.get("ENGINES_DIR")
    if configured:
        return Path(configured)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "tools" / "engines.sh").is_file():
            return folder / ".engines"
    return here / ".engines"


def tcp_answers(host: str, port: int, timeout: float = 1.0) -> bool:
    """True when something accepts a TCP connection on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def engine_port(name: str) -> int | None:
    """The loopback port engine ``name`` listens on, or None when it is not running."""
    record = engines_dir() / f"{name}.port"
    try:
        port = int(record.read_text().strip())
    except (OSError, ValueError):
        return None
    return port if tcp_answers(HOST, port) else None


def engine_address(name: str) -> tuple[str, int] | None:
    """``(host, port)`` of engine ``name``, or None when it is not running."""
    port = engine_port(name)
    return None if port is None else (HOST, port)


def engine_skip_reason(name: str, label: str | None = None) -> str | None:
    """None when engine ``name`` answers; otherwise the reason to skip, with the command to start it.

    Use it as a contract class's ``skip_reason`` together with ``required_in_ci = True``, so a run
    with ``CI=true`` fails instead of skipping.
    """
    if engine_port(name) is not None:
        return None
    what = label or name
    return f"{what} is not running here: start it with `tools/engines.sh up {name}`"
