"""Read receipts: when a user last looked at a ticket. Not history: no event is recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from supportdesk.tickets import freshness
from supportdesk.tickets.models import Ticket, TicketSeen
from supportdesk.tickets.policies import visible_tickets

if TYPE_CHECKING:
    from supportdesk.accounts.models import User


def mark_seen(user: User, ticket: Ticket) -> None:
    """Remember that ``user`` has read ``ticket`` up to now: its newer responses are no longer unread."""
    if not visible_tickets(user).filter(pk=ticket.pk).exists():
        return
    TicketSeen.objects.update_or_create(user=user, ticket=ticket, defaults={"seen_at": timezone.now()})
    freshness.touch(freshness.user(user.pk))  # the unread marks of the user's lists
