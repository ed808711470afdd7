"""The ``gcs`` state store: one Cloud Storage object per key, on google-cloud-storage.

An object holds ``{"v": value, "exp": epoch seconds or null}`` (or ``"h"``, a map of fields,
for a hash) as JSON, and repeats the expiry in its custom metadata ``expires-at`` so listings
can skip expired keys without downloading them. Cloud Storage never deletes them by itself
unless a lifecycle rule says so, so every read checks the expiry. Read-modify-write operations
(``hset``, ``hdel``, ``expire``) upload with ``if_generation_match``, so a concurrent writer
makes the loser retry instead of being overwritten.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlsplit

from praisonai_persist.backends.memory_state import glob_match, glob_prefix
from praisonai_persist.errors import ConfigError, CorruptDataError, PersistError, StoreConnectionError, WrongTypeError
from praisonai_persist.keycodec import decode_key, encode_key
from praisonai_persist.state import StateStore, check_expire_ttl, check_ttl, dump_json_value

__all__ = ["DEFAULT_PREFIX", "GCSStateStore", "parse_gcs_url"]

DEFAULT_PREFIX = "praisonai-state/"
_EXPIRES = "expires-at"
_T = TypeVar("_T")
_RACE_RETRIES = 20


def parse_gcs_url(url: str) -> dict[str, str]:
    """``gs://BUCKET/PREFIX`` (or ``gcs://``) → ``{"bucket": ..., "prefix": ...}``."""
    parts = urlsplit(url)
    if parts.scheme not in ("gs", "gcs"):
        raise ConfigError(f"A Cloud Storage URL starts with gs:// or gcs://, got {parts.scheme or 'no'} scheme.")
    if parts.username or parts.password or parts.query:
        raise ConfigError("gs:// URLs hold only a bucket and a prefix; credentials and options go in keyword options.")
    options = {"bucket": parts.netloc} if parts.netloc else {}
    if parts.path.strip("/"):
        options["prefix"] = parts.path.lstrip("/").rstrip("/") + "/"
    return options


def _dump(record: dict[str, Any]) -> bytes:
    return dump_json_value(record).encode("utf-8")


def _live_exp(exp: Any, now: float) -> bool:
    return exp is None or float(exp) > now


