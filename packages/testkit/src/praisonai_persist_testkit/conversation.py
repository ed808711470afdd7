"""Conformance tests for conversation stores (DESIGN §3.2): sessions, messages, ordering, errors.

Each ``test_*`` body below runs in both :class:`ConversationStoreTests` (sync) and
:class:`AsyncConversationStoreTests` (async); ``store`` is awaited either way.
"""

from __future__ import annotations

import copy

import pytest

from praisonai_persist.conversation import AsyncConversationStore
from praisonai_persist.errors import SessionExistsError, SessionNotFoundError
from praisonai_persist.models import ConversationMessage, ConversationSession

from .contract import CheckList, ContractTests, contract_class
from .helpers import unique_name

__all__ = ["AsyncConversationStoreTests", "ConversationStoreTests"]

#: A fixed epoch time (Nov 2023), so tests never depend on the clock except where they say so.
T0 = 1_700_000_000.0

UNICODE_SAMPLES = (
    "emoji 😀🚀 family 👩\u200d👩\u200d👧\u200d👦 flag 🇫🇷 skin tone 👍🏽",
    "RTL: مرحبا بالعالم — שלום עולם",
    "control characters (no NUL): \t\n\r\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\u2028\u2029",
    "combining e\u0301 vs \u00e9, zero width \u200b\u200d, BOM \ufeff, replacement \ufffd",
    "CJK 漢字かなカナ 한국어, math 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, quotes ' \" ` \\ %s %% _ * ? [ ] {} $1",
    "",
    "   leading and trailing spaces   ",
    "line1\r\nline2\n\nline4",
)

NESTED_METADATA = {
    "a": {"b": {"c": {"d": [1, 2, {"e": None}]}}},
    "true": True,
    "false": False,
    "int": 42,
    "negative": -7,
    "float": 3.141592653589793,
    "big_int": 2**53,
    "string": "ü 😀",
    "empty_list": [],
    "empty_dict": {},
    "ключ": "значение",
    "list_of_dicts": [{"x": 1}, {"y": [True, None, 1.5]}],
}

CHECKS = CheckList()
Store = AsyncConversationStore


async def _new_session(store: Store, **fields: object) -> ConversationSession:
    session = ConversationSession(session_id=unique_name("s"), **fields)  # type: ignore[arg-type]
    await store.create_session(session)
    return session


def _msg(session_id: str, content: str, at: float, role: str = "user") -> ConversationMessage:
    return ConversationMessage(session_id=session_id, role=role, content=content, created_at=at)


async def _contents(store: Store, session_id: str, **query: float | int | None) -> list[str]:
    return [m.content for m in await store.get_messages(session_id, **query)]  # type: ignore[arg-type]


async def _ten_messages(store: Store) -> str:
    """A session holding m0..m9 created at T0+0 .. T0+9."""
    session = await _new_session(store)
    for i in range(10):
        await store.add_message(session.session_id, _msg(session.session_id, f"m{i}", T0 + i))
    return session.session_id


def _large_metadata() -> dict[str, object]:
    """~256 KiB of JSON: long multi-byte strings, many small entries, deep nesting, numbers."""
    return {
        "long_text": "ümlaut 漢字 😀 " * 6000,
        "items": [{"i": i, "label": f"item-{i} é", "ok": i % 2 == 0, "score": i / 7} for i in range(1500)],
        "nested": {"level": {"deeper": {"deepest": ["x" * 1000] * 20}}},
        "none": None,
    }


def _first_difference(got: str, sent: str) -> str | None:
    """None when equal, else where they first differ (a diff of megabytes would be unreadable)."""
    if got == sent:
        return None
    at = next((i for i, (a, b) in enumerate(zip(got, sent, strict=False)) if a != b), min(len(got), len(sent)))
    return f"read {len(got)} characters, wrote {len(sent)}; first difference at index {at}: {got[at : at + 20]!r}"


@CHECKS
async def test_store_is_empty(suite: ContractTests, store: Store) -> None:
    """Canary 1/2: the fixture yields a store with no session; this test then writes one.

    Troubleshooting: the fixture reuses data from an earlier test or run; give each test its own
    database, table prefix or namespace and remove it in the fixture's finally block.
    """
    assert await store.list_sessions() == []
    session = await _new_session(store, user_id="canary")
    await store.add_message(session.session_id, _msg(session.session_id, "canary", T0))
    assert [s.session_id for s in await store.list_sessions()] == [session.session_id]


