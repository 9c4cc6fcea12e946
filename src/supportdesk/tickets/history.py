"""History lines: what each event says on a ticket's page, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from supportdesk.tickets.models import DeclineCode, Event, LinkKind
from supportdesk.tickets.workflow import Status


def _status(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def _category(data: dict[str, Any]) -> str:
    ru = translation.get_language() == "ru"
    section = (data.get("section_ru") if ru else "") or data.get("section_en", "")
    kind = (data.get("type_ru") if ru else "") or data.get("type_en", "")
    return f"{section} · {kind}" if kind else section


def _actor(event: Event) -> str:
    return str(event.actor) if event.actor_id else _("System")


def describe(event: Event) -> str:
    d = event.data
    actor = _actor(event)
    kind = event.kind
    if kind == "ticket.created":
        return _("%(actor)s opened the ticket") % {"actor": actor}
    if kind == "ticket.taken":
        return _("%(actor)s took the ticket: status In progress") % {"actor": actor}
    if kind == "ticket.reassigned":
        return _("%(actor)s assigned the ticket to %(name)s") % {"actor": actor, "name": d.get("assignee_name", "")}
    if kind == "ticket.urgency_changed":
        if d.get("urgent"):
            return _("%(actor)s marked the ticket urgent") % {"actor": actor}
        return _("%(actor)s removed the urgent mark") % {"actor": actor}
    if kind == "ticket.closed":
        return _("%(actor)s closed the ticket with a solution") % {"actor": actor}
    if kind == "ticket.declined" and d.get("merged_into"):
        return _("%(actor)s merged this ticket into #%(number)s as a duplicate") % {
            "actor": actor,
            "number": d["merged_into"],
        }
    if kind == "ticket.linked":
        return _("%(actor)s linked ticket #%(number)s") % {"actor": actor, "number": d.get("other", "")}
    if kind == "ticket.unlinked":
        return _("%(actor)s removed the link to ticket #%(number)s") % {"actor": actor, "number": d.get("other", "")}
    if kind == "ticket.merge_received":
        return _("%(actor)s merged the duplicate #%(number)s into this ticket") % {
            "actor": actor,
            "number": d.get("duplicate", ""),
        }
    if kind in ("ticket.response", "ticket.note", "ticket.message") and "to" not in d:
        return {
            "ticket.response": _("%(actor)s replied"),
            "ticket.note": _("%(actor)s added an internal note"),
            "ticket.message": _("%(actor)s wrote a message"),
        }[kind] % {"actor": actor}
    if kind == "ticket.declined":
        return _("%(actor)s declined the ticket: %(code)s") % {"actor": actor, "code": DeclineCode(d["code"]).label}
    if kind == "ticket.auto_closed":
        return _("The ticket was closed because no reply came")
    if kind == "ticket.information_requested":
        return _("%(actor)s asked for more information: status Awaiting response") % {"actor": actor}
    if kind == "ticket.category_changed":
        return _("%(actor)s changed the category from %(before)s to %(after)s") % {
            "actor": actor,
            "before": _category(d.get("before", {})),
            "after": _category(d.get("after", {})),
        }
    if kind == "ticket.category_change_requested":
        return _("%(actor)s asked to change the category to %(after)s") % {
            "actor": actor,
            "after": _category(d.get("after", {})),
        }
    if kind == "ticket.category_change_accepted":
        return _("%(actor)s accepted the category change to %(after)s") % {
            "actor": actor,
            "after": _category(d.get("after", {})),
        }
    if kind == "ticket.category_change_refused":
        if d.get("reason") == "ticket_finished":
            return _("The category change request was closed together with the ticket")
        if d.get("superseded"):
            return _("The category change request was closed: support changed the category")
        return _("%(actor)s refused the category change") % {"actor": actor}
    if "from" in d and "to" in d:
        return _("Status changed from %(before)s to %(after)s") % {
            "before": _status(d["from"]),
            "after": _status(d["to"]),
        }
    return kind


def link_label(kind: str) -> str:
    try:
        return str(LinkKind(kind).label)
    except ValueError:
        return ""
