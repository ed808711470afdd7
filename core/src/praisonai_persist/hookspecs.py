"""Hook specifications plugins implement (pluggy project name ``praisonai_persist``).

A plugin's entry point (group ``praisonai_persist.plugins``) names a small module holding
``@hookimpl`` functions; the module must not import its database client at import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .registry import StoreRegistry

__all__ = ["API_VERSION", "PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "praisonai_persist"
#: Major version of the plugin API. A plugin module declaring another
#: ``PERSIST_API_VERSION`` is refused with a message naming both.
API_VERSION = 1

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def persist_register_stores(registries: Mapping[str, StoreRegistry]) -> None:
    """Register store factories: ``registries[kind].register_store(name, factory, aliases=..., schemes=...)``.

    ``registries`` maps ``"conversation"``, ``"knowledge"`` and ``"state"`` to their
    :class:`~praisonai_persist.registry.StoreRegistry`. Factories should be lazy
    ``"module:attr"`` strings so registering imports no client library.
    """


@hookspec
def persist_doctor_checks() -> list[tuple[str, Any]] | None:
    """Extra ``(title, callable)`` checks for ``praisonai-persist doctor``; each callable
    returns a short status string or raises with a message saying what to fix."""
