"""What every command shares: store options (PraisonAI's names), opening stores, errors and exit codes.

Exit codes: 0 success, 1 the operation failed (connection, missing session, bad data ...),
2 wrong usage (click's own), 130 interrupted. Error messages never hold a URL's secrets.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from ..config import ENV_VARS, PersistenceConfig
from ..errors import PersistError
from ..urls import redact

__all__ = [
    "EXIT_FAILURE",
    "CliError",
    "config_from_params",
    "failures",
    "json_option",
    "handles_failures",
    "open_configured",
    "open_store",
    "parse_options",
    "store_options",
]

EXIT_FAILURE = 1
_F = TypeVar("_F", bound=Callable[..., Any])


class CliError(click.ClickException):
    """A failure reported as ``Error: ...`` on stderr with exit code 1 (secrets already removed)."""

    exit_code = EXIT_FAILURE


def _env_help(kind: str) -> str:
    names = " / ".join(ENV_VARS[f"{kind}_url"])
    return f"{kind.title()} store URL or path; the URL alone picks the backend (env {names})."


def store_options(*kinds: str, config: bool = True) -> Callable[[_F], _F]:
    """Add ``--<kind>-url`` and ``--<kind>-store`` for each kind (PraisonAI's names and variables)."""

    def decorate(func: _F) -> _F:
        for kind in reversed(kinds):
            func = click.option(
                f"--{kind}-option", f"{kind}_option", multiple=True, metavar="KEY=VALUE",
                help=f"{kind.title()} store option, repeatable (table_prefix=app_, key_prefix=x:); "
                "VALUE is JSON when it parses, else text.",
            )(func)
            func = click.option(
                f"--{kind}-store", f"{kind}_store", envvar=list(ENV_VARS[f"{kind}_store"]), metavar="NAME",
                help=f"{kind.title()} backend name or alias, when the URL does not say (env {ENV_VARS[f'{kind}_store'][0]}).",
            )(func)
            func = click.option(
                f"--{kind}-url", f"{kind}_url", envvar=list(ENV_VARS[f"{kind}_url"]), metavar="URL",
                help=_env_help(kind),
            )(func)
        if config:
            func = click.option(
                "--config", "config_file", envvar="PRAISONAI_PERSIST_CONFIG", metavar="FILE",
                type=click.Path(dir_okay=False),
                help="Persistence config file (.toml, .yaml, .json); options and environment win over it.",
            )(func)
        return func

    return decorate


def json_option(func: _F) -> _F:
    """``--json``: print one machine-readable JSON document on stdout instead of text."""
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON on stdout.")(func)


def parse_options(pairs: tuple[str, ...] | list[str] | None, flag: str = "--option") -> dict[str, Any]:
    """``("a=1", "b=x")`` -> ``{"a": 1, "b": "x"}``: values are JSON where they parse, else strings."""
    options: dict[str, Any] = {}
    for pair in pairs or ():
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint=flag)
        try:
            options[key.strip()] = json.loads(raw)
        except ValueError:
            options[key.strip()] = raw
    return options


def config_from_params(params: dict[str, Any]) -> PersistenceConfig:
    """A config from the file (``--config``), then the environment, then the command's options."""
    overrides: dict[str, Any] = {
        name: params.get(name)
        for name in ("conversation_url", "conversation_store", "knowledge_url", "knowledge_store", "state_url",
                     "state_store", "session_id", "user_id")
        if params.get(name) is not None
    }
    for kind in ("conversation", "knowledge", "state"):
        if params.get(f"{kind}_option"):
            overrides[f"{kind}_options"] = parse_options(params[f"{kind}_option"], f"--{kind}-option")
    path = params.get("config_file")
    if path:
        defaults = PersistenceConfig().to_dict()
        from_env = {k: v for k, v in PersistenceConfig.from_env().to_dict().items() if v != defaults[k]}
        return PersistenceConfig.from_dict({**PersistenceConfig.from_file(path).to_dict(), **from_env, **overrides})
    return PersistenceConfig.from_env(**overrides)


def open_store(kind: str, backend: str | None, url: str | None, options: dict[str, Any] | None = None) -> Any:
    """The sync form of the store ``backend`` / ``url`` names; :class:`CliError` when neither is given."""
    from ..adapters import as_sync
    from ..factory import create_store

    if backend is None and url is None:
        names = " or ".join(ENV_VARS[f"{kind}_url"])
        raise CliError(f"No {kind} store given: pass --{kind}-url (or set {names}).")
    return as_sync(create_store(kind, backend, url, mode="sync", **(options or {})))


def open_configured(kind: str, config: PersistenceConfig) -> Any:
    """The configured store of ``kind`` (sync form); :class:`CliError` when none is configured."""
    backend, url, options = config.store_spec(kind)
    return open_store(kind, backend, url, options)


@contextmanager
def failures(*urls: str | None) -> Iterator[None]:
    """Turn any error into :class:`CliError` (exit 1) with ``urls``' secrets masked.

    ``PRAISONAI_PERSIST_DEBUG=1`` lets unexpected (non-``PersistError``) exceptions through with
    their traceback, for bug reports.
    """
    try:
        yield
    except (click.ClickException, click.Abort, click.exceptions.Exit):
        raise
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        raise SystemExit(130) from None
    except Exception as exc:  # drivers raise their own types; none may print a traceback with secrets
        if os.environ.get("PRAISONAI_PERSIST_DEBUG") and not isinstance(exc, PersistError):
            raise
        raise CliError(redact(f"{type(exc).__name__}: {exc}", *urls)) from None


def handles_failures(func: _F) -> _F:
    """Run the command inside :func:`failures`, masking the URLs of its ``*_url`` parameters."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with failures(*(v for k, v in kwargs.items() if k.endswith("_url"))):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
