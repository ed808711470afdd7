"""Connection URLs: scheme extraction, local paths for embedded engines, secret masking."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re

__all__ = ["local_path", "mask_url", "redact", "scheme_of", "secrets_of"]

_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+.-")
_SECRET_QUERY_PATTERN = (
    r"(?i)([?&](?:password|passwd|pwd|token|auth_token|authtoken|api_key|apikey|secret|key|access_key|"
    r"secret_key|sig|signature)=)[^&#]*"
)
_secret_query: re.Pattern[str] | None = None


def _secret_query_re() -> re.Pattern[str]:
    global _secret_query
    if _secret_query is None:
        import re

        _secret_query = re.compile(_SECRET_QUERY_PATTERN)
    return _secret_query


def scheme_of(url: str) -> str | None:
    """Lower-cased scheme of ``url`` (``"postgresql"`` for ``postgresql://…``), or ``None``."""
    head, sep, _ = url.strip().partition("://")
    if not sep or not head or not head[0].isalpha():
        return None
    head = head.lower()
    return head if all(c in _SCHEME_CHARS for c in head) else None


def local_path(url: str | None, schemes: tuple[str, ...] = ()) -> str | None:
    """File-system path for an embedded engine from a plain path or ``scheme:///path`` URL.

    ``sqlite:///rel/x.db`` → ``rel/x.db``; ``sqlite:////abs/x.db`` → ``/abs/x.db``;
    ``sqlite://:memory:`` → ``:memory:``; a string without ``://`` is returned as is.
    """
    if url is None:
        return None
    from urllib.parse import unquote

    scheme = scheme_of(url)
    if scheme is None:
        return url
    if schemes and scheme not in schemes:
        raise ValueError(f"Expected a path or a {'/'.join(s + '://' for s in schemes)} URL, got scheme {scheme!r}.")
    rest = url.split("://", 1)[1]
    if rest in (":memory:", "/:memory:"):
        return ":memory:"
    if rest.startswith("/"):
        rest = rest[1:]  # sqlite:///rel → rel ; sqlite:////abs → /abs
    rest = rest.split("?", 1)[0]
    return unquote(rest) or None


def mask_url(url: str | None) -> str:
    """``url`` with its password and secret query parameters replaced by ``***``."""
    if not url:
        return ""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return "***"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if ":" in userinfo:
            user = userinfo.split(":", 1)[0]
            netloc = f"{user}:***@{host}"
        elif parts.scheme in ("redis", "rediss", "valkey", "libsql", "https", "http"):
            netloc = f"***@{host}"  # redis://token@host: the lone userinfo is the secret
    masked = url if netloc == parts.netloc else urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return _secret_query_re().sub(r"\1***", masked)


def secrets_of(url: str | None) -> list[str]:
    """The secret parts of ``url`` (password, lone token user, secret query values), for redaction."""
    if not url:
        return []
    from urllib.parse import unquote, urlsplit

    found: list[str] = []
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]
    if "@" in parts.netloc:
        userinfo = parts.netloc.rsplit("@", 1)[0]
        secret = userinfo.split(":", 1)[1] if ":" in userinfo else userinfo
        if secret and (":" in userinfo or parts.scheme in ("redis", "rediss", "valkey", "libsql", "https", "http")):
            found += [secret, unquote(secret)]
    for m in _secret_query_re().finditer(url):
        value = url[m.end(1) : m.end()]
        if value:
            found += [value, unquote(value)]
    return [s for s in dict.fromkeys(found) if len(s) >= 3]


def redact(text: str, *urls: str | None) -> str:
    """``text`` with every secret of ``urls`` replaced by ``***`` (for error messages and logs)."""
    for url in urls:
        if url:
            text = text.replace(url, mask_url(url))
        for secret in secrets_of(url):
            text = text.replace(secret, "***")
    return text
