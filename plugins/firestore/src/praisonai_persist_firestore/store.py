"""The ``firestore`` state store: one Firestore document per key, on google-cloud-firestore.

A document holds the raw key in ``k`` (queries range over it), a plain value as JSON text in
``v`` (Firestore maps would turn nested lists into errors and lose the int/float distinction
of JSON), a hash as a map ``h`` of field → JSON text (field names encoded, since Firestore reserves
``__x__`` names), and the expiry in ``exp`` as a
timestamp, the field a Firestore TTL policy deletes on (within a day or so, so every read also
checks it). Read-modify-write operations (``hset``, ``hdel``, ``expire``, ``delete``) run in
transactions, which Firestore retries on contention.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlsplit

from praisonai_persist.backends.memory_state import glob_match, glob_prefix
from praisonai_persist.errors import ConfigError, CorruptDataError, PersistError, StoreConnectionError, WrongTypeError
from praisonai_persist.identifiers import validate_identifier
from praisonai_persist.keycodec import decode_key, encode_key
from praisonai_persist.state import StateStore, check_expire_ttl, check_ttl, dump_json_value

__all__ = ["DEFAULT_COLLECTION", "FirestoreStateStore", "document_id", "parse_firestore_url"]

DEFAULT_COLLECTION = "praisonai_state"
#: Upper bound for prefix range queries: the largest code point sorts after every other one.
_MAX_CHAR = "\U0010ffff"
_T = TypeVar("_T")


def document_id(key: str) -> str:
    """The document id of ``key``: ``"k"`` + the encoded key (no ``/``, never ``.`` or ``__x__``)."""
    return "k" + encode_key(key)


def _field(name: str) -> str:
    """A hash field's name inside the ``h`` map: ``"f"`` + the encoded name (never reserved)."""
    return "f" + encode_key(name)


def _unfield(stored: str) -> str:
    return decode_key(stored[1:])


def parse_firestore_url(url: str) -> dict[str, str]:
    """``firestore://PROJECT/COLLECTION?database=DB`` → options (every part optional)."""
    parts = urlsplit(url)
    if parts.scheme != "firestore":
        raise ConfigError(f"A Firestore URL starts with firestore://, got {parts.scheme or 'no'} scheme.")
    if parts.username or parts.password:
        raise ConfigError("firestore:// URLs take no credentials: use application default credentials or credentials=.")
    options: dict[str, str] = {}
    if parts.netloc:
        options["project"] = parts.netloc
    if parts.path.strip("/"):
        options["collection"] = parts.path.strip("/")
    for item in filter(None, parts.query.split("&")):
        key, _, value = item.partition("=")
        if key != "database":
            raise ConfigError(f"Unknown firestore:// URL option {key!r}; known: database.")
        options["database"] = value
    return options


