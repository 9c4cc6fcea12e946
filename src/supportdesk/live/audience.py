"""Who receives which live message: the tickets policy, decided in memory for each message.

The stream filters every message without a database query, so the rule is a copy of
``supportdesk.tickets.policies`` (``visible_tickets`` and ``can_see_internal``) over the few facts a
bus message carries about its ticket. ``tests/live/test_security.py`` checks that both agree for
every persona, ticket and event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from supportdesk.accounts.models import Organization, Role
from supportdesk.tickets.models import Event
from supportdesk.tickets.policies import can_see_internal, visible_tickets

if TYPE_CHECKING:
    from supportdesk.accounts.models import User


@dataclass(frozen=True, slots=True)
class Audience:
    """What one signed-in user may receive. ``staff``: every event, internal ones and presence too."""

    user_id: int
    staff: bool = False
    customer: bool = False
    organization_id: int | None = None
    shares_tickets: bool = False
    managed: frozenset[int] = frozenset()

    def receives(self, message: dict[str, Any]) -> bool:
        """Whether the ticket event ``message`` (see ``bus.event_message``) may go to this user."""
        if self.staff:
            return True
        if not message["public"]:
            return False
        if self.customer:
            if self.shares_tickets:
                return bool(message["org"] == self.organization_id)
            return bool(message["requester"] == self.user_id)
        return message["org"] in self.managed


def audience_for(user: User, *, managed: frozenset[int] | None = None) -> Audience | None:
    """The user's audience, or None when he may see no ticket at all (then he gets no stream).

    ``managed``: the organizations a manager looks after, when the caller loaded them in bulk.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in (Role.SPECIALIST, Role.ADMIN):
        return Audience(user.pk, staff=True)
    if user.role == Role.CUSTOMER and user.organization_id:
        shares = user.organization.shares_tickets  # type: ignore[union-attr]
        return Audience(user.pk, customer=True, organization_id=user.organization_id, shares_tickets=shares)
    if user.role == Role.MANAGER:
        if managed is None:
            managed = frozenset(Organization.objects.filter(account_manager=user).values_list("pk", flat=True))
        return Audience(user.pk, managed=managed)
    return None


def visible_events(user: User) -> QuerySet[Event]:
    """Every event this user may receive, straight from the policy: the source of replays."""
    events = Event.objects.filter(ticket__in=visible_tickets(user))
    return events if can_see_internal(user) else events.filter(public=True)
