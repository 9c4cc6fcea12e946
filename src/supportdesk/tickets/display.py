"""How a ticket's typed fields read on a page: labels in the reader's language, dates in his zone."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from supportdesk.tickets.models import Section, Ticket
from supportdesk.web.jinja import format_datetime


def typed_rows(ticket: Ticket, sections: list[Section]) -> list[tuple[str, str]]:
    """(label, text) of each typed field the ticket has a value for, in the category's order."""
    section = next((s for s in sections if s.pk == ticket.section_id), None)
    definitions = section.all_fields if section else []
    rows = []
    for definition in definitions:
        if definition.key in ticket.fields:
            rows.append((definition.label, display_value(definition.kind, ticket.fields[definition.key])))
    return rows


def display_value(kind: str, value: Any) -> str:
    if kind == "datetime":
        try:
            moment = datetime.datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return format_datetime(moment if timezone.is_aware(moment) else timezone.make_aware(moment))
    if kind == "date":
        try:
            day = datetime.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return format_datetime(timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))), with_time=False)
    return str(value)
