"""URL and option translation (no server): TLS and retry for serverless hosts, validation, secrets."""

from __future__ import annotations

import ssl

import pytest

from praisonai_persist import InvalidIdentifierError
from praisonai_persist.errors import ConfigError
from praisonai_persist.sql.retry import retry_policy_for
from praisonai_persist_mysql import AsyncMySQLConversationStore, MySQLConversationStore
from praisonai_persist_mysql.dialect import MYSQL_DIALECT
from praisonai_persist_mysql.errors import is_transient
from praisonai_persist_mysql.settings import parse_settings


def test_url_parts_become_driver_arguments() -> None:
    s = parse_settings("mysql://alice:p%40ss@db.example.com:3307/chat?charset=utf8mb4&connect_timeout=2")
    kwargs = s.driver_kwargs()
    assert (kwargs["host"], kwargs["port"], kwargs["user"], kwargs["password"]) == (
        "db.example.com",
        3307,
        "alice",
        "p@ss",
    )
    assert (kwargs["database"], kwargs["charset"], kwargs["connect_timeout"]) == ("chat", "utf8mb4", 2.0)
    assert kwargs["autocommit"] is True and "ssl" not in kwargs
    assert "p@ss" not in repr(s) and "p@ss" not in s.safe_url()


def test_keywords_win_and_praisonai_defaults_apply() -> None:
    s = parse_settings("mysql://a:b@h/db1", database="db2", port=4000, password="pw")
    assert (s.database, s.port, s.password) == ("db2", 4000, "pw")
    assert parse_settings().database == "praisonai" and parse_settings().charset == "utf8mb4"


@pytest.mark.parametrize("host", ["aws.connect.psdb.cloud", "eu-west.psdb.cloud"])
def test_planetscale_hosts_get_tls_and_the_serverless_retry_policy(host: str) -> None:
    s = parse_settings(f"mysql://u:pscale_pw_x@{host}/app")
    context = s.driver_kwargs()["ssl"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    policy = retry_policy_for(s.safe_url())
    assert policy.max_retries >= 5 and policy.retry_delay >= 0.5
    with pytest.raises(ConfigError, match="only TLS"):
        parse_settings(f"mysql://u:p@{host}/app?ssl=false")


def test_local_hosts_use_plain_tcp_unless_asked() -> None:
    assert parse_settings("mysql://root@127.0.0.1/test").tls_ca is None
    assert parse_settings("mysql://root@127.0.0.1/test?ssl-mode=REQUIRED").tls_ca == ""
    assert parse_settings("mysql://root@127.0.0.1/test?ssl_ca=/etc/ca.pem").tls_ca == "/etc/ca.pem"
    assert retry_policy_for(parse_settings("mysql://root@127.0.0.1/test").safe_url()).max_retries == 3


@pytest.mark.parametrize(
    "bad",
    [
        "x; DROP TABLE y",
        "praison_`; DROP DATABASE test; --",
        "a' OR '1'='1",
        "../etc",
        "",
        "p" * 60,
        "préfixe",
    ],
)
def test_injection_in_table_prefix_is_rejected_before_connecting(bad: str) -> None:
    # Port 1: nothing listens, so only validation can make this fail fast with this error.
    with pytest.raises(InvalidIdentifierError):
        MySQLConversationStore("mysql://root@127.0.0.1:1/test", table_prefix=bad)
    with pytest.raises(InvalidIdentifierError):
        AsyncMySQLConversationStore("mysql://root@127.0.0.1:1/test", table_prefix=bad)


@pytest.mark.parametrize("bad", ["test`; DROP DATABASE mysql; --", "a b", "db/../x", "x%27"])
def test_injection_in_database_name_is_rejected(bad: str) -> None:
    with pytest.raises(InvalidIdentifierError):
        MySQLConversationStore("mysql://root@127.0.0.1:1/x", database=bad)
    with pytest.raises(InvalidIdentifierError):
        parse_settings(f"mysql://root@127.0.0.1/{bad}")


def test_charset_and_collation_are_identifiers() -> None:
    with pytest.raises(InvalidIdentifierError):
        parse_settings("mysql://root@h/db", charset="utf8mb4; DROP TABLE x")
    with pytest.raises(InvalidIdentifierError):
        parse_settings("mysql://root@h/db", collation="x' --")


@pytest.mark.parametrize(
    "url", ["postgres://h/db", "mysql://h/db?foo=1", "mysql://h:notaport/db", "mysql://h/db?connect_timeout=-1"]
)
def test_malformed_urls_are_clear_errors(url: str) -> None:
    with pytest.raises(ConfigError):
        parse_settings(url)


def test_pool_size_is_checked() -> None:
    with pytest.raises(ValueError, match="pool_size"):
        MySQLConversationStore("mysql://root@127.0.0.1:1/test", pool_size=0)
    with pytest.raises(ValueError, match="pool_size"):
        AsyncMySQLConversationStore("mysql://root@127.0.0.1:1/test", pool_size=0)


def test_insert_ignores_only_duplicate_keys() -> None:
    # INSERT IGNORE would also truncate over-long values silently.
    from praisonai_persist.sql.statements import build_statements

    sql = build_statements(MYSQL_DIALECT, "praison_").insert_message
    assert sql.startswith("INSERT INTO `praison_messages`") and sql.endswith("ON DUPLICATE KEY UPDATE id = id")
    assert "IGNORE" not in sql


def test_transient_errors() -> None:
    from pymysql.err import IntegrityError, InterfaceError, OperationalError, ProgrammingError

    assert is_transient(OperationalError(2013, "Lost connection to MySQL server during query"))
    assert is_transient(OperationalError(1213, "Deadlock found"))
    assert is_transient(OperationalError(1105, "target: x.-.primary: vttablet: rpc error: code = Unavailable"))
    assert is_transient(InterfaceError(0, ""))
    assert not is_transient(OperationalError(1045, "Access denied"))
    assert not is_transient(IntegrityError(1062, "Duplicate entry"))
    assert not is_transient(ProgrammingError(1064, "syntax"))
    assert not is_transient(ValueError("x"))
