"""Related tickets: support links two tickets so whoever works one sees the other.

A link is support's bookkeeping: its events are internal, and the customer's pages do not change.
Links are made and removed from an active ticket (a finished one is terminal); the other end may be
in any status, so a new ticket can point at the closed one it continues.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from supportdesk.tickets.errors import ActionNotAllowed, DomainError, ValidationFailed
from supportdesk.tickets.models import Ticket, TicketLink
from supportdesk.tickets.policies import actor_kind, ticket_for
from supportdesk.tickets.services._common import locked_ticket, record, save_ticket
from supportdesk.tickets.workflow import FINISHED, Actor

if TYPE_CHECKING:
    from supportdesk.accounts.models import User


def ticket_number(value: object, *, field: str) -> int:
    """``123`` or ``#123`` as a ticket id; anything else is a ``ValidationFailed`` on ``field``."""
    match = re.fullmatch(r"\s*#?\s*(\d{1,12})\s*", str(value or ""))
    if match is None:
        raise ValidationFailed({field: [_("Enter a ticket number, such as #123.")]})
    return int(match.group(1))


def other_ticket(user: User, number: int, *, field: str) -> Ticket:
    """The ticket ``number`` if the user may see it; else a form error (not a 404 of the whole page)."""
    try:
        return ticket_for(user, number)
    except Http404:
        raise ValidationFailed({field: [_("There is no ticket #%(number)s.") % {"number": number}]}) from None


def require_support_on_active(user: User, ticket: Ticket) -> None:
    if actor_kind(user) != Actor.SPECIALIST:
        raise DomainError(_("You cannot change tickets."))
    if ticket.status in FINISHED:
        raise ActionNotAllowed(_("This ticket is finished and can no longer be changed."))


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def link_tickets(user: User, ticket_id: object, other: object, *, version: int | None = None) -> TicketLink:
    """Mark ``other`` (a number, "#123" works too) as related to the ticket."""
    number = ticket_number(other, field="other")
    with transaction.atomic():
        ticket = locked_ticket(user, ticket_id, version=version)
        require_support_on_active(user, ticket)
        related = other_ticket(user, number, field="other")
        if related.pk == ticket.pk:
            raise ValidationFailed({"other": [_("A ticket cannot be linked to itself.")]})
        low, high = _pair(ticket.pk, related.pk)
        link, created = TicketLink.objects.get_or_create(ticket_id=low, related_id=high, defaults={"created_by": user})
        if not created:
            raise ValidationFailed({"other": [_("These tickets are already linked.")]})
        save_ticket(ticket)
        record(ticket, "ticket.linked", user, public=False, other=related.pk)
    return link


def unlink_tickets(user: User, ticket_id: object, other: object, *, version: int | None = None) -> None:
    number = ticket_number(other, field="other")
    with transaction.atomic():
        ticket = locked_ticket(user, ticket_id, version=version)
        require_support_on_active(user, ticket)
        low, high = _pair(ticket.pk, number)
        deleted, _rows = TicketLink.objects.filter(ticket_id=low, related_id=high).delete()
        if not deleted:
            raise DomainError(_("These tickets are not linked."))
        save_ticket(ticket)
        record(ticket, "ticket.unlinked", user, public=False, other=number)


def link_in_transaction(user: User, ticket: Ticket, related: Ticket) -> None:
    """Link two locked tickets inside the caller's transaction, if they are not linked yet."""
    low, high = _pair(ticket.pk, related.pk)
    TicketLink.objects.get_or_create(ticket_id=low, related_id=high, defaults={"created_by": user})
