"""Reading tickets: filtered, keyset-paginated lists, the thread of one ticket, similar tickets.

Lists never use OFFSET: a page continues after the (created_at, id) of the last row shown, so the
cost of a page does not grow with how deep it is. Every list is one query, whatever its length.
"""

from __future__ import annotations

import base64
import datetime
import re
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from supportdesk.tickets.catalog import categorized, with_categories
from supportdesk.tickets.models import Event, Message, MessageKind, Ticket, TicketSeen, ticket_number
from supportdesk.tickets.policies import can_see_internal, customer_scope, visible_tickets
from supportdesk.tickets.search import text_condition
from supportdesk.tickets.workflow import ACTIVE, FINISHED

if TYPE_CHECKING:
    from supportdesk.accounts.models import User

PAGE_SIZE = 25
MESSAGE_EVENTS = frozenset({"ticket.message", "ticket.response", "ticket.note"})


@dataclass(frozen=True)
class Cursor:
    created_at: datetime.datetime
    pk: int

    def encode(self) -> str:
        raw = f"{int(self.created_at.timestamp() * 1_000_000)}.{self.pk}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str | None) -> Cursor | None:
        if not value or len(value) > 64:
            return None
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
            micros, pk = raw.split(".")
            moment = datetime.datetime.fromtimestamp(int(micros) / 1_000_000, tz=datetime.UTC)
            return cls(moment, int(pk))
        except (ValueError, UnicodeDecodeError, OverflowError, OSError):
            return None


@dataclass
class TicketFilters:
    """What a list shows; built from the query string by the page's form."""

    finished: bool = False
    status: str = ""
    section_id: int | None = None
    type_id: int | None = None
    created_from: datetime.date | None = None
    created_to: datetime.date | None = None
    text: str = ""


@dataclass
class Page:
    rows: list[Ticket]
    next_cursor: str | None = None
    prev_cursor: str | None = None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered(tickets: QuerySet[Ticket], filters: TicketFilters, *, scope: str | None = None) -> QuerySet[Ticket]:
    """``tickets`` narrowed by the filters; ``scope``: a customer's, for his word index (``search``)."""
    statuses = FINISHED if filters.finished else ACTIVE
    if filters.status and filters.status in statuses:
        tickets = tickets.filter(status=filters.status)
    else:
        tickets = tickets.filter(status__in=sorted(statuses))
    return narrowed(tickets, filters, scope=scope)


def narrowed(tickets: QuerySet[Ticket], filters: TicketFilters, *, scope: str | None = None) -> QuerySet[Ticket]:
    """The filters besides status: question type, creation dates, words or number.

    For lists whose statuses are already chosen (the desk's queues), so no second status condition
    skews the database's row estimates.
    """
    if filters.type_id is not None:
        tickets = tickets.filter(ticket_type_id=filters.type_id)
    elif filters.section_id is not None:
        tickets = tickets.filter(section_id=filters.section_id)
    if filters.created_from:
        tickets = tickets.filter(created_at__gte=_day_start(filters.created_from))
    if filters.created_to:
        tickets = tickets.filter(created_at__lt=_day_start(filters.created_to + datetime.timedelta(days=1)))
    if filters.text.strip():
        tickets = tickets.filter(text_condition(filters.text, scope=scope))
    return tickets


# What the customer's list shows of a ticket and its requester: every other column is left unread
# (each timestamp read is parsed in Python, eight a row before).
LIST_COLUMNS = (
    "organization_id", "requester_id", "section_id", "ticket_type_id", "summary", "status", "is_urgent",
    "created_at", "last_response_at", "requester__display_name", "requester__email",
)  # fmt: skip


def customer_tickets(
    user: User, filters: TicketFilters, *, after: str | None = None, before: str | None = None
) -> Page:
    """The customer's list, newest first, with the unread mark; one query for the rows."""
    seen = TicketSeen.objects.filter(user=user, ticket=OuterRef("pk")).values("seen_at")[:1]
    tickets = (
        categorized(filtered(visible_tickets(user), filters, scope=customer_scope(user)))
        .select_related("requester")
        .annotate(seen_at=Subquery(seen))
        .only(*LIST_COLUMNS)
    )
    page = keyset_page(tickets, after=after, before=before)
    with_categories(page.rows)
    for ticket in page.rows:
        ticket.unread = bool(  # type: ignore[attr-defined]
            ticket.last_response_at and (ticket.seen_at is None or ticket.last_response_at > ticket.seen_at)  # type: ignore[attr-defined]
        )
    return page


