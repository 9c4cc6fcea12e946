"""The collision guard: an action from a page older than the ticket is refused, says "the ticket changed",
shows what changed, keeps what the specialist typed, and stores nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportdesk.tickets import services
from supportdesk.tickets.models import Event, Message, Ticket
from supportdesk.tickets.workflow import Status
from tests.console.conftest import page_guard


@pytest.fixture
def ticket(make_ticket, customer):
    return make_ticket(customer)


def test_the_page_carries_the_version_and_the_newest_event(desk, ticket, customer, specialist):
    services.internal_note(specialist, ticket.pk, "Checked the logs")
    services.customer_reply(customer, ticket.pk, "Any news?")  # its event is no history line: still the newest
    ticket.refresh_from_db()
    page = desk.get(reverse("console:ticket", args=[ticket.pk])).content.decode()
    newest = Event.objects.filter(ticket=ticket).latest("id").pk
    assert f'name="version" value="{ticket.version}"' in page
    assert f'name="seen" value="{newest}"' in page


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("take", {}),
        ("compose", {"mode": "reply", "body": "My careful answer"}),
        ("compose", {"mode": "close", "body": "My careful solution"}),
        ("decline", {"code": "spam", "reason": "Looks like spam"}),
        ("urgent", {"urgent": "1", "impact": "Everything is down"}),
    ],
)
def test_an_action_on_a_ticket_someone_changed_meanwhile_is_refused_with_the_change(
    desk, act, ticket, specialist2, action, fields
):
    guard = page_guard(ticket)  # the page I opened
    services.internal_note(specialist2, ticket.pk, "I am looking at it")  # a colleague acts meanwhile
    services.set_urgent(specialist2, ticket.pk, urgent=True, impact="Boss is waiting")
    before = Ticket.objects.get(pk=ticket.pk)
    counts = (Event.objects.count(), Message.objects.count())

    response = act(desk, ticket, action, guard=guard, **fields)

    assert response.status_code == 409
    page = response.content.decode()
    assert "The ticket changed" in page
    assert "Tess Specialist added an internal note" in page
    assert "Tess Specialist marked the ticket urgent" in page
    for key in ("body", "reason"):
        if key in fields:
            assert fields[key] in page  # what I typed is still there
    after = Ticket.objects.get(pk=ticket.pk)
    assert (after.version, after.status, after.is_urgent) == (before.version, before.status, before.is_urgent)
    assert (Event.objects.count(), Message.objects.count()) == counts
    # The re-rendered page carries the current version: sending again now works.
    assert f'name="version" value="{after.version}"' in page


def test_after_the_refusal_the_same_action_goes_through(desk, act, ticket, specialist2, specialist):
    guard = page_guard(ticket)
    services.set_urgent(specialist2, ticket.pk, urgent=True, impact="Boss is waiting")
    assert act(desk, ticket, "take", guard=guard).status_code == 409
    assert act(desk, ticket, "take").status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee_id) == (Status.IN_PROGRESS, specialist.pk)


def test_a_customer_reply_meanwhile_is_a_change_too(desk, act, ticket, customer, specialist):
    services.take(specialist, ticket.pk)
    guard = page_guard(ticket)
    services.customer_reply(customer, ticket.pk, "Never mind, it works now")
    response = act(desk, ticket, "compose", guard=guard, mode="close", body="Solved by the update")
    assert response.status_code == 409
    assert "Alice Customer wrote a message" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