@CHECKS
async def test_session_round_trip(suite: ContractTests, store: Store) -> None:
    """Every session field (unicode, nested state and metadata, float timestamps) reads back equal.

    Troubleshooting: check JSON (de)serialisation of state/metadata and that timestamps are stored
    as 64-bit floats (DOUBLE PRECISION), not rounded or converted to dates.
    """
    session = ConversationSession(
        session_id=unique_name("s"),
        user_id="user-ü 😀",
        agent_id="agent/1",
        name="Тест 🧪 مرحبا",
        state={"step": 3, "nested": {"list": [1, 2.5, None, True, "x"]}},
        metadata=copy.deepcopy(NESTED_METADATA),
        created_at=T0 + 0.123456,
        updated_at=T0 + 0.654321,
    )
    expected = copy.deepcopy(session.to_dict())
    returned = await store.create_session(session)
    assert returned.session_id == session.session_id
    got = await store.get_session(session.session_id)
    assert got is not None
    assert got.to_dict() == expected


@CHECKS
async def test_create_existing_session_raises(suite: ContractTests, store: Store) -> None:
    """Creating a session whose id exists raises and leaves the existing session unchanged.

    Troubleshooting: create_session must not overwrite silently (that is upsert_session's job);
    raise praisonai_persist.SessionExistsError(session_id) (e.g. from the primary-key violation,
    or an insert that reports 0 rows); a driver's own IntegrityError is not enough.
    """
    session = await _new_session(store, name="original")
    with pytest.raises(SessionExistsError) as raised:
        await store.create_session(ConversationSession(session_id=session.session_id, name="impostor"))
    assert raised.value.session_id == session.session_id
    got = await store.get_session(session.session_id)
    assert got is not None and got.name == "original"


@CHECKS
async def test_get_missing_session_returns_none(suite: ContractTests, store: Store) -> None:
    """get_session of an id that was never created returns None.

    Troubleshooting: return None instead of raising when no row matches.
    """
    assert await store.get_session(unique_name("missing")) is None


@CHECKS
async def test_update_session(suite: ContractTests, store: Store) -> None:
    """update_session writes name, state and metadata and moves updated_at forward.

    Troubleshooting: update every mutable column and set updated_at to the current time.
    """
    session = await _new_session(store, name="before", updated_at=T0)
    changed = ConversationSession(
        session_id=session.session_id,
        user_id=session.user_id,
        agent_id=session.agent_id,
        name="after ✓",
        state={"k": [1, {"v": None}]},
        metadata={"m": {"n": True}},
        created_at=session.created_at,
        updated_at=T0,
    )
    await store.update_session(changed)
    got = await store.get_session(session.session_id)
    assert got is not None
    assert (got.name, got.state, got.metadata) == ("after ✓", {"k": [1, {"v": None}]}, {"m": {"n": True}})
    assert got.created_at == session.created_at
    assert got.updated_at > T0


@CHECKS
async def test_upsert_session(suite: ContractTests, store: Store) -> None:
    """upsert_session creates a missing session, then updates it in place (one session, new fields).

    Troubleshooting: upsert must not raise on an existing id nor create a duplicate row.
    """
    sid = unique_name("s")
    await store.upsert_session(ConversationSession(session_id=sid, name="first", user_id="u1"))
    got = await store.get_session(sid)
    assert got is not None and got.name == "first"
    await store.upsert_session(ConversationSession(session_id=sid, name="second", user_id="u1"))
    got = await store.get_session(sid)
    assert got is not None and got.name == "second"
    assert [s.session_id for s in await store.list_sessions()] == [sid]


