"""Connection settings: a ``mysql://`` URL and keyword options turned into driver arguments.

Pure (no driver import), so the translation is unit tested without a server. The password is
kept out of ``repr`` and every message; TLS is switched on for hosts that require it
(PlanetScale), and the database name is validated like any identifier.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from praisonai_persist.errors import ConfigError
from praisonai_persist.identifiers import validate_identifier
from praisonai_persist.sql.retry import is_serverless_host

__all__ = ["MYSQL_SCHEMES", "TLS_REQUIRED_HOST_SUFFIXES", "ConnectionSettings", "parse_settings"]

#: URL schemes this plugin reads (the driver-qualified forms are what SQLAlchemy users have).
MYSQL_SCHEMES = (
    "mysql",
    "mariadb",
    "mysql+pymysql",
    "mysql+aiomysql",
    "mysql+asyncmy",
    "mariadb+pymysql",
    "singlestore",
    "singlestoredb",
)
#: Hosts that refuse plain-text connections: TLS with certificate checks is always used.
TLS_REQUIRED_HOST_SUFFIXES = (".psdb.cloud", ".connect.psdb.cloud", ".singlestore.com", ".tidbcloud.com")

DEFAULT_DATABASE = "praisonai"
DEFAULT_PORT = 3306
DEFAULT_CONNECT_TIMEOUT = 5.0
_TRUE = {"1", "true", "yes", "on", "required", "require", "verify_ca", "verify_identity", "strict", "preferred"}
_FALSE = {"0", "false", "no", "off", "disabled", "disable"}
_QUERY_KEYS = {
    "charset",
    "collation",
    "connect_timeout",
    "ssl",
    "ssl_mode",
    "ssl-mode",
    "sslmode",
    "sslaccept",
    "ssl_ca",
    "ssl-ca",
    "sslca",
}


@dataclass(frozen=True)
class ConnectionSettings:
    """Everything needed to open a connection; ``password`` never shows in ``repr``."""

    host: str = "localhost"
    port: int = DEFAULT_PORT
    user: str = "root"
    password: str = field(default="", repr=False)
    database: str = DEFAULT_DATABASE
    charset: str = "utf8mb4"
    collation: str | None = None
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    #: ``None``: plain TCP; otherwise the CA file to trust ("" for the system store).
    tls_ca: str | None = None
    unix_socket: str | None = None

    @property
    def tls(self) -> bool:
        return self.tls_ca is not None

    @property
    def serverless(self) -> bool:
        """A serverless host (cold starts, dropped idle connections): retried more patiently."""
        return is_serverless_host(self.host)

    def safe_url(self) -> str:
        """A URL naming this server for messages and the retry policy; it holds no password."""
        return f"mysql://{self.user}@{self.host}:{self.port}/{self.database}"

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context (certificate and host name checked), or ``None`` for plain TCP."""
        if self.tls_ca is None:
            return None
        return ssl.create_default_context(cafile=self.tls_ca or None)

    def driver_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of PyMySQL's ``connect`` (aiomysql names the database ``db``)."""
        kwargs: dict[str, Any] = {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "database": self.database,
            "charset": self.charset,
            "connect_timeout": self.connect_timeout,
            "autocommit": True,
        }
        if self.unix_socket:
            kwargs["unix_socket"] = self.unix_socket
        context = self.ssl_context()
        if context is not None:
            kwargs["ssl"] = context
        return kwargs


def _flag(value: Any, what: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ConfigError(f"{what} must be true/false or an ssl mode (REQUIRED, DISABLED ...), got {value!r}.")


def _positive(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{what} must be a positive number of seconds, got {value!r}.") from None
    if number <= 0:
        raise ConfigError(f"{what} must be a positive number of seconds, got {value!r}.")
    return number


def parse_settings(
    url: str | None = None,
    *,
    host: str | None = None,
    port: int | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    charset: str | None = None,
    collation: str | None = None,
    connect_timeout: float | None = None,
    ssl: bool | str | None = None,
    ssl_ca: str | None = None,
    unix_socket: str | None = None,
) -> ConnectionSettings:
    """Settings from ``mysql://user:password@host:port/database?charset=...&ssl=...`` and keywords.

    Keywords win over the URL. Raises :class:`ConfigError` (a ``ValueError``) for a malformed URL
    or option, and :class:`InvalidIdentifierError` for a database name that is not
    ``[A-Za-z0-9_]``; neither message contains the password.
    """
    values: dict[str, Any] = {}
    query: dict[str, str] = {}
    if url:
        try:
            parts = urlsplit(url)
            url_port = parts.port
        except ValueError:
            raise ConfigError(
                "The MySQL URL is malformed; expected mysql://user:password@host:port/database."
            ) from None
        scheme = parts.scheme.lower()
        if scheme not in MYSQL_SCHEMES:
            raise ConfigError(
                f"Unsupported URL scheme {scheme!r} for MySQL; use one of {', '.join(s + '://' for s in MYSQL_SCHEMES)}."
            )
        if parts.hostname:
            values["host"] = parts.hostname
        if url_port:
            values["port"] = url_port
        if parts.username:
            values["user"] = unquote(parts.username)
        if parts.password is not None:
            values["password"] = unquote(parts.password)
        path = unquote(parts.path.lstrip("/"))
        if path:
            values["database"] = path
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            key = key.lower()
            if key not in _QUERY_KEYS:
                raise ConfigError(
                    f"Unknown MySQL URL parameter {key!r}; known parameters: {', '.join(sorted(_QUERY_KEYS))}."
                )
            query[key.replace("-", "_")] = value
    keywords = {
        "host": host,
        "port": port,
        "user": user,
        "password": password,
        "database": database,
        "unix_socket": unix_socket,
    }
    values.update({k: v for k, v in keywords.items() if v is not None})
    if "port" in values:
        try:
            values["port"] = int(values["port"])
        except (TypeError, ValueError):
            raise ConfigError(f"port must be an integer, got {values['port']!r}.") from None
    values["database"] = validate_identifier(values.get("database", DEFAULT_DATABASE), "database", max_length=64)
    chosen_charset = charset if charset is not None else query.get("charset", "utf8mb4")
    values["charset"] = validate_identifier(chosen_charset, "charset", max_length=32)
    chosen_collation = collation if collation is not None else query.get("collation")
    if chosen_collation is not None:
        values["collation"] = validate_identifier(chosen_collation, "collation", max_length=64)
    timeout = connect_timeout if connect_timeout is not None else query.get("connect_timeout")
    if timeout is not None:
        values["connect_timeout"] = _positive(timeout, "connect_timeout")

    host_name = str(values.get("host", "localhost")).lower().rstrip(".")
    tls_required = ("." + host_name).endswith(TLS_REQUIRED_HOST_SUFFIXES)
    mode: Any = ssl
    for key in ("ssl", "ssl_mode", "sslmode", "sslaccept"):
        if mode is None and key in query:
            mode = query[key]
    ca = ssl_ca if ssl_ca is not None else query.get("ssl_ca", query.get("sslca"))
    wants_tls = _flag(mode, "ssl") if mode is not None else (ca is not None)
    if tls_required and mode is not None and not wants_tls:
        raise ConfigError(f"{host_name} accepts only TLS connections; remove ssl=false from the options.")
    if wants_tls or tls_required:
        values["tls_ca"] = ca or ""
    return ConnectionSettings(**values)
