"""The catalog customers file tickets under: sections, their types and typed fields.

Read on most pages and changed by admins now and then, so it is kept in each process's memory under
the catalog's stamp (``freshness.in_process``): three queries when it changed, else none. The objects
are shared by every request of the process: read them, never change them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Expression, OuterRef, QuerySet, Subquery

from supportdesk.accounts.models import User
from supportdesk.tickets import freshness
from supportdesk.tickets.models import (
    CategoryChangeRequest,
    ChangeRequestState,
    Section,
    Ticket,
    TicketType,
    TypedField,
)
from supportdesk.tickets.policies import ticket_for


@dataclass(frozen=True)
class Catalog:
    active: list[Section]  # active sections in order, each with ``active_types`` and ``all_fields``
    sections: dict[int, Section]  # every section by id, active or not (tickets keep theirs)
    types: dict[int, TicketType]  # every type by id, active or not


def active_sections() -> list[Section]:
    """Active sections, each with ``active_types`` and ``all_fields`` (its fields for no type or an
    active type), in order."""
    return list(_catalog().active)


def active_section(pk: int) -> Section | None:
    """The active section with this id, if there is one."""
    section = _catalog().sections.get(pk)
    return section if section is not None and section.is_active else None


def ticket_page_ticket(
    user: User, pk: object, related: tuple[str, ...], **annotations: Expression | Subquery
) -> Ticket:
    """``policies.ticket_for`` (404 unless the user may see it) for a ticket page: ``related`` joined,
    section and type as ``categorized`` and ``with_categories`` give them, ``annotations`` added.

    It also carries ``pending_change_id``, the id of its pending category change or None, for
    ``pending_category_change``: most tickets have none, and a query of its own for it cost every
    ticket page a round trip.
    """
    pending = CategoryChangeRequest.objects.filter(ticket=OuterRef("pk"), state=ChangeRequestState.PENDING)
    tickets = Ticket.objects.select_related(*related).annotate(
        pending_change_id=Subquery(pending.values("pk")[:1]), **annotations
    )
    ticket = ticket_for(user, pk, queryset=categorized(tickets))
    with_categories([ticket])
    return ticket


def pending_category_change(ticket: Ticket) -> CategoryChangeRequest | None:
    """The ticket's pending category change, if it has one: no query when ``ticket_page_ticket``
    loaded the ticket and found none."""
    if hasattr(ticket, "pending_change_id") and ticket.pending_change_id is None:
        return None
    pending = CategoryChangeRequest.objects.filter(ticket=ticket, state=ChangeRequestState.PENDING)
    return pending.select_related("to_section", "to_type", "requested_by").first()


def categorized(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """The query for tickets whose section and type a page shows: pair it with ``with_categories``.

    With cached reads, both come from the catalog kept in the process: at a million tickets, joining
    the two tiny tables more than tripled PostgreSQL's planning of a queue page (0.9 -> 3.9 ms).
    Without (no shared cache), the catalog is read again on every use, so the query joins them.
    """
    return tickets if freshness.enabled() else tickets.select_related("section", "ticket_type")


def with_categories(tickets: Iterable[Ticket]) -> None:
    """Give each ticket of a ``categorized`` query its section and type from the catalog."""
    if not freshness.enabled():
        return  # joined by the query
    catalog = _catalog()
    for ticket in tickets:
        if ticket.section_id not in catalog.sections or (
            ticket.ticket_type_id is not None and ticket.ticket_type_id not in catalog.types
        ):
            catalog = _read()  # added since this process read the catalog, without touching its stamp
        ticket.section = catalog.sections[ticket.section_id]
        ticket.ticket_type = catalog.types[ticket.ticket_type_id] if ticket.ticket_type_id is not None else None


def _catalog() -> Catalog:
    return freshness.in_process("catalog", [freshness.CATALOG], _read)


def _read() -> Catalog:
    sections = list(Section.objects.all())
    types = list(TicketType.objects.all())
    definitions = list(TypedField.objects.all())
    active_type_ids = {t.pk for t in types if t.is_active}
    for section in sections:
        section.active_types = [t for t in types if t.section_id == section.pk and t.is_active]
        section.all_fields = [
            d
            for d in definitions
            if d.section_id == section.pk and (d.ticket_type_id is None or d.ticket_type_id in active_type_ids)
        ]
    return Catalog(
        active=[s for s in sections if s.is_active],
        sections={s.pk: s for s in sections},
        types={t.pk: t for t in types},
    )
