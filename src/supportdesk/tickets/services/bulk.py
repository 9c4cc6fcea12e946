"""Bulk take, assign and close from a queue: the single-ticket service once per ticket.

Each ticket is its own transaction with its own checks (status table, version). One that fails does
not stop the others; the outcome says which were done and, for the rest, why not. Input that is wrong
for every ticket (no selection, an unknown specialist, no solution text) is refused before any change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils.translation import gettext as _

from supportdesk.tickets.errors import DomainError, ValidationFailed
from supportdesk.tickets.services._common import clean_text
from supportdesk.tickets.services.assignment import reassign, specialist_by_id, take
from supportdesk.tickets.services.conversation import close

if TYPE_CHECKING:
    from supportdesk.accounts.models import User

MAX_BULK = 100

# (ticket id, the version the list showed or None)
Selection = list[tuple[int, int | None]]


@dataclass
class BulkOutcome:
    done: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def _check_selection(selection: Selection) -> None:
    if not selection:
        raise ValidationFailed({"tickets": [_("Select at least one ticket.")]})
    if len(selection) > MAX_BULK:
        raise ValidationFailed({"tickets": [_("Select at most %(count)d tickets at once.") % {"count": MAX_BULK}]})


def _each(selection: Selection, act: Callable[[int, int | None], object]) -> BulkOutcome:
    outcome = BulkOutcome()
    for pk, version in dict(selection).items():
        try:
            act(pk, version)
        except Http404:
            outcome.failed.append((pk, _("There is no such ticket.")))
        except ValidationFailed as exc:
            outcome.failed.append((pk, "; ".join(str(m) for messages in exc.errors.values() for m in messages)))
        except DomainError as exc:
            outcome.failed.append((pk, str(exc.message)))
        else:
            outcome.done.append(pk)
    return outcome


def bulk_take(user: User, selection: Selection) -> BulkOutcome:
    _check_selection(selection)
    return _each(selection, lambda pk, version: take(user, pk, version=version))


def bulk_assign(user: User, selection: Selection, *, assignee_id: object) -> BulkOutcome:
    _check_selection(selection)
    assignee = specialist_by_id(assignee_id)
    return _each(selection, lambda pk, version: reassign(user, pk, assignee_id=assignee.pk, version=version))


def bulk_close(user: User, selection: Selection, *, solution: str) -> BulkOutcome:
    _check_selection(selection)
    text = clean_text(solution, field="solution", required_message=_("Write the solution recommendation."))
    return _each(selection, lambda pk, version: close(user, pk, text, version=version))
