"""Shared setup for the cross-package tests."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# Subprocesses started by the tests keep their discovery cache out of the user's home.
_CACHE = tempfile.TemporaryDirectory(prefix="praisonai-persist-test-cache-")
os.environ.setdefault("PRAISONAI_PERSIST_CACHE_DIR", _CACHE.name)
