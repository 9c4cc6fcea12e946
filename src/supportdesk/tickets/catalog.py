"""The catalog customers file tickets under: active sections, their active types and typed fields."""

from __future__ import annotations

from supportdesk.tickets import freshness
from supportdesk.tickets.models import Section, TicketType, TypedField


def active_sections() -> list[Section]:
    """Active sections, each with ``active_types`` and ``all_fields`` (its fields for no type or an
    active type), in order.

    Three queries when the catalog changed, else none: the list is kept in the process under the
    catalog's stamp. The sections are shared by every request: read them, never change them.
    """
    return list(freshness.in_process("sections", [freshness.CATALOG], _read))


def _read() -> list[Section]:
    sections = list(Section.objects.filter(is_active=True))
    types = list(TicketType.objects.filter(is_active=True, section__in=sections))
    definitions = list(TypedField.objects.filter(section__in=sections))
    active_type_ids = {t.pk for t in types}
    for section in sections:
        section.active_types = [t for t in types if t.section_id == section.pk]
        section.all_fields = [
            d
            for d in definitions
            if d.section_id == section.pk and (d.ticket_type_id is None or d.ticket_type_id in active_type_ids)
        ]
    return sections
