"""Merging a duplicate: Declined as "duplicate", it points at the ticket that goes on, where its messages show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportdesk.tickets import services
from supportdesk.tickets.attachments import upload_image
from supportdesk.tickets.errors import ActionNotAllowed, ValidationFailed
from supportdesk.tickets.models import DeclineCode, Event, Ticket, TicketLink
from supportdesk.tickets.workflow import Status


@pytest.fixture
def pair(make_ticket, customer):
    goes_on = make_ticket(customer, question="Exported recordings archive is empty")
    duplicate = make_ticket(customer, question="The archive of recordings has no files")
    services.customer_reply(customer, duplicate.pk, "Also the CSV is missing")
    return goes_on, duplicate


def test_merge_declines_the_duplicate_and_links_it_to_the_one_that_goes_on(desk, act, pair, specialist):
    goes_on, duplicate = pair
    response = act(desk, duplicate, "merge", into=f"#{goes_on.pk}", reason="We continue in your other ticket.")
    assert response.status_code == 302
    duplicate.refresh_from_db()
    goes_on.refresh_from_db()
    assert (duplicate.status, duplicate.decline_code, duplicate.merged_into_id) == (
        Status.DECLINED, DeclineCode.DUPLICATE, goes_on.pk,
    )  # fmt: skip
    assert duplicate.decline_reason == "We continue in your other ticket."
    assert goes_on.status == Status.OPEN and goes_on.version == 2  # the one that goes on changed too
    assert TicketLink.objects.filter(ticket=goes_on, related=duplicate).exists()
    declined = Event.objects.get(ticket=duplicate, kind="ticket.declined")
    assert declined.data["code"] == "duplicate" and declined.data["merged_into"] == goes_on.pk and declined.public
    assert not Event.objects.get(ticket=goes_on, kind="ticket.merge_received").public


def test_the_duplicates_messages_show_in_the_ticket_that_goes_on(desk, act, pair):
    goes_on, duplicate = pair
    act(desk, duplicate, "merge", into=goes_on.pk, reason="Same question")
    page = desk.get(reverse("console:ticket", args=[goes_on.pk])).content.decode()
    assert "The archive of recordings has no files" in page
    assert "Also the CSV is missing" in page
    assert "from the merged duplicate" in page
    assert f"merged the duplicate #{duplicate.pk} into this ticket" in page
    duplicate_page = desk.get(reverse("console:ticket", args=[duplicate.pk])).content.decode()
    assert f"merged this ticket into #{goes_on.pk} as a duplicate" in duplicate_page
    assert "Merged into" in duplicate_page


def test_a_duplicates_screenshot_shows_in_the_ticket_that_goes_on(
    desk, act, make_ticket, customer, client_for, png_upload
):
    """The ticket that goes on has no file of its own: its page still reads the merged duplicate's."""
    goes_on = make_ticket(customer, question="Exported recordings archive is empty")
    shot = upload_image(customer, png_upload("empty-archive.png"))
    duplicate = make_ticket(customer, question="The archive of recordings has no files", uploads=[shot.token])
    act(desk, duplicate, "merge", into=goes_on.pk, reason="Same question")
    download = reverse("attachment", args=[shot.token])
    assert download in desk.get(reverse("console:ticket", args=[goes_on.pk])).content.decode()
    assert download in client_for(customer).get(reverse("portal:detail", args=[goes_on.pk])).content.decode()


def test_the_customer_sees_the_duplicate_declined_with_the_reason(desk, act, pair, client_for, customer):
    goes_on, duplicate = pair
    act(desk, duplicate, "merge", into=goes_on.pk, reason=f"We continue in ticket #{goes_on.pk}.")
    page = client_for(customer).get(reverse("portal:detail", args=[duplicate.pk])).content.decode()
    assert f"We continue in ticket #{goes_on.pk}." in page
    assert f"merged this ticket into #{goes_on.pk} as a duplicate" in page


@pytest.mark.parametrize(
    ("into", "reason", "message"),
    [
        ("", "Same", "Enter a ticket number, such as #123."),
        ("#999999", "Same", "There is no ticket #999999."),
        ("self", "Same", "A ticket cannot be merged into itself."),
        ("goes_on", "", "Tell the customer where the conversation goes on."),
    ],
)
def test_bad_merges_are_refused_and_change_nothing(desk, act, pair, into, reason, message):
    goes_on, duplicate = pair
    into = {"self": duplicate.pk, "goes_on": goes_on.pk}.get(into, into)
    events = Event.objects.count()
    response = act(desk, duplicate, "merge", into=into, reason=reason)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Event.objects.count() == events
    assert Ticket.objects.get(pk=duplicate.pk).status == Status.OPEN


def test_merging_into_a_finished_ticket_is_refused(desk, act, pair, specialist):
    goes_on, duplicate = pair
    services.close(specialist, goes_on.pk, "Done")
    response = act(desk, duplicate, "merge", into=goes_on.pk, reason="Same")
    assert response.status_code == 409
    assert "is finished: merge into an active ticket" in response.content.decode()
    assert Ticket.objects.get(pk=duplicate.pk).status == Status.OPEN


def test_a_finished_ticket_cannot_be_merged(pair, specialist):
    goes_on, duplicate = pair
    services.close(specialist, duplicate.pk, "Done")
    with pytest.raises(ActionNotAllowed):
        services.merge_ticket(specialist, duplicate.pk, into=goes_on.pk, reason="Same")


def test_a_customer_cannot_merge(pair, customer):
    goes_on, duplicate = pair
    with pytest.raises(ActionNotAllowed):
        services.merge_ticket(customer, duplicate.pk, into=goes_on.pk, reason="Same")
    assert not TicketLink.objects.exists()


def test_merge_checks_input_before_anything(specialist, pair):
    goes_on, duplicate = pair
    with pytest.raises(ValidationFailed) as caught:
        services.merge_ticket(specialist, duplicate.pk, into="x", reason="")
    assert set(caught.value.errors) == {"into", "reason"}
