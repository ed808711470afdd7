"""The catalog (what core says about backends that are not installed) matches what the plugins register.

Runs over the first-party plugins installed in this environment (tools/test.sh installs them all):
every name, alias and URL scheme a plugin registers must be in core's catalog under the same
distribution, so "pip install praisonai-persist-<x>" hints are right before the plugin is installed.
"""

from __future__ import annotations

import pytest

from praisonai_persist import get_default_registry
from praisonai_persist.catalog import catalog_for
from praisonai_persist.registry import BackendEntry

KINDS = ("conversation", "knowledge", "state")


def first_party_entries(kind: str) -> list[BackendEntry]:
    return [e for e in get_default_registry(kind).entries() if (e.distribution or "").startswith("praisonai-persist-")]


@pytest.mark.parametrize("kind", KINDS)
def test_every_registered_plugin_backend_is_catalogued(kind: str) -> None:
    catalog = {c.name: c for c in catalog_for(kind)}
    problems = []
    for entry in first_party_entries(kind):
        item = catalog.get(entry.name)
        if item is None:
            problems.append(f"{kind} {entry.name!r} ({entry.distribution}) is not in catalog.py")
            continue
        if item.distribution != entry.distribution:
            problems.append(
                f"{kind} {entry.name!r}: catalog says {item.distribution}, registered by {entry.distribution}"
            )
        missing = set(entry.aliases) - set(item.aliases)
        if missing:
            problems.append(f"{kind} {entry.name!r}: aliases {sorted(missing)} missing from the catalog")
    assert problems == []


@pytest.mark.parametrize("kind", KINDS)
def test_catalogued_names_of_installed_distributions_are_registered(kind: str) -> None:
    """A catalogued name whose distribution is installed must actually be registered by it."""
    registered = {e.distribution for e in first_party_entries(kind)}
    registry = get_default_registry(kind)
    names = set(registry.list_names())
    missing = [c.name for c in catalog_for(kind) if c.distribution in registered and c.name not in names]
    assert missing == []
