"""Key encoding for stores with restricted names: round trip, safe alphabet, prefix property."""

from __future__ import annotations

import random

import pytest

from praisonai_persist.keycodec import decode_key, encode_key

AWKWARD = ["", "a", "a b", "ключ 😀", "~", "~7E", "a/b", "%41", "x'; DROP--", "[*?]", "\\", ".", "..", "\x00"]


def test_key_encoding_round_trips_and_uses_a_safe_alphabet() -> None:
    rng = random.Random(7)
    alphabet = "ab~%/ .*?[]\\'\"😀ключ\x00\x7f"
    samples = AWKWARD + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(500)]
    for key in samples:
        name = encode_key(key)
        assert decode_key(name) == key
        assert set(name) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-~")


def test_key_encoding_preserves_prefixes() -> None:
    """Stores list keys by encoded prefix, so a key's prefix must encode to a name prefix."""
    for key in AWKWARD + ["user:1/session 2", "a*b"]:
        for cut in range(len(key) + 1):
            assert encode_key(key).startswith(encode_key(key[:cut]))
    assert not encode_key("ab").startswith(encode_key("a~"))


def test_decode_rejects_foreign_names() -> None:
    with pytest.raises(ValueError):
        decode_key("has/slash")
    with pytest.raises(ValueError):
        decode_key("bad~G1")
