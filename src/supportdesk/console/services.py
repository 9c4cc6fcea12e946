"""The workspace's own writes: drafts of the reply box and saved replies. Tickets change only in tickets/services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from supportdesk.accounts.models import Role
from supportdesk.console.models import Draft, DraftMode, SavedReply
from supportdesk.tickets import freshness
from supportdesk.tickets.errors import ValidationFailed
from supportdesk.tickets.policies import ticket_for
from supportdesk.tickets.services._common import MAX_MESSAGE_LENGTH

if TYPE_CHECKING:
    from supportdesk.accounts.models import User
    from supportdesk.tickets.models import Ticket

# --- Drafts ---------------------------------------------------------------------------------------


def save_draft(user: User, ticket_id: object, *, mode: str, body: str) -> Draft | None:
    """Keep what the specialist is typing; an empty box removes the draft. 404 for a ticket he cannot see."""
    ticket = ticket_for(user, ticket_id)
    if mode not in DraftMode.values:
        mode = DraftMode.REPLY
    text = (body or "").replace("\x00", "")[:MAX_MESSAGE_LENGTH]
    if not text.strip():
        clear_draft(user, ticket)
        return None
    draft, _created = Draft.objects.update_or_create(
        user=user, ticket=ticket, defaults={"mode": mode, "body": text, "updated_at": timezone.now()}
    )
    freshness.touch(freshness.drafts(user.pk))
    return draft


def has_draft(user: User) -> Exists:
    """For ``catalog.ticket_page_ticket``: whether ``user`` has a draft for the ticket (``draft_for``)."""
    return Exists(Draft.objects.filter(user=user, ticket=OuterRef("pk")))


def draft_for(user: User, ticket: Ticket) -> Draft | None:
    """The user's draft for the ticket; no query when the ticket was loaded with ``has_draft`` false."""
    if getattr(ticket, "has_draft", True) is False:
        return None
    return Draft.objects.filter(user=user, ticket=ticket).first()


def clear_draft(user: User, ticket: Ticket) -> None:
    """Sending the message ends its draft."""
    Draft.objects.filter(user=user, ticket=ticket).delete()
    freshness.touch(freshness.drafts(user.pk))


# --- Saved replies --------------------------------------------------------------------------------


def replies_for(user: User) -> QuerySet[SavedReply]:
    """The shared saved replies and the user's own."""
    return SavedReply.objects.filter(Q(owner__isnull=True) | Q(owner=user))


def saved_replies(user: User) -> list[SavedReply]:
    """``replies_for`` as the ticket workspace lists them: every saved reply is kept in the process
    until one changes (a few hundred at most), so a computed workspace reads none. Read them, never
    change them."""
    every = freshness.in_process("saved-replies", [freshness.REPLIES], lambda: list(SavedReply.objects.all()))
    return [reply for reply in every if reply.owner_id is None or reply.owner_id == user.pk]


def editable_reply(user: User, reply_id: object) -> SavedReply:
    """A saved reply this user may change: his own, or a shared one if he is an admin; else 404."""
    editable = Q(owner=user) | Q(owner__isnull=True) if user.role == Role.ADMIN else Q(owner=user)
    try:
        return SavedReply.objects.filter(editable).get(pk=int(str(reply_id)))
    except (ValueError, SavedReply.DoesNotExist):
        raise Http404 from None


def save_reply(user: User, *, title: str, body: str, shared: bool = False, reply_id: object = None) -> SavedReply:
    """Create (no ``reply_id``) or change a saved reply. Only admins share theirs with everyone."""
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    body = (body or "").replace("\r\n", "\n").strip()
    if not title:
        errors["title"] = [_("Give the reply a title.")]
    elif len(title) > 120:
        errors["title"] = [_("Keep the title under 120 characters.")]
    if not body:
        errors["body"] = [_("Write the text of the reply.")]
    elif len(body) > MAX_MESSAGE_LENGTH:
        errors["body"] = [_("Keep it under %(limit)d characters.") % {"limit": MAX_MESSAGE_LENGTH}]
    if errors:
        raise ValidationFailed(errors)
    reply = editable_reply(user, reply_id) if reply_id is not None else SavedReply()
    reply.title, reply.body = title, body
    # A specialist edits only his own; an admin's reply is shared or his own, as he chooses.
    reply.owner = None if shared and user.role == Role.ADMIN else user
    reply.save()
    return reply


def delete_reply(user: User, reply_id: object) -> None:
    editable_reply(user, reply_id).delete()


PLACEHOLDERS = ("customer_name", "ticket_number", "organization", "specialist_name")


def expand(text: str, *, ticket: Ticket, user: User) -> str:
    """Fill the placeholders for this ticket. Plain replacement: a stray brace never breaks a reply."""
    values = {
        "customer_name": str(ticket.requester),
        "ticket_number": ticket.number,
        "organization": str(ticket.organization),
        "specialist_name": str(user),
    }
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text
