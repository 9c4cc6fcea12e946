"""Create ticket: the form, its typed fields, screenshots, and every bad input."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supportdesk.tickets import services
from supportdesk.tickets.models import Attachment, Event, Message, Ticket

pytestmark = pytest.mark.django_db


def _post(client, **data):
    payload = {"submission_key": str(uuid.uuid4()), "question": "Calls drop after 10 seconds", **data}
    return client.post(reverse("portal:create"), payload)


def _counts():
    return Ticket.objects.count(), Message.objects.count(), Event.objects.count()


def test_form_shows_sections_with_their_descriptions_and_examples(client_for, customer, sections):
    html = client_for(customer).get(reverse("portal:create")).content.decode()
    for text in (
        "Application help",
        "System errors",
        "Documents/Finance",
        "How to create a new campaign?",
        "Telephony failures",
        "Metrics tariffing request",
        "Action-based billing configuration",
        "What is happening",
        "Campaign",
        "Proposed price per action",
        "When did it occur?",
    ):
        assert text in html, text


def test_create_application_help_ticket(client_for, customer, sections):
    client = client_for(customer)
    response = _post(client, section=sections["application-help"].pk, question="How to view statistics?\nMore text")
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:detail", args=[ticket.pk])
    assert ticket.summary == "How to view statistics?"
    assert ticket.requester == customer and ticket.status == "open"
    assert ticket.messages.count() == 1 and ticket.events.filter(kind="ticket.created").count() == 1


def test_metrics_tariffing_request_keeps_its_structured_fields(client_for, customer, sections, types):
    from supportdesk.tickets.models import TypedField

    fields = {f.key: f"field_{f.pk}" for f in TypedField.objects.filter(ticket_type=types["metrics-tariffing"])}
    client = client_for(customer)
    response = _post(
        client,
        section=sections["documents-finance"].pk,
        ticket_type=types["metrics-tariffing"].pk,
        **{
            fields["campaign"]: "Spring leads",
            fields["metrics"]: "lead\ntransfer",
            fields["price_per_action"]: "0,30",
            fields["start_date"]: "2026-12-01",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.fields == {
        "campaign": "Spring leads",
        "metrics": "lead\ntransfer",
        "price_per_action": "0.30",
        "start_date": "2026-12-01",
    }
    html = client.get(response["Location"]).content.decode()
    assert "Spring leads" in html and "0.30" in html and "Proposed price per action" in html


def test_system_error_keeps_browser_details(client_for, customer, sections):
    from supportdesk.tickets.models import TypedField

    occurred = TypedField.objects.get(key="occurred_at")
    client = client_for(customer)
    _post(
        client,
        section=sections["system-errors"].pk,
        **{
            f"field_{occurred.pk}": "2026-11-20T10:15",
            "client_browser": "Chromium 156",
            "client_page": "https://app.example/campaigns",
            "client_evil": "x",
        },
    )
    ticket = Ticket.objects.get()
    assert ticket.client_info == {"browser": "Chromium 156", "page": "https://app.example/campaigns"}
    assert ticket.fields["occurred_at"].startswith("2026-11-20T10:15")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question": "   "}, "Describe your question"),
        ({"section": "999999"}, "Select a valid choice"),
        ({"section": "abc"}, "Select a valid choice"),
        ({"urgent": "on", "impact": ""}, "why it is urgent"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_stored(client_for, customer, sections, data, message):
    payload = {"section": sections["application-help"].pk, **data}
    before = _counts()
    response = _post(client_for(customer), **payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _counts() == before


def test_documents_finance_needs_its_type_and_typed_fields(client_for, customer, sections, types):
    client = client_for(customer)
    response = _post(client, section=sections["documents-finance"].pk)
    assert response.status_code == 400 and "Choose the question type" in response.content.decode()
    response = _post(client, section=sections["documents-finance"].pk, ticket_type=types["metrics-tariffing"].pk)
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert Ticket.objects.count() == 0


def test_type_of_another_section_is_refused(client_for, customer, sections, types):
    response = _post(client_for(customer), section=sections["application-help"].pk, ticket_type=types["other"].pk)
    assert response.status_code == 400
    assert Ticket.objects.count() == 0


def test_double_send_makes_one_ticket(client_for, customer, sections):
    client = client_for(customer)
    key = str(uuid.uuid4())
    first = _post(client, section=sections["application-help"].pk, submission_key=key)
    second = _post(client, section=sections["application-help"].pk, submission_key=key)
    assert first["Location"] == second["Location"]
    assert Ticket.objects.count() == 1


def test_screenshot_uploaded_ahead_is_attached_on_send(client_for, customer, sections, png_upload):
    client = client_for(customer)
    response = client.post(reverse("portal:upload"), {"file": png_upload("calls.png")})
    assert response.status_code == 201
    token = response.json()["token"]
    assert client.get(response.json()["thumbnail"]).status_code == 200
    _post(client, section=sections["application-help"].pk, uploads=[token])
    attachment = Attachment.objects.get(token=token)
    ticket = Ticket.objects.get()
    assert attachment.ticket == ticket and attachment.message == ticket.messages.get()
    html = client.get(reverse("portal:detail", args=[ticket.pk])).content.decode()
    assert reverse("attachment_thumbnail", args=[token]) in html


def test_screenshot_sent_with_the_form_without_script(client_for, customer, sections, png_upload):
    client = client_for(customer)
    payload = {
        "submission_key": str(uuid.uuid4()),
        "question": "Broken page",
        "section": sections["application-help"].pk,
        "files": [png_upload("a.png"), png_upload("b.png")],
    }
    assert client.post(reverse("portal:create"), payload).status_code == 302
    assert Ticket.objects.get().attachments.count() == 2


def test_upload_refuses_what_is_not_an_image(client_for, customer):
    client = client_for(customer)
    svg = SimpleUploadedFile(
        "x.svg",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        content_type="image/svg+xml",
    )
    html = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    for upload in (svg, html):
        response = client.post(reverse("portal:upload"), {"file": upload})
        assert response.status_code == 400 and "error" in response.json()
    assert client.post(reverse("portal:upload"), {}).status_code == 400
    assert Attachment.objects.count() == 0


def test_upload_refuses_a_file_over_10_mb(client_for, customer, settings):
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (10 * 1024 * 1024 + 10), content_type="image/png")
    response = client_for(customer).post(reverse("portal:upload"), {"file": big})
    assert response.status_code == 400 and "10 MB" in response.json()["error"]


def test_someone_elses_upload_token_cannot_be_attached(client_for, customer, other_customer, sections, png_upload):
    token = client_for(other_customer).post(reverse("portal:upload"), {"file": png_upload()}).json()["token"]
    client = client_for(customer)
    response = _post(client, section=sections["application-help"].pk, uploads=[token])
    assert response.status_code == 400
    assert Ticket.objects.count() == 0
    assert client.get(reverse("attachment", args=[token])).status_code == 404


def test_too_many_screenshots_are_refused(client_for, customer, sections, png_upload):
    client = client_for(customer)
    tokens = [client.post(reverse("portal:upload"), {"file": png_upload()}).json()["token"] for _ in range(11)]
    response = _post(client, section=sections["application-help"].pk, uploads=tokens)
    assert response.status_code == 400 and "At most 10" in response.content.decode()
    assert Ticket.objects.count() == 0


def test_discarded_upload_is_gone(client_for, customer, png_upload):
    client = client_for(customer)
    token = client.post(reverse("portal:upload"), {"file": png_upload()}).json()["token"]
    assert client.post(reverse("portal:discard_upload", args=[token])).status_code == 200
    assert not Attachment.objects.filter(token=token).exists()


def test_follow_up_of_a_finished_ticket_is_prefilled_and_linked(
    client_for, customer, specialist, make_ticket, sections
):
    original = make_ticket(customer, section="system-errors")
    services.close(specialist, original.pk, "Fixed on our side.")
    client = client_for(customer)
    page = client.get(reverse("portal:create"), {"follow_up": original.pk})
    assert page.status_code == 200
    assert (
        f'name="section" value="{sections["system-errors"].pk}" data-section-code="system-errors"\n'
        in page.content.decode()
    )
    assert f'value="{original.pk}"' in page.content.decode()
    from supportdesk.tickets.models import TypedField

    occurred = TypedField.objects.get(key="occurred_at")
    _post(
        client,
        section=sections["system-errors"].pk,
        linked_to=original.pk,
        link_kind="follow_up",
        **{f"field_{occurred.pk}": "2026-11-20T10:15"},
    )
    follow_up = Ticket.objects.exclude(pk=original.pk).get()
    assert follow_up.linked_to == original and follow_up.link_kind == "follow_up"


def test_unanswered_ticket_gets_an_urgent_linked_ticket(client_for, customer, make_ticket, sections):
    original = make_ticket(customer)
    client = client_for(customer)
    page = client.get(reverse("portal:create"), {"unanswered": original.pk}).content.decode()
    assert re.search(r'<input type="checkbox" name="urgent"[^>]* checked', page)
    assert f"My ticket #{original.pk} has had no answer yet." in page
    _post(
        client,
        section=sections["application-help"].pk,
        linked_to=original.pk,
        link_kind="unanswered",
        urgent="on",
        impact="Nobody answered for two days",
    )
    urgent = Ticket.objects.exclude(pk=original.pk).get()
    assert urgent.is_urgent and urgent.linked_to == original and urgent.link_kind == "unanswered"


def test_links_to_other_peoples_tickets_are_404(client_for, customer, other_customer, make_ticket, sections):
    foreign = make_ticket(other_customer)
    client = client_for(customer)
    assert client.get(reverse("portal:create"), {"follow_up": foreign.pk}).status_code == 404
    assert client.get(reverse("portal:create"), {"unanswered": foreign.pk}).status_code == 404
    response = _post(client, section=sections["application-help"].pk, linked_to=foreign.pk, link_kind="unanswered")
    assert response.status_code == 404
    assert Ticket.objects.count() == 1


def test_similar_open_tickets_are_suggested(client_for, customer, other_customer, make_ticket):
    mine = make_ticket(customer, question="Telephony failures on the evening campaign")
    make_ticket(other_customer, question="Telephony failures on the evening campaign")
    html = (
        client_for(customer)
        .get(reverse("portal:similar"), {"question": "telephony failures again this evening"})
        .content.decode()
    )
    assert f"#{mine.pk}" in html
    assert html.count("<li>") == 1


def test_create_is_404_for_staff(client_for, specialist):
    assert client_for(specialist).get(reverse("portal:create")).status_code == 404
