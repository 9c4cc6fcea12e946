"""Who may see and do what. Every lookup of a ticket goes through ``ticket_for``: outside it is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from supportdesk.accounts.models import Organization, Role
from supportdesk.tickets import freshness
from supportdesk.tickets.models import Attachment, Event, Ticket
from supportdesk.tickets.workflow import Actor, Status, allowed

if TYPE_CHECKING:
    from supportdesk.accounts.models import User


def actor_kind(user: User) -> str | None:
    """The lifecycle table's actor for this user, or None when he may act on no ticket."""
    if user.role == Role.CUSTOMER:
        return Actor.CUSTOMER
    if user.role in (Role.SPECIALIST, Role.ADMIN):
        return Actor.SPECIALIST
    return None


def organization_of(user: User) -> Organization | None:
    """The user's organization, kept in the process under its stamp.

    A customer's pages read that stamp anyway (their cache key holds it), so a computed page does not
    query the organization; an admin's edit of it replaces the stamp. The copy is the process's, shared
    by its requests: it must not be changed.
    """
    if user.organization_id is None:
        return None
    field = user._meta.get_field("organization")
    if not field.is_cached(user):
        pk = user.organization_id
        organization = freshness.in_process(
            f"organization:{pk}", [freshness.organization(pk)], lambda: Organization.objects.get(pk=pk)
        )
        field.set_cached_value(user, organization)
    return user.organization


def customer_scope(user: User) -> str | None:
    """The key of the tickets a customer sees in the word index (``tickets/search.py``); None for others."""
    if not user.is_authenticated or not user.is_active or user.role != Role.CUSTOMER:
        return None
    organization = organization_of(user)
    return None if organization is None else _customer_tickets(user, organization)[1]


def _customer_tickets(user: User, organization: Organization) -> tuple[dict[str, object], str]:
    """A customer's tickets: the lookup, and its key in the word index. One decision for both."""
    if organization.shares_tickets:
        return {"organization": organization}, f"o{organization.pk}"
    return {"requester": user}, f"r{user.pk}"


def visible_tickets(user: User) -> QuerySet[Ticket]:
    """The tickets this user may see, and no other."""
    tickets = Ticket.objects.all()
    if not user.is_authenticated or not user.is_active:
        return tickets.none()
    if user.role in (Role.SPECIALIST, Role.ADMIN):
        return tickets
    if user.role == Role.MANAGER:
        return tickets.filter(organization__account_manager=user)
    if user.role == Role.CUSTOMER and (organization := organization_of(user)) is not None:
        return tickets.filter(**_customer_tickets(user, organization)[0])
    return tickets.none()


def ticket_for(user: User, pk: object, *, queryset: QuerySet[Ticket] | None = None) -> Ticket:
    """The ticket ``pk`` if this user may see it; otherwise 404, exactly as for a ticket that does not exist."""
    try:
        number = int(str(pk))
    except ValueError:
        raise Http404 from None
    base = visible_tickets(user) if queryset is None else queryset & visible_tickets(user)
    try:
        return base.get(pk=number)
    except Ticket.DoesNotExist:
        raise Http404 from None


def attachment_for(user: User, token: str) -> Attachment:
    """An attachment the user may open: of a ticket he sees, or his own not yet sent upload."""
    try:
        attachment = Attachment.objects.select_related("ticket").get(token=token)
    except Attachment.DoesNotExist:
        raise Http404 from None
    if attachment.ticket_id is None:
        if attachment.uploader_id != user.pk:
            raise Http404
        return attachment
    message = attachment.message
    if message is not None and not message.is_public and not can_see_internal(user):
        raise Http404
    if not visible_tickets(user).filter(pk=attachment.ticket_id).exists():
        raise Http404
    return attachment


def can_see_internal(user: User) -> bool:
    """Internal notes and non-public events are for support staff only."""
    return user.is_authenticated and user.role in (Role.SPECIALIST, Role.ADMIN)


def visible_events(user: User, ticket: Ticket) -> QuerySet[Event]:
    events = ticket.events.all()
    return events if can_see_internal(user) else events.filter(public=True)


def may(user: User, action: str, ticket: Ticket) -> bool:
    """Whether ``user`` may do ``action`` on ``ticket`` now (the status table and his role)."""
    actor = actor_kind(user)
    return actor is not None and allowed(action, ticket.status, actor)


def may_change_category_directly(user: User, ticket: Ticket) -> bool:
    """Before processing the customer changes the category himself; later he can only ask."""
    return user.role == Role.CUSTOMER and ticket.status == Status.OPEN


def can_create_tickets(user: User) -> bool:
    return user.is_authenticated and user.role == Role.CUSTOMER and user.organization_id is not None
