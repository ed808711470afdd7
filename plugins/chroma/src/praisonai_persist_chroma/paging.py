"""``scroll`` over Chroma: offset pages in Chroma's own order, re-anchored on the last id returned.

Chroma has no id range filter and no sort, but ``collection.get(limit=, offset=)`` pages in a
stable order: insertion order (each record's internal offset id). An upsert keeps a record's
place and a new record goes to the end, so an offset cursor survives those. A delete before the
cursor shifts every later record one place down, so the cursor also carries the last id
returned (``"<offset>:<id>"``): the next page checks that this id still sits just before the
offset and, when it does not, looks back for it (ids only, in windows) and resumes right after it.
Only when that document was itself deleted does the scroll resume at its old offset, and then
it can miss as many documents as were deleted before it. Each page reads ``limit + 2`` records
(memory stays bounded), but Chroma skips an offset by walking it, so a full scroll costs
more per page the deeper it goes.

The logic is written once as a generator that yields ``get`` requests and receives their
results; the sync and async stores each drive it with their own client calls.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

from praisonai_persist.knowledge import ScrollPage, check_scroll_limit
from praisonai_persist.models import KnowledgeDocument

from .codec import INCLUDE_GET, docs_from_get

__all__ = ["GetRequest", "Plan", "scroll_plan"]

#: One ``collection.get`` call: (offset, limit, include).
GetRequest = tuple[int, int, list[str]]
Plan = Generator[GetRequest, Mapping[str, Any], ScrollPage]
_WINDOW = 256  # ids per look-back request


def _parse(cursor: Any) -> tuple[int, str]:
    """``(offset, last id)`` of a cursor this module made; ValueError for anything else."""
    if isinstance(cursor, str):
        offset, sep, last = cursor.partition(":")
        if sep and offset.isdigit() and offset.isascii() and int(offset) > 0:
            return int(offset), last
    raise ValueError(f"Not a chroma scroll cursor: {cursor!r} (pass back the cursor scroll returned).")


def _page(docs: list[KnowledgeDocument], first: int, limit: int) -> ScrollPage:
    """At most ``limit`` documents read from offset ``first``, and the cursor after them."""
    page = docs[:limit]
    more = len(docs) > limit
    return page, (f"{first + len(page)}:{page[-1].id}" if more else None)


def _find_back(last: str, before: int) -> Generator[GetRequest, Mapping[str, Any], int | None]:
    """The offset of id ``last`` at or before ``before`` (ids only, newest window first), or None."""
    end = before + 1
    while end > 0:
        start = max(0, end - _WINDOW)
        ids = list((yield (start, end - start, []))["ids"])
        if last in ids:
            return start + ids.index(last)
        end = start
    return None


def scroll_plan(limit: int, cursor: str | None) -> Plan:
    """The ``get`` calls of one scroll page; the generator's return value is the page."""
    check_scroll_limit(limit)
    if cursor is None:
        return _page(docs_from_get((yield (0, limit + 1, INCLUDE_GET))), 0, limit)
    offset, last = _parse(cursor)
    result = yield (offset - 1, limit + 2, INCLUDE_GET)
    ids = list(result["ids"])
    if ids and ids[0] == last:  # nothing before the cursor moved
        return _page(docs_from_get(result)[1:], offset, limit)
    found = yield from _find_back(last, offset - 2)  # deletes can only have moved it back
    resume = offset - 1 if found is None else found + 1
    return _page(docs_from_get((yield (resume, limit + 1, INCLUDE_GET))), resume, limit)
