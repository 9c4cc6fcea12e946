"""Every place the live app publishes, and what exactly goes on the bus from it.

Three publishers: the ``supportdesk.tickets.events`` listener (every committed Event), the presence
view, and the sign-out receiver. ``bus_messages`` (tests/live/conftest.py) records the bus.
"""

from __future__ import annotations

import pytest

from supportdesk.live.bus import event_message, session_digest
from supportdesk.tickets import services
from supportdesk.tickets.models import DeclineCode, Event


def _run(capture, action):
    with capture(execute=True):
        return action()


def test_every_committed_event_goes_on_the_bus_once_with_its_audience_facts(
    customer, specialist, specialist2, make_ticket, sections, published, bus_messages,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    capture = django_capture_on_commit_callbacks
    ticket = _run(capture, lambda: make_ticket(customer))
    second = _run(capture, lambda: make_ticket(customer, question="The dialer stops after ten calls."))
    steps = [
        lambda: services.customer_change_category(customer, ticket.pk, section=sections["system-errors"].pk,
                                                  fields={"occurred_at": "2025-03-14T09:30"}),
        lambda: services.take(specialist, ticket.pk),
        lambda: services.set_urgent(specialist, ticket.pk, urgent=True, impact="All calls fail"),
        lambda: services.reassign(specialist, ticket.pk, assignee_id=specialist2.pk),
        lambda: services.internal_note(specialist, ticket.pk, "Customer on the old tariff."),
        lambda: services.specialist_reply(specialist, ticket.pk, "Which campaign?"),
        lambda: services.request_information(specialist, ticket.pk, "Please send its name."),
        lambda: services.customer_reply(customer, ticket.pk, "Spring sale."),
        lambda: services.customer_change_category(customer, ticket.pk, section=sections["application-help"].pk),
        lambda: services.decide_category_change(
            specialist, ticket.pk, ticket.category_requests.get(state="pending").pk, accept=False
        ),
        lambda: services.link_tickets(specialist, ticket.pk, second.pk),
        lambda: services.close(specialist, ticket.pk, "Raise the daily limit in the campaign settings."),
        lambda: services.decline(specialist, second.pk, code=DeclineCode.DUPLICATE, reason="Same as the other one."),
    ]  # fmt: skip
    for step in steps:
        _run(capture, step)

    assert len(published) >= len(steps) + 2
    assert bus_messages == [event_message(e) for e in published]
    assert [m["id"] for m in bus_messages] == sorted(m["id"] for m in bus_messages)
    for message, event in zip(bus_messages, published, strict=True):
        assert message == {
            "t": "event",
            "id": event.pk,
            "ticket": event.ticket_id,
            "kind": event.kind,
            "public": event.public,
            "org": customer.organization_id,
            "requester": customer.pk,
            "status": event.ticket.status,
            "version": event.ticket.version,
        }
    kinds = {m["kind"]: m["public"] for m in bus_messages}
    assert kinds["ticket.note"] is False
    assert kinds["ticket.reassigned"] is False
    assert kinds["ticket.response"] is True


def test_the_bus_carries_no_content_of_the_change(customer, specialist, make_ticket, bus_messages,
                                                  django_capture_on_commit_callbacks):  # fmt: skip
    ticket = make_ticket(customer)
    with django_capture_on_commit_callbacks(execute=True):
        services.internal_note(specialist, ticket.pk, "Secret: the customer owes us money.")
        services.decline(specialist, ticket.pk, code=DeclineCode.OTHER, reason="Out of our hands, sorry.")
    text = repr(bus_messages)
    assert "Secret" not in text
    assert "Out of our hands" not in text


def test_nothing_is_published_for_a_change_that_rolled_back(customer, specialist, make_ticket, bus_messages,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    from django.db import transaction

    ticket = make_ticket(customer)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.take(specialist, ticket.pk)
            raise RuntimeError("the page failed after the change")
    assert bus_messages == []
    assert not Event.objects.filter(kind="ticket.taken").exists()


def test_presence_publishes_who_is_where_and_nothing_else(specialist, customer, make_ticket, client_for, bus_messages):
    ticket = make_ticket(customer)
    response = client_for(specialist).post(f"/live/tickets/{ticket.pk}/presence/", {"state": "typing"})
    assert response.status_code == 200
    assert bus_messages == [
        {"t": "presence", "ticket": ticket.pk, "user": specialist.pk, "name": "Sam Specialist", "state": "typing",
         "ttl": 8}
    ]  # fmt: skip


def test_signing_out_publishes_the_sessions_digest_not_its_key(customer, client_for, bus_messages):
    browser = client_for(customer)
    key = browser.cookies["sessionid"].value
    browser.post("/accounts/logout/")
    assert bus_messages == [{"t": "signout", "session": session_digest(key)}]
    assert key not in repr(bus_messages)


def test_signing_out_works_with_the_bus_down(customer, client_for, monkeypatch, caplog):
    from supportdesk.live import bus as live_bus

    class Down(live_bus.Bus):
        def publish(self, message):
            raise ConnectionError("Redis is down")

    monkeypatch.setattr(live_bus, "get_bus", lambda: Down())
    browser = client_for(customer)
    response = browser.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in browser.session
    assert "could not publish a sign-out" in caplog.text