def keyset_page(
    tickets: QuerySet[Ticket], *, after: str | None = None, before: str | None = None, size: int = PAGE_SIZE
) -> Page:
    """Newest first. ``after``: the page after this cursor (older); ``before``: the page before it (newer)."""
    back = Cursor.decode(before)
    forward = Cursor.decode(after) if back is None else None
    # Each page condition also states its plain bound on created_at: implied by the (created_at, id)
    # comparison, but only a plain bound becomes an index range, so a deep page starts at its cursor
    # instead of filtering every newer row (1M tickets, page 536 of 670: 7.3 ms → 0.2 ms).
    if back is not None:
        chunk = list(
            tickets.filter(created_at__gte=back.created_at)
            .filter(Q(created_at__gt=back.created_at) | Q(created_at=back.created_at, pk__gt=back.pk))
            .order_by("created_at", "id")[: size + 1]
        )
        has_newer = len(chunk) > size
        rows = list(reversed(chunk[:size]))
        has_older = True
    else:
        if forward is not None:
            tickets = tickets.filter(created_at__lte=forward.created_at).filter(
                Q(created_at__lt=forward.created_at) | Q(created_at=forward.created_at, pk__lt=forward.pk)
            )
        chunk = list(tickets.order_by("-created_at", "-id")[: size + 1])
        has_older = len(chunk) > size
        rows = chunk[:size]
        has_newer = forward is not None
    page = Page(rows=rows)
    if rows and has_older:
        page.next_cursor = Cursor(rows[-1].created_at, rows[-1].pk).encode()
    if rows and has_newer:
        page.prev_cursor = Cursor(rows[0].created_at, rows[0].pk).encode()
    return page


@dataclass
class ThreadItem:
    """One entry of a ticket's timeline: a message or a history line.

    ``source_id``: for a message of a duplicate merged into this ticket, the duplicate it came from.
    """

    at: datetime.datetime
    message: Message | None = None
    event: Event | None = None
    source_id: int | None = None

    @property
    def source_number(self) -> str:
        return ticket_number(self.source_id) if self.source_id is not None else ""


def thread(user: User, ticket: Ticket, *, events_seen: list[Event] | None = None) -> list[ThreadItem]:
    """Messages (with those of duplicates merged into the ticket that ``user`` may see) and history
    lines in time order: two queries, plus one for the attachments.

    ``events_seen``, if given, receives every event the user may see (history line or not).
    """
    # The ticket and the duplicates merged into it, in one query of messages: most tickets have no
    # duplicate, and a query of their own for them cost every ticket page a round trip.
    sources = visible_tickets(user).filter(Q(pk=ticket.pk) | Q(merged_into=ticket)).values("pk")
    messages = Message.objects.filter(ticket__in=sources).select_related("author").prefetch_related("attachments")
    events = ticket.events.select_related("actor")
    if not can_see_internal(user):
        messages = messages.exclude(kind=MessageKind.NOTE)
        events = events.filter(public=True)
    loaded = list(events)
    if events_seen is not None:
        events_seen.extend(loaded)
    items = chain(
        (
            ThreadItem(at=m.created_at, message=m, source_id=m.ticket_id if m.ticket_id != ticket.pk else None)
            for m in messages
        ),
        # A message is its own entry; its event shows only when it also moved the status.
        (ThreadItem(at=e.created_at, event=e) for e in loaded if _history_line(e)),
    )
    return sorted(items, key=lambda item: (item.at, item.event is not None))


def _history_line(event: Event) -> bool:
    if event.kind == "ticket.created":
        return False
    return event.kind not in MESSAGE_EVENTS or "to" in event.data


_WORD = re.compile(r"\w{4,}", re.UNICODE)


def similar_open_tickets(user: User, text: str, *, limit: int = 3) -> list[Ticket]:
    """The user's active tickets that share the most words with ``text`` (is this the same as #123?)."""
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(text[:2000])))[:10]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition |= Q(summary__icontains=word) | Q(question__icontains=word)
    candidates = list(
        visible_tickets(user)
        .filter(status__in=sorted(ACTIVE))
        .filter(condition)
        .select_related("section", "ticket_type")
        .order_by("-created_at")[:50]
    )

    def score(ticket: Ticket) -> int:
        haystack = f"{ticket.summary} {ticket.question}".lower()
        return sum(1 for w in words if w in haystack)

    ranked = sorted(candidates, key=lambda t: (-score(t), -t.pk))
    return [t for t in ranked if score(t) >= min(2, len(words))][:limit]
