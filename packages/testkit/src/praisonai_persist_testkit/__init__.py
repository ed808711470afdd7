"""praisonai-persist-testkit: the conformance suite every praisonai-persist backend passes.

Subclass one of the contract classes in a test module and provide a ``store`` fixture that
yields an empty, isolated store::

    from praisonai_persist_testkit import ConversationStoreTests

    class TestMyStore(ConversationStoreTests):
        @pytest.fixture
        def store(self, tmp_path):
            store = MyStore(path=tmp_path / "db")
            try:
                yield store
            finally:
                store.close()
"""

from __future__ import annotations

import pytest

# Assertions in the contract bodies must be rewritten for readable failures; pytest does this for
# a pytest11 plugin's own modules only when installed from a wheel, so ask for it explicitly.
pytest.register_assert_rewrite(
    "praisonai_persist_testkit.contract",
    "praisonai_persist_testkit.conversation",
    "praisonai_persist_testkit.knowledge",
    "praisonai_persist_testkit.state",
)

from .capabilities import DEFAULT_CAPABILITIES, describe_capabilities, resolve_capabilities  # noqa: E402
from .contract import ContractTests, find_override_violations  # noqa: E402
from .conversation import AsyncConversationStoreTests, ConversationStoreTests  # noqa: E402
from .helpers import make_vector, unique_name  # noqa: E402
from .knowledge import AsyncKnowledgeStoreTests, KnowledgeStoreTests  # noqa: E402
from .state import AsyncStateStoreTests, StateStoreTests  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_CAPABILITIES",
    "AsyncConversationStoreTests",
    "AsyncKnowledgeStoreTests",
    "AsyncStateStoreTests",
    "ContractTests",
    "ConversationStoreTests",
    "KnowledgeStoreTests",
    "StateStoreTests",
    "__version__",
    "describe_capabilities",
    "find_override_violations",
    "make_vector",
    "resolve_capabilities",
    "unique_name",
]
