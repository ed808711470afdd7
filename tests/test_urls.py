"""URL helpers: scheme, embedded paths, and masking that never leaks a secret."""

from __future__ import annotations

import pytest

from praisonai_persist.urls import local_path, mask_url, redact, scheme_of, secrets_of


@pytest.mark.parametrize(
    ("url", "scheme"),
    [("postgresql://h/db", "postgresql"), ("MongoDB+SRV://x", "mongodb+srv"), ("/tmp/x.db", None), ("x.db", None)],
)
def test_scheme_of(url: str, scheme: str | None) -> None:
    assert scheme_of(url) == scheme


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///rel/x.db", "rel/x.db"),
        ("sqlite:////abs/x.db", "/abs/x.db"),
        ("sqlite://:memory:", ":memory:"),
        ("sqlite:///:memory:", ":memory:"),
        ("plain/path.db", "plain/path.db"),
        ("sqlite:///with%20space.db", "with space.db"),
    ],
)
def test_local_path(url: str, path: str) -> None:
    assert local_path(url, ("sqlite",)) == path


def test_local_path_rejects_other_schemes() -> None:
    with pytest.raises(ValueError, match="sqlite://"):
        local_path("postgresql://h/db", ("sqlite",))


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("postgresql://user:s3cr3t!@db.example.com:5432/app", "s3cr3t!"),
        ("postgresql://user:p%40ss@h/db", "p%40ss"),
        ("redis://:hunter22@localhost:6379/0", "hunter22"),
        ("rediss://tokenvalue@host:6380", "tokenvalue"),
        ("libsql://db.turso.io?authToken=abc.def.ghi", "abc.def.ghi"),
        ("https://x.upstash.io?token=tok_123", "tok_123"),
        ("mongodb+srv://u:pw1234@cluster/db?retryWrites=true", "pw1234"),
    ],
)
def test_masking_and_redaction_hide_the_secret(url: str, secret: str) -> None:
    masked = mask_url(url)
    assert secret not in masked and "***" in masked
    assert secret in secrets_of(url)
    message = f"could not connect to {url}: password {secret} rejected"
    assert secret not in redact(message, url)


def test_mask_keeps_the_useful_parts() -> None:
    assert mask_url("postgresql://user:pw@host:5432/db?sslmode=require") == (
        "postgresql://user:***@host:5432/db?sslmode=require"
    )
    assert mask_url("sqlite:///x.db") == "sqlite:///x.db"
    assert mask_url(None) == ""
