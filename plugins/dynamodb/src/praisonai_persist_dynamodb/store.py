"""The ``dynamodb`` state store: one DynamoDB item per key, on boto3.

Item layout (partition key ``k``, a string): ``v`` holds a plain value as JSON text (so every
JSON type round-trips exactly, which DynamoDB's own number and empty-value rules would not
allow), ``h`` a hash as a map of field → JSON text, and ``exp`` the expiry as epoch seconds,
the attribute DynamoDB's TTL deletes on (it does so within hours, so every read also checks
``exp`` itself). Writes that could race (``hset`` creating a hash, ``expire`` on a live key,
``hdel``) are conditional, and ``keys`` pages through the whole table instead of stopping at
the first 1 MB page as PraisonAI's store does.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from praisonai_persist.backends.memory_state import glob_match, glob_prefix
from praisonai_persist.errors import ConfigError, PersistError, StoreConnectionError, WrongTypeError
from praisonai_persist.identifiers import validate_identifier
from praisonai_persist.state import StateStore, check_expire_ttl, check_ttl, dump_json_value
from praisonai_persist.urls import redact

__all__ = ["DEFAULT_TABLE", "DynamoDBStateStore", "parse_dynamodb_url"]

DEFAULT_TABLE = "praisonai_state"
#: Options a ``dynamodb://`` URL may carry in its query string.
_URL_OPTIONS = frozenset({"region_name", "endpoint_url", "table_name", "key_prefix", "create_table"})
_TRUE = frozenset({"1", "true", "yes", "on"})


def parse_dynamodb_url(url: str) -> dict[str, Any]:
    """Options from ``dynamodb://TABLE?region_name=..&endpoint_url=..`` (TABLE may be empty).

    Credentials never go in the URL: they come from boto3's usual chain (environment, profile,
    instance role) or the ``aws_access_key_id`` / ``aws_secret_access_key`` options.
    """
    parts = urlsplit(url)
    if parts.scheme != "dynamodb":
        raise ConfigError(f"A dynamodb URL starts with dynamodb://, got {parts.scheme or 'no'} scheme.")
    if parts.username or parts.password:
        raise ConfigError(
            "dynamodb:// URLs take no user or password: credentials come from boto3's chain "
            "(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance role) or the options."
        )
    options: dict[str, Any] = {}
    table = (parts.hostname or "") + parts.path.strip("/")
    if table:
        options["table_name"] = table
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key not in _URL_OPTIONS:
            raise ConfigError(f"Unknown dynamodb:// URL option {key!r}; known: {', '.join(sorted(_URL_OPTIONS))}.")
        options[key] = value.lower() in _TRUE if key == "create_table" else value
    return options


class DynamoDBStateStore(StateStore):
    """Key-value state with TTLs and hashes in one DynamoDB table (created on first use)."""

    backend_name = "dynamodb"

    def __init__(
        self,
        url: str | None = None,
        *,
        table_name: str | None = None,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        profile_name: str | None = None,
        key_prefix: str = "",
        create_table: bool = True,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        max_attempts: int = 5,
        scan_page_size: int | None = None,
        client: Any = None,
    ) -> None:
        from_url = parse_dynamodb_url(url) if url else {}
        self.table_name = validate_identifier(table_name or from_url.get("table_name") or DEFAULT_TABLE, "table_name")
        self.key_prefix = key_prefix or from_url.get("key_prefix", "")
        self.create_table = bool(from_url.get("create_table", create_table))
        self._endpoint = endpoint_url or from_url.get("endpoint_url")
        self._region = region_name or from_url.get("region_name")
        self._secrets = [s for s in (aws_secret_access_key, aws_session_token) if s]
        self._client_args: dict[str, Any] = {
            "aws_access_key_id": aws_access_key_id,
            "aws_secret_access_key": aws_secret_access_key,
            "aws_session_token": aws_session_token,
            "profile_name": profile_name,
            "connect_timeout": connect_timeout,
            "read_timeout": read_timeout,
            "max_attempts": max_attempts,
        }
        self.scan_page_size = scan_page_size
        self._client = client
        self._ready = False
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        where = f", endpoint_url={self._endpoint!r}" if self._endpoint else ""
        return f"DynamoDBStateStore(table_name={self.table_name!r}{where})"

    # -- connection and table ---------------------------------------------------------------

    def _make_client(self) -> Any:
        import boto3
        from botocore.config import Config

        args = self._client_args
        session = boto3.session.Session(
            aws_access_key_id=args["aws_access_key_id"],
            aws_secret_access_key=args["aws_secret_access_key"],
            aws_session_token=args["aws_session_token"],
            profile_name=args["profile_name"],
            region_name=self._region,
        )
        config = Config(
            connect_timeout=args["connect_timeout"],
            read_timeout=args["read_timeout"],
            retries={"max_attempts": args["max_attempts"], "mode": "adaptive"},
        )
        return session.client("dynamodb", endpoint_url=self._endpoint, config=config)

    def _db(self) -> Any:
        """The boto3 client, with the table checked (and created) on first use."""
        if self._ready:
            return self._client
        with self._lock:
            if not self._ready:
                if self._client is None:
                    self._client = self._call(self._make_client)
                self._call(self._ensure_table)
                self._ready = True
        return self._client

    def _ensure_table(self) -> None:
        client = self._client
        try:
            client.describe_table(TableName=self.table_name)
            return
        except client.exceptions.ResourceNotFoundException:
            if not self.create_table:
                raise ConfigError(
                    f"DynamoDB table {self.table_name!r} does not exist and create_table=False."
                ) from None
        try:
            client.create_table(
                TableName=self.table_name,
                AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                BillingMode="PAY_PER_REQUEST",
            )
        except client.exceptions.ResourceInUseException:
            pass  # another process created it first
        client.get_waiter("table_exists").wait(TableName=self.table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
        try:
            client.update_time_to_live(
                TableName=self.table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"}
            )
        except client.exceptions.ClientError as exc:
            # Already enabled by a concurrent creator; reads check "exp" themselves anyway.
            if "TimeToLive is already enabled" not in str(exc):
                raise

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a boto3 call, turning connection and credential failures into StoreConnectionError."""
        from botocore.exceptions import (
            BotoCoreError,
            ClientError,
            EndpointConnectionError,
            NoCredentialsError,
            NoRegionError,
        )

        try:
            return fn(*args, **kwargs)
        except PersistError:
            raise
        except NoRegionError:
            raise ConfigError(
                "No AWS region: pass region_name= (or ?region_name= in the URL) or set AWS_DEFAULT_REGION."
            ) from None
        except NoCredentialsError:
            raise StoreConnectionError(
                "No AWS credentials found: set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, "
                "or pass aws_access_key_id= and aws_secret_access_key=."
            ) from None
        except EndpointConnectionError as exc:
            raise StoreConnectionError(
                f"Cannot reach DynamoDB at {self._endpoint or 'the AWS endpoint'}: {self._clean(exc)}"
            ) from None
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in {"UnrecognizedClientException", "InvalidSignatureException", "AccessDeniedException"}:
                raise StoreConnectionError(f"DynamoDB refused the credentials ({code}): {self._clean(exc)}") from None
            raise
        except BotoCoreError as exc:
            raise StoreConnectionError(f"DynamoDB call failed: {self._clean(exc)}") from None

    def _clean(self, exc: BaseException) -> str:
        text = str(exc)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return redact(text, self._endpoint)

    # -- helpers ----------------------------------------------------------------------------

    def _k(self, key: str) -> dict[str, dict[str, str]]:
        if not isinstance(key, str):
            raise TypeError(f"State keys are strings, got {type(key).__name__}.")
        return {"k": {"S": self.key_prefix + key}}

    @staticmethod
    def _live(item: Mapping[str, Any] | None, now: float) -> bool:
        if not item:
            return False
        exp = item.get("exp")
        return exp is None or float(exp["N"]) > now

    def _get_item(self, key: str) -> dict[str, Any] | None:
        client = self._db()
        reply = self._call(client.get_item, TableName=self.table_name, Key=self._k(key), ConsistentRead=True)
        item: dict[str, Any] | None = reply.get("Item")
        return item if self._live(item, time.time()) else None

    def _is_conditional_failure(self, exc: Exception) -> bool:
        from botocore.exceptions import ClientError

        return isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in {
            "ConditionalCheckFailedException",
            "ValidationException",
        }

    # -- values -----------------------------------------------------------------------------

    def get(self, key: str) -> Any | None:
        item = self._get_item(key)
        if item is not None and "h" in item:
            raise WrongTypeError(key, "hash")
        if item is None or "v" not in item:
            return None
        return json.loads(item["v"]["S"])

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        seconds = check_ttl(ttl)
        item: dict[str, Any] = {**self._k(key), "v": {"S": dump_json_value(value)}}
        if seconds is not None:
            item["exp"] = {"N": repr(time.time() + seconds)}
        client = self._db()
        self._call(client.put_item, TableName=self.table_name, Item=item)

    def delete(self, key: str) -> bool:
        client = self._db()
        reply = self._call(client.delete_item, TableName=self.table_name, Key=self._k(key), ReturnValues="ALL_OLD")
        return self._live(reply.get("Attributes"), time.time())

    def exists(self, key: str) -> bool:
        return self._get_item(key) is not None

    def _scan(self, prefix: str) -> Iterator[dict[str, Any]]:
        """Every item whose key starts with ``key_prefix + prefix``, across all pages."""
        client = self._db()
        full = self.key_prefix + prefix
        args: dict[str, Any] = {
            "TableName": self.table_name,
            "ConsistentRead": True,
            "ProjectionExpression": "#k, #e",
            "ExpressionAttributeNames": {"#k": "k", "#e": "exp"},
        }
        if full:
            args["FilterExpression"] = "begins_with(#k, :p)"
            args["ExpressionAttributeValues"] = {":p": {"S": full}}
        if self.scan_page_size:
            args["PaginationConfig"] = {"PageSize": self.scan_page_size}
        paginator = client.get_paginator("scan")
        pages = self._call(lambda: iter(paginator.paginate(**args)))
        while True:
            page = self._call(next, pages, None)
            if page is None:
                return
            yield from page.get("Items", [])

    def keys(self, pattern: str = "*") -> list[str]:
        now = time.time()
        cut = len(self.key_prefix)
        out = []
        for item in self._scan(glob_prefix(pattern)):
            if self._live(item, now):
                key = item["k"]["S"][cut:]
                if glob_match(pattern, key):
                    out.append(key)
        return out

    def scan_prefix(self, prefix: str) -> list[str]:
        now = time.time()
        cut = len(self.key_prefix)
        return [item["k"]["S"][cut:] for item in self._scan(prefix) if self._live(item, now)]

    def ttl(self, key: str) -> int | None:
        item = self._get_item(key)
        if item is None or "exp" not in item:
            return None
        return max(1, math.ceil(float(item["exp"]["N"]) - time.time()))

    def expire(self, key: str, ttl: int) -> bool:
        seconds = check_expire_ttl(ttl)
        now = time.time()
        client = self._db()
        try:
            self._call(
                client.update_item,
                TableName=self.table_name,
                Key=self._k(key),
                UpdateExpression="SET #e = :e",
                ConditionExpression="attribute_exists(k) AND (attribute_not_exists(#e) OR #e > :now)",
                ExpressionAttributeNames={"#e": "exp"},
                ExpressionAttributeValues={":e": {"N": repr(now + seconds)}, ":now": {"N": repr(now)}},
            )
        except Exception as exc:
            if self._is_conditional_failure(exc):
                return False
            raise
        return True

    # -- hashes -----------------------------------------------------------------------------

    def hget(self, key: str, field: str) -> Any | None:
        item = self._hash_item(key)
        if item is None:
            return None
        raw = item["h"]["M"].get(field)
        return None if raw is None else json.loads(raw["S"])

    def hset(self, key: str, field: str, value: Any) -> None:
        encoded = {"S": dump_json_value(value)}
        client = self._db()
        names = {"#h": "h", "#f": field, "#e": "exp"}
        now = {"N": repr(time.time())}
        for _ in range(20):
            # A live hash: set the one field in place.
            try:
                self._call(
                    client.update_item,
                    TableName=self.table_name,
                    Key=self._k(key),
                    UpdateExpression="SET #h.#f = :v",
                    ConditionExpression="attribute_exists(#h) AND (attribute_not_exists(#e) OR #e > :now)",
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues={":v": encoded, ":now": now},
                )
                return
            except Exception as exc:
                if not self._is_conditional_failure(exc):
                    raise
            # No live hash: create it if no live key exists (a plain value is never overwritten).
            try:
                self._call(
                    client.put_item,
                    TableName=self.table_name,
                    Item={**self._k(key), "h": {"M": {field: encoded}}},
                    ConditionExpression="attribute_not_exists(k) OR (attribute_exists(#e) AND #e <= :now)",
                    ExpressionAttributeNames={"#e": "exp"},
                    ExpressionAttributeValues={":now": now},
                )
                return
            except Exception as exc:
                if not self._is_conditional_failure(exc):
                    raise
            self._hash_item(key)  # a live plain value raises WrongTypeError; otherwise retry
        raise PersistError(f"hset({key!r}, {field!r}) kept racing with other writers; giving up after 20 tries.")

    def hgetall(self, key: str) -> dict[str, Any]:
        item = self._hash_item(key)
        if item is None:
            return {}
        return {f: json.loads(v["S"]) for f, v in item["h"]["M"].items()}

    def _hash_item(self, key: str) -> dict[str, Any] | None:
        """The live item of ``key`` when it is a hash, ``None`` when missing; a plain value raises."""
        item = self._get_item(key)
        if item is not None and "h" not in item:
            raise WrongTypeError(key, "value")
        return item

    def hdel(self, key: str, *fields: str) -> int:
        if not fields:
            return 0
        wanted = list(dict.fromkeys(fields))
        names = {"#h": "h", "#e": "exp", **{f"#f{i}": f for i, f in enumerate(wanted)}}
        client = self._db()
        try:
            reply = self._call(
                client.update_item,
                TableName=self.table_name,
                Key=self._k(key),
                UpdateExpression="REMOVE " + ", ".join(f"#h.#f{i}" for i in range(len(wanted))),
                ConditionExpression="attribute_exists(#h) AND (attribute_not_exists(#e) OR #e > :now)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={":now": {"N": repr(time.time())}},
                ReturnValues="UPDATED_OLD",
            )
        except Exception as exc:
            if self._is_conditional_failure(exc):
                self._hash_item(key)  # a live plain value raises WrongTypeError
                return 0
            raise
        old = reply.get("Attributes", {}).get("h", {}).get("M", {})
        return sum(1 for f in wanted if f in old)

    # -- lifecycle --------------------------------------------------------------------------

    def drop_table(self) -> bool:
        """Delete the whole table (tests and teardown); ``True`` if it existed."""
        client = self._client or self._call(self._make_client)
        self._client = client
        try:
            self._call(client.delete_table, TableName=self.table_name)
        except client.exceptions.ResourceNotFoundException:
            return False
        finally:
            self._ready = False
        return True

    def close(self) -> None:
        client, self._client, self._ready = self._client, None, False
        if client is not None:
            client.close()
