"""History events: written in the change's transaction, published to listeners after it commits."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from supportdesk.tickets import freshness
from supportdesk.tickets.models import Event, Ticket

if TYPE_CHECKING:
    from supportdesk.accounts.models import User

log = logging.getLogger(__name__)

Listener = Callable[[Event], None]
_listeners: list[Listener] = []


def add_listener(listener: Listener) -> None:
    """Receive every event once its transaction has committed (the live bus registers here)."""
    if listener not in _listeners:
        _listeners.append(listener)


def remove_listener(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def publish(event: Event) -> None:
    for listener in list(_listeners):
        try:
            listener(event)
        except Exception:  # a broken listener must not undo or hide a committed change
            log.exception("event listener %r failed on event %s", listener, event.pk)


def record(
    ticket: Ticket, kind: str, *, actor: User | None, data: dict[str, Any] | None = None, public: bool = True
) -> Event:
    """Write the history event of a change; call inside the change's transaction.

    Every change to a ticket records an event, so this is also where cached pages learn of it.
    """
    event = Event.objects.create(ticket=ticket, kind=kind, actor=actor, data=data or {}, public=public)
    freshness.touch(freshness.organization(ticket.organization_id), freshness.user(ticket.requester_id), freshness.DESK)
    transaction.on_commit(lambda: publish(event))
    return event
