"""A two-minute tour on the embedded defaults: ``python -m praisonai_persist.demo``.

A conversation is created, then resumed from a second process, which shows its recent
history; state is set and read back; knowledge is inserted and searched. Nothing needs a
server: SQLite, a JSON state file and the in-memory vector store.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import subprocess
import sys
import tempfile

from .factory import create_conversation_store, create_knowledge_store, create_state_store
from .models import ConversationMessage, ConversationSession, KnowledgeDocument

SESSION_ID = "demo-session"


def embed(text: str, dim: int = 64) -> list[float]:
    """A toy bag-of-words embedding (hashing trick): enough to show search without a model."""
    vec = [0.0] * dim
    for word in text.lower().split():
        digest = hashlib.sha256(word.strip(".,!?").encode()).digest()
        vec[int.from_bytes(digest[:4], "big") % dim] += 1.0
    norm = math.sqrt(sum(v * v for v in vec)) or 1.0
    return [v / norm for v in vec]


def first_process(workdir: str) -> None:
    db = os.path.join(workdir, "conversations.db")
    with create_conversation_store("sqlite", db) as store:
        if store.get_session(SESSION_ID) is None:
            store.create_session(ConversationSession(session_id=SESSION_ID, user_id="alice", name="demo"))
        store.add_messages(SESSION_ID, [
            ConversationMessage(role="user", content="Hi! My favourite colour is teal."),
            ConversationMessage(role="assistant", content="Noted: teal. 🎨"),
        ])
    print(f"[process 1] stored 2 messages in session {SESSION_ID!r} ({db})")

    print("[process 1] starting process 2 to resume the session ...", flush=True)
    subprocess.run([sys.executable, "-m", "praisonai_persist.demo", "--resume", "--dir", workdir], check=True)

    state = create_state_store("memory", path=os.path.join(workdir, "state.json"))
    state.set("user:alice:prefs", {"colour": "teal", "visits": 3}, ttl=3600)
    print(f"[state] user:alice:prefs = {state.get('user:alice:prefs')} (ttl {state.ttl('user:alice:prefs')} s)")
    state.close()

    knowledge = create_knowledge_store("memory")
    knowledge.create_collection("notes", dimension=64)
    texts = ["Teal is a blue-green colour.", "Paris is the capital of France.", "Python is a programming language."]
    knowledge.insert("notes", [KnowledgeDocument(content=t, embedding=embed(t), metadata={"n": i})
                               for i, t in enumerate(texts)])
    query = "which colour is blue green"
    hit = knowledge.search("notes", embed(query), limit=1)[0]
    print(f"[knowledge] search {query!r} -> {hit.content!r} (score {hit.score:.3f})")
    knowledge.close()


def second_process(workdir: str) -> None:
    with create_conversation_store("sqlite", os.path.join(workdir, "conversations.db")) as store:
        store.add_message(SESSION_ID, ConversationMessage(role="user", content="What is my favourite colour?"))
        print(f"[process 2, pid {os.getpid()}] resumed {SESSION_ID!r}; recent history:")
        for m in store.get_messages(SESSION_ID, limit=5):
            print(f"    {m.role:>9}: {m.content}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m praisonai_persist.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--dir", help="where to keep the demo's files (default: a new temporary directory)")
    parser.add_argument("--resume", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    workdir = args.dir or tempfile.mkdtemp(prefix="praisonai-persist-demo-")
    if args.resume:
        second_process(workdir)
    else:
        first_process(workdir)
        print(f"demo finished; files in {workdir}")


if __name__ == "__main__":
    main()
