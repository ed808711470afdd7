"""Moving data between stores and files: ``copy``, ``export`` and ``import`` of the CLI.

Streamed in batches (bounded memory), idempotent (doing it twice changes nothing) and resumable
(re-running after an interruption completes the job without duplicates).
"""

from __future__ import annotations

from .jsonl import FORMAT, VERSION, JsonlWriter, read_records
from .operations import Progress, Selection, TransferStats, copy_store, export_store, import_file

__all__ = [
    "FORMAT",
    "VERSION",
    "JsonlWriter",
    "Progress",
    "Selection",
    "TransferStats",
    "copy_store",
    "export_store",
    "import_file",
    "read_records",
]
