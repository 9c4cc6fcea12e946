"""Who works a ticket, and how urgent it is."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from supportdesk.accounts.models import Role, User
from supportdesk.tickets.errors import ValidationFailed
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.services._common import (
    check_action,
    clean_text,
    locked_ticket,
    record,
    save_ticket,
    status_data,
)
from supportdesk.tickets.workflow import Action


def take(user: User, ticket_id: object, *, version: int | None = None) -> Ticket:
    """The specialist takes an Open ticket: In progress, assigned to him."""
    with transaction.atomic():
        ticket = locked_ticket(user, ticket_id, version=version)
        before = ticket.status
        after = check_action(user, Action.TAKE, ticket)
        ticket.assignee = user
        save_ticket(ticket, "assignee", status=after)
        record(ticket, "ticket.taken", user, assignee=user.pk, assignee_name=str(user), **status_data(before, after))
    return ticket


def specialist_by_id(assignee_id: object) -> User:
    """The active specialist or admin ``assignee_id`` names, or ``ValidationFailed`` on the assignee field."""
    try:
        return User.objects.get(pk=int(str(assignee_id)), is_active=True, role__in=(Role.SPECIALIST, Role.ADMIN))
    except (ValueError, TypeError, User.DoesNotExist):
        raise ValidationFailed({"assignee": [_("Choose a specialist.")]}) from None


def reassign(user: User, ticket_id: object, *, assignee_id: object, version: int | None = None) -> Ticket:
    assignee = specialist_by_id(assignee_id)
    with transaction.atomic():
        ticket = locked_ticket(user, ticket_id, version=version)
        check_action(user, Action.REASSIGN, ticket)
        previous = ticket.assignee_id
        if previous == assignee.pk:
            return ticket
        ticket.assignee = assignee
        save_ticket(ticket, "assignee")
        record(
            ticket, "ticket.reassigned", user, public=False,
            previous=previous, assignee=assignee.pk, assignee_name=str(assignee),
        )  # fmt: skip
    return ticket


def set_urgent(user: User, ticket_id: object, *, urgent: bool, impact: str = "", version: int | None = None) -> Ticket:
    note = ""
    if urgent:
        note = clean_text(impact, field="impact", required_message=_("Say in one line why it is urgent."), limit=200)
    with transaction.atomic():
        ticket = locked_ticket(user, ticket_id, version=version)
        check_action(user, Action.SET_URGENT, ticket)
        if ticket.is_urgent == urgent and ticket.urgent_impact == note:
            return ticket
        ticket.is_urgent, ticket.urgent_impact = urgent, note
        save_ticket(ticket, "is_urgent", "urgent_impact")
        record(ticket, "ticket.urgency_changed", user, urgent=urgent, impact=note)
    return ticket
