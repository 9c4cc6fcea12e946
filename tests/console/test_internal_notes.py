"""Internal notes written in the workspace never reach a customer: not his page, not its files, not its history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportdesk.tickets.attachments import upload_image
from supportdesk.tickets.models import Event, Message, MessageKind

SECRET = "Customer is on the legacy tariff; do not offer the discount"


@pytest.fixture
def noted(desk, act, make_ticket, customer, specialist, png_upload):
    ticket = make_ticket(customer)
    act(desk, ticket, "take")
    act(desk, ticket, "compose", mode="note", body=SECRET)
    act(desk, ticket, "compose", mode="reply", body="We are on it.")
    # A note with a screenshot, through the service (the desk's reply box takes text only).
    from supportdesk.tickets import services

    upload = upload_image(specialist, png_upload("internal-dashboard.png"))
    services.internal_note(specialist, ticket.pk, "See the dashboard", uploads=[upload.token])
    return ticket, upload


def test_the_note_is_stored_as_a_note_with_a_private_event(noted):
    ticket, _upload = noted
    note = Message.objects.get(ticket=ticket, body=SECRET)
    assert note.kind == MessageKind.NOTE
    event = Event.objects.get(ticket=ticket, kind="ticket.note", data__message_id=note.pk)
    assert event.public is False


@pytest.mark.parametrize("who", ["customer", "colleague"])
def test_the_customer_never_sees_a_note(noted, client_for, who, request, org):
    ticket, upload = noted
    if who == "colleague":  # a colleague of a sharing organization sees the ticket, still not the note
        org.shares_tickets = True
        org.save()
    client = client_for(request.getfixturevalue(who))
    page = client.get(reverse("portal:detail", args=[ticket.pk])).content.decode()
    assert "We are on it." in page
    assert SECRET not in page
    assert "See the dashboard" not in page
    assert "internal-dashboard" not in page and upload.token not in page
    assert "added an internal note" not in page
    assert client.get(reverse("attachment", args=[upload.token])).status_code == 404
    assert client.get(reverse("attachment_thumbnail", args=[upload.token])).status_code == 404
    listing = client.get(reverse("portal:tickets")).content.decode()
    assert SECRET not in listing


def test_support_sees_the_note_marked_as_internal(noted, desk):
    ticket, upload = noted
    page = desk.get(reverse("console:ticket", args=[ticket.pk])).content.decode()
    assert SECRET in page
    assert page.count("Internal note · never shown to the customer") == 2
    assert desk.get(reverse("attachment", args=[upload.token])).status_code == 200
