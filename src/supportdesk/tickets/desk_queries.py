"""Reading for the specialist's workspace: queues, their counts, and what the ticket page shows beside the thread.

Queues are keyset-paginated like the customer's lists, on the queue's own order:

* active queues: urgent first, then longest waiting for us (the customer's last message, oldest first);
* Finished: most recently finished first.

Both orders have a matching partial index (migration 0003), and the page is one query for its rows.
Counts stay cheap at any size: the active queues are counted in one aggregate over active tickets only
(a small share of all tickets, and the partial index covers exactly them); Finished, which grows without
bound, is counted up to ``FINISHED_COUNT_CAP`` and shown as "1000+" beyond.
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from supportdesk.accounts.models import Role, User
from supportdesk.tickets import freshness
from supportdesk.tickets.catalog import categorized, with_categories
from supportdesk.tickets.models import Event, Ticket, TicketLink
from supportdesk.tickets.policies import can_see_internal, visible_tickets
from supportdesk.tickets.queries import PAGE_SIZE, Page, ThreadItem, TicketFilters, narrowed, thread
from supportdesk.tickets.workflow import ACTIVE, FINISHED, Status

FINISHED_COUNT_CAP = 1000


@dataclass(frozen=True)
class Queue:
    code: str
    label: Any
    finished: bool = False


QUEUES: dict[str, Queue] = {
    q.code: q
    for q in (
        Queue("new", _("New")),
        Queue("mine", _("Mine")),
        Queue("awaiting", _("Awaiting response")),
        Queue("urgent", _("Urgent")),
        Queue("active", _("All active")),
        Queue("finished", _("Finished"), finished=True),
    )
}


def queue_condition(user: User, code: str) -> Q:
    active = sorted(ACTIVE)
    return {
        "new": Q(status=Status.OPEN, assignee__isnull=True),
        "mine": Q(status__in=active, assignee=user.pk),
        "awaiting": Q(status=Status.AWAITING_RESPONSE),
        "urgent": Q(status__in=active, is_urgent=True),
        "active": Q(status__in=active),
        "finished": Q(status__in=sorted(FINISHED)),
    }[code]


@dataclass
class DeskFilters(TicketFilters):
    """The customer's filters plus who asked, for which organization, and who works it."""

    requester: str = ""
    organization: str = ""
    assignee: str = ""  # "" any, "none" unassigned, or a user id


def _who(text: str, id_field: str, *name_fields: str) -> Q:
    text = text.strip().lstrip("#")
    if text.isdigit():
        return Q(**{id_field: int(text)})
    condition = Q()
    for name in name_fields:
        condition |= Q(**{f"{name}__icontains": text})
    return condition


def desk_filtered(tickets: QuerySet[Ticket], filters: DeskFilters) -> QuerySet[Ticket]:
    """``tickets`` (a queue: its statuses already chosen) narrowed by the filters."""
    if filters.status:
        tickets = tickets.filter(status=filters.status)
    tickets = narrowed(tickets, filters)
    if filters.requester.strip():
        tickets = tickets.filter(_who(filters.requester, "requester_id", "requester__display_name", "requester__email"))
    if filters.organization.strip():
        tickets = tickets.filter(_who(filters.organization, "organization_id", "organization__name"))
    if filters.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        tickets = tickets.filter(assignee_id=int(filters.assignee))
    return tickets


# --- Counts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueCount:
    value: int
    capped: bool = False

    def __str__(self) -> str:
        return f"{self.value}+" if self.capped else str(self.value)


def queue_counts(user: User) -> dict[str, QueueCount]:
    """Every queue's count, kept in the process until the desk changes: the specialist's tabs, pages,
    filters and the refresh of a queue whose ages changed all show the same counts. Callers must not
    change the dict."""
    return freshness.in_process(f"queue-counts:{user.pk}", [freshness.DESK], lambda: _queue_counts(user))


def _queue_counts(user: User) -> dict[str, QueueCount]:
    """Every queue's count in two queries, neither of which reads finished tickets beyond the cap."""
    active = Ticket.objects.filter(status__in=sorted(ACTIVE)).aggregate(
        new=Count("pk", filter=queue_condition(user, "new")),
        mine=Count("pk", filter=Q(assignee=user.pk)),
        awaiting=Count("pk", filter=Q(status=Status.AWAITING_RESPONSE)),
        urgent=Count("pk", filter=Q(is_urgent=True)),
        active=Count("pk"),
    )
    finished = Ticket.objects.filter(queue_condition(user, "finished")).values("pk")[: FINISHED_COUNT_CAP + 1].count()
    counts = {code: QueueCount(value) for code, value in active.items()}
    counts["finished"] = QueueCount(min(finished, FINISHED_COUNT_CAP), capped=finished > FINISHED_COUNT_CAP)
    return counts


