"""Validation of identifiers that must be interpolated into queries (tables, collections)."""

from __future__ import annotations

import re

from .errors import InvalidIdentifierError

__all__ = ["MAX_IDENTIFIER_LENGTH", "validate_identifier", "validate_dimension"]

#: Long enough for real names, short enough for PostgreSQL's 63-byte limit with a suffix.
MAX_IDENTIFIER_LENGTH = 48

_IDENTIFIER = re.compile(r"[A-Za-z0-9_]+")


def validate_identifier(
    value: object, what: str = "identifier", *, allow_empty: bool = False, max_length: int = MAX_IDENTIFIER_LENGTH
) -> str:
    """Return ``value`` if it is ``[A-Za-z0-9_]`` and at most ``max_length`` long, else raise.

    Identifiers cannot be bound parameters, so only this allow-list stands between user
    input and the query text.
    """
    if not isinstance(value, str):
        raise InvalidIdentifierError(f"{what} must be a string, got {type(value).__name__}.")
    if value == "" and allow_empty:
        return value
    if not _IDENTIFIER.fullmatch(value):
        raise InvalidIdentifierError(
            f"Invalid {what} {value!r}: use only letters, digits and underscores (A-Z, a-z, 0-9, _)."
        )
    if len(value) > max_length:
        raise InvalidIdentifierError(f"Invalid {what} {value[:20]!r}...: longer than {max_length} characters.")
    return value


def validate_dimension(dimension: object, *, max_dimension: int = 65536) -> int:
    """Return ``dimension`` if it is an int in 1..max_dimension, else raise ``ValueError``."""
    if isinstance(dimension, bool) or not isinstance(dimension, int) or not 1 <= dimension <= max_dimension:
        raise ValueError(f"dimension must be an integer between 1 and {max_dimension}, got {dimension!r}.")
    return dimension
