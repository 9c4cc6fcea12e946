"""Changing a ticket's section and type, by the spec's rule.

Before processing (Open) the customer changes it himself; during processing (In progress, Awaiting
response) he asks and a specialist accepts or refuses, or a specialist changes it directly; after
closing it cannot change: the customer opens a new ticket.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supportdesk.tickets.errors import ActionNotAllowed, DomainError, ValidationFailed
from supportdesk.tickets.models import CategoryChangeRequest, ChangeRequestState, Section, Ticket, TicketType
from supportdesk.tickets.services._common import check_action, locked_ticket, record, save_ticket
from supportdesk.tickets.services.creation import clean_fields, fields_for, resolve_category
from supportdesk.tickets.workflow import FINISHED, Action, Status

if TYPE_CHECKING:
    from supportdesk.accounts.models import User


def _category_data(section: Section, ticket_type: TicketType | None) -> dict[str, object]:
    return {
        "section": section.pk,
        "section_en": section.name_en,
        "section_ru": section.name_ru,
        "type": ticket_type.pk if ticket_type else None,
        "type_en": ticket_type.name_en if ticket_type else "",
        "type_ru": ticket_type.name_ru if ticket_type else "",
    }


def _apply(
    ticket: Ticket, section: Section, ticket_type: TicketType | None, fields: dict[str, str]
) -> dict[str, object]:
    """Move the ticket to the new category; values of typed fields the new category asks are kept."""
    before = _category_data(ticket.section, ticket.ticket_type)
    definitions = fields_for(section, ticket_type)
    merged = {k: v for k, v in ticket.fields.items() if any(d.key == k for d in definitions)}
    merged.update(clean_fields(definitions, {**{k: str(v) for k, v in merged.items()}, **fields}))
    ticket.section, ticket.ticket_type, ticket.fields = section, ticket_type, merged
    save_ticket(ticket, "section", "ticket_type", "fields")
    return before


def _refuse_finished(ticket: Ticket) -> None:
    if ticket.status in FINISHED:
        raise ActionNotAllowed(
            _("The ticket is finished, so its category can no longer change. Open a new ticket instead.")
        )


def customer_change_category(
    user: User,
    ticket_id: object,
    *,
    section: object,
    ticket_type: object = None,
    fields: dict[str, str] | None = None,
    comment: str = "",
    version: int | None = None,
) -> CategoryChangeRequest | None:
    """Open: changed now (returns None). In progress / Awaiting response: a request for support."""
    new_section, new_type = resolve_category(section, ticket_type)
    with transaction.atomic():
        ticket = locked_ticket(user, ticket_id, version=version)
        _refuse_finished(ticket)
        check_action(user, Action.REQUEST_CATEGORY_CHANGE, ticket)
        if ticket.section_id == new_section.pk and ticket.ticket_type_id == (new_type.pk if new_type else None):
            raise ValidationFailed({"section": [_("The ticket is already in this category.")]})
        if ticket.status == Status.OPEN:
            before = _apply(ticket, new_section, new_type, fields or {})
            record(ticket, "ticket.category_changed", user, before=before, after=_category_data(new_section, new_type))
            return None
        if ticket.category_requests.filter(state=ChangeRequestState.PENDING).exists():
            raise DomainError(_("A category change is already waiting for a specialist's answer."))
        request = CategoryChangeRequest.objects.create(
            ticket=ticket,
            requested_by=user,
            from_section=ticket.section,
            from_type=ticket.ticket_type,
            to_section=new_section,
            to_type=new_type,
            comment=(comment or "").replace("\x00", "").strip()[:500],
        )
        save_ticket(ticket)
        record(
            ticket, "ticket.category_change_requested", user, request=request.pk,
            before=_category_data(ticket.section, ticket.ticket_type), after=_category_data(new_section, new_type),
            comment=request.comment,
        )  # fmt: skip
    return request


def specialist_change_category(
    user: User, ticket_id: object, *, section: object, ticket_type: object = None, version: int | None = None
) -> Ticket:
    """Support moves the ticket directly; the customer sees a note in the history."""
    new_section, new_type = resolve_category(section, ticket_type)
    with transaction.atomic():
        ticket = locked_ticket(user, ticket_id, version=version)
        _refuse_finished(ticket)
        check_action(user, Action.CHANGE_CATEGORY, ticket)
        if ticket.section_id == new_section.pk and ticket.ticket_type_id == (new_type.pk if new_type else None):
            return ticket
        # Typed fields the customer has not filled for the new category stay empty rather than block support.
        before = _category_data(ticket.section, ticket.ticket_type)
        definitions = {d.key for d in fields_for(new_section, new_type)}
        ticket.section, ticket.ticket_type = new_section, new_type
        ticket.fields = {k: v for k, v in ticket.fields.items() if k in definitions}
        save_ticket(ticket, "section", "ticket_type", "fields")
        record(ticket, "ticket.category_changed", user, before=before, after=_category_data(new_section, new_type))
        pending = ticket.category_requests.filter(state=ChangeRequestState.PENDING).first()
        if pending is not None:
            _decide(user, ticket, pending, accept=False, superseded=True)
    return ticket


def decide_category_change(
    user: User, ticket_id: object, request_id: object, *, accept: bool, version: int | None = None
) -> CategoryChangeRequest:
    with transaction.atomic():
        ticket = locked_ticket(user, ticket_id, version=version)
        _refuse_finished(ticket)
        check_action(user, Action.DECIDE_CATEGORY_CHANGE, ticket)
        try:
            request = ticket.category_requests.select_for_update().get(
                pk=int(str(request_id)), state=ChangeRequestState.PENDING
            )
        except (ValueError, CategoryChangeRequest.DoesNotExist):
            raise DomainError(_("This category change request has already been answered.")) from None
        _decide(user, ticket, request, accept=accept)
    return request


def settle_pending_on_finish(user: User | None, ticket: Ticket) -> None:
    """A finished ticket's category can no longer change: a request still waiting is closed with it.

    Call inside the transaction that finishes the ticket; its version was bumped by that change.
    """
    pending = ticket.category_requests.filter(state=ChangeRequestState.PENDING).first()
    if pending is not None:
        _decide(user, ticket, pending, accept=False, superseded=True, reason="ticket_finished")


def _decide(
    user: User | None,
    ticket: Ticket,
    request: CategoryChangeRequest,
    *,
    accept: bool,
    superseded: bool = False,
    reason: str = "",
) -> None:
    request.state = ChangeRequestState.ACCEPTED if accept else ChangeRequestState.REFUSED
    request.decided_by, request.decided_at = user, timezone.now()
    request.save(update_fields=["state", "decided_by", "decided_at"])
    if accept:
        before = _category_data(ticket.section, ticket.ticket_type)
        ticket.section, ticket.ticket_type = request.to_section, request.to_type
        definitions = {d.key for d in fields_for(request.to_section, request.to_type)}
        ticket.fields = {k: v for k, v in ticket.fields.items() if k in definitions}
        save_ticket(ticket, "section", "ticket_type", "fields")
        record(
            ticket, "ticket.category_change_accepted", user, request=request.pk,
            before=before, after=_category_data(request.to_section, request.to_type),
        )  # fmt: skip
    else:
        if not superseded:
            save_ticket(ticket)
        record(ticket, "ticket.category_change_refused", user, request=request.pk, superseded=superseded, reason=reason)