# --- Keyset pages in the queue's order --------------------------------------------------------------

# (annotation or field, descending?)
ACTIVE_ORDER: tuple[tuple[str, bool], ...] = (("is_urgent", True), ("waiting_since", False), ("id", False))
FINISHED_ORDER: tuple[tuple[str, bool], ...] = (("finished_sort", True), ("id", True))


def _order(queue: Queue) -> tuple[tuple[str, bool], ...]:
    return FINISHED_ORDER if queue.finished else ACTIVE_ORDER


def _ordered(
    tickets: QuerySet[Ticket], order: Sequence[tuple[str, bool]], *, reverse: bool = False
) -> QuerySet[Ticket]:
    return tickets.order_by(*[F(name).desc() if desc != reverse else F(name).asc() for name, desc in order])


def _beyond(order: Sequence[tuple[str, bool]], values: Sequence[Any], *, reverse: bool = False) -> Q:
    """Rows after ``values`` in ``order`` (before them with ``reverse``): a lexicographic comparison."""
    condition, equal = Q(), Q()
    for (name, desc), value in zip(order, values, strict=True):
        condition |= equal & Q(**{f"{name}__{'lt' if desc != reverse else 'gt'}": value})
        equal &= Q(**{name: value})
    # The first key's plain bound is implied, but only a plain bound becomes an index range: a deep
    # page of Finished then starts at its cursor instead of filtering every row before it.
    (first, desc), value = order[0], values[0]
    return Q(**{f"{first}__{'lte' if desc != reverse else 'gte'}": value}) & condition


def _key(ticket: Ticket, order: Sequence[tuple[str, bool]]) -> list[Any]:
    return [getattr(ticket, name) for name, _desc in order]


def encode_cursor(values: Sequence[Any]) -> str:
    plain = [
        int(v.timestamp() * 1_000_000) if isinstance(v, datetime.datetime) else int(v)  # bools become 0/1
        for v in values
    ]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(value: str | None, order: Sequence[tuple[str, bool]]) -> list[Any] | None:
    if not value or len(value) > 120:
        return None
    try:
        plain = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        if not isinstance(plain, list) or len(plain) != len(order) or not all(type(v) is int for v in plain):
            return None
        result: list[Any] = []
        for (name, _desc), raw in zip(order, plain, strict=True):
            if name in ("waiting_since", "finished_sort"):
                result.append(datetime.datetime.fromtimestamp(raw / 1_000_000, tz=datetime.UTC))
            elif name == "is_urgent":
                result.append(bool(raw))
            else:
                result.append(raw)
        return result
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError, OSError):
        return None


def _queue_tickets(user: User, queue: Queue) -> QuerySet[Ticket]:
    return (
        visible_tickets(user)
        .filter(queue_condition(user, queue.code))
        .annotate(
            waiting_since=Coalesce("last_customer_message_at", "created_at"),
            finished_sort=Coalesce("finished_at", "updated_at"),
        )
    )


# What a queue's row shows of a ticket and of the people on it: every other column is left unread
# (each timestamp read is parsed in Python, a dozen a row before).
QUEUE_COLUMNS = (
    "requester_id", "organization_id", "section_id", "ticket_type_id", "summary", "status", "is_urgent",
    "assignee_id", "version", "created_at", "last_customer_message_at",
    "requester__display_name", "requester__email", "organization__name",
    "assignee__display_name", "assignee__email",
)  # fmt: skip


