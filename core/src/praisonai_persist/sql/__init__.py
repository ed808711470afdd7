"""The SQL schema base every SQL conversation store subclasses (DESIGN §3.5).

A plugin for a new SQL engine supplies a :class:`Dialect` (or PraisonAI-style class
attributes) and connection handling; the statements, marshalling, retry and migrations
live here. Importing this package imports no database driver.
"""

from __future__ import annotations

from .async_base import AsyncSQLConversationStoreBase
from .base import SQLConversationStoreBase, _SQLConversationStoreBase
from .dialect import MYSQL, POSTGRES, SQLITE, Dialect
from .migrations import SCHEMA_VERSION, MigrationStep, SchemaState, check_version, plan_migration
from .retry import RetryPolicy, is_serverless_host, retry_policy_for
from .statements import Statements, build_statements

__all__ = [
    "MYSQL",
    "POSTGRES",
    "SCHEMA_VERSION",
    "SQLITE",
    "AsyncSQLConversationStoreBase",
    "Dialect",
    "MigrationStep",
    "RetryPolicy",
    "SQLConversationStoreBase",
    "SchemaState",
    "Statements",
    "_SQLConversationStoreBase",
    "build_statements",
    "check_version",
    "is_serverless_host",
    "plan_migration",
    "retry_policy_for",
]