def _expiry(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(time.time() + seconds, dt.timezone.utc)


def _exp_seconds(data: dict[str, Any] | None) -> float | None:
    exp = (data or {}).get("exp")
    return None if exp is None else float(exp.timestamp())


def _live(data: dict[str, Any] | None, now: float) -> bool:
    if data is None:
        return False
    exp = _exp_seconds(data)
    return exp is None or exp > now


class FirestoreStateStore(StateStore):
    """Key-value state with TTLs and hashes as documents of one Firestore collection."""

    backend_name = "firestore"

    def __init__(
        self,
        url: str | None = None,
        *,
        project: str | None = None,
        collection: str | None = None,
        database: str | None = None,
        credentials: Any = None,
        emulator_host: str | None = None,
        timeout: float = 30.0,
        max_transaction_attempts: int = 50,
        client: Any = None,
    ) -> None:
        from_url = parse_firestore_url(url) if url else {}
        self.project = project or from_url.get("project")
        self.collection = validate_identifier(
            collection or from_url.get("collection") or DEFAULT_COLLECTION, "collection"
        )
        self.database = database or from_url.get("database")
        self.emulator_host = emulator_host or os.environ.get("FIRESTORE_EMULATOR_HOST")
        self.timeout = timeout
        self.max_transaction_attempts = max_transaction_attempts
        self._credentials = credentials
        self._client = client
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        where = f", emulator_host={self.emulator_host!r}" if self.emulator_host else ""
        return f"FirestoreStateStore(project={self.project!r}, collection={self.collection!r}{where})"

    # -- connection -------------------------------------------------------------------------

    def _make_client(self) -> Any:
        from google.cloud import firestore

        credentials = self._credentials
        if self.emulator_host and credentials is None:
            from google.auth.credentials import AnonymousCredentials

            credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
        client = firestore.Client(
            project=self.project or ("praisonai-persist" if self.emulator_host else None),
            credentials=credentials,
            database=self.database,
        )
        if self.emulator_host:
            # The client reads FIRESTORE_EMULATOR_HOST once, in its constructor; an emulator given
            # as an option is set the same way, before the first call opens the (insecure) channel.
            client._emulator_host = self.emulator_host
        return client

    def _db(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._call(self._make_client)
        return self._client

    def _col(self) -> Any:
        return self._db().collection(self.collection)

    def _ref(self, key: str) -> Any:
        if not isinstance(key, str):
            raise TypeError(f"State keys are strings, got {type(key).__name__}.")
        return self._col().document(document_id(key))

    def _call(self, fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """Run a client call; connection and credential failures become StoreConnectionError."""
        from google.api_core import exceptions as gexc
        from google.auth.exceptions import DefaultCredentialsError

        try:
            return fn(*args, **kwargs)
        except PersistError:
            raise
        except DefaultCredentialsError:
            raise StoreConnectionError(
                "No Google Cloud credentials found: set GOOGLE_APPLICATION_CREDENTIALS, run "
                "`gcloud auth application-default login`, pass credentials=, or point emulator_host= "
                "(or FIRESTORE_EMULATOR_HOST) at an emulator."
            ) from None
        except (gexc.ServiceUnavailable, gexc.DeadlineExceeded, gexc.RetryError) as exc:
            where = self.emulator_host or "firestore.googleapis.com"
            raise StoreConnectionError(f"Cannot reach Firestore at {where}: {type(exc).__name__}") from None
        except (gexc.Unauthenticated, gexc.PermissionDenied) as exc:
            raise StoreConnectionError(f"Firestore refused access: {exc.message}") from None

    def _retry(self) -> Any:
        from google.api_core.retry import Retry

        return Retry(timeout=self.timeout)

    def _snapshot(self, key: str, transaction: Any = None) -> dict[str, Any] | None:
        """The live document of ``key`` as a dict, or None."""
        ref = self._ref(key)
        if transaction is None:
            snap = self._call(ref.get, retry=self._retry(), timeout=self.timeout)
        else:
            snap = ref.get(transaction=transaction)
        data: dict[str, Any] | None = snap.to_dict() if snap.exists else None
        return data if _live(data, time.time()) else None

    def _transact(self, body: Callable[[Any], _T]) -> _T:
        """Run ``body(transaction)`` in a Firestore transaction (retried on contention)."""
        from google.cloud import firestore

        run: Callable[[Any], _T] = firestore.transactional(body)
        return self._call(run, self._db().transaction(max_attempts=self.max_transaction_attempts))

    @staticmethod
    def _decode(raw: Any, where: str) -> Any:
        try:
            return json.loads(raw)
        except (TypeError, ValueError) as exc:
            raise CorruptDataError(f"{where} does not hold JSON text: {exc}") from exc

    # -- values -----------------------------------------------------------------------------

    def get(self, key: str) -> Any | None:
        data = self._snapshot(key)
        if data is not None and "h" in data:
            raise WrongTypeError(key, "hash")
        if data is None or "v" not in data:
            return None
        return self._decode(data["v"], f"Document for key {key!r}")

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        seconds = check_ttl(ttl)
        doc = {"k": key, "v": dump_json_value(value), "exp": None if seconds is None else _expiry(seconds)}
        self._call(self._ref(key).set, doc, retry=self._retry(), timeout=self.timeout)

    def delete(self, key: str) -> bool:
        ref = self._ref(key)

        def body(transaction: Any) -> bool:
            snap = ref.get(transaction=transaction)
            if not snap.exists:
                return False
            transaction.delete(ref)
            return _live(snap.to_dict(), time.time())

        return self._transact(body)

    def exists(self, key: str) -> bool:
        return self._snapshot(key) is not None

    def _listing(self, prefix: str) -> Iterator[str]:
        """Live keys starting with ``prefix``, by a range query on ``k``."""
        from google.cloud.firestore_v1.base_query import FieldFilter

        query = self._col().select(["k", "exp"])
        if prefix:
            query = query.where(filter=FieldFilter("k", ">=", prefix)).where(
                filter=FieldFilter("k", "<", prefix + _MAX_CHAR)
            )
        now = time.time()
        stream = self._call(lambda: iter(query.stream(retry=self._retry(), timeout=self.timeout)))
        while True:
            snap = self._call(next, stream, None)
            if snap is None:
                return
            data = snap.to_dict()
            key = data.get("k")
            if isinstance(key, str) and key.startswith(prefix) and _live(data, now):
                yield key

    def keys(self, pattern: str = "*") -> list[str]:
        return [key for key in self._listing(glob_prefix(pattern)) if glob_match(pattern, key)]

    def scan_prefix(self, prefix: str) -> list[str]:
        return list(self._listing(prefix))

    def ttl(self, key: str) -> int | None:
        exp = _exp_seconds(self._snapshot(key))
        if exp is None:
            return None
        return max(1, math.ceil(exp - time.time()))

    def expire(self, key: str, ttl: int) -> bool:
        seconds = check_expire_ttl(ttl)
        ref = self._ref(key)

        def body(transaction: Any) -> bool:
            if self._snapshot(key, transaction) is None:
                return False
            transaction.update(ref, {"exp": _expiry(seconds)})
            return True

        return self._transact(body)

    # -- hashes -----------------------------------------------------------------------------

    def hget(self, key: str, field: str) -> Any | None:
        raw = _hash_of(self._snapshot(key), key).get(_field(field))
        return None if raw is None else self._decode(raw, f"Field {field!r} of hash {key!r}")

    def hset(self, key: str, field: str, value: Any) -> None:
        from google.cloud.firestore_v1.field_path import FieldPath

        encoded = dump_json_value(value)
        ref = self._ref(key)

        def body(transaction: Any) -> None:
            data = self._snapshot(key, transaction)
            if data is None:
                transaction.set(ref, {"k": key, "h": {_field(field): encoded}, "exp": None})
            else:
                _hash_of(data, key)  # a plain value raises WrongTypeError; the transaction writes nothing
                transaction.update(ref, {FieldPath("h", _field(field)).to_api_repr(): encoded})

        self._transact(body)

    def hgetall(self, key: str) -> dict[str, Any]:
        stored = _hash_of(self._snapshot(key), key)
        return {_unfield(f): self._decode(v, f"Field {_unfield(f)!r} of hash {key!r}") for f, v in stored.items()}

    def hdel(self, key: str, *fields: str) -> int:
        from google.cloud import firestore
        from google.cloud.firestore_v1.field_path import FieldPath

        ref = self._ref(key)

        def body(transaction: Any) -> int:
            stored = _hash_of(self._snapshot(key, transaction), key)
            present = [_field(f) for f in dict.fromkeys(fields) if _field(f) in stored]
            if present:
                transaction.update(ref, {FieldPath("h", f).to_api_repr(): firestore.DELETE_FIELD for f in present})
            return len(present)

        return self._transact(body)

    # -- lifecycle --------------------------------------------------------------------------

    def clear(self) -> int:
        """Delete every document of this store's collection (tests and teardown); how many."""
        refs = list(self._call(lambda: list(self._col().list_documents())))
        for ref in refs:
            self._call(ref.delete)
        return len(refs)

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()


def _hash_of(data: dict[str, Any] | None, key: str) -> dict[str, Any]:
    """The stored fields of a live hash document ({} when missing); a plain value raises WrongTypeError."""
    if data is None:
        return {}
    if "h" not in data:
        raise WrongTypeError(key, "value")
    fields: dict[str, Any] = data["h"]
    return fields
