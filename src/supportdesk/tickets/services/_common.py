"""What every ticket service does: lock the ticket the user may see, guard the version, save, record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from supportdesk.tickets import events
from supportdesk.tickets.errors import DomainError, StaleVersion, ValidationFailed
from supportdesk.tickets.models import Attachment, Event, Message, Ticket
from supportdesk.tickets.policies import actor_kind, ticket_for
from supportdesk.tickets.workflow import FINISHED, require

if TYPE_CHECKING:
    from supportdesk.accounts.models import User

MAX_MESSAGE_LENGTH = 20_000


def locked_ticket(user: User, ticket_id: object, *, version: int | None = None) -> Ticket:
    """The ticket, row-locked for this transaction, if ``user`` may see it (else 404).

    ``version``: the version the user's page showed; if the ticket changed since, ``StaleVersion``.
    """
    ticket = ticket_for(user, ticket_id, queryset=Ticket.objects.select_for_update(of=("self",)))
    if version is not None and ticket.version != version:
        raise StaleVersion(_("The ticket changed after you opened it. Review the change and try again."))
    return ticket


def check_action(user: User, action: str, ticket: Ticket) -> str:
    """The status after ``action``, or ``ActionNotAllowed`` (by role and the transition table)."""
    actor = actor_kind(user)
    if actor is None:
        raise DomainError(_("You cannot change tickets."))
    return require(action, ticket.status, actor)


def clean_text(value: str | None, *, field: str, required_message: str, limit: int = MAX_MESSAGE_LENGTH) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if not text:
        raise ValidationFailed({field: [required_message]})
    if len(text) > limit:
        raise ValidationFailed(
            {field: [_("Keep it under %(limit)d characters (now %(count)d).") % {"limit": limit, "count": len(text)}]}
        )
    return text


def save_ticket(ticket: Ticket, *fields: str, status: str | None = None) -> None:
    """Persist a change of ``ticket``: bump the version and the change time with it."""
    now = timezone.now()
    changed = set(fields) | {"version", "updated_at"}
    if status is not None and status != ticket.status:
        ticket.status = status
        changed.add("status")
        if status in FINISHED:
            ticket.finished_at = now
            changed.add("finished_at")
    ticket.version += 1
    ticket.updated_at = now
    ticket.save(update_fields=sorted(changed))


def add_message(
    ticket: Ticket,
    author: User,
    *,
    kind: str,
    body: str,
    attachments: list[Attachment] = (),  # type: ignore[assignment]
    is_solution: bool = False,
) -> Message:
    message = Message.objects.create(ticket=ticket, author=author, kind=kind, body=body, is_solution=is_solution)
    if attachments:
        Attachment.objects.filter(pk__in=[a.pk for a in attachments]).update(ticket=ticket, message=message)
        for attachment in attachments:
            attachment.ticket, attachment.message = ticket, message
    return message


def status_data(before: str, after: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = dict(extra)
    if before != after:
        data["from"], data["to"] = before, after
    return data


def record(ticket: Ticket, kind: str, actor: User | None, *, public: bool = True, **data: Any) -> Event:
    return events.record(ticket, kind, actor=actor, data=data, public=public)
