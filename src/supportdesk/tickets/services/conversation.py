"""The thread: the customer's replies, support's responses and notes, and the finishing moves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supportdesk.tickets.attachments import pending_uploads
from supportdesk.tickets.errors import ValidationFailed
from supportdesk.tickets.models import DeclineCode, Message, MessageKind
from supportdesk.tickets.services._common import (
    add_message,
    check_action,
    clean_text,
    locked_ticket,
    record,
    save_ticket,
    status_data,
)
from supportdesk.tickets.services.category import settle_pending_on_finish
from supportdesk.tickets.workflow import FINISHED, Action

if TYPE_CHECKING:
    from supportdesk.accounts.models import User


def customer_reply(
    user: User,
    ticket_id: object,
    body: str,
    *,
    uploads: Sequence[str] = (),
    version: int | None = None,
) -> Message:
    """The customer adds to the thread; an answer to "Awaiting response" moves the ticket to In progress."""
    text = clean_text(body, field="body", required_message=_("Write your reply."))
    with transaction.atomic():
        ticket = locked_ticket(user, ticket_id, version=version)
        before = ticket.status
        after = check_action(user, Action.CUSTOMER_REPLY, ticket)
        files = pending_uploads(user, list(uploads))
        message = add_message(ticket, user, kind=MessageKind.CUSTOMER, body=text, attachments=files)
        ticket.last_customer_message_at = message.created_at
        save_ticket(ticket, "last_customer_message_at", status=after)
        record(ticket, "ticket.message", user, message_id=message.pk, **status_data(before, after))
    return message


def _support_message(
    user: User,
    ticket_id: object,
    body: str,
    *,
    action: str,
    kind: str,
    event_kind: str,
    uploads: Sequence[str],
    version: int | None,
    is_solution: bool = False,
    required_message: str,
) -> Message:
    text = clean_text(body, field="body", required_message=required_message)
    with transaction.atomic():
        ticket = locked_ticket(user, ticket_id, version=version)
        before = ticket.status
        after = check_action(user, action, ticket)
        files = pending_uploads(user, list(uploads))
        message = add_message(ticket, user, kind=kind, body=text, attachments=files, is_solution=is_solution)
        fields: list[str] = []
        public = kind != MessageKind.NOTE
        if public:
            ticket.last_response_at = message.created_at
            fields.append("last_response_at")
            if ticket.assignee_id is None:
                ticket.assignee = user
                fields.append("assignee")
        save_ticket(ticket, *fields, status=after)
        record(ticket, event_kind, user, public=public, message_id=message.pk, **status_data(before, after))
        if after in FINISHED:
            settle_pending_on_finish(user, ticket)
    return message


def specialist_reply(
    user: User,
    ticket_id: object,
    body: str,
    *,
    uploads: Sequence[str] = (),
    version: int | None = None,
) -> Message:
    return _support_message(
        user, ticket_id, body, action=Action.SPECIALIST_REPLY, kind=MessageKind.RESPONSE,
        event_kind="ticket.response", uploads=list(uploads), version=version,
        required_message=_("Write your reply."),
    )  # fmt: skip


def internal_note(
    user: User,
    ticket_id: object,
    body: str,
    *,
    uploads: Sequence[str] = (),
    version: int | None = None,
) -> Message:
    """A note for support only: never shown to the customer, never sent on his stream."""
    return _support_message(
        user, ticket_id, body, action=Action.INTERNAL_NOTE, kind=MessageKind.NOTE,
        event_kind="ticket.note", uploads=list(uploads), version=version,
        required_message=_("Write the note."),
    )  # fmt: skip


def request_information(
    user: User,
    ticket_id: object,
    body: str,
    *,
    uploads: Sequence[str] = (),
    version: int | None = None,
) -> Message:
    """Ask the customer for more: a public message, status Awaiting response."""
    return _support_message(
        user, ticket_id, body, action=Action.REQUEST_INFORMATION, kind=MessageKind.RESPONSE,
        event_kind="ticket.information_requested", uploads=list(uploads), version=version,
        required_message=_("Say what information you need."),
    )  # fmt: skip


def close(
    user: User,
    ticket_id: object,
    solution: str,
    *,
    uploads: Sequence[str] = (),
    version: int | None = None,
) -> Message:
    """Close as solved: the message is the solution recommendation, highlighted for the customer."""
    return _support_message(
        user, ticket_id, solution, action=Action.CLOSE, kind=MessageKind.RESPONSE,
        event_kind="ticket.closed", uploads=list(uploads), version=version, is_solution=True,
        required_message=_("Write the solution recommendation."),
    )  # fmt: skip


def decline(user: User, ticket_id: object, *, code: str, reason: str, version: int | None = None) -> None:
    """Decline with a reason: the code is counted, the text is shown to the customer."""
    errors: dict[str, list[str]] = {}
    if code not in DeclineCode.values:
        errors["code"] = [_("Choose why the ticket is declined.")]
    try:
        text = clean_text(reason, field="reason", required_message=_("Explain the reason to the customer."), limit=2000)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        ticket = locked_ticket(user, ticket_id, version=version)
        before = ticket.status
        after = check_action(user, Action.DECLINE, ticket)
        ticket.decline_code, ticket.decline_reason = code, text
        ticket.last_response_at = timezone.now()
        save_ticket(ticket, "decline_code", "decline_reason", "last_response_at", status=after)
        record(ticket, "ticket.declined", user, code=code, reason=text, **status_data(before, after))
        settle_pending_on_finish(user, ticket)


def auto_close(ticket_id: int) -> bool:
    """The system closes an Awaiting response ticket nobody answered; False if it moved meanwhile."""
    from supportdesk.tickets.models import Ticket
    from supportdesk.tickets.workflow import Actor, allowed, target_status

    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None or not allowed(Action.AUTO_CLOSE, ticket.status, Actor.SYSTEM):
            return False
        before = ticket.status
        after = target_status(Action.AUTO_CLOSE, before)
        save_ticket(ticket, status=after)
        record(ticket, "ticket.auto_closed", None, **status_data(before, after))
        settle_pending_on_finish(None, ticket)
    return True
