"""utf8mb4 end to end: 4-byte characters are stored as themselves (not '?') and read back."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from praisonai_persist import ConversationMessage, ConversationSession
from praisonai_persist_mysql import AsyncMySQLConversationStore, MySQLConversationStore

from .conftest import url_for

FOUR_BYTE = "😀 𝄞 🇫🇷 👩‍💻 🀄 𠜎"  # emoji, musical symbol, flag, ZWJ sequence, CJK extension B


def _raw(admin: Any, database: str, message_id: str) -> tuple[bytes, Any]:
    with admin.cursor() as cur:
        cur.execute(f"SELECT HEX(content), metadata FROM `{database}`.praison_messages WHERE id = %s", (message_id,))
        hex_content, metadata = cur.fetchall()[0]
    return bytes.fromhex(hex_content), metadata


def test_four_byte_characters_round_trip_and_are_stored_verbatim(admin: Any, database: str) -> None:
    store = MySQLConversationStore(url_for(database))
    try:
        store.create_session(ConversationSession(session_id="s", name=FOUR_BYTE, metadata={"title": FOUR_BYTE}))
        sent = store.add_message(
            "s", ConversationMessage(role="user", content=FOUR_BYTE, metadata={FOUR_BYTE: [FOUR_BYTE]})
        )
        got = store.get_messages("s")[0]
        assert got.content == FOUR_BYTE and got.metadata == {FOUR_BYTE: [FOUR_BYTE]}
        session = store.get_session("s")
        assert session is not None and session.name == FOUR_BYTE and session.metadata == {"title": FOUR_BYTE}
    finally:
        store.close()
    content, metadata = _raw(admin, database, sent.id)
    assert content == FOUR_BYTE.encode("utf-8")
    assert json.loads(metadata) == {FOUR_BYTE: [FOUR_BYTE]}
    with admin.cursor() as cur:
        cur.execute(
            "SELECT DISTINCT character_set_name FROM information_schema.columns "
            "WHERE table_schema = %s AND character_set_name IS NOT NULL",
            (database,),
        )
        assert {row[0] for row in cur.fetchall()} == {"utf8mb4"}


def test_async_four_byte_characters_round_trip(admin: Any, database: str) -> None:
    async def run() -> str:
        store = AsyncMySQLConversationStore(url_for(database))
        try:
            await store.create_session(ConversationSession(session_id="s"))
            sent = await store.add_message(
                "s", ConversationMessage(role="user", content=FOUR_BYTE, metadata={"e": FOUR_BYTE})
            )
            got = (await store.get_messages("s"))[0]
            assert got.content == FOUR_BYTE and got.metadata == {"e": FOUR_BYTE}
            return sent.id
        finally:
            await store.close()

    message_id = asyncio.run(run())
    assert _raw(admin, database, message_id)[0] == FOUR_BYTE.encode("utf-8")
