"""Opening tickets: a new one, a follow-up of a finished one, an urgent reminder of an unanswered one."""

from __future__ import annotations

import datetime
import decimal
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supportdesk.tickets import catalog
from supportdesk.tickets.attachments import pending_uploads
from supportdesk.tickets.errors import DomainError, ValidationFailed
from supportdesk.tickets.models import FieldKind, LinkKind, MessageKind, Section, Ticket, TicketType, TypedField
from supportdesk.tickets.policies import can_create_tickets, ticket_for
from supportdesk.tickets.services._common import add_message, clean_text, record
from supportdesk.tickets.workflow import Action, Actor, Status, allowed

if TYPE_CHECKING:
    from supportdesk.accounts.models import User

SUMMARY_LENGTH = 120
CLIENT_INFO_LABELS = {
    "page": gettext_lazy("Page"),
    "browser": gettext_lazy("Browser"),
    "screen": gettext_lazy("Screen"),
    "language": gettext_lazy("Language"),
    "time_zone": gettext_lazy("Time zone"),
}
CLIENT_INFO_KEYS = tuple(CLIENT_INFO_LABELS)


@dataclass
class NewTicket:
    """What the Create form sends. ``fields``: typed field key → raw text."""

    section: object
    question: str
    ticket_type: object = None
    fields: dict[str, str] = field(default_factory=dict)
    client_info: dict[str, str] = field(default_factory=dict)
    urgent: bool = False
    impact: str = ""
    uploads: list[str] = field(default_factory=list)
    submission_key: uuid.UUID | None = None
    linked_to: object = None
    link_kind: str = ""