def queue_page(
    user: User,
    code: str,
    filters: DeskFilters,
    *,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of a queue: one query, whatever the queue's size or the page's depth."""
    queue = QUEUES[code]
    order = _order(queue)
    tickets = (
        categorized(desk_filtered(_queue_tickets(user, queue), filters))
        .select_related("requester", "organization", "assignee")
        .only(*QUEUE_COLUMNS)
    )
    back = decode_cursor(before, order)
    forward = decode_cursor(after, order) if back is None else None
    if back is not None:
        chunk = list(_ordered(tickets.filter(_beyond(order, back, reverse=True)), order, reverse=True)[: size + 1])
        rows, has_before, has_after = list(reversed(chunk[:size])), len(chunk) > size, True
    else:
        if forward is not None:
            tickets = tickets.filter(_beyond(order, forward))
        chunk = list(_ordered(tickets, order)[: size + 1])
        rows, has_after, has_before = chunk[:size], len(chunk) > size, forward is not None
    with_categories(rows)
    page = Page(rows=rows)
    if rows and has_after:
        page.next_cursor = encode_cursor(_key(rows[-1], order))
    if rows and has_before:
        page.prev_cursor = encode_cursor(_key(rows[0], order))
    return page


def next_in_queue(user: User, code: str, ticket: Ticket) -> Ticket | None:
    """The ticket after ``ticket`` in the queue's order (the first one if it is no longer in the queue's range)."""
    queue = QUEUES.get(code) or QUEUES["new"]
    order = _order(queue)
    ticket.waiting_since = ticket.last_customer_message_at or ticket.created_at  # type: ignore[attr-defined]
    ticket.finished_sort = ticket.finished_at or ticket.updated_at  # type: ignore[attr-defined]
    tickets = _queue_tickets(user, queue).exclude(pk=ticket.pk).only("pk")
    following = _ordered(tickets.filter(_beyond(order, _key(ticket, order))), order).first()
    return following or _ordered(tickets, order).first()


# --- The ticket workspace ---------------------------------------------------------------------------


def last_event_id(ticket: Ticket) -> int:
    """The newest event of the ticket: the page sends it back, so a refused action can show what changed."""
    return ticket.events.order_by("-id").values_list("id", flat=True).first() or 0


def events_since(ticket: Ticket, event_id: int) -> list[Event]:
    return list(ticket.events.filter(id__gt=event_id).select_related("actor").order_by("id")[:20])


def has_links() -> Exists:
    """For ``ticket_page_ticket``: whether the ticket has links (most have none), so that
    ``linked_tickets`` reads them only when there are some."""
    return Exists(TicketLink.objects.filter(Q(ticket=OuterRef("pk")) | Q(related=OuterRef("pk"))))


def linked_tickets(ticket: Ticket) -> list[Ticket]:
    """The tickets support linked to this one, either way round: no query when the ticket was
    loaded with ``has_links`` and has none."""
    if getattr(ticket, "has_links", True) is False:  # as draft_for reads has_draft
        return []
    links = TicketLink.objects.filter(Q(ticket=ticket) | Q(related=ticket)).select_related("ticket", "related")
    return sorted((link.other(ticket.pk) for link in links), key=lambda t: t.pk)


def other_tickets(ticket: Ticket, *, limit: int = 6) -> list[Ticket]:
    """The organization's other tickets, newest first (the requester's own are marked by the page)."""
    return list(
        Ticket.objects.filter(organization_id=ticket.organization_id)
        .exclude(pk=ticket.pk)
        .only("id", "summary", "status", "requester_id", "created_at", "is_urgent")
        .order_by("-created_at", "-id")[:limit]
    )


def specialists() -> list[User]:
    """Everyone a ticket can be assigned to (kept in the process until a user changes)."""
    return list(freshness.in_process("specialists", [freshness.STAFF], _read_specialists))


def _read_specialists() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role__in=(Role.SPECIALIST, Role.ADMIN))
        .only("id", "display_name", "email")
        .order_by("display_name", "id")
    )


@dataclass
class DeskThread:
    """A ticket's thread as support sees it (the same for every specialist), filled by ``desk_thread``."""

    items: list[ThreadItem]
    attachments: list[Any]  # the files of its messages, in the thread's order
    last_event: int  # the newest event support sees: the page sends it back with every action


def desk_thread(user: User, ticket: Ticket) -> DeskThread:
    events: list[Event] = []
    items = thread(user, ticket, events_seen=events)
    attachments = [a for item in items if item.message is not None for a in item.message.attachments.all()]
    # Support sees every event, and the thread has read them all: the newest needs no query of its own.
    newest = max((e.pk for e in events), default=0) if can_see_internal(user) else last_event_id(ticket)
    return DeskThread(items=items, attachments=attachments, last_event=newest)


@dataclass
class Workspace:
    """What the ticket page shows besides its thread and forms: filled by ``workspace``."""

    links: list[Ticket]
    others: list[Ticket]
    staff: list[User]


def workspace(ticket: Ticket) -> Workspace:
    return Workspace(links=linked_tickets(ticket), others=other_tickets(ticket), staff=specialists())
