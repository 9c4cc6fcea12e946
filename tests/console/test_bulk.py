"""Bulk take, assign and close from a queue: per ticket through the single-ticket service, failures reported."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from supportdesk.tickets import services
from supportdesk.tickets.errors import ValidationFailed
from supportdesk.tickets.models import Event, Message, Ticket
from supportdesk.tickets.workflow import Status


@pytest.fixture
def three(make_ticket, customer, colleague):
    return [make_ticket(customer), make_ticket(colleague), make_ticket(customer)]


def rows(*tickets, version=None):
    return [f"{t.pk}:{version if version is not None else Ticket.objects.get(pk=t.pk).version}" for t in tickets]


def bulk(client, data, *, queue="new", query=""):
    url = reverse("console:queue") if queue == "new" else reverse("console:queue_named", args=[queue])
    return client.post(url + query, data)


def flashes(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_bulk_take(desk, three, specialist):
    response = bulk(desk, {"action": "take", "tickets": rows(*three)}, query="?q=campaign")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:queue") + "?q=campaign"  # back to the same filtered list
    for ticket in three:
        ticket.refresh_from_db()
        assert (ticket.status, ticket.assignee_id) == (Status.IN_PROGRESS, specialist.pk)
    assert Event.objects.filter(kind="ticket.taken").count() == 3
    assert flashes(response) == [f"Taken: #{three[0].pk}, #{three[1].pk}, #{three[2].pk}."]


def test_bulk_take_reports_the_ones_that_failed_and_why(desk, three, specialist2):
    services.take(specialist2, three[1].pk)  # taken by a colleague after my list loaded
    response = bulk(desk, {"action": "take", "tickets": rows(three[0], three[2]) + [f"{three[1].pk}:1", "999999:1"]})
    assert response.status_code == 302
    messages = flashes(response)
    assert messages[0] == f"Taken: #{three[0].pk}, #{three[2].pk}."
    assert f"#{three[1].pk} was not changed: The ticket changed after you opened it" in messages[1]
    assert messages[2] == "#999999 was not changed: There is no such ticket."
    three[1].refresh_from_db()
    assert three[1].assignee_id == specialist2.pk


def test_bulk_assign(desk, three, specialist2):
    response = bulk(desk, {"action": "assign", "assignee": specialist2.pk, "tickets": rows(*three)})
    assert response.status_code == 302
    assert set(Ticket.objects.filter(pk__in=[t.pk for t in three]).values_list("assignee_id", flat=True)) == {
        specialist2.pk
    }


@pytest.mark.parametrize("assignee", ["", "nobody", "999999", "customer"])
def test_bulk_assign_to_an_unknown_specialist_changes_nothing(desk, three, assignee, request):
    if assignee == "customer":
        assignee = request.getfixturevalue("customer").pk
    events = Event.objects.count()
    response = bulk(desk, {"action": "assign", "assignee": assignee, "tickets": rows(*three)})
    assert response.status_code == 400
    assert "Choose a specialist." in response.content.decode()
    assert Event.objects.count() == events
    assert not Ticket.objects.filter(assignee__isnull=False).exists()


def test_bulk_close_with_one_solution(desk, three):
    response = bulk(desk, {"action": "close", "solution": "Fixed by today's release.", "tickets": rows(*three)})
    assert response.status_code == 302
    assert set(Ticket.objects.values_list("status", flat=True)) == {Status.CLOSED}
    assert Message.objects.filter(is_solution=True, body="Fixed by today's release.").count() == 3


def test_bulk_close_without_a_solution_changes_nothing_and_keeps_the_selection(desk, three):
    response = bulk(desk, {"action": "close", "solution": "  ", "tickets": rows(*three)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write the solution recommendation." in page
    for value in rows(*three):
        assert f'value="{value}" checked' in page
    assert set(Ticket.objects.values_list("status", flat=True)) == {Status.OPEN}


def test_bulk_close_skips_finished_tickets_and_says_so(desk, three, specialist):
    services.decline(specialist, three[0].pk, code="spam", reason="Spam")
    response = bulk(desk, {"action": "close", "solution": "Done", "tickets": rows(*three)})
    messages = flashes(response)
    assert f"#{three[0].pk} was not changed: This ticket is finished and can no longer be changed." in messages
    three[0].refresh_from_db()
    assert three[0].status == Status.DECLINED


@pytest.mark.parametrize(
    "data",
    [
        {"action": "take"},
        {"action": "take", "tickets": ["abc", ":", "", "1", "1:x"]},
        {"action": "explode", "tickets": ["1:1"]},
        {"tickets": ["1:1"]},
    ],
)
def test_no_selection_or_no_action_is_a_clear_error(desk, three, data):
    response = bulk(desk, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select at least one ticket." in body or "Choose what to do with the selected tickets." in body
    assert Event.objects.filter(kind="ticket.taken").count() == 0


def test_too_many_at_once_is_refused(specialist):
    with pytest.raises(ValidationFailed):
        services.bulk_take(specialist, [(i, None) for i in range(1, 200)])


def test_the_finished_queue_offers_no_bulk_actions(desk, three, specialist):
    services.close(specialist, three[0].pk, "Done")
    page = desk.get(reverse("console:queue_named", args=["finished"])).content.decode()
    assert 'name="tickets"' not in page