def summarize(question: str) -> str:
    """The brief description: the question's first non-empty line, shortened at a word."""
    first = next((line.strip() for line in question.splitlines() if line.strip()), "")
    if len(first) <= SUMMARY_LENGTH:
        return first
    cut = first[: SUMMARY_LENGTH - 1]
    if " " in cut[SUMMARY_LENGTH // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:") + "…"


def resolve_category(section_ref: object, type_ref: object) -> tuple[Section, TicketType | None]:
    """The active section and, where the section has types, one of its active types (from the catalog)."""
    try:
        section = catalog.active_section(int(str(section_ref)))
    except (ValueError, TypeError):
        section = None
    if section is None:
        raise ValidationFailed({"section": [_("Choose a section.")]})
    types = section.active_types
    if not types:
        if type_ref not in (None, ""):
            raise ValidationFailed({"ticket_type": [_("This section has no question types.")]})
        return section, None
    try:
        chosen = next(t for t in types if t.pk == int(str(type_ref)))
    except (ValueError, TypeError, StopIteration):
        raise ValidationFailed({"ticket_type": [_("Choose the question type.")]}) from None
    return section, chosen


def fields_for(section: Section, ticket_type: TicketType | None) -> list[TypedField]:
    """The typed fields a ticket of this section and type has. A catalog section (``resolve_category``)
    brings its own; any other section's are read."""
    definitions = section.all_fields if hasattr(section, "all_fields") else list(section.fields.all())
    return [
        f
        for f in definitions
        if f.ticket_type_id is None or (ticket_type is not None and f.ticket_type_id == ticket_type.pk)
    ]


def clean_fields(definitions: list[TypedField], raw: dict[str, str]) -> dict[str, Any]:
    """Typed field values checked by kind; keys not asked by the section and type are dropped."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for definition in definitions:
        # PostgreSQL cannot store NUL in text or jsonb: drop it as clean_text does for messages.
        text = (raw.get(definition.key) or "").replace("\x00", "").replace("\r\n", "\n").strip()
        name = f"field_{definition.key}"
        if not text:
            if definition.required:
                errors[name] = [_("This field is required.")]
            continue
        if len(text) > 2000:
            errors[name] = [_("Keep it under 2000 characters.")]
            continue
        try:
            values[definition.key] = _parse(definition.kind, text)
        except ValueError:
            errors[name] = [_kind_error(definition.kind)]
    if errors:
        raise ValidationFailed(errors)
    return values


def _parse(kind: str, text: str) -> str:
    if kind == FieldKind.DATE:
        return datetime.date.fromisoformat(text).isoformat()
    if kind == FieldKind.DATETIME:
        moment = datetime.datetime.fromisoformat(text)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.isoformat()
    if kind == FieldKind.DECIMAL:
        try:
            amount = decimal.Decimal(text.replace(",", ".").replace(" ", ""))
        except decimal.InvalidOperation:
            raise ValueError(text) from None
        if not amount.is_finite() or amount < 0 or amount > decimal.Decimal("1e12"):
            raise ValueError(text)
        return str(amount)
    return text


def _kind_error(kind: str) -> str:
    messages: dict[str, str] = {
        FieldKind.DATE: _("Enter a valid date."),
        FieldKind.DATETIME: _("Enter a valid date and time."),
        FieldKind.DECIMAL: _("Enter an amount, such as 0.25."),
    }
    return messages.get(kind, _("Enter a valid value."))


def _clean_client_info(raw: dict[str, str]) -> dict[str, str]:
    return {k: str(raw[k]).replace("\x00", "")[:300] for k in CLIENT_INFO_KEYS if raw.get(k)}


def create_ticket(requester: User, new: NewTicket) -> Ticket:
    """Open a ticket. Idempotent per ``submission_key``: the same form sent twice gives one ticket."""
    if not can_create_tickets(requester):
        raise DomainError(_("Only customers can open tickets."))
    question = clean_text(new.question, field="question", required_message=_("Describe your question."))
    section, ticket_type = resolve_category(new.section, new.ticket_type)
    values = clean_fields(fields_for(section, ticket_type), new.fields)
    impact = ""
    if new.urgent:
        impact = clean_text(
            new.impact, field="impact", required_message=_("Say in one line why it is urgent."), limit=200
        )
    client_info = _clean_client_info(new.client_info) if section.code == "system-errors" else {}
    linked = _check_link(requester, new.linked_to, new.link_kind)
    try:
        with transaction.atomic():
            ticket = _insert(requester, new, question, section, ticket_type, values, impact, client_info, linked)
    except IntegrityError:
        # The same submission sent again (a second click, a retry): the unique constraint on the key
        # refused it, so return the first one. No lookup before the insert: that would cost every
        # create a query to catch what is rare.
        existing = None
        if new.submission_key is not None:
            existing = Ticket.objects.filter(requester=requester, submission_key=new.submission_key).first()
        if existing is None:
            raise
        return existing
    return ticket


def _insert(
    requester: User,
    new: NewTicket,
    question: str,
    section: Section,
    ticket_type: TicketType | None,
    values: dict[str, Any],
    impact: str,
    client_info: dict[str, str],
    linked: Ticket | None,
) -> Ticket:
    now = timezone.now()
    ticket = Ticket.objects.create(
        organization_id=cast(int, requester.organization_id),  # can_create_tickets checked it
        requester=requester,
        section=section,
        ticket_type=ticket_type,
        question=question,
        summary=summarize(question),
        fields=values,
        client_info=client_info,
        is_urgent=new.urgent,
        urgent_impact=impact,
        linked_to=linked,
        link_kind=new.link_kind if linked else "",
        submission_key=new.submission_key,
        created_at=now,
        updated_at=now,
        last_customer_message_at=now,
    )
    # After the insert: a repeated submission fails on its key first, before its files (which the first
    # submission took) are found missing.
    uploads = pending_uploads(requester, new.uploads)
    message = add_message(ticket, requester, kind=MessageKind.CUSTOMER, body=question, attachments=uploads)
    record(
        ticket,
        "ticket.created",
        requester,
        status=Status.OPEN,
        message_id=message.pk,
        urgent=new.urgent,
        linked_to=linked.pk if linked else None,
        link_kind=ticket.link_kind,
    )
    return ticket


def _check_link(requester: User, linked_to: object, link_kind: str) -> Ticket | None:
    if linked_to in (None, ""):
        return None
    original = ticket_for(requester, linked_to)
    if link_kind == LinkKind.FOLLOW_UP:
        if not allowed(Action.FOLLOW_UP, original.status, Actor.CUSTOMER):
            raise DomainError(_("A follow-up can only be opened for a closed or declined ticket."))
    elif link_kind == LinkKind.UNANSWERED:
        if not can_escalate_unanswered(original):
            raise DomainError(_("This ticket has already been answered or taken; reply in it instead."))
    else:
        raise DomainError(_("Unknown link."))
    return original


def can_escalate_unanswered(ticket: Ticket) -> bool:
    """An Open ticket that support has not answered yet may be chased with an urgent new ticket."""
    return allowed(Action.ESCALATE_UNANSWERED, ticket.status, Actor.CUSTOMER) and ticket.last_response_at is None
