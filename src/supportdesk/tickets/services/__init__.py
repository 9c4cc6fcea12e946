"""Every change to a ticket goes through one of these functions.

Each checks the policy, validates, writes the change and its history event in one transaction, and
publishes the event after commit. Views, API handlers and commands only call them.
"""

from supportdesk.tickets.services.assignment import reassign, set_urgent, specialist_by_id, take
from supportdesk.tickets.services.bulk import BulkOutcome, bulk_assign, bulk_close, bulk_take
from supportdesk.tickets.services.category import (
    customer_change_category,
    decide_category_change,
    specialist_change_category,
)
from supportdesk.tickets.services.conversation import (
    auto_close,
    close,
    customer_reply,
    decline,
    internal_note,
    request_information,
    specialist_reply,
)
from supportdesk.tickets.services.creation import NewTicket, can_escalate_unanswered, create_ticket, summarize
from supportdesk.tickets.services.links import link_tickets, unlink_tickets
from supportdesk.tickets.services.merge import merge_ticket
from supportdesk.tickets.services.reading import mark_seen

__all__ = [
    "BulkOutcome",
    "NewTicket",
    "auto_close",
    "bulk_assign",
    "bulk_close",
    "bulk_take",
    "can_escalate_unanswered",
    "close",
    "create_ticket",
    "customer_change_category",
    "customer_reply",
    "decide_category_change",
    "decline",
    "internal_note",
    "link_tickets",
    "mark_seen",
    "merge_ticket",
    "reassign",
    "request_information",
    "set_urgent",
    "specialist_by_id",
    "specialist_change_category",
    "specialist_reply",
    "summarize",
    "take",
    "unlink_tickets",
]
