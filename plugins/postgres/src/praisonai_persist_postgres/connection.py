"""Connection settings for PostgreSQL: URL parsing, poolers, serverless hosts, safe errors.

Pure except for the lazy driver import: it decides the libpq parameters (TLS, connect
timeout, prepared statements) once per store, and turns driver errors into messages that
never contain a password.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from praisonai_persist import BackendNotInstalledError, StoreConnectionError
from praisonai_persist.sql import is_serverless_host
from praisonai_persist.urls import mask_url, redact

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "POOLER_PORT",
    "SERVERLESS_CONNECT_TIMEOUT",
    "ConnectionSettings",
    "connection_error",
    "is_transient_error",
    "load_driver",
    "text_json_adapters",
    "resolve_settings",
]

DISTRIBUTION = "praisonai-persist-postgres"
#: Seconds libpq may spend establishing a connection (reaching the host, TLS, authentication).
DEFAULT_CONNECT_TIMEOUT = 10
#: Serverless hosts cold-start; give them longer.
SERVERLESS_CONNECT_TIMEOUT = 30
#: Supabase's transaction-mode pooler (Supavisor) port; pgbouncer-style poolers cannot keep
#: prepared statements across transactions.
POOLER_PORT = 6543
#: SQLSTATEs worth a retry: serialization failure, deadlock, server shutting down or
#: restarting, too many connections. Class 08 (connection exception) is retried too.
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "57P01", "57P02", "57P03", "53300"})
_TRUE = frozenset({"1", "true", "yes", "on"})


def text_json_adapters() -> Any:
    """psycopg adapters that return JSON/JSONB columns as text.

    The schema base decodes JSON text with the C scanner directly, several times cheaper per
    value than psycopg's ``json.loads`` of bytes; history loads decode one or two per message.
    """
    import psycopg
    from psycopg.adapt import AdaptersMap
    from psycopg.types.string import TextLoader

    adapters = AdaptersMap(psycopg.adapters)
    adapters.register_loader("json", TextLoader)
    adapters.register_loader("jsonb", TextLoader)
    return adapters


def load_driver(backend: str) -> Any:
    """Import psycopg (and psycopg_pool) on first use; a missing one names the install line."""
    try:
        import psycopg
        import psycopg_pool  # noqa: F401  (checked here so the error names it)
    except ImportError as exc:
        raise BackendNotInstalledError(
            "conversation",
            backend,
            DISTRIBUTION,
            missing_module=getattr(exc, "name", None) or "psycopg",
            detail=str(exc),
        ) from exc
    return psycopg


@dataclass(frozen=True)
class ConnectionSettings:
    """What the store passes to psycopg, plus what it may show (``display`` is masked)."""

    conninfo: str = field(repr=False)
    kwargs: dict[str, Any] = field(repr=False)
    display: str
    secrets: tuple[str, ...] = field(repr=False)
    prepare_threshold: int | None
    serverless: bool
    behind_pooler: bool

    def __repr__(self) -> str:
        return f"ConnectionSettings({self.display!r}, prepare_threshold={self.prepare_threshold!r})"

    def redact(self, text: str) -> str:
        """``text`` without any secret of these settings."""
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "***")
        return text


class _Unset:
    def __repr__(self) -> str:
        return "<unset>"


UNSET: Any = _Unset()


def _strip_pgbouncer(url: str) -> tuple[str, bool | None]:
    """``url`` without the ``pgbouncer`` query flag (libpq rejects it), and the flag's value."""
    parts = urlsplit(url)
    if not parts.query:
        return url, None
    flag: bool | None = None
    kept = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() == "pgbouncer":
            flag = value.strip().lower() in _TRUE
        else:
            kept.append((key, value))
    if flag is None:
        return url, None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), parts.fragment)), flag


