"""Reversible, prefix-preserving encoding of keys into a restricted alphabet.

Object stores and document databases restrict names (no ``/`` in a Firestore id; ``%``, ``#``,
``[``, ``*``, ``?`` mishandled by some Cloud Storage tools). Encoded names use only
``[A-Za-z0-9._-]`` and ``~``: every other character (and ``~`` itself) becomes ``~HH`` per
UTF-8 byte. The code works character by character, so the encoding of a prefix is a prefix of
the encoding of every key that starts with it, and stores can list keys by prefix on the server.
"""

from __future__ import annotations

__all__ = ["decode_key", "encode_key"]

_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")


def encode_key(key: str) -> str:
    """``key`` in the safe alphabet (``"a b"`` → ``"a~20b"``)."""
    out: list[str] = []
    for char in key:
        if char in _SAFE:
            out.append(char)
        else:
            out.extend(f"~{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
    return "".join(out)


def decode_key(name: str) -> str:
    """Inverse of :func:`encode_key`; raises ``ValueError`` on a name it did not produce."""
    raw = bytearray()
    i = 0
    while i < len(name):
        char = name[i]
        if char == "~":
            raw.append(int(name[i + 1 : i + 3], 16))
            i += 3
        elif char in _SAFE:
            raw.append(ord(char))
            i += 1
        else:
            raise ValueError(f"{name!r} is not an encoded key")
    return raw.decode("utf-8", "surrogatepass")
