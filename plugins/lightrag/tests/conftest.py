"""Fixtures for an offline LightRAG setup: deterministic embedding, stub LLM, injected tokenizer.

LightRAG's default tokenizer (tiktoken) downloads its encoding on first use; these tests must
never touch the network, so they hand LightRAG a character tokenizer instead.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pytest
from lightrag.utils import EmbeddingFunc, Tokenizer

DIM = 8


class CharTokenizer:
    """One token per character: enough for LightRAG's chunking and budget checks."""

    def encode(self, content: str) -> list[int]:
        return [ord(c) for c in content]

    def decode(self, tokens: list[int]) -> str:
        return "".join(chr(t) for t in tokens)


async def deterministic_embedding(texts: list[str], **kwargs: Any) -> Any:
    """A repeatable vector per text (a hash seeds it), unit length."""
    rows = []
    for text in texts:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
        vector = np.random.default_rng(seed).standard_normal(DIM)
        rows.append(vector / np.linalg.norm(vector))
    return np.array(rows)


async def stub_llm(prompt: str, *args: Any, **kwargs: Any) -> str:
    """The LLM LightRAG would call for its graph pipeline; the knowledge store never needs it."""
    return ""


def make_offline_options(working_dir: str, workspace: str) -> dict[str, Any]:
    """Keyword options for LightragKnowledgeStore that build a LightRAG instance with no network."""
    return {
        "path": working_dir,
        "workspace": workspace,
        "embedding_func": EmbeddingFunc(embedding_dim=DIM, func=deterministic_embedding),
        "llm_model_func": stub_llm,
        "tokenizer": Tokenizer("chars", CharTokenizer()),
    }


@pytest.fixture
def offline_options() -> Any:
    """``offline_options(working_dir, workspace)``: store options that never touch the network."""
    return make_offline_options
