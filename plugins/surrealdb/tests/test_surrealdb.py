"""SurrealDB specifics beyond the contract: bound filters, registry names, persistence, secrets, batches."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from praisonai_persist import (
    ConversationMessage,
    ConversationSession,
    KnowledgeDocument,
    create_conversation_store,
    create_knowledge_store,
)
from praisonai_persist.errors import (
    DocumentExistsError,
    InvalidIdentifierError,
    StoreConnectionError,
    UnsupportedFilterError,
)
from praisonai_persist_surrealdb import SurrealConversationStore, SurrealKnowledgeStore
from praisonai_persist_surrealdb._filters import surreal_condition
from praisonai_persist_testkit import make_vector


def test_filter_values_and_keys_are_bound_never_in_the_text() -> None:
    hostile = "a' OR 1=1; REMOVE TABLE x; --"
    condition, params = surreal_condition(
        {"$or": [{"tag": hostile}, {"n": {"$gte": 2, "$nin": [7, "x"]}}], "flag": True}
    )
    assert condition is not None
    assert hostile not in condition and "tag" not in condition and "flag" not in condition
    values = list(params.values())
    assert all(v in values for v in (hostile, "tag", "n", "flag", True, 2, [7, "x"]))
    assert "type::is::number(metadata[$" in condition  # ranges never compare across kinds


@pytest.mark.parametrize(
    "bad",
    [{"a-b": 1}, {"$.tag": "a"}, {"tag') OR 1=1 --": "a"}, {"tag": None}, {"tag": {"$in": ["a", None]}}],
)
def test_filters_it_cannot_express_raise(bad: dict[str, object]) -> None:
    with pytest.raises(UnsupportedFilterError):
        surreal_condition(bad)


def test_registry_names_urls_and_modes() -> None:
    assert type(create_knowledge_store("surrealdb_v", url="mem://")).__name__ == "SurrealKnowledgeStore"
    assert type(create_knowledge_store("mem://")).__name__ == "SurrealKnowledgeStore"
    store = create_knowledge_store("surrealdb_vector", url="mem://", mode="async")
    assert type(store).__name__ == "AsyncSurrealKnowledgeStore"
    conversation = create_conversation_store("surrealdb", url="mem://")
    assert type(conversation).__name__ == "SurrealConversationStore"
    conversation.close()


def test_plugin_module_imports_no_client() -> None:
    sys.modules.pop("praisonai_persist_surrealdb.plugin", None)
    before = "surrealdb" in sys.modules
    import praisonai_persist_surrealdb.plugin  # noqa: F401

    assert ("surrealdb" in sys.modules) == before


def test_surrealkv_file_keeps_documents_and_messages(tmp_path: Path) -> None:
    url = f"surrealkv://{tmp_path / 'db'}"
    with SurrealKnowledgeStore(url) as store:
        store.create_collection("notes", 8, distance="euclidean")
        store.insert("notes", [KnowledgeDocument(id="a", content="kept", embedding=make_vector(1, 8))])
    with SurrealConversationStore(url) as conversation:
        conversation.create_session(ConversationSession(session_id="s1"))
        conversation.add_message("s1", ConversationMessage(role="user", content="hello"))
    with SurrealKnowledgeStore(url) as store:
        hits = store.search("notes", make_vector(1, 8), limit=1)
        assert [(h.id, h.content, round(h.score or 0, 9)) for h in hits] == [("a", "kept", 1.0)]
    with SurrealConversationStore(url) as conversation:
        assert [m.content for m in conversation.get_messages("s1")] == ["hello"]


def test_batches_larger_than_one_statement_and_duplicates() -> None:
    with SurrealKnowledgeStore("mem://") as store:
        store.create_collection("big", 4)
        docs = [KnowledgeDocument(id=f"d{i}", content=str(i), embedding=[1.0, i, 0.0, 1.0]) for i in range(2500)]
        assert len(store.insert("big", docs)) == 2500
        assert store.count("big") == 2500
        with pytest.raises(DocumentExistsError) as raised:
            store.insert("big", [KnowledgeDocument(id="d7", content="again", embedding=[1.0, 0, 0, 0])])
        assert "d7" in str(raised.value)
        with pytest.raises(DocumentExistsError):
            store.insert("big", [KnowledgeDocument(id="n", content="x", embedding=[1.0, 0, 0, 0])] * 2)
        assert store.get("big", ["d7"])[0].content == "7"
        assert store.upsert("big", docs[:3]) == ["d0", "d1", "d2"]
        assert store.count("big") == 2500


def test_identifiers_are_validated() -> None:
    with pytest.raises(InvalidIdentifierError):
        SurrealKnowledgeStore("mem://", namespace="ns; REMOVE NAMESPACE x")
    with pytest.raises(InvalidIdentifierError):
        SurrealConversationStore("mem://", table_prefix="t`; --")


def test_connection_errors_hide_secrets() -> None:
    password = "s3cr3t-Pa55"
    with pytest.raises(StoreConnectionError) as raised:
        SurrealKnowledgeStore("ws://127.0.0.1:9/rpc", username="root", password=password)
    assert password not in str(raised.value)
    store = SurrealKnowledgeStore.__new__(SurrealKnowledgeStore)
    from praisonai_persist_surrealdb._connection import settings_from

    store.settings = settings_from("ws://root:" + password + "@db.example:8000", None, "n", "d", None, password, None)
    assert password not in repr(store) and password not in repr(store.settings)


def test_scroll_pages_in_id_byte_order_with_hostile_and_numeric_ids() -> None:
    """Record-id range paging: string keys in UTF-8 byte order, numeric-looking ids stay strings."""
    odd = ["10", "9", "Z", "a", "a' OR 1=1; --", "`x`", "é", "d 😀", "c/slash", "b>.."]
    ids = odd + [f"k{i:03}" for i in range(40)]
    with SurrealKnowledgeStore("mem://") as store:
        store.create_collection("s", 4, metadata={"source": "test"})
        store.insert("s", [KnowledgeDocument(id=i, content=i, embedding=[1.0, 0.0, 0.0, 1.0]) for i in ids])
        seen, cursor, pages = [], None, 0
        while True:
            page, cursor = store.scroll("s", limit=7, cursor=cursor)
            seen += [d.id for d in page]
            pages += 1
            if cursor is None:
                break
        assert seen == sorted(ids, key=lambda i: i.encode()) and pages == 8
        after_hostile = [d.id for d in store.scroll("s", limit=3, cursor="a' OR 1=1; --")[0]]
        assert after_hostile == ["b>..", "c/slash", "d 😀"]  # the cursor is bound, never SurrealQL text
        assert store.describe_collection("s").metadata == {"source": "test"}


def test_a_message_id_stored_in_one_batch_is_skipped_in_the_next() -> None:
    with SurrealConversationStore("mem://") as store:
        store.create_session(ConversationSession(session_id="s1"))
        first = ConversationMessage(id="m1", role="user", content="first", created_at=1.0)
        store.add_messages("s1", [first, ConversationMessage(id="m1", role="user", content="dup", created_at=2.0)])
        store.add_message("s1", ConversationMessage(id="m1", role="user", content="again", created_at=3.0))
        assert [(m.id, m.content) for m in store.get_messages("s1")] == [("m1", "first")]
