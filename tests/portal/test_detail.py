"""The ticket page, replies, category changes and attachments, and other people's ids."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportdesk.tickets import services
from supportdesk.tickets.models import Attachment, CategoryChangeRequest, Message, Ticket

pytestmark = pytest.mark.django_db


def test_ticket_page_shows_status_meaning_thread_and_history(client_for, customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    services.take(specialist, ticket.pk)
    services.specialist_reply(specialist, ticket.pk, "Open Campaigns, then New.")
    services.internal_note(specialist, ticket.pk, "Customer is on the old plan - SECRET NOTE")
    html = client_for(customer).get(reverse("portal:detail", args=[ticket.pk])).content.decode()
    assert "A specialist is studying your question." in html
    assert "Open Campaigns, then New." in html
    assert "took the ticket" in html
    assert "SECRET NOTE" not in html and "Internal note" not in html


def test_declined_ticket_shows_reason_and_offers_follow_up(client_for, customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    services.decline(specialist, ticket.pk, code="out_of_scope", reason="We do not support third-party CRMs.")
    html = client_for(customer).get(reverse("portal:detail", args=[ticket.pk])).content.decode()
    assert "We do not support third-party CRMs." in html
    assert f"?follow_up={ticket.pk}" in html
    assert reverse("portal:reply", args=[ticket.pk]) not in html


def test_closed_ticket_highlights_the_solution_and_has_no_reply_box(client_for, customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    services.close(specialist, ticket.pk, "Restart the dialer.")
    html = client_for(customer).get(reverse("portal:detail", args=[ticket.pk])).content.decode()
    assert "msg--solution" in html and "Solution recommendation" in html
    assert reverse("portal:reply", args=[ticket.pk]) not in html


def test_reply_to_awaiting_response_moves_to_in_progress(client_for, customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    services.request_information(specialist, ticket.pk, "Which campaign?")
    response = client_for(customer).post(reverse("portal:reply", args=[ticket.pk]), {"body": "The spring one."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    assert ticket.messages.last().body == "The spring one."


def test_empty_reply_is_a_form_error(client_for, customer, make_ticket):
    ticket = make_ticket(customer)
    response = client_for(customer).post(reverse("portal:reply", args=[ticket.pk]), {"body": "  "})
    assert response.status_code == 400
    assert Message.objects.filter(ticket=ticket).count() == 1


def test_reply_to_finished_ticket_is_refused(client_for, customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    services.close(specialist, ticket.pk, "Done.")
    response = client_for(customer).post(reverse("portal:reply", args=[ticket.pk]), {"body": "One more thing"})
    assert response.status_code == 409
    assert "finished" in response.content.decode()
    assert not Message.objects.filter(body="One more thing").exists()


def test_category_change_is_free_while_open(client_for, customer, make_ticket, sections):
    ticket = make_ticket(customer)
    from supportdesk.tickets.models import TypedField

    occurred = TypedField.objects.get(key="occurred_at")
    response = client_for(customer).post(
        reverse("portal:change_category", args=[ticket.pk]),
        {"section": sections["system-errors"].pk, f"field_{occurred.pk}": "2026-11-01T09:00"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.section == sections["system-errors"]
    assert ticket.events.filter(kind="ticket.category_changed").exists()


def test_category_change_in_progress_is_a_request(client_for, customer, specialist, make_ticket, sections, types):
    ticket = make_ticket(customer)
    services.take(specialist, ticket.pk)
    client = client_for(customer)
    response = client.post(
        reverse("portal:change_category", args=[ticket.pk]),
        {"section": sections["documents-finance"].pk, "ticket_type": types["other"].pk, "comment": "It is billing"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.section == sections["application-help"]
    assert CategoryChangeRequest.objects.get(ticket=ticket).state == "pending"
    html = client.get(reverse("portal:detail", args=[ticket.pk])).content.decode()
    assert "asked to change the category" in html


def test_a_second_click_refused_shows_the_first_clicks_request(
    client_for, customer, specialist, make_ticket, sections, types, monkeypatch
):
    # Two clicks: the second request loads the ticket (nothing pending) before the first one's request
    # is in, then the service refuses it. The page it shows must show the first click's request and
    # offer no form, not what the ticket looked like when the second request loaded it.
    ticket = make_ticket(customer)
    services.take(specialist, ticket.pk)
    real = services.customer_change_category

    def first_click_lands_first(*args, **kwargs):
        real(customer, ticket.pk, section=sections["system-errors"].pk, comment="First click")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "customer_change_category", first_click_lands_first)
    response = client_for(customer).post(
        reverse("portal:change_category", args=[ticket.pk]),
        {"section": sections["documents-finance"].pk, "ticket_type": types["other"].pk, "comment": "Second"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "already waiting" in html
    assert "You asked to move this ticket to System errors" in html
    assert f'action="{reverse("portal:change_category", args=[ticket.pk])}"' not in html  # no second form
    assert CategoryChangeRequest.objects.filter(ticket=ticket).count() == 1


def test_category_change_after_closing_is_refused_with_explanation(
    client_for, customer, specialist, make_ticket, sections
):
    ticket = make_ticket(customer)
    services.close(specialist, ticket.pk, "Done.")
    response = client_for(customer).post(
        reverse("portal:change_category", args=[ticket.pk]),
        {
            "section": sections["documents-finance"].pk,
            "ticket_type": sections["documents-finance"].types.get(code="other").pk,
        },
    )
    assert response.status_code == 409
    assert "Open a new ticket" in response.content.decode()


@pytest.mark.parametrize("name", ["portal:detail", "portal:reply", "portal:change_category", "portal:seen"])
def test_another_customers_ticket_is_404_on_every_url(client_for, customer, other_customer, make_ticket, name):
    ticket = make_ticket(customer)
    client = client_for(other_customer)
    method = client.get if name == "portal:detail" else client.post
    assert method(reverse(name, args=[ticket.pk]), {"body": "x", "section": "1"}).status_code == 404
    assert method(reverse(name, args=[999999]), {"body": "x"}).status_code == 404


def test_a_reply_to_another_customers_ticket_stores_neither_message_nor_file(
    client_for, customer, other_customer, make_ticket, png_upload
):
    ticket = make_ticket(customer)
    client = client_for(other_customer)
    url = reverse("portal:reply", args=[ticket.pk])
    assert client.post(url, {"body": "Let me in"}).status_code == 404
    assert client.post(url, {"body": "Let me in", "files": png_upload()}).status_code == 404
    assert not Message.objects.filter(ticket=ticket, body="Let me in").exists()
    assert not Attachment.objects.filter(uploader=other_customer).exists()


def test_colleague_in_non_sharing_org_gets_404(client_for, customer, colleague, make_ticket):
    ticket = make_ticket(customer)
    assert client_for(colleague).get(reverse("portal:detail", args=[ticket.pk])).status_code == 404


def test_attachment_served_with_safe_headers_only_to_those_who_see_the_ticket(
    client_for, customer, other_customer, specialist, make_ticket, png_upload
):
    client = client_for(customer)
    token = client.post(reverse("portal:upload"), {"file": png_upload()}).json()["token"]
    make_ticket(customer, uploads=[token])
    response = client.get(reverse("attachment", args=[token]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "image/png"
    assert client_for(other_customer).get(reverse("attachment", args=[token])).status_code == 404
    assert client_for(specialist).get(reverse("attachment_thumbnail", args=[token])).status_code == 200


def test_internal_note_attachment_is_404_for_the_customer(client_for, customer, specialist, make_ticket, png_upload):
    from supportdesk.tickets.attachments import upload_image

    ticket = make_ticket(customer)
    attachment = upload_image(specialist, png_upload())
    services.internal_note(specialist, ticket.pk, "see screenshot", uploads=[attachment.token])
    assert client_for(customer).get(reverse("attachment", args=[attachment.token])).status_code == 404


def test_seen_is_post_only(client_for, customer, make_ticket):
    ticket = make_ticket(customer)
    assert client_for(customer).get(reverse("portal:seen", args=[ticket.pk])).status_code == 405


@pytest.mark.parametrize("messages", [1, 12])
def test_ticket_page_query_count_does_not_grow(
    client_for,
    customer,
    specialist,
    make_ticket,
    png_upload,
    django_assert_num_queries,
    cold_cache,
    messages,
    session_queries,
):
    ticket = make_ticket(customer)
    for i in range(messages):
        services.specialist_reply(specialist, ticket.pk, f"Answer {i}")
        services.customer_reply(customer, ticket.pk, f"Reply {i}")
    client = client_for(customer)
    client.get(reverse("portal:detail", args=[ticket.pk]))
    cold_cache()
    # session, user, organization, ticket (with whether a category request is pending, read only when
    # one is), sections, types, typed fields, messages (with merged duplicates'), their attachments,
    # events, linked tickets
    with django_assert_num_queries(11):
        assert client.get(reverse("portal:detail", args=[ticket.pk])).status_code == 200
    # Nothing changed since: the user and the page come from the cache (+ the session from the database).
    with django_assert_num_queries(session_queries):
        assert client.get(reverse("portal:detail", args=[ticket.pk])).status_code == 200


def test_ticket_ids_that_are_not_numbers_are_404(client_for, customer):
    assert client_for(customer).get("/help/tickets/abc/").status_code == 404
    assert Ticket.objects.count() == 0


def test_merged_duplicates_messages_show_on_the_ticket_that_goes_on(
    client_for, customer, other_customer, specialist, make_ticket
):
    survivor = make_ticket(customer, question="Calls drop on the spring campaign")
    mine = make_ticket(customer, question="Spring campaign calls drop again - my duplicate")
    theirs = make_ticket(other_customer, question="Globex private duplicate text")
    services.merge_ticket(specialist, mine.pk, into=survivor.pk, reason="Same problem.")
    services.merge_ticket(specialist, theirs.pk, into=survivor.pk, reason="Same problem.")
    html = client_for(customer).get(reverse("portal:detail", args=[survivor.pk])).content.decode()
    assert "my duplicate" in html and "from the merged duplicate" in html
    assert "Globex private duplicate text" not in html
