"""The ticket lifecycle: statuses with their labels and colours, and the transition table.

This table is the only place that says which action is allowed in which status and by whom. Pages
render the actions it allows; the services enforce it (``require``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from supportdesk.tickets.errors import ActionNotAllowed


class Status(models.TextChoices):
    OPEN = "open", pgettext_lazy("ticket status", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("ticket status", "In progress")
    AWAITING_RESPONSE = "awaiting_response", pgettext_lazy("ticket status", "Awaiting response")
    CLOSED = "closed", pgettext_lazy("ticket status", "Closed")
    DECLINED = "declined", pgettext_lazy("ticket status", "Declined")


ACTIVE = frozenset({Status.OPEN, Status.IN_PROGRESS, Status.AWAITING_RESPONSE})
FINISHED = frozenset({Status.CLOSED, Status.DECLINED})

# What each status means, in the spec's plain words, for the customer.
MEANING = {
    Status.OPEN: _("Your request has been accepted for processing."),
    Status.IN_PROGRESS: _("A specialist is studying your question."),
    Status.AWAITING_RESPONSE: _("We need additional information from you."),
    Status.CLOSED: _("The problem is solved and the ticket is completed."),
    Status.DECLINED: _("The ticket was declined; the reason is given below."),
}

# Badge colour names; the CSS defines .badge--<colour>.
COLOUR = {
    Status.OPEN: "blue",
    Status.IN_PROGRESS: "amber",
    Status.AWAITING_RESPONSE: "violet",
    Status.CLOSED: "green",
    Status.DECLINED: "grey",
}


class Actor(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    SPECIALIST = "specialist", _("Specialist")
    SYSTEM = "system", _("System")


class Action(models.TextChoices):
    TAKE = "take", _("Take")
    REASSIGN = "reassign", _("Reassign")
    SET_URGENT = "set_urgent", _("Set or clear urgent")
    CUSTOMER_REPLY = "customer_reply", _("Reply")
    SPECIALIST_REPLY = "specialist_reply", _("Reply")
    INTERNAL_NOTE = "internal_note", _("Internal note")
    REQUEST_INFORMATION = "request_information", _("Request information")
    CLOSE = "close", _("Close with solution")
    DECLINE = "decline", _("Decline")
    AUTO_CLOSE = "auto_close", _("Close after no reply")
    CHANGE_CATEGORY = "change_category", _("Change category")
    REQUEST_CATEGORY_CHANGE = "request_category_change", _("Ask to change category")
    DECIDE_CATEGORY_CHANGE = "decide_category_change", _("Accept or refuse a category change")
    FOLLOW_UP = "follow_up", _("Open a follow-up ticket")
    ESCALATE_UNANSWERED = "escalate_unanswered", _("Open an urgent ticket about it")


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    actor: str
    target: str | None  # None: the status stays as it is


_ANY_ACTIVE = ACTIVE
_WORKING = frozenset({Status.OPEN, Status.IN_PROGRESS})

TABLE: dict[str, Transition] = {
    Action.TAKE: Transition(frozenset({Status.OPEN}), Actor.SPECIALIST, Status.IN_PROGRESS),
    Action.REASSIGN: Transition(_ANY_ACTIVE, Actor.SPECIALIST, None),
    Action.SET_URGENT: Transition(_ANY_ACTIVE, Actor.SPECIALIST, None),
    # A customer's reply to "Awaiting response" hands the ticket back to the specialist; in the other
    # active statuses it only adds to the thread.
    Action.CUSTOMER_REPLY: Transition(_ANY_ACTIVE, Actor.CUSTOMER, None),
    Action.SPECIALIST_REPLY: Transition(_ANY_ACTIVE, Actor.SPECIALIST, None),
    Action.INTERNAL_NOTE: Transition(_ANY_ACTIVE, Actor.SPECIALIST, None),
    Action.REQUEST_INFORMATION: Transition(_WORKING, Actor.SPECIALIST, Status.AWAITING_RESPONSE),
    Action.CLOSE: Transition(_ANY_ACTIVE, Actor.SPECIALIST, Status.CLOSED),
    Action.DECLINE: Transition(_ANY_ACTIVE, Actor.SPECIALIST, Status.DECLINED),
    Action.AUTO_CLOSE: Transition(frozenset({Status.AWAITING_RESPONSE}), Actor.SYSTEM, Status.CLOSED),
    Action.CHANGE_CATEGORY: Transition(_ANY_ACTIVE, Actor.SPECIALIST, None),
    # Open: the customer changes the category himself. In progress / Awaiting response: he asks.
    Action.REQUEST_CATEGORY_CHANGE: Transition(_ANY_ACTIVE, Actor.CUSTOMER, None),
    Action.DECIDE_CATEGORY_CHANGE: Transition(_ANY_ACTIVE, Actor.SPECIALIST, None),
    Action.FOLLOW_UP: Transition(FINISHED, Actor.CUSTOMER, None),
    Action.ESCALATE_UNANSWERED: Transition(frozenset({Status.OPEN}), Actor.CUSTOMER, None),
}


def target_status(action: str, status: str) -> str:
    """The status after ``action`` from ``status``; the customer's reply is the one conditional move."""
    if action == Action.CUSTOMER_REPLY and status == Status.AWAITING_RESPONSE:
        return Status.IN_PROGRESS
    target = TABLE[action].target
    return status if target is None else target


def allowed(action: str, status: str, actor: str) -> bool:
    transition = TABLE[action]
    return transition.actor == actor and status in transition.sources


def require(action: str, status: str, actor: str) -> str:
    """The status after the action, or ``ActionNotAllowed`` when the table forbids it."""
    if not allowed(action, status, actor):
        if status in FINISHED:
            raise ActionNotAllowed(_("This ticket is finished and can no longer be changed."))
        raise ActionNotAllowed(
            _("“%(action)s” is not possible while the ticket is %(status)s.")
            % {"action": Action(action).label, "status": Status(status).label.lower()}
        )
    return target_status(action, status)


def actions_for(status: str, actor: str) -> list[str]:
    return [action for action, t in TABLE.items() if t.actor == actor and status in t.sources]


def is_finished(status: str) -> bool:
    return status in FINISHED
