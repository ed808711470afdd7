"""What every plugin folder ``plugins/<backend>/`` looks like: one source for the scaffold and the check.

``tools/scaffold.py`` renders a folder from ``tools/templates/plugin/`` and ``tools/check_plugins.py``
verifies that each folder still has this shape, so the two cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ALL_PYPROJECT",
    "BUILD_BACKEND",
    "CORE_DISTRIBUTION",
    "CORE_PIN",
    "ENTRY_POINT_GROUP",
    "HATCH_PLUGIN_GLOB",
    "HATCH_TOML",
    "KINDS",
    "NAME_RE",
    "PERSIST_API_VERSION",
    "README_SECTIONS",
    "TEMPLATES",
    "TESTKIT_PACKAGE",
    "Kind",
    "distribution_name",
    "import_name",
    "normalize_distribution",
    "required_files",
    "store_class_name",
]

#: A backend name: the plugin folder, the entry point name and the suffix of the import package.
NAME_RE = re.compile(r"[a-z][a-z0-9_]*\Z")

ENTRY_POINT_GROUP = "praisonai_persist.plugins"
CORE_DISTRIBUTION = "praisonai-persist"
#: Plugins pin core with a floor and a major ceiling (STYLE.md, "Releases one package at a time").
CORE_PIN = ">=0.1,<1"
BUILD_BACKEND = "hatchling.build"
TESTKIT_PACKAGE = "praisonai_persist_testkit"
PERSIST_API_VERSION = 1

#: Headings every plugin README has, in this order (``## Options`` holds the options table).
README_SECTIONS = ("Install", "URL", "Options", "Tested here", "Example")

#: The meta-distribution ``praisonai-persist-all``, relative to the repository root.
ALL_PYPROJECT = Path("packages/all/pyproject.toml")

#: Hatch's workspace file, and the member glob that covers every plugin folder.
HATCH_TOML = Path("hatch.toml")
HATCH_PLUGIN_GLOB = "plugins/*"

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Kind:
    """A kind of store: the ABC a plugin's store subclasses and the testkit class its tests use."""

    name: str
    abc: str
    testkit_class: str
    #: Names the skeleton store imports from ``praisonai_persist`` besides the ABC.
    models: tuple[str, ...]
    #: Whether the skeleton's signatures use ``collections.abc.Sequence``.
    uses_sequence: bool


KINDS: dict[str, Kind] = {
    "conversation": Kind(
        "conversation",
        "ConversationStore",
        "ConversationStoreTests",
        ("ConversationMessage", "ConversationSession"),
        True,
    ),
    "knowledge": Kind("knowledge", "KnowledgeStore", "KnowledgeStoreTests", ("KnowledgeDocument",), True),
    "state": Kind("state", "StateStore", "StateStoreTests", (), False),
}


def normalize_distribution(name: str) -> str:
    """PEP 503 normal form, so ``praisonai_persist_x`` and ``praisonai-persist-x`` compare equal."""
    return re.sub(r"[-_.]+", "-", name).lower()


def distribution_name(backend: str) -> str:
    """``qdrant`` -> ``praisonai-persist-qdrant``."""
    return normalize_distribution(f"{CORE_DISTRIBUTION}-{backend}")


def import_name(backend: str) -> str:
    """``qdrant`` -> ``praisonai_persist_qdrant`` (flat, never a namespace package)."""
    return f"praisonai_persist_{backend}"


def store_class_name(backend: str, kind: str) -> str:
    """``qdrant``, ``knowledge`` -> ``QdrantKnowledgeStore``."""
    words = [w for w in backend.split("_") if w] + [kind, "store"]
    return "".join(w[:1].upper() + w[1:] for w in words)


def required_files(backend: str) -> tuple[str, ...]:
    """Files every plugin folder holds, relative to the folder (store modules are free-form)."""
    pkg = f"src/{import_name(backend)}"
    return (
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        f"{pkg}/__init__.py",
        f"{pkg}/py.typed",
        f"{pkg}/plugin.py",
        "tests/test_conformance.py",
    )