@CHECKS
async def test_delete_session_deletes_its_messages(suite: ContractTests, store: Store) -> None:
    """delete_session returns True and removes the session and all its messages.

    Troubleshooting: delete the messages too (ON DELETE CASCADE, or a second DELETE in the same
    transaction); a session re-created with the same id must start empty.
    """
    session = await _new_session(store)
    other = await _new_session(store)
    for i in range(3):
        await store.add_message(session.session_id, _msg(session.session_id, f"m{i}", T0 + i))
    await store.add_message(other.session_id, _msg(other.session_id, "keep", T0))
    assert await store.delete_session(session.session_id) is True
    assert await store.get_session(session.session_id) is None
    try:
        leftover = await store.get_messages(session.session_id)
    except SessionNotFoundError:
        leftover = []
    assert leftover == []
    await store.create_session(ConversationSession(session_id=session.session_id))
    assert await store.get_messages(session.session_id) == []
    assert await _contents(store, other.session_id) == ["keep"]


@CHECKS
async def test_delete_missing_session_returns_false(suite: ContractTests, store: Store) -> None:
    """delete_session of an id that does not exist returns False.

    Troubleshooting: return whether a session row was actually deleted (rowcount > 0).
    """
    assert await store.delete_session(unique_name("missing")) is False


@CHECKS
async def test_add_message_to_missing_session(suite: ContractTests, store: Store) -> None:
    """add_message to a missing session raises SessionNotFoundError and writes no orphan row.

    With capabilities["auto_create_session"] the session is created instead, message included.
    Troubleshooting: check the session exists in the same transaction as the insert and raise
    praisonai_persist.SessionNotFoundError(session_id); never insert the message first.
    """
    sid = unique_name("missing")
    if suite.capability("auto_create_session"):
        await store.add_message(sid, _msg(sid, "hello", T0))
        assert await store.get_session(sid) is not None
        assert await _contents(store, sid) == ["hello"]
        return
    with pytest.raises(SessionNotFoundError) as raised:
        await store.add_message(sid, _msg(sid, "orphan?", T0))
    assert raised.value.session_id == sid
    assert await store.get_session(sid) is None
    await store.create_session(ConversationSession(session_id=sid))
    assert await store.get_messages(sid) == [], "the rejected message was stored anyway (orphan row)"


@CHECKS
async def test_add_messages_to_missing_session(suite: ContractTests, store: Store) -> None:
    """add_messages (batch) to a missing session raises SessionNotFoundError and stores nothing.

    Troubleshooting: validate the session before inserting the batch, inside one transaction.
    """
    suite_auto = suite.capability("auto_create_session")
    sid = unique_name("missing")
    batch = [_msg(sid, f"b{i}", T0 + i) for i in range(3)]
    if suite_auto:
        await store.add_messages(sid, batch)
        assert await _contents(store, sid) == ["b0", "b1", "b2"]
        return
    with pytest.raises(SessionNotFoundError):
        await store.add_messages(sid, batch)
    assert await store.get_session(sid) is None
    await store.create_session(ConversationSession(session_id=sid))
    assert await store.get_messages(sid) == [], "part of the rejected batch was stored"


@CHECKS
async def test_add_message_sets_session_id(suite: ContractTests, store: Store) -> None:
    """A message added without session_id is stored under, and read back with, the given session.

    Troubleshooting: use the session_id argument of add_message, not message.session_id.
    """
    session = await _new_session(store)
    returned = await store.add_message(session.session_id, ConversationMessage(role="user", content="hi"))
    assert returned.session_id == session.session_id
    got = await store.get_messages(session.session_id)
    assert [(m.session_id, m.content) for m in got] == [(session.session_id, "hi")]


@CHECKS
async def test_message_round_trip_unicode(suite: ContractTests, store: Store) -> None:
    """Emoji, RTL text, NUL-free control characters, combining marks and quotes read back equal.

    Troubleshooting: store content as UTF-8 text (utf8mb4 on MySQL), never strip or normalise it,
    and bind it as a parameter.
    """
    session = await _new_session(store)
    sent = [
        ConversationMessage(session_id=session.session_id, role="user", content=text, created_at=T0 + i)
        for i, text in enumerate(UNICODE_SAMPLES)
    ]
    expected = [copy.deepcopy(m.to_dict()) for m in sent]
    for message in sent:
        await store.add_message(session.session_id, message)
    got = await store.get_messages(session.session_id)
    assert [m.to_dict() for m in got] == expected


