"""The redis knowledge store's logic, free of I/O: each operation is a generator that yields
batches of Redis commands and receives their replies, so one implementation serves the sync
(redis.Redis) and async (redis.asyncio) stores, which only execute the batches.

Layout under ``key_prefix`` (default ``praison_kb:``): ``collections`` (hash: name → JSON info),
``c:NAME:nk`` (set of metadata keys that held numbers), ``c:NAME:d:ID`` (one hash per document:
content, metadata JSON, content_hash, created_at, float32 embedding, value tokens, numeric fields),
``c:NAME:ids`` (sorted set of every document id, all scored 0: ``scroll`` pages it by id with
``ZRANGE ... BYLEX``, as Redis 8.2 vector sets have no ordered iteration and FT has no id ranges),
``c:NAME:vs`` (the vector set, engine ``vectorset``) or the index ``idx:NAME`` (engine
``query_engine``, FT.* over the document hashes).
"""

from __future__ import annotations

import json
import struct
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

from praisonai_persist import (
    CollectionNotFoundError,
    DimensionMismatchError,
    DocumentExistsError,
    KnowledgeDocument,
    PersistError,
)
from praisonai_persist.filters import FilterNode, parse_filter
from praisonai_persist.identifiers import validate_dimension, validate_identifier
from praisonai_persist.knowledge import (
    ScrollPage,
    check_embedding,
    check_limit,
    check_same_distance,
    check_scroll_limit,
    check_vectors,
)
from praisonai_persist.models import CollectionInfo as Description
from praisonai_persist.scores import normalize_distance, similarity_from_euclidean_distance

from .filters import (
    NUMERIC_FIELD_PREFIX,
    TAG_FIELD,
    document_tokens,
    ft_query,
    numeric_fields,
    vectorset_expression,
)

__all__ = ["ENGINES", "KnowledgeCore", "Op", "RedisFeatureError"]

Command = tuple[Any, ...]
Op = Generator[list[Command], list[Any], Any]
ENGINES = ("auto", "vectorset", "query_engine")
CHUNK = 1000
_FT_METRIC = {"cosine": "COSINE", "euclidean": "L2", "dot": "IP"}
_DOC_FIELDS = ("content", "metadata", "content_hash", "created_at", "vec")


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class RedisFeatureError(PersistError, RuntimeError):
    """The Redis server lacks what the store needs (vector sets or the Query Engine)."""


# Compare-and-set of a registry entry: the id index is marked complete only if the collection
# was neither dropped nor re-created while it was being built.
_MARK_IDS = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
"""


@dataclass(frozen=True)
class CollectionInfo:
    """A collection's registry entry; ``ids`` says its ``c:NAME:ids`` index holds every document."""

    dimension: int
    distance: str
    engine: str
    ids: bool = True

    def dumps(self, metadata: dict[str, Any] | None) -> str:
        data = {"dimension": self.dimension, "distance": self.distance, "engine": self.engine, "metadata": metadata}
        if self.ids:
            data["ids"] = True
        return json.dumps(data)

    @classmethod
    def loads(cls, raw: bytes | str) -> CollectionInfo:
        data = json.loads(raw)
        # Entries written before the id index existed have no "ids" flag: scroll builds the index once.
        return cls(int(data["dimension"]), str(data["distance"]), str(data["engine"]), bool(data.get("ids")))


