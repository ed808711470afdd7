"""Every public error: importable from the package, its base classes, and a message that says what to do."""

from __future__ import annotations

import pytest

import praisonai_persist as p
from praisonai_persist.errors import SessionNotFoundError


@pytest.mark.parametrize(
    ("name", "bases"),
    [
        ("UnknownBackendError", (ValueError,)),
        ("BackendNotInstalledError", (ImportError,)),
        ("InvalidIdentifierError", (ValueError,)),
        ("DimensionMismatchError", (ValueError,)),
        ("UnsupportedFilterError", ()),
        ("SchemaVersionError", ()),
        ("StoreConnectionError", (ConnectionError,)),
        ("SessionNotFoundError", (LookupError,)),
        ("ConfigError", (ValueError,)),
        ("PluginLoadError", ()),
        ("BackendConflictError", ()),
        ("SessionExistsError", (ValueError,)),
        ("CollectionNotFoundError", (LookupError,)),
        ("DocumentExistsError", (ValueError,)),
        ("CorruptDataError", ()),
    ],
)
def test_error_hierarchy(name: str, bases: tuple[type, ...]) -> None:
    cls = getattr(p, name)
    assert issubclass(cls, p.PersistError)
    for base in bases:
        assert issubclass(cls, base)


def test_unknown_backend_message() -> None:
    err = p.UnknownBackendError("state", "reddis", ["redis"], ["memory", "redis"])
    assert str(err) == (
        "Unknown state backend 'reddis'. Did you mean 'redis'? Known state backends: memory, redis. "
        "Run `praisonai-persist backends` to see what is installed."
    )


def test_not_installed_messages() -> None:
    err = p.BackendNotInstalledError("knowledge", "qdrant", "praisonai-persist-qdrant")
    assert str(err) == (
        "The knowledge backend 'qdrant' is provided by praisonai-persist-qdrant, which is not installed. "
        "Install it with: pip install praisonai-persist-qdrant"
    )
    err = p.BackendNotInstalledError("knowledge", "qdrant", "praisonai-persist-qdrant", missing_module="qdrant_client")
    assert "'qdrant_client'" in str(err) and str(err).endswith("pip install praisonai-persist-qdrant")
    assert err.name == "qdrant_client"


def test_dimension_mismatch_message() -> None:
    err = p.DimensionMismatchError("docs", 384, 768)
    assert (err.expected, err.got) == (384, 768)
    assert "384" in str(err) and "768" in str(err) and "'docs'" in str(err)


def test_session_not_found_message_is_not_quoted() -> None:
    err = SessionNotFoundError("abc")
    assert str(err).startswith("Session 'abc' does not exist.")
    assert "create_session" in str(err)


@pytest.mark.parametrize(
    "bad", ["x; DROP TABLE y", "a-b", "../etc", "", " ", "名前", "a" * 49, "tab\tle", "x'--", None, 3]
)
def test_invalid_identifiers_are_rejected(bad: object) -> None:
    with pytest.raises(p.InvalidIdentifierError):
        p.validate_identifier(bad, "table_prefix")


@pytest.mark.parametrize("good", ["praison_", "praisonai_", "A1_b", "a" * 48])
def test_valid_identifiers_pass(good: str) -> None:
    assert p.validate_identifier(good) == good


def test_empty_allowed_only_when_asked() -> None:
    assert p.validate_identifier("", allow_empty=True) == ""


def test_store_error_messages_say_what_to_do() -> None:
    assert "upsert_session" in str(p.SessionExistsError("s1")) or "update_session" in str(p.SessionExistsError("s1"))
    assert "create_collection" in str(p.CollectionNotFoundError("docs"))
    err = p.DocumentExistsError("docs", ["a", "b"])
    assert "'docs'" in str(err) and "upsert" in str(err)
