"""Which MySQL errors are worth a retry, and connection failures as clear, password-free errors.

PyMySQL and aiomysql raise the same exception classes (aiomysql reuses PyMySQL's), so one
classification serves the sync and async stores. Nothing here imports the driver at module
level: errors are recognised by their MySQL error code.
"""

from __future__ import annotations

from praisonai_persist.errors import StoreConnectionError
from praisonai_persist.urls import redact

from .settings import ConnectionSettings

__all__ = ["DISCONNECT_CODES", "TRANSIENT_CODES", "connection_error", "error_code", "is_disconnect", "is_transient"]

#: The connection is gone (killed, server restarted, network cut, idle timeout): reconnect.
DISCONNECT_CODES = frozenset(
    {
        1053,  # server shutdown in progress
        1927,  # ER_CONNECTION_KILLED (MariaDB)
        2003,  # can't connect (cold start, restart)
        2006,  # server has gone away
        2013,  # lost connection during query
        2014,  # commands out of sync after a broken reply
        2055,  # lost connection at '%s', system error
        4031,  # MySQL 8: disconnected by the server because of inactivity
    }
)
#: Worth retrying on the same or a new connection: the statement itself was fine.
TRANSIENT_CODES = DISCONNECT_CODES | frozenset(
    {
        1040,  # too many connections
        1205,  # lock wait timeout
        1213,  # deadlock; the transaction was rolled back
        1317,  # query interrupted (KILL QUERY)
        1290,  # --read-only during a failover
    }
)
# PlanetScale (Vitess) reports a tablet that is starting or failing over as a generic 1105.
_VITESS_TRANSIENT = ("vttablet", "no healthy tablet", "primary is not serving", "connection refused")


def error_code(exc: BaseException) -> int | None:
    """The MySQL error code of a driver error (``args[0]``), or ``None``."""
    args = getattr(exc, "args", ())
    if args and isinstance(args[0], int):
        return args[0]
    return None


def _driver_error(exc: BaseException) -> bool:
    return type(exc).__module__.startswith(("pymysql", "aiomysql"))


def is_disconnect(exc: BaseException) -> bool:
    """True when ``exc`` means the connection is unusable (it must be dropped, not reused)."""
    if isinstance(exc, StoreConnectionError):
        return True
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    if not _driver_error(exc):
        return False
    code = error_code(exc)
    # InterfaceError(0, '') is PyMySQL's "this connection was already closed".
    return code in DISCONNECT_CODES or (type(exc).__name__ == "InterfaceError")


def is_transient(exc: BaseException) -> bool:
    """True for errors a retry can cure: lost connections, deadlocks, lock timeouts, cold starts."""
    if isinstance(exc, StoreConnectionError):
        cause = exc.__cause__
        return cause is not None and is_transient(cause)
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    if not _driver_error(exc):
        return False
    if type(exc).__name__ == "InterfaceError":
        return True
    code = error_code(exc)
    if code in TRANSIENT_CODES:
        return True
    if code == 1105:
        text = str(exc).lower()
        return any(marker in text for marker in _VITESS_TRANSIENT)
    return False


def connection_error(exc: BaseException, settings: ConnectionSettings, what: str = "MySQL") -> StoreConnectionError:
    """A :class:`StoreConnectionError` naming the server (never the password) and the likely fix."""
    code = error_code(exc)
    detail = str(exc.args[1]) if len(getattr(exc, "args", ())) > 1 else (str(exc) or type(exc).__name__)
    if code in (1044, 1045, 1698):
        hint = "check the user name and password"
    elif code == 1049:
        hint = f"create the database {settings.database!r} first, or name an existing one"
    elif code == 2003 or isinstance(exc, (OSError, TimeoutError)):
        hint = "check the host and port, and that the server is running and reachable"
    else:
        hint = "check the connection settings"
    message = f"Could not connect to {what} at {settings.safe_url()}: {detail} ({hint})."
    secrets = [settings.password] if settings.password else []
    for secret in secrets:
        if len(secret) >= 3:
            message = message.replace(secret, "***")
    return StoreConnectionError(redact(message))