def _s(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode("utf-8", "surrogatepass") if isinstance(value, bytes) else value


def _pack(vector: Sequence[float]) -> bytes:
    return struct.pack(f"<{len(vector)}f", *vector)


def _unpack(blob: bytes) -> list[float]:
    return list(struct.unpack(f"<{len(blob) // 4}f", blob))


def _pairs(reply: Any) -> dict[str, Any]:
    """A RESP2 flat [k, v, k, v] list or a RESP3 map as a dict with str keys."""
    if isinstance(reply, dict):
        return {_s(k): v for k, v in reply.items()}
    items = list(reply or [])
    return {_s(items[i]): items[i + 1] for i in range(0, len(items) - 1, 2)}


def _ft_reply(reply: Any) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
    """FT.SEARCH reply (RESP2 list or RESP3 map) as (total, [(key, fields)])."""
    if isinstance(reply, dict):
        data = _pairs(reply)
        rows = [
            (_s(r[b"id"] if b"id" in r else r["id"]), _pairs(r.get(b"extra_attributes", r.get("extra_attributes", {}))))
            for r in data.get("results", [])
        ]
        return int(data.get("total_results", 0)), rows
    items = list(reply)
    total, rest = int(items[0]), items[1:]
    if rest and not isinstance(rest[1] if len(rest) > 1 else None, (list, dict)):
        return total, [(_s(k), {}) for k in rest]  # NOCONTENT: keys only
    return total, [(_s(rest[i]), _pairs(rest[i + 1])) for i in range(0, len(rest) - 1, 2)]


class KnowledgeCore:
    """State and command plans of one store (key prefix, engine preference, collection cache)."""

    def __init__(self, key_prefix: str, engine: str, exact: bool, quantization: str, ft_algorithm: str) -> None:
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}.")
        if quantization.upper() not in ("NOQUANT", "Q8", "BIN"):
            raise ValueError(f"quantization must be NOQUANT, Q8 or BIN, got {quantization!r}.")
        if ft_algorithm.upper() not in ("FLAT", "HNSW"):
            raise ValueError(f"ft_algorithm must be FLAT or HNSW, got {ft_algorithm!r}.")
        self.prefix = key_prefix
        self.engine = engine
        self.exact = exact
        self.quantization = quantization.upper()
        self.ft_algorithm = ft_algorithm.upper()
        self.registry = key_prefix + "collections"
        self._info: dict[str, CollectionInfo] = {}
        self._features: tuple[bool, bool] | None = None

    # -- names ---------------------------------------------------------------------------

    def _vs(self, name: str) -> str:
        return f"{self.prefix}c:{name}:vs"

    def _nk(self, name: str) -> str:
        return f"{self.prefix}c:{name}:nk"

    def _doc_prefix(self, name: str) -> str:
        return f"{self.prefix}c:{name}:d:"

    def _doc(self, name: str, doc_id: str) -> str:
        return self._doc_prefix(name) + doc_id

    def _index(self, name: str) -> str:
        return f"{self.prefix}idx:{name}"

    def _ids(self, name: str) -> str:
        return f"{self.prefix}c:{name}:ids"

    # -- server features -----------------------------------------------------------------

    def _features_op(self) -> Generator[list[Command], list[Any], tuple[bool, bool]]:
        """(has vector sets, has the Query Engine), asked once per store."""
        if self._features is None:
            found = []
            for probe in (("VCARD", self.prefix + "probe"), ("FT._LIST",)):
                try:
                    yield [probe]
                    found.append(True)
                except Exception as exc:  # "unknown command": the server lacks the feature
                    if "unknown command" not in str(exc).lower():
                        raise
                    found.append(False)
            self._features = (found[0], found[1])
        return self._features

    def _choose_engine(self, distance: str) -> Op:
        has_vs, has_ft = yield from self._features_op()
        want = self.engine
        if want == "auto":
            want = "vectorset" if has_vs and distance == "cosine" else "query_engine" if has_ft else "vectorset"
        if want == "vectorset" and distance != "cosine":
            raise ValueError(
                f"Redis vector sets rank by cosine similarity only; distance {distance!r} needs the Query "
                "Engine (engine='query_engine' on a server with RediSearch) or distance='cosine'."
            )
        if want == "vectorset" and not has_vs:
            raise RedisFeatureError(
                "This Redis server has no vector sets (VADD/VSIM, built into Redis 8+)"
                + ("" if has_ft else " and no Query Engine (FT.*, the RediSearch module of Redis Stack / Redis 8)")
                + ". Use Redis 8 or later, or a server with RediSearch and engine='query_engine'."
            )
        if want == "query_engine" and not has_ft:
            raise RedisFeatureError(
                "This Redis server has no Query Engine (FT.* commands: RediSearch, part of Redis Stack and "
                "Redis 8 builds with modules). Load RediSearch, or use engine='vectorset' on Redis 8+."
            )
        return want

    # -- collections ---------------------------------------------------------------------

    def info_op(self, name: str, refresh: bool = False) -> Generator[list[Command], list[Any], CollectionInfo]:
        validate_identifier(name, "collection name")
        info = None if refresh else self._info.get(name)
        if info is None:
            (raw,) = yield [("HGET", self.registry, name)]
            if raw is None:
                self._info.pop(name, None)
                raise CollectionNotFoundError(name)
            info = CollectionInfo.loads(raw)
            self._info[name] = info
        return info

    def create_collection(self, name: str, dimension: int, distance: str, metadata: dict[str, Any] | None) -> Op:
        validate_identifier(name, "collection name")
        dim = validate_dimension(dimension)
        kind = normalize_distance(distance)
        (raw,) = yield [("HGET", self.registry, name)]
        if raw is not None:
            existing = CollectionInfo.loads(raw)
            if existing.dimension != dim:
                raise DimensionMismatchError(name, existing.dimension, dim)
            check_same_distance(name, existing.distance, kind)
            self._info[name] = existing
            return None
        engine = yield from self._choose_engine(kind)
        info = CollectionInfo(dim, kind, engine)
        (created,) = yield [("HSETNX", self.registry, name, info.dumps(metadata))]
        if not created:  # another client created it meanwhile
            self._info.pop(name, None)
            yield from self.info_op(name, refresh=True)
            return None
        if engine == "query_engine":
            params = ["TYPE", "FLOAT32", "DIM", dim, "DISTANCE_METRIC", _FT_METRIC[kind]]
            yield [
                (
                    "FT.CREATE", self._index(name), "ON", "HASH", "PREFIX", 1, self._doc_prefix(name),
                    "SCHEMA", "vec", "VECTOR", self.ft_algorithm, len(params), *params,
                    TAG_FIELD, "TAG", "SEPARATOR", ",",
                )
            ]  # fmt: skip
        self._info[name] = info
        return None

    def delete_collection(self, name: str) -> Op:
        validate_identifier(name, "collection name")
        (raw,) = yield [("HGET", self.registry, name)]
        self._info.pop(name, None)
        if raw is None:
            return False
        info = CollectionInfo.loads(raw)
        if info.engine == "query_engine":
            try:
                yield [("FT.DROPINDEX", self._index(name))]
            except Exception as exc:  # an index already gone is fine
                if "unknown index" not in str(exc).lower() and "no such index" not in str(exc).lower():
                    raise
        yield from self._drop_keys(self._doc_prefix(name) + "*")
        removed, _ = yield [("HDEL", self.registry, name), ("UNLINK", self._vs(name), self._nk(name), self._ids(name))]
        return bool(removed)

    def _drop_keys(self, match: str) -> Op:
        cursor: Any = 0
        while True:
            (reply,) = yield [("SCAN", cursor, "MATCH", match, "COUNT", 1000)]
            cursor, keys = reply[0], reply[1]
            if keys:
                yield [("UNLINK", *keys)]
            if int(cursor) == 0:
                return None

    def collection_exists(self, name: str) -> Op:
        validate_identifier(name, "collection name")
        (found,) = yield [("HEXISTS", self.registry, name)]
        return bool(found)

    def list_collections(self) -> Op:
        (names,) = yield [("HKEYS", self.registry)]
        return sorted(_s(n) for n in names)

    def drop_everything(self) -> Op:
        """Delete every collection of this prefix (for tests and resets)."""
        for name in (yield from self.list_collections()):
            yield from self.delete_collection(name)
        yield from self._drop_keys(self.prefix.replace("\\", "\\\\").replace("*", "\\*") + "*")
        return None

    # -- writes --------------------------------------------------------------------------

    def write(self, collection: str, documents: Sequence[KnowledgeDocument], replace: bool) -> Op:
        check_vectors(documents)
        info = yield from self.info_op(collection, refresh=True)
        docs = list(documents)
        for doc in docs:
            if doc.embedding is None:
                raise ValueError(f"Document {doc.id!r} has no embedding; embed it before adding it to {collection!r}.")
            if len(doc.embedding) != info.dimension:
                raise DimensionMismatchError(collection, info.dimension, len(doc.embedding))
        ids = [d.id for d in docs]
        if not replace:
            seen: set[str] = set()
            taken = [i for i in ids if i in seen or seen.add(i)]  # type: ignore[func-returns-value]
            for start in range(0, len(ids), CHUNK):
                part = ids[start : start + CHUNK]
                (hits,) = yield [("EXISTS", *(self._doc(collection, i) for i in part))]
                if hits:  # rare: find which ones
                    found = yield [("EXISTS", self._doc(collection, i)) for i in part]
                    taken += [i for i, hit in zip(part, found, strict=True) if hit]
            if taken:
                raise DocumentExistsError(collection, list(dict.fromkeys(taken)))
        numeric = yield from self._numeric_keys(collection, info, docs)
        for start in range(0, len(docs), CHUNK):
            batch: list[Command] = []
            for doc in docs[start : start + CHUNK]:
                batch += self._write_commands(collection, info, doc, numeric, replace)
            yield batch
        return ids

    def _numeric_keys(self, collection: str, info: CollectionInfo, docs: list[KnowledgeDocument]) -> Op:
        """Keys that held numbers; new ones get an index field or a null on every existing element."""
        (members,) = yield [("SMEMBERS", self._nk(collection))]
        known = {_s(m) for m in members}
        new = sorted({k for d in docs for k in numeric_fields(d.metadata)} - known)
        if not new:
            return known
        if info.engine == "query_engine":
            for key in new:
                try:
                    yield [
                        ("FT.ALTER", self._index(collection), "SCHEMA", "ADD", NUMERIC_FIELD_PREFIX + key, "NUMERIC")
                    ]
                except Exception as exc:  # added by another client meanwhile
                    if "duplicate" not in str(exc).lower():
                        raise
        else:
            yield from self._backfill_nulls(collection, new)
        yield [("SADD", self._nk(collection), *new)]
        return known | set(new)

    def _backfill_nulls(self, collection: str, keys: list[str]) -> Op:
        """Give existing elements a null for new numeric keys (a VSIM FILTER drops an element that lacks a field it reads)."""
        key = self._vs(collection)
        (card,) = yield [("VCARD", key)]
        if not card:
            return None
        (members,) = yield [("VRANDMEMBER", key, int(card))]
        members = list(members or [])
        for start in range(0, len(members), CHUNK):
            part = members[start : start + CHUNK]
            attrs = yield [("VGETATTR", key, m) for m in part]
            updates: list[Command] = []
            for member, raw in zip(part, attrs, strict=True):
                data = json.loads(raw) if raw else {TAG_FIELD: []}
                for k in keys:
                    data.setdefault(NUMERIC_FIELD_PREFIX + k, None)
                updates.append(("VSETATTR", key, member, json.dumps(data)))
            yield updates
        return None

    def _write_commands(
        self, collection: str, info: CollectionInfo, doc: KnowledgeDocument, numeric: set[str], replace: bool
    ) -> list[Command]:
        assert doc.embedding is not None
        blob = _pack(doc.embedding)
        tokens = document_tokens(doc.metadata)
        numbers = numeric_fields(doc.metadata)
        key = self._doc(collection, doc.id)
        fields: list[Any] = [
            "content", doc.content,
            "metadata", "" if doc.metadata is None else _ENCODER.encode(doc.metadata),
            "content_hash", doc.content_hash or "",
            "created_at", repr(float(doc.created_at)),
            "vec", blob,
        ]  # fmt: skip
        # An upsert drops the old hash first so no stale numeric field stays indexed.
        commands: list[Command] = [("UNLINK", key)] if replace else []
        commands.append(("ZADD", self._ids(collection), 0, doc.id))
        if info.engine == "query_engine":
            fields += [TAG_FIELD, ",".join(tokens)]
            for k, v in numbers.items():
                fields += [NUMERIC_FIELD_PREFIX + k, repr(v)]
            commands.append(("HSET", key, *fields))
        else:
            commands.append(("HSET", key, *fields))
            attrs: dict[str, Any] = {TAG_FIELD: tokens}
            for k in numeric:
                attrs[NUMERIC_FIELD_PREFIX + k] = numbers.get(k)
            commands.append(
                (
                    "VADD",
                    self._vs(collection),
                    "FP32",
                    blob,
                    doc.id,
                    self.quantization,
                    "SETATTR",
                    _ENCODER.encode(attrs),
                )
            )
        return commands

    # -- reads ---------------------------------------------------------------------------

    def get(self, collection: str, ids: Sequence[str]) -> Op:
        yield from self.info_op(collection)
        wanted = list(dict.fromkeys([ids] if isinstance(ids, str) else ids))
        out: list[KnowledgeDocument] = []
        for start in range(0, len(wanted), CHUNK):
            part = wanted[start : start + CHUNK]
            rows = yield [("HMGET", self._doc(collection, i), *_DOC_FIELDS) for i in part]
            for doc_id, row in zip(part, rows, strict=True):
                if row[0] is not None:
                    out.append(self._document(doc_id, row, None, with_embedding=True))
        return out

    @staticmethod
    def _document(doc_id: str, row: Sequence[Any], score: float | None, with_embedding: bool) -> KnowledgeDocument:
        content, metadata, content_hash, created_at = (_s(v) if v is not None else None for v in row[:4])
        return KnowledgeDocument(
            id=doc_id,
            content=content or "",
            embedding=_unpack(row[4]) if with_embedding and row[4] is not None else None,
            metadata=json.loads(metadata) if metadata else None,
            content_hash=content_hash or None,
            created_at=float(created_at) if created_at else 0.0,
            score=score,
        )

    def scroll(self, collection: str, limit: int, cursor: str | None) -> Op:
        """One page in id order (byte order of the UTF-8 ids); the cursor is the page's last id.

        Pages the ``c:NAME:ids`` sorted set with ``ZRANGE (cursor + BYLEX LIMIT``, then reads the
        page's hashes: bounded memory, and the id travels as an argument, never inside a query.
        """
        check_scroll_limit(limit)
        if cursor is not None and not isinstance(cursor, str):
            raise TypeError(f"scroll cursor must be a string or None, got {type(cursor).__name__}.")
        info = yield from self.info_op(collection)
        if not info.ids:
            info = yield from self.info_op(collection, refresh=True)
            if not info.ids:
                yield from self._build_ids(collection)
        start = "-" if cursor is None else "(" + cursor
        (members,) = yield [("ZRANGE", self._ids(collection), start, "+", "BYLEX", "LIMIT", 0, limit + 1)]
        ids = [_s(m) for m in members]
        page: list[KnowledgeDocument] = []
        if ids[:limit]:
            rows = yield [("HMGET", self._doc(collection, i), *_DOC_FIELDS) for i in ids[:limit]]
            # A document deleted between the two commands is left out.
            page = [
                self._document(i, row, None, with_embedding=True)
                for i, row in zip(ids[:limit], rows, strict=True)
                if row[0] is not None
            ]
        next_cursor: str | None = ids[limit - 1] if len(ids) > limit else None
        result: ScrollPage = (page, next_cursor)
        return result

    def _build_ids(self, collection: str) -> Op:
        """Index the ids of a collection created before ``c:NAME:ids`` existed (SCAN of its hashes, once)."""
        (raw,) = yield [("HGET", self.registry, collection)]
        if raw is None:
            raise CollectionNotFoundError(collection)
        prefix = self._doc_prefix(collection).encode()
        cursor: Any = 0
        while True:
            (reply,) = yield [("SCAN", cursor, "MATCH", self._doc_prefix(collection) + "*", "COUNT", 1000)]
            cursor, keys = reply[0], reply[1]
            if keys:
                ids = [(k if isinstance(k, bytes) else k.encode())[len(prefix) :] for k in keys]
                yield [("ZADD", self._ids(collection), *(x for i in ids for x in (0, i)))]
            if int(cursor) == 0:
                break
        data = json.loads(raw)
        data["ids"] = True
        yield [("EVAL", _MARK_IDS, 1, self.registry, collection, raw, json.dumps(data))]
        self._info.pop(collection, None)
        return None

    def describe(self, name: str) -> Op:
        """Dimension, canonical distance and creation metadata, from the collection's registry entry."""
        validate_identifier(name, "collection name")
        (raw,) = yield [("HGET", self.registry, name)]
        if raw is None:
            raise CollectionNotFoundError(name)
        data = json.loads(raw)
        metadata = data.get("metadata")
        return Description(name, int(data["dimension"]), str(data["distance"]), dict(metadata or {}))

    def count(self, collection: str) -> Op:
        info = yield from self.info_op(collection)
        if info.engine == "query_engine":
            (reply,) = yield [("FT.SEARCH", self._index(collection), "*", "LIMIT", 0, 0, "DIALECT", 2)]
            return _ft_reply(reply)[0]
        (card,) = yield [("VCARD", self._vs(collection))]
        return int(card or 0)

    def search(
        self,
        collection: str,
        query_embedding: Sequence[float],
        limit: int,
        filters: dict[str, Any] | None,
        score_threshold: float | None,
    ) -> Op:
        tree = parse_filter(filters)
        check_limit(limit)
        check_embedding(query_embedding)
        info = yield from self.info_op(collection)
        query = [float(x) for x in query_embedding]
        if len(query) != info.dimension:
            raise DimensionMismatchError(collection, info.dimension, len(query))
        numeric = (yield from self._numeric_for(collection, tree)) if tree is not None else set()
        if limit == 0:
            return []
        if info.engine == "query_engine":
            hits = yield from self._ft_search(collection, info, query, limit, tree, numeric)
        else:
            hits = yield from self._vs_search(collection, query, limit, tree, numeric)
        if score_threshold is not None:
            hits = [(i, s) for i, s in hits if s >= score_threshold]
        if not hits:
            return []
        rows = yield [("HMGET", self._doc(collection, i), *_DOC_FIELDS[:4]) for i, _ in hits]
        return [
            self._document(i, (*row, None), s, with_embedding=False)
            for (i, s), row in zip(hits, rows, strict=True)
            if row[0] is not None
        ]

    def _numeric_for(self, collection: str, tree: FilterNode) -> Op:
        (members,) = yield [("SMEMBERS", self._nk(collection))]
        return {_s(m) for m in members}

    def _vs_search(
        self, collection: str, query: list[float], limit: int, tree: FilterNode | None, numeric: set[str]
    ) -> Op:
        command: list[Any] = ["VSIM", self._vs(collection), "FP32", _pack(query), "WITHSCORES", "COUNT", limit]
        if tree is not None:
            command += ["FILTER", vectorset_expression(tree, numeric)]
        if self.exact:
            command.append("TRUTH")
        (reply,) = yield [tuple(command)]
        pairs = list(reply.items()) if isinstance(reply, dict) else list(zip(reply[::2], reply[1::2], strict=True))
        # VSIM scores are (1 + cosine) / 2.
        return [(_s(i), 2.0 * float(s) - 1.0) for i, s in pairs]

    def _ft_search(
        self,
        collection: str,
        info: CollectionInfo,
        query: list[float],
        limit: int,
        tree: FilterNode | None,
        numeric: set[str],
    ) -> Op:
        q = f"({ft_query(tree, numeric)})=>[KNN $K @vec $B AS __d]"
        (reply,) = yield [
            (
                "FT.SEARCH", self._index(collection), q, "PARAMS", 4, "K", limit, "B", _pack(query),
                "SORTBY", "__d", "ASC", "RETURN", 1, "__d", "LIMIT", 0, limit, "DIALECT", 2,
            )
        ]  # fmt: skip
        cut = len(self._doc_prefix(collection))
        return [(key[cut:], _score(info.distance, float(_s(fields["__d"])))) for key, fields in _ft_reply(reply)[1]]

    # -- deletes -------------------------------------------------------------------------

    def delete(self, collection: str, ids: Sequence[str] | None, filters: dict[str, Any] | None) -> Op:
        if ids is None and not filters:
            raise ValueError(
                "delete() needs ids or a non-empty filter (or both); an empty filter would match every "
                "document: use delete_collection() to drop everything."
            )
        tree = parse_filter(filters)
        info = yield from self.info_op(collection)
        wanted = None if ids is None else list(dict.fromkeys([ids] if isinstance(ids, str) else ids))
        if tree is not None:
            numeric = yield from self._numeric_for(collection, tree)
            matching = yield from self._matching(collection, info, tree, numeric)
            doomed = matching if wanted is None else [i for i in wanted if i in set(matching)]
        else:
            doomed = wanted or []
        removed = 0
        for start in range(0, len(doomed), CHUNK):
            part = doomed[start : start + CHUNK]
            batch: list[Command] = [("UNLINK", self._doc(collection, i)) for i in part]
            batch.append(("ZREM", self._ids(collection), *part))
            if info.engine == "vectorset":
                batch += [("VREM", self._vs(collection), i) for i in part]
            replies = yield batch
            removed += sum(1 for r in replies[: len(part)] if r)
        return removed

    def _matching(self, collection: str, info: CollectionInfo, tree: FilterNode, numeric: set[str]) -> Op:
        """Ids of every document the filter matches (native filter, no vector ranking)."""
        if info.engine == "query_engine":
            cut = len(self._doc_prefix(collection))
            (total,) = yield [("FT.SEARCH", self._index(collection), "*", "LIMIT", 0, 0, "DIALECT", 2)]
            size = max(_ft_reply(total)[0], 1)
            (reply,) = yield [
                (
                    "FT.SEARCH",
                    self._index(collection),
                    ft_query(tree, numeric),
                    "NOCONTENT",
                    "LIMIT",
                    0,
                    size,
                    "DIALECT",
                    2,
                )
            ]
            return [key[cut:] for key, _ in _ft_reply(reply)[1]]
        key = self._vs(collection)
        (card,) = yield [("VCARD", key)]
        if not card:
            return []
        (some,) = yield [("VRANDMEMBER", key)]
        (reply,) = yield [
            ("VSIM", key, "ELE", some, "COUNT", int(card), "FILTER", vectorset_expression(tree, numeric), "TRUTH")
        ]
        return [_s(i) for i in reply]


def _score(distance: str, raw: float) -> float:
    """Query Engine distance → the common similarity scale."""
    if distance == "euclidean":
        return similarity_from_euclidean_distance(max(raw, 0.0) ** 0.5)  # L2 reports the squared distance
    return 1.0 - raw  # COSINE: 1 - cos; IP: 1 - dot
