"""JSON session stores with PraisonAI's session API (DESIGN §4): ``DefaultSessionStore`` and
``HierarchicalSessionStore``, safe for many threads and processes sharing one directory."""

from __future__ import annotations

from .default_store import DEFAULT_SESSION_DIR, DefaultSessionStore
from .hierarchical import HierarchicalSessionStore
from .models import ExtendedSessionData, SessionData, SessionMessage, SessionSnapshot

__all__ = [
    "DEFAULT_SESSION_DIR",
    "DefaultSessionStore",
    "ExtendedSessionData",
    "HierarchicalSessionStore",
    "SessionData",
    "SessionMessage",
    "SessionSnapshot",
]