class GCSStateStore(StateStore):
    """Key-value state with TTLs and hashes as JSON objects under a prefix of one bucket."""

    backend_name = "gcs"

    def __init__(
        self,
        url: str | None = None,
        *,
        bucket: str | None = None,
        prefix: str | None = None,
        project: str | None = None,
        credentials: Any = None,
        api_endpoint: str | None = None,
        create_bucket: bool = False,
        timeout: float = 30.0,
        retry_deadline: float = 30.0,
        client: Any = None,
    ) -> None:
        from_url = parse_gcs_url(url) if url else {}
        name = bucket or from_url.get("bucket")
        if not name:
            raise ConfigError("The gcs state store needs a bucket: gs://BUCKET/PREFIX or bucket=.")
        self.bucket_name = name
        self.prefix = prefix if prefix is not None else from_url.get("prefix", DEFAULT_PREFIX)
        self.project = project
        self.api_endpoint = api_endpoint
        self.create_bucket = create_bucket
        self.timeout = timeout
        self.retry_deadline = retry_deadline
        self._retry: Any = None
        self._credentials = credentials
        self._client = client
        self._bucket: Any = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"GCSStateStore(bucket={self.bucket_name!r}, prefix={self.prefix!r})"

    # -- connection -------------------------------------------------------------------------

    def _make_client(self) -> Any:
        from google.cloud import storage  # type: ignore[attr-defined,unused-ignore]

        options = {"api_endpoint": self.api_endpoint} if self.api_endpoint else None
        return storage.Client(project=self.project, credentials=self._credentials, client_options=options)

    def _bucket_handle(self) -> Any:
        if self._bucket is not None:
            return self._bucket
        with self._lock:
            if self._bucket is None:
                if self._client is None:
                    self._client = self._call(self._make_client)
                from google.cloud.storage.retry import DEFAULT_RETRY

                # The library retries transient errors for 120 s by default; bounded here so an
                # unreachable endpoint fails within retry_deadline.
                self._retry = DEFAULT_RETRY.with_timeout(self.retry_deadline)
                handle = self._client.bucket(self.bucket_name)
                if self.create_bucket and not self._call(handle.exists, timeout=self.timeout, retry=self._retry):
                    from google.api_core.exceptions import Conflict

                    try:
                        self._call(self._client.create_bucket, handle, timeout=self.timeout, retry=self._retry)
                    except Conflict:
                        pass  # created meanwhile by another process
                self._bucket = handle
        return self._bucket

    def _call(self, fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """Run a client call; connection and credential failures become StoreConnectionError."""
        from google.api_core import exceptions as gexc
        from google.api_core.exceptions import RetryError
        from google.auth.exceptions import DefaultCredentialsError, TransportError
        from requests.exceptions import ConnectionError as RequestsConnectionError
        from requests.exceptions import Timeout

        try:
            return fn(*args, **kwargs)
        except PersistError:
            raise
        except DefaultCredentialsError:
            raise StoreConnectionError(
                "No Google Cloud credentials found: set GOOGLE_APPLICATION_CREDENTIALS, run "
                "`gcloud auth application-default login`, or pass credentials=."
            ) from None
        except (RequestsConnectionError, Timeout, TransportError, RetryError) as exc:
            where = self.api_endpoint or "storage.googleapis.com"
            raise StoreConnectionError(f"Cannot reach Cloud Storage at {where}: {type(exc).__name__}") from None
        except (gexc.Unauthorized, gexc.Forbidden) as exc:
            raise StoreConnectionError(
                f"Cloud Storage refused access to bucket {self.bucket_name!r}: {exc.message}"
            ) from None
        except gexc.NotFound as exc:
            if "bucket" in str(exc).lower() and "object" not in str(exc).lower():
                raise ConfigError(
                    f"Bucket {self.bucket_name!r} does not exist (pass create_bucket=True to create it)."
                ) from None
            raise

    def _name(self, key: str) -> str:
        if not isinstance(key, str):
            raise TypeError(f"State keys are strings, got {type(key).__name__}.")
        name = self.prefix + encode_key(key)
        if name in (".", ".."):
            raise ValueError(f"Key {key!r} cannot be an object name without a prefix.")
        return name

    # -- object access ----------------------------------------------------------------------

    def _read(self, key: str) -> tuple[dict[str, Any] | None, int | None]:
        """The live record of ``key`` (or None) and the precondition for rewriting it.

        The precondition is 0 when the object does not exist (the upload must create it), its
        generation when it exists, or None when the server did not report one (emulators that
        send no ``x-goog-generation`` header), in which case the rewrite is unconditional.
        """
        from google.api_core.exceptions import NotFound

        blob = self._bucket_handle().blob(self._name(key))
        try:
            data = self._call(blob.download_as_bytes, timeout=self.timeout, retry=self._retry)
        except NotFound:
            return None, 0
        try:
            record = json.loads(data)
        except ValueError as exc:
            raise CorruptDataError(f"Object {blob.name!r} in bucket {self.bucket_name!r} is not JSON: {exc}") from exc
        if not isinstance(record, dict) or not ("v" in record or "h" in record):
            raise CorruptDataError(f"Object {blob.name!r} in bucket {self.bucket_name!r} is not a state record.")
        generation = blob.generation
        if not _live_exp(record.get("exp"), time.time()):
            return None, generation
        return record, generation

    def _write(self, key: str, record: dict[str, Any], generation: int | None = None) -> None:
        """Upload ``record``; with ``generation`` (0: must not exist) the upload is conditional."""
        blob = self._bucket_handle().blob(self._name(key))
        exp = record.get("exp")
        blob.metadata = {_EXPIRES: repr(exp)} if exp is not None else None
        kwargs: dict[str, Any] = {"content_type": "application/json", "timeout": self.timeout, "retry": self._retry}
        if generation is not None:
            kwargs["if_generation_match"] = generation
        self._call(blob.upload_from_string, _dump(record), **kwargs)

    def _update(self, key: str, change: Callable[[dict[str, Any] | None], dict[str, Any] | None]) -> None:
        """Read-modify-write of one key, retried when a concurrent writer changed it first."""
        from google.api_core.exceptions import NotFound, PreconditionFailed

        for _ in range(_RACE_RETRIES):
            record, generation = self._read(key)
            new = change(record)
            if new is None:
                return
            try:
                self._write(key, new, generation)
                return
            except (PreconditionFailed, NotFound):
                continue
        raise PersistError(f"Key {key!r} kept changing under concurrent writers; gave up after {_RACE_RETRIES} tries.")

    def _metadata(self, key: str) -> Any | None:
        """The object's metadata (no download), or None when it is missing."""
        return self._call(self._bucket_handle().get_blob, self._name(key), timeout=self.timeout, retry=self._retry)

    @staticmethod
    def _blob_exp(blob: Any) -> float | None:
        raw = (blob.metadata or {}).get(_EXPIRES)
        return None if raw is None else float(raw)

    # -- values -----------------------------------------------------------------------------

    def get(self, key: str) -> Any | None:
        record, _ = self._read(key)
        if record is not None and "h" in record:
            raise WrongTypeError(key, "hash")
        return None if record is None else record["v"]

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        seconds = check_ttl(ttl)
        exp = None if seconds is None else time.time() + seconds
        self._write(key, {"v": value, "exp": exp})

    def delete(self, key: str) -> bool:
        from google.api_core.exceptions import NotFound, PreconditionFailed

        blob = self._metadata(key)
        if blob is None:
            return False
        live = _live_exp(self._blob_exp(blob), time.time())
        try:
            self._call(blob.delete, if_generation_match=blob.generation, timeout=self.timeout, retry=self._retry)
        except (NotFound, PreconditionFailed):
            return False  # deleted or replaced meanwhile: that writer's outcome stands
        return live

    def exists(self, key: str) -> bool:
        blob = self._metadata(key)
        return blob is not None and _live_exp(self._blob_exp(blob), time.time())

    def _listing(self, prefix: str) -> Iterator[tuple[str, Any]]:
        """``(key, blob)`` of every live object whose key starts with ``prefix``."""
        bucket = self._bucket_handle()
        client = self._client
        now = time.time()
        start = len(self.prefix)
        blobs = self._call(
            client.list_blobs, bucket, prefix=self.prefix + encode_key(prefix), timeout=self.timeout, retry=self._retry
        )
        pages = self._call(lambda: iter(blobs.pages))
        while True:
            page = self._call(next, pages, None)
            if page is None:
                return
            for blob in page:
                if not _live_exp(self._blob_exp(blob), now):
                    continue
                try:
                    key = decode_key(blob.name[start:])
                except ValueError:
                    continue  # an object this store did not write
                yield key, blob

    def keys(self, pattern: str = "*") -> list[str]:
        return [key for key, _ in self._listing(glob_prefix(pattern)) if glob_match(pattern, key)]

    def scan_prefix(self, prefix: str) -> list[str]:
        return [key for key, _ in self._listing(prefix)]

    def ttl(self, key: str) -> int | None:
        blob = self._metadata(key)
        if blob is None:
            return None
        exp = self._blob_exp(blob)
        if exp is None or exp <= time.time():
            return None
        return max(1, math.ceil(exp - time.time()))

    def expire(self, key: str, ttl: int) -> bool:
        seconds = check_expire_ttl(ttl)
        found = False

        def change(record: dict[str, Any] | None) -> dict[str, Any] | None:
            nonlocal found
            found = record is not None
            if record is None:
                return None
            return {**record, "exp": time.time() + seconds}

        self._update(key, change)
        return found

    # -- hashes -----------------------------------------------------------------------------

    def hget(self, key: str, field: str) -> Any | None:
        record, _ = self._read(key)
        return _hash_of(record, key).get(field)

    def hset(self, key: str, field: str, value: Any) -> None:
        _dump({"v": value})  # refuse a non-JSON value before any request

        def change(record: dict[str, Any] | None) -> dict[str, Any]:
            if record is None:
                return {"h": {field: value}, "exp": None}
            return {**record, "h": {**_hash_of(record, key), field: value}}

        self._update(key, change)

    def hgetall(self, key: str) -> dict[str, Any]:
        record, _ = self._read(key)
        return dict(_hash_of(record, key))

    def hdel(self, key: str, *fields: str) -> int:
        removed = 0

        def change(record: dict[str, Any] | None) -> dict[str, Any] | None:
            nonlocal removed
            hash_ = _hash_of(record, key)
            gone = [f for f in dict.fromkeys(fields) if f in hash_]
            removed = len(gone)
            if record is None or not gone:
                return None
            return {**record, "h": {f: v for f, v in hash_.items() if f not in gone}}

        self._update(key, change)
        return removed

    # -- lifecycle --------------------------------------------------------------------------

    def clear(self) -> int:
        """Delete every object under this store's prefix (tests and teardown); how many."""
        bucket = self._bucket_handle()
        blobs = list(
            self._call(self._client.list_blobs, bucket, prefix=self.prefix, timeout=self.timeout, retry=self._retry)
        )
        for blob in blobs:
            self._call(blob.delete, timeout=self.timeout, retry=self._retry)
        return len(blobs)

    def close(self) -> None:
        client, self._client, self._bucket = self._client, None, None
        if client is not None:
            client.close()


def _hash_of(record: dict[str, Any] | None, key: str) -> dict[str, Any]:
    """The fields of a live hash record ({} when missing); a plain-value record raises WrongTypeError."""
    if record is None:
        return {}
    if "h" not in record:
        raise WrongTypeError(key, "value")
    fields: dict[str, Any] = record["h"]
    return fields