def resolve_settings(
    url: str | None,
    *,
    host: str | None = None,
    port: int | None = None,
    database: str | None = None,
    user: str | None = None,
    password: str | None = None,
    sslmode: str | None = None,
    connect_timeout: float | None = None,
    prepare_threshold: int | None = UNSET,
    pgbouncer: bool | None = None,
    application_name: str = "praisonai-persist",
) -> ConnectionSettings:
    """Connection settings from a URL (``postgres://``, ``postgresql://`` or a libpq DSN) and options.

    Explicit options win over the URL. A transaction-mode pooler (port 6543, ``pgbouncer=true``
    in the URL or ``pgbouncer=True``) switches prepared statements off; a serverless host gets
    ``sslmode=require`` unless one is given and a longer connect timeout.
    """
    from psycopg.conninfo import conninfo_to_dict

    raw = url or ""
    flag: bool | None = None
    if "://" in raw:
        scheme, rest = raw.split("://", 1)
        if scheme.lower() not in ("postgres", "postgresql"):
            raise ValueError(
                f"Unsupported URL scheme {scheme!r} for PostgreSQL: use postgresql://user:password@host:5432/db."
            )
        raw, flag = _strip_pgbouncer(f"postgresql://{rest}")
    try:
        params = conninfo_to_dict(raw)
    except Exception as exc:  # psycopg.ProgrammingError: libpq could not parse it
        detail = redact(str(exc), url)
        raise ValueError(f"Invalid PostgreSQL URL {mask_url(url)!r}: {detail}") from None
    overrides = {"host": host, "port": port, "dbname": database, "user": user, "password": password}
    kwargs: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    merged = {**params, **kwargs}
    hosts = str(merged.get("host") or "")
    serverless = any(is_serverless_host(h) for h in hosts.split(",") if h)
    if sslmode is not None:
        kwargs["sslmode"] = sslmode
    elif serverless and "sslmode" not in params:
        kwargs["sslmode"] = "require"
    if connect_timeout is not None:
        kwargs["connect_timeout"] = max(1, round(float(connect_timeout)))
    elif "connect_timeout" not in params:
        kwargs["connect_timeout"] = SERVERLESS_CONNECT_TIMEOUT if serverless else DEFAULT_CONNECT_TIMEOUT
    if "application_name" not in params:
        kwargs["application_name"] = application_name
    ports = {p.strip() for p in str(merged.get("port") or "").split(",") if p.strip()}
    behind_pooler = bool(pgbouncer) if pgbouncer is not None else bool(flag) or str(POOLER_PORT) in ports
    if prepare_threshold is UNSET:
        prepare_threshold = None if behind_pooler else 5
    secret = merged.get("password")
    secrets = tuple(s for s in (str(secret) if secret else "", *_url_secrets(url)) if len(s) >= 3)
    display = _display(url, merged)
    return ConnectionSettings(
        conninfo=raw,
        kwargs=kwargs,
        display=display,
        secrets=secrets,
        prepare_threshold=prepare_threshold,
        serverless=serverless,
        behind_pooler=behind_pooler,
    )


def _url_secrets(url: str | None) -> tuple[str, ...]:
    from praisonai_persist.urls import secrets_of

    return tuple(secrets_of(url))


def _display(url: str | None, merged: dict[str, Any]) -> str:
    """A masked description of the target: the URL with its password hidden, or host/db/user."""
    if url and "://" in url:
        return mask_url(url)
    host = merged.get("host") or "localhost"
    port = merged.get("port") or 5432
    db = merged.get("dbname") or merged.get("user") or ""
    user = merged.get("user")
    who = f"{user}@" if user else ""
    return f"postgresql://{who}{host}:{port}/{db}"


def connection_error(exc: BaseException, settings: ConnectionSettings) -> StoreConnectionError:
    """A :class:`StoreConnectionError` for ``exc`` naming the masked target and the driver's reason."""
    reason = settings.redact(" ".join(str(exc).split())) or type(exc).__name__
    return StoreConnectionError(
        f"Cannot connect to PostgreSQL at {settings.display}: {reason.rstrip('.?! ')}. Check the host, port, database, "
        "user and password, and that the server accepts connections (connect_timeout bounds the wait)."
    )


def is_connection_loss(exc: BaseException) -> bool:
    """True when ``exc`` means the connection itself broke (not a statement that failed)."""
    import psycopg

    if not isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)):
        return False
    state = getattr(exc, "sqlstate", None)
    return state is None or state.startswith("08") or state in ("57P01", "57P02", "57P03")


def is_transient_error(exc: BaseException) -> bool:
    """True for errors a retry can cure: a lost connection, a serialization failure, a deadlock."""
    import psycopg
    import psycopg_pool

    if not isinstance(exc, psycopg.Error) or isinstance(exc, (psycopg_pool.PoolTimeout, psycopg_pool.PoolClosed)):
        return False  # the pool already waited its timeout, or we closed it ourselves
    state = getattr(exc, "sqlstate", None)
    if state is None:
        return isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError))
    return state.startswith("08") or state in _TRANSIENT_SQLSTATES