@CHECKS
async def test_message_round_trip_1mb(suite: ContractTests, store: Store) -> None:
    """A message of over 1 MiB of content reads back byte for byte.

    Troubleshooting: use an unbounded text type (TEXT/LONGTEXT/CLOB), not VARCHAR(n), and raise
    the driver's packet or document size limit if needed.
    """
    session = await _new_session(store)
    content = "0123456789abcdef" * 65536 + "é😀 end"
    await store.add_message(session.session_id, _msg(session.session_id, content, T0))
    got = await store.get_messages(session.session_id)
    assert len(got) == 1
    assert len(got[0].content) == len(content)
    assert got[0].content == content


@CHECKS
async def test_large_multibyte_content_and_metadata_round_trip(suite: ContractTests, store: Store) -> None:
    """1 MiB of content with multi-byte characters throughout, and ~256 KiB of metadata on the
    message and on the session, read back exactly: no truncation, no error.

    Troubleshooting: count limits in bytes, not characters (1 MiB of characters here is ~1.7 MiB
    of UTF-8); use unbounded text/JSON types (LONGTEXT on MySQL; JSON, not a 64 KiB TEXT); never
    let the engine truncate with a warning (MySQL's INSERT IGNORE does); raise packet, document
    or item size limits, or split the value.
    """
    unit = "Hello wörld ß é 漢字 Ωμέγα 😀👩\u200d👧 e\u0301 ok. "
    content = (unit * (2**20 // len(unit) + 1))[: 2**20 - 4] + "end😀"
    assert len(content) > 2**20 - 1
    metadata = _large_metadata()
    sid = (await _new_session(store, metadata=_large_metadata(), state={"big": _large_metadata()})).session_id
    message = _msg(sid, content, T0)
    message.metadata = metadata
    await store.add_message(sid, message)
    got = await store.get_messages(sid)
    assert len(got) == 1
    assert _first_difference(got[0].content, content) is None
    assert got[0].metadata == metadata, "message metadata changed on the way through the store"
    session = await store.get_session(sid)
    assert session is not None
    assert session.metadata == _large_metadata(), "session metadata changed on the way through the store"
    assert session.state == {"big": _large_metadata()}, "session state changed on the way through the store"


@CHECKS
async def test_free_form_roles_round_trip(suite: ContractTests, store: Store) -> None:
    """Any role string reads back exactly: the OpenAI roles and free-form ones such as
    "developer", "runtime_state" or "x-custom".

    Troubleshooting: store role as text (no enum, no CHECK constraint, no length under 64), and
    do not map or validate roles in the store.
    """
    sid = (await _new_session(store)).session_id
    roles = ["system", "user", "assistant", "tool", "developer", "runtime_state", "x-custom", "Ünïcode-rôle 😀"]
    for i, role in enumerate(roles):
        await store.add_message(sid, _msg(sid, f"as {role}", T0 + i, role=role))
    got = await store.get_messages(sid)
    assert [(m.role, m.content) for m in got] == [(r, f"as {r}") for r in roles]


@CHECKS
async def test_message_round_trip_tool_calls(suite: ContractTests, store: Store) -> None:
    """tool_calls lists, tool_call_id and the None defaults of a plain message read back equal.

    Troubleshooting: serialise tool_calls as JSON (keep it None when None) and store
    tool_call_id in its own column.
    """
    sid = (await _new_session(store)).session_id
    plain = ConversationMessage(session_id=sid, role="user", content="weather in Paris?", created_at=T0)
    call = ConversationMessage(
        session_id=sid,
        role="assistant",
        content="",
        tool_calls=[
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city": "Paris", "unit": "°C"}'},
            },
            {"id": "call_2", "type": "function", "function": {"name": "noop", "arguments": "{}"}},
        ],
        created_at=T0 + 1,
    )
    result = ConversationMessage(
        session_id=sid, role="tool", content='{"temp": 21.5}', tool_call_id="call_1", created_at=T0 + 2
    )
    expected = [copy.deepcopy(m.to_dict()) for m in (plain, call, result)]
    for message in (plain, call, result):
        await store.add_message(sid, message)
    assert [m.to_dict() for m in await store.get_messages(sid)] == expected


@CHECKS
async def test_message_round_trip_nested_metadata(suite: ContractTests, store: Store) -> None:
    """Nested JSON metadata (dicts, lists, null, booleans, big ints, unicode keys) reads back equal.

    Troubleshooting: serialise metadata with json.dumps and parse it back; booleans must stay
    booleans and 2**53 must stay an int.
    """
    sid = (await _new_session(store)).session_id
    message = _msg(sid, "with metadata", T0)
    message.metadata = copy.deepcopy(NESTED_METADATA)
    await store.add_message(sid, message)
    got = await store.get_messages(sid)
    assert len(got) == 1 and got[0].metadata == NESTED_METADATA
    assert type(got[0].metadata["true"]) is bool and type(got[0].metadata["big_int"]) is int


@CHECKS
async def test_message_timestamps_exact(suite: ContractTests, store: Store) -> None:
    """Float created_at values read back exactly (no rounding to milliseconds or seconds).

    Troubleshooting: store created_at as a 64-bit float (DOUBLE PRECISION / REAL), not a
    timestamp type or a decimal with fewer digits.
    """
    sid = (await _new_session(store)).session_id
    times = [1234567890.987654, T0 + 1 / 3, T0 + 0.123456789, 1700000000.000001, 1800000000.5]
    for i, at in enumerate(times):
        await store.add_message(sid, _msg(sid, f"t{i}", at))
    got = await store.get_messages(sid)
    assert [m.created_at for m in got] == sorted(times)


@CHECKS
async def test_messages_in_chronological_order(suite: ContractTests, store: Store) -> None:
    """Messages come back oldest first whatever order they were added in.

    Troubleshooting: ORDER BY created_at ASC (then by insertion sequence) in get_messages.
    """
    sid = (await _new_session(store)).session_id
    for name, offset in (("third", 3.0), ("first", 1.0), ("second", 2.0)):
        await store.add_message(sid, _msg(sid, name, T0 + offset))
    assert await _contents(store, sid) == ["first", "second", "third"]


@CHECKS
async def test_ties_keep_insertion_order(suite: ContractTests, store: Store) -> None:
    """Messages with the same created_at keep insertion order, also under limit and for batches.

    Troubleshooting: order by (created_at, an auto-increment sequence), never by the message id,
    which is a random uuid.
    """
    sid = (await _new_session(store)).session_id
    for i in range(6):
        await store.add_message(sid, _msg(sid, f"m{i}", T0))
    await store.add_messages(sid, [_msg(sid, f"b{i}", T0) for i in range(4)])
    expected = [f"m{i}" for i in range(6)] + [f"b{i}" for i in range(4)]
    assert await _contents(store, sid) == expected
    assert await _contents(store, sid, limit=3) == expected[-3:]


@CHECKS
async def test_limit_returns_most_recent_oldest_first(suite: ContractTests, store: Store) -> None:
    """get_messages(limit=N) returns the N most recent messages, still oldest first.

    Troubleshooting: select ORDER BY created_at DESC LIMIT N, then reverse; never the first N.
    """
    sid = await _ten_messages(store)
    assert await _contents(store, sid, limit=3) == ["m7", "m8", "m9"]
    assert await _contents(store, sid, limit=1) == ["m9"]
    assert await _contents(store, sid, limit=50) == [f"m{i}" for i in range(10)]


@CHECKS
async def test_after_pages_forward(suite: ContractTests, store: Store) -> None:
    """With after=t, limit=N returns the first N messages after t (paging forward).

    Troubleshooting: when after is given, ORDER BY created_at ASC LIMIT N instead of taking the
    most recent N.
    """
    sid = await _ten_messages(store)
    assert await _contents(store, sid, after=T0 + 2, limit=3) == ["m3", "m4", "m5"]
    assert await _contents(store, sid, after=T0 + 2) == [f"m{i}" for i in range(3, 10)]
    assert await _contents(store, sid, after=T0 + 8, limit=5) == ["m9"]
    assert await _contents(store, sid, after=T0 + 1, before=T0 + 8, limit=2) == ["m2", "m3"]


@CHECKS
async def test_before_and_after_are_exclusive(suite: ContractTests, store: Store) -> None:
    """before= and after= exclude a message created exactly at the bound.

    Troubleshooting: use created_at < before and created_at > after (not <= / >=).
    """
    sid = await _ten_messages(store)
    assert await _contents(store, sid, before=T0 + 5) == ["m0", "m1", "m2", "m3", "m4"]
    assert await _contents(store, sid, after=T0 + 5) == ["m6", "m7", "m8", "m9"]
    assert await _contents(store, sid, after=T0 + 2, before=T0 + 6) == ["m3", "m4", "m5"]
    assert await _contents(store, sid, after=T0 + 4, before=T0 + 5) == []


@CHECKS
async def test_before_with_limit_returns_most_recent(suite: ContractTests, store: Store) -> None:
    """before=t with limit=N returns the N most recent messages before t (paging backward).

    Troubleshooting: with only before given, ORDER BY created_at DESC LIMIT N, then reverse.
    """
    sid = await _ten_messages(store)
    assert await _contents(store, sid, before=T0 + 5, limit=2) == ["m3", "m4"]


@CHECKS
async def test_add_messages_keeps_batch_order(suite: ContractTests, store: Store) -> None:
    """add_messages stores a batch in order and returns the messages in that order.

    Troubleshooting: insert the batch in its given order in one transaction, and set each
    message's session_id.
    """
    sid = (await _new_session(store)).session_id
    await store.add_message(sid, _msg(sid, "before", T0))
    batch = [_msg(sid, f"b{i}", T0 + 1 + i * 0.5) for i in range(5)]
    ids = [m.id for m in batch]
    returned = await store.add_messages(sid, batch)
    assert [m.id for m in returned] == ids
    assert all(m.session_id == sid for m in returned)
    assert await _contents(store, sid) == ["before", "b0", "b1", "b2", "b3", "b4"]


@CHECKS
async def test_add_message_bumps_updated_at(suite: ContractTests, store: Store) -> None:
    """Adding a message moves the session's updated_at forward and it then lists first.

    Troubleshooting: update the session's updated_at to now in the same transaction as the insert
    (also for add_messages).
    """
    a = await _new_session(store, updated_at=T0 + 1)
    b = await _new_session(store, updated_at=T0 + 2)
    c = await _new_session(store, updated_at=T0 + 3)
    assert [s.session_id for s in await store.list_sessions()] == [c.session_id, b.session_id, a.session_id]
    await store.add_message(a.session_id, _msg(a.session_id, "bump", T0))
    got = await store.get_session(a.session_id)
    assert got is not None and got.updated_at > T0 + 3
    assert [s.session_id for s in await store.list_sessions()] == [a.session_id, c.session_id, b.session_id]
    await store.add_messages(b.session_id, [_msg(b.session_id, "bump", T0)])
    assert [s.session_id for s in await store.list_sessions()][0] == b.session_id


@CHECKS
async def test_list_sessions_ordered_by_updated_at_desc(suite: ContractTests, store: Store) -> None:
    """list_sessions returns the most recently updated session first.

    Troubleshooting: ORDER BY updated_at DESC, and keep the updated_at given to create_session.
    """
    made = {offset: await _new_session(store, updated_at=T0 + offset) for offset in (5, 1, 9, 3)}
    expected = [made[o].session_id for o in (9, 5, 3, 1)]
    assert [s.session_id for s in await store.list_sessions()] == expected


@CHECKS
async def test_list_sessions_filters_by_user_and_agent(suite: ContractTests, store: Store) -> None:
    """list_sessions(user_id=, agent_id=) keeps only matching sessions, both filters ANDed.

    Troubleshooting: add WHERE user_id = ? / agent_id = ? only when the argument is not None.
    """
    s1 = await _new_session(store, user_id="u1", agent_id="a1", updated_at=T0 + 3)
    s2 = await _new_session(store, user_id="u1", agent_id="a2", updated_at=T0 + 2)
    s3 = await _new_session(store, user_id="u2", agent_id="a1", updated_at=T0 + 1)

    async def ids(**query: str) -> list[str]:
        return [s.session_id for s in await store.list_sessions(**query)]  # type: ignore[arg-type]

    assert await ids(user_id="u1") == [s1.session_id, s2.session_id]
    assert await ids(agent_id="a1") == [s1.session_id, s3.session_id]
    assert await ids(user_id="u1", agent_id="a1") == [s1.session_id]
    assert await ids(user_id="nobody") == []
    assert await ids() == [s1.session_id, s2.session_id, s3.session_id]


@CHECKS
async def test_list_sessions_limit_and_offset(suite: ContractTests, store: Store) -> None:
    """list_sessions pages with limit and offset over the updated_at-descending order.

    Troubleshooting: apply LIMIT/OFFSET after ORDER BY updated_at DESC.
    """
    made = [await _new_session(store, updated_at=T0 + i) for i in range(5)]
    newest_first = [s.session_id for s in reversed(made)]

    async def ids(limit: int, offset: int) -> list[str]:
        return [s.session_id for s in await store.list_sessions(limit=limit, offset=offset)]

    assert await ids(2, 0) == newest_first[:2]
    assert await ids(2, 2) == newest_first[2:4]
    assert await ids(2, 4) == newest_first[4:]
    assert await ids(2, 5) == []


@CHECKS
async def test_delete_messages_by_ids(suite: ContractTests, store: Store) -> None:
    """delete_messages(ids) deletes those messages only and returns how many existed.

    Troubleshooting: DELETE ... WHERE session_id = ? AND id IN (...) and return the row count;
    unknown ids count zero.
    """
    sid = (await _new_session(store)).session_id
    sent = [await store.add_message(sid, _msg(sid, f"m{i}", T0 + i)) for i in range(4)]
    other = (await _new_session(store)).session_id
    await store.add_message(other, _msg(other, "other", T0))
    deleted = await store.delete_messages(sid, [sent[1].id, sent[3].id, "no-such-message"])
    assert deleted == 2
    assert await _contents(store, sid) == ["m0", "m2"]
    assert await store.delete_messages(sid, [sent[1].id]) == 0
    assert await store.delete_messages(sid, []) == 0
    assert await _contents(store, sid) == ["m0", "m2"]
    assert await _contents(store, other) == ["other"]


@CHECKS
async def test_delete_all_messages(suite: ContractTests, store: Store) -> None:
    """delete_messages(session_id) deletes every message of that session only; the session stays.

    Troubleshooting: message_ids=None means all messages of the session; an empty list means none.
    """
    sid = (await _new_session(store)).session_id
    other = (await _new_session(store)).session_id
    for i in range(4):
        await store.add_message(sid, _msg(sid, f"m{i}", T0 + i))
    await store.add_message(other, _msg(other, "other", T0))
    assert await store.delete_messages(sid) == 4
    assert await store.get_messages(sid) == []
    assert await store.get_session(sid) is not None
    assert await _contents(store, other) == ["other"]


@CHECKS
async def test_messages_isolated_per_session(suite: ContractTests, store: Store) -> None:
    """Messages of one session never appear in another's history; an empty session has none.

    Troubleshooting: filter get_messages by session_id (bound parameter) in every query branch.
    """
    a = (await _new_session(store)).session_id
    b = (await _new_session(store)).session_id
    await store.add_message(a, _msg(a, "for a", T0))
    assert await _contents(store, a) == ["for a"]
    assert await store.get_messages(b) == []
    assert await store.get_messages(b, limit=5, after=T0 - 1) == []


@CHECKS
async def test_hostile_values_are_plain_data(suite: ContractTests, store: Store) -> None:
    """Quotes, SQL fragments and LIKE wildcards in ids are stored and matched literally.

    Troubleshooting: bind every value as a parameter and compare with = (never LIKE or string
    formatting).
    """
    sid = "x'; DROP TABLE sessions; --"
    await store.create_session(ConversationSession(session_id=sid, user_id="a_c", agent_id="%"))
    await _new_session(store, user_id="abc", agent_id="anything")
    mid = "m'); DELETE FROM messages; --"
    await store.add_message(sid, ConversationMessage(id=mid, role="user", content="' OR '1'='1", created_at=T0))
    got = await store.get_messages(sid)
    assert [(m.id, m.content) for m in got] == [(mid, "' OR '1'='1")]
    assert [s.session_id for s in await store.list_sessions(user_id="a_c")] == [sid]
    assert [s.session_id for s in await store.list_sessions(agent_id="%")] == [sid]
    assert len(await store.list_sessions()) == 2


@CHECKS
async def test_restore_session_keeps_timestamps(suite: ContractTests, store: Store) -> None:
    """restore_session writes every field as given, created_at and updated_at included.

    On an existing session it replaces the fields (after messages bumped updated_at) and keeps
    the messages; on a missing one it creates the session. list_sessions orders by the restored
    updated_at. Import and copy rely on it to keep sessions exactly as in their source.

    Troubleshooting: insert-if-missing then overwrite every column, in one transaction; do not
    set updated_at to now as update_session does.
    """
    later = await _new_session(store, updated_at=T0 + 50)
    sid = unique_name("s")
    original = ConversationSession(
        session_id=sid, user_id="u ✓", agent_id="a1", name="restored", state={"turn": 3, "x": [1, None]},
        metadata={"m": {"n": 1.5}}, created_at=T0 + 0.125, updated_at=T0 + 40.5,
    )
    await store.restore_session(copy.deepcopy(original))
    assert await store.get_session(sid) == original
    assert await store.get_messages(sid) == []
    await store.add_messages(sid, [_msg(sid, "m0", T0 + 1), _msg(sid, "m1", T0 + 2)])
    assert [s.session_id for s in await store.list_sessions()] == [sid, later.session_id]
    await store.restore_session(copy.deepcopy(original))
    assert await store.get_session(sid) == original
    assert await _contents(store, sid) == ["m0", "m1"]
    assert [s.session_id for s in await store.list_sessions()] == [later.session_id, sid]
    changed = copy.deepcopy(original)
    changed.name, changed.state, changed.user_id, changed.updated_at = "renamed", {}, None, T0 + 60
    await store.restore_session(copy.deepcopy(changed))
    assert await store.get_session(sid) == changed
    assert [s.session_id for s in await store.list_sessions()] == [sid, later.session_id]


@CHECKS
async def test_adding_a_stored_message_id_again_is_a_no_op(suite: ContractTests, store: Store) -> None:
    """A message whose id is already stored is not added twice (the stored one is kept).

    Retried appends, re-run imports and resumed copies rely on it to never duplicate a message.

    Troubleshooting: make the message id the primary key and insert with ON CONFLICT DO NOTHING
    (or check the id under the same lock as the append).
    """
    session = await _new_session(store)
    sid = session.session_id
    first = [ConversationMessage(id=f"{sid}-m{i}", role="user", content=f"m{i}", created_at=T0 + i) for i in range(3)]
    await store.add_messages(sid, copy.deepcopy(first))
    again = copy.deepcopy(first)
    again[1].content = "changed"
    await store.add_messages(sid, again)
    await store.add_message(sid, copy.deepcopy(first[2]))
    await store.add_message(sid, ConversationMessage(id=f"{sid}-m3", role="user", content="m3", created_at=T0 + 3))
    got = await store.get_messages(sid)
    assert [m.id for m in got] == [f"{sid}-m{i}" for i in range(4)]
    assert [m.content for m in got] == ["m0", "m1", "m2", "m3"]


@CHECKS
async def test_store_still_empty(suite: ContractTests, store: Store) -> None:
    """Canary 2/2: after test_store_is_empty wrote a session, this test's store is empty again.

    Troubleshooting: the fixture must give every test a fresh namespace (not one per class or
    session) and delete it afterwards.
    """
    assert await store.list_sessions() == []
    session = await _new_session(store, user_id="canary")
    assert [s.session_id for s in await store.list_sessions()] == [session.session_id]


@contract_class("conversation", CHECKS, is_async=False)
class ConversationStoreTests(ContractTests):
    """Conformance suite for a sync :class:`~praisonai_persist.ConversationStore`.

    Subclass it in a test module (name it ``Test...``) and define a ``store`` fixture that yields
    an empty store isolated for each test; see the README.
    """


@contract_class("conversation", CHECKS, is_async=True)
class AsyncConversationStoreTests(ContractTests):
    """Conformance suite for an :class:`~praisonai_persist.AsyncConversationStore` (pytest-asyncio)."""
