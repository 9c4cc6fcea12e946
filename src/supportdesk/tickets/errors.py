"""Domain errors: each carries a translated message meant for the user who caused it."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A user's request the domain refuses. ``message`` is shown to that user as it is."""

    status_code = 400

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class ActionNotAllowed(DomainError):
    status_code = 409


class ValidationFailed(DomainError):
    """Input that does not pass validation; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, list[Any]]) -> None:
        first = next(iter(errors.values()))[0] if errors else ""
        super().__init__(first)
        self.errors = errors


class StaleVersion(DomainError):
    """Someone else changed the ticket after the user loaded it."""

    status_code = 409
