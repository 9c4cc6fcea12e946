"""The customer's ticket list and request history."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from supportdesk.tickets import services
from supportdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _age(ticket: Ticket, days: int) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("portal:tickets"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_specialist_gets_404_on_help_pages(client_for, specialist):
    assert client_for(specialist).get(reverse("portal:tickets")).status_code == 404


def test_customer_sees_own_tickets_newest_first(client_for, customer, colleague, make_ticket):
    older = make_ticket(customer, question="Older question about scripts")
    _age(older, 3)
    newer = make_ticket(customer, question="Newer question about statistics")
    hidden = make_ticket(colleague, question="Colleague's private question")
    response = client_for(customer).get(reverse("portal:tickets"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(newer.summary) < html.index(older.summary)
    assert hidden.summary not in html


def test_sharing_organization_members_see_each_others_tickets(
    client_for, sharing_customer, sharing_colleague, make_ticket
):
    ticket = make_ticket(sharing_colleague, question="Shared question about telephony")
    html = client_for(sharing_customer).get(reverse("portal:tickets")).content.decode()
    assert ticket.summary in html
    assert "Dave Sharing" in html


def test_other_organization_never_appears(client_for, customer, other_customer, make_ticket):
    ticket = make_ticket(customer, question="Acme secret billing question")
    html = client_for(other_customer).get(reverse("portal:tickets") + "?q=secret").content.decode()
    assert ticket.summary not in html


def test_list_shows_the_columns_of_the_spec(client_for, customer, make_ticket):
    make_ticket(
        customer, section="documents-finance", ticket_type="metrics-tariffing", question="Bill per lead", urgent=True
    )
    html = client_for(customer).get(reverse("portal:tickets")).content.decode()
    assert "Documents/Finance · Metrics tariffing request" in html
    assert "badge--blue" in html and "Open" in html
    assert "Bill per lead" in html
    assert "tag-urgent" in html


def test_filters_by_status_category_text_and_date(client_for, customer, specialist, make_ticket, sections):
    scripts = make_ticket(customer, question="How to configure a script?")
    errors = make_ticket(customer, section="system-errors", question="Telephony failures since morning")
    services.take(specialist, errors.pk)
    old = make_ticket(customer, question="Old statistics question")
    _age(old, 40)
    client = client_for(customer)
    url = reverse("portal:tickets")

    html = client.get(url, {"status": "in_progress"}).content.decode()
    assert errors.summary in html and scripts.summary not in html

    html = client.get(url, {"category": f"s{sections['system-errors'].pk}"}).content.decode()
    assert errors.summary in html and scripts.summary not in html

    html = client.get(url, {"q": "script"}).content.decode()
    assert scripts.summary in html and errors.summary not in html

    html = client.get(url, {"q": f"#{errors.pk}"}).content.decode()
    assert errors.summary in html

    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    html = client.get(url, {"created_from": since}).content.decode()
    assert old.summary not in html and scripts.summary in html

    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    html = client.get(url, {"created_to": until}).content.decode()
    assert old.summary in html and scripts.summary not in html


def test_bad_filter_values_are_ignored_not_errors(client_for, customer, make_ticket):
    make_ticket(customer)
    client = client_for(customer)
    for params in (
        {"status": "nonsense"},
        {"category": "s999999"},
        {"created_from": "yesterday"},
        {"after": "%%%"},
        {"before": "x" * 500},
        {"q": "x" * 5000},
        {"category": "t<script>"},
    ):
        assert client.get(reverse("portal:tickets"), params).status_code == 200


def test_history_holds_finished_tickets_only(client_for, customer, specialist, make_ticket):
    active = make_ticket(customer, question="Still open question")
    done = make_ticket(customer, question="Solved question")
    services.close(specialist, done.pk, "Restart the campaign.")
    client = client_for(customer)
    active_html = client.get(reverse("portal:tickets")).content.decode()
    history_html = client.get(reverse("portal:history")).content.decode()
    assert active.summary in active_html and done.summary not in active_html
    assert done.summary in history_html and active.summary not in history_html


def test_empty_states_say_what_to_do(client_for, customer):
    client = client_for(customer)
    assert "Create ticket" in client.get(reverse("portal:tickets")).content.decode()
    assert "No finished tickets yet" in client.get(reverse("portal:history")).content.decode()
    assert "No tickets match" in client.get(reverse("portal:tickets"), {"q": "zzz"}).content.decode()


def test_unread_mark_until_the_customer_opens_the_ticket(client_for, customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    services.specialist_reply(specialist, ticket.pk, "Here is how.")
    client = client_for(customer)
    assert "is-unread" in client.get(reverse("portal:tickets")).content.decode()
    assert client.post(reverse("portal:seen", args=[ticket.pk])).status_code == 204
    assert "is-unread" not in client.get(reverse("portal:tickets")).content.decode()


def _rows_and_links(response) -> tuple[list[int], dict[str, str]]:
    html = response.content.decode()
    rows = [int(pk) for pk in re.findall(r'id="ticket-row-(\d+)"', html)]
    links = dict(re.findall(r'href="\?[^"]*?(after|before)=([\w-]+)"', html))
    return rows, links


def test_keyset_pagination_walks_forward_and_back(client_for, customer, make_ticket):
    tickets = [make_ticket(customer, question=f"Question number {i:02d}") for i in range(30)]
    newest_first = [t.pk for t in reversed(tickets)]
    client = client_for(customer)
    rows, links = _rows_and_links(client.get(reverse("portal:tickets")))
    assert rows == newest_first[:25]
    assert "after" in links and "before" not in links
    rows, links = _rows_and_links(client.get(reverse("portal:tickets"), {"after": links["after"]}))
    assert rows == newest_first[25:]
    assert "before" in links and "after" not in links
    rows, _ = _rows_and_links(client.get(reverse("portal:tickets"), {"before": links["before"]}))
    assert rows == newest_first[:25]


def test_htmx_filter_request_gets_only_the_results(client_for, customer, make_ticket):
    make_ticket(customer)
    response = client_for(customer).get(reverse("portal:tickets"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"<table" in response.content


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow(
    client_for, customer, specialist, make_ticket, django_assert_num_queries, cold_cache, count, session_queries
):
    for i in range(count):
        ticket = make_ticket(customer, question=f"Question {i}")
        if i % 3 == 0:
            services.specialist_reply(specialist, ticket.pk, "Answer")
    client = client_for(customer)
    client.get(reverse("portal:tickets"))  # warm the session
    cold_cache()
    # session, user, organization, sections, types, typed fields, the page's rows
    with django_assert_num_queries(7):
        cold = _rows_and_links(client.get(reverse("portal:tickets")))
    # Nothing changed since: the user and the whole page come from the cache (+ the session from the database).
    with django_assert_num_queries(session_queries):
        assert _rows_and_links(client.get(reverse("portal:tickets"))) == cold
