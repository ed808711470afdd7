"""Fixtures: a throw-away database on the Chroma server that tools/engines.sh started."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import chromadb
import pytest
from chromadb.config import Settings

from praisonai_persist_testkit.engines import HOST, engine_port


@pytest.fixture
def chroma_server_database() -> Iterator[tuple[str, str]]:
    """Create database ``t_<hex>`` on the running Chroma server, yield (url, name), then drop it."""
    port = engine_port("chroma")
    assert port is not None, "the chroma engine is not running: tools/engines.sh up chroma"
    admin = chromadb.AdminClient(
        Settings(
            chroma_api_impl="chromadb.api.fastapi.FastAPI",
            chroma_server_host=HOST,
            chroma_server_http_port=port,
            anonymized_telemetry=False,
        )
    )
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin.create_database(name)
    try:
        yield f"http://{HOST}:{port}", name
    finally:
        admin.delete_database(name)
