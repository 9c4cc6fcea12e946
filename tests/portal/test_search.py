"""A customer's word search of his lists (``tickets/search.py``): what it finds, in whose tickets, and
that hostile input is only text. On PostgreSQL it runs on the word index of ``tickets/0011``."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from supportdesk.tickets import services
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.search import text_condition

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the word index is PostgreSQL's; SQLite matches substrings"
)


def found(client, text: str, *, url: str = "portal:tickets") -> str:
    response = client.get(reverse(url), {"q": text})
    assert response.status_code == 200
    return response.content.decode()


def finds(client, text: str, *, shown: list, hidden: list) -> None:
    page = found(client, text)
    assert all(t.summary in page for t in shown) and not any(t.summary in page for t in hidden), text


def test_every_word_must_be_found_in_the_summary_or_the_question(client_for, customer, make_ticket):
    both = make_ticket(customer, question="Telephony drops calls\nThe campaign stops after ten minutes.")
    one = make_ticket(customer, question="Telephony is fine\nBut reports are empty.")
    client = client_for(customer)
    finds(client, "telephony campaign", shown=[both], hidden=[one])
    finds(client, "TELEPHONY", shown=[both, one], hidden=[])  # any case
    assert "No tickets match" in found(client, "telephony invoice")


def test_a_word_finds_the_words_it_begins_in_either_language(client_for, customer, make_ticket):
    english = make_ticket(customer, question="Microphone is silent in the browser")
    russian = make_ticket(customer, question="Не работает статистика по кампании")
    setup = make_ticket(customer, question="The configuration of the script is lost")
    client = client_for(customer)
    finds(client, "micro", shown=[english], hidden=[russian, setup])
    finds(client, "configurat", shown=[setup], hidden=[english, russian])
    finds(client, "Статистика", shown=[russian], hidden=[english, setup])
    tree = make_ticket(customer, question="Ёлка в отчёте не видна")
    finds(client, "елка отчет", shown=[tree], hidden=[russian])  # "ё" is read as "е", both ways
    finds(client, "ЁЛКА", shown=[tree], hidden=[russian])


def test_the_number_finds_its_ticket(client_for, customer, make_ticket):
    ticket = make_ticket(customer, question="Anything at all")
    make_ticket(customer, question="Something else")
    page = found(client_for(customer), f"#{ticket.pk}")
    assert ticket.summary in page and "Something else" not in page


def test_search_covers_only_what_the_customer_sees(
    client_for, customer, colleague, other_customer, sharing_customer, sharing_colleague, make_ticket
):
    own = make_ticket(customer, question="Invoice for March is missing")
    colleagues = make_ticket(colleague, question="Invoice for April is missing")
    outsiders = make_ticket(other_customer, question="Invoice for May is missing")
    shared = make_ticket(sharing_colleague, question="Invoice for June is missing")

    page = found(client_for(customer), "invoice")  # his organization does not share: his own only
    assert own.summary in page
    assert colleagues.summary not in page and outsiders.summary not in page and shared.summary not in page

    page = found(client_for(sharing_customer), "invoice")  # it shares: his colleagues' too
    assert shared.summary in page
    assert own.summary not in page and outsiders.summary not in page


def test_search_follows_the_organization_when_it_starts_sharing(client_for, customer, colleague, org, make_ticket):
    theirs = make_ticket(colleague, question="Invoice for April is missing")
    client = client_for(customer)
    assert theirs.summary not in found(client, "invoice")
    org.shares_tickets = True
    org.save(update_fields=["shares_tickets"])
    assert theirs.summary in found(client, "invoice")


def test_the_history_is_searched_the_same_way(client_for, customer, specialist, make_ticket):
    done = make_ticket(customer, question="Microphone is silent in the browser")
    services.close(specialist, done.pk, "Allow the microphone in the browser's settings.")
    page = found(client_for(customer), "microphone", url="portal:history")
    assert done.summary in page


@pytest.mark.parametrize(
    "text",
    [
        "'",
        "\\",
        "''\\'",
        "a & b | !c",
        "(",
        ":*",
        "a:* & !",
        "<->",
        "o1:invoice",
        "%_",
        "!!!",
        "x" * 5000,
        "слово" * 100,
        "🙂",
        "\x01",
    ],
)
def test_hostile_search_text_is_only_text(client_for, customer, make_ticket, text):
    make_ticket(customer, question="Invoice for March is missing")
    page = found(client_for(customer), text)
    if len(text) <= 200:  # longer is the form's error, and the list unfiltered
        assert "No tickets match" in page


@on_postgresql
def test_search_finds_other_forms_of_a_word(client_for, customer, make_ticket):
    invoice = make_ticket(customer, question="The invoice is wrong")
    statistics = make_ticket(customer, question="Не работает статистика по кампании")
    client = client_for(customer)
    assert invoice.summary in found(client, "invoices")
    assert statistics.summary in found(client, "статистику")
    # Words, not substrings: "phone" is not a word of "microphone".
    make_ticket(customer, question="Microphone is silent")
    assert "No tickets match" in found(client, "phone")
    # A stem that changes the word's last letter ("companies" → "compani"); a stem too short to stand
    # for a word ("ней" → "не") does not make every word beginning with "не" a match.
    company = make_ticket(customer, question="Our company was charged twice")
    finds(client, "companies", shown=[company], hidden=[invoice, statistics])
    make_ticket(customer, question="Звонки не проходят всю неделю")
    assert "No tickets match" in found(client, "ней")


@on_postgresql
@pytest.mark.django_db
def test_the_search_runs_on_the_word_index():
    # The query must spell the index's expression exactly, or PostgreSQL reads the whole history.
    tickets = Ticket.objects.filter(text_condition("invoice", scope="o1"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is small enough to scan
        plan = tickets.explain()
    assert "Bitmap Index Scan on ticket_history_terms" in plan, plan


def test_tickets_with_huge_words_are_written_and_found_by_their_other_words(client_for, customer, make_ticket):
    # A key must stay under tsvector's 2,047 bytes, and the index reads the question's first 4,000
    # characters: neither may ever refuse a ticket.
    huge = "ж" * 1500  # 3,000 bytes
    ticket = make_ticket(customer, question=f"Printer {huge} fails\n" + " ".join(f"w{i}" for i in range(3000)))
    client = client_for(customer)
    finds(client, "printer", shown=[ticket], hidden=[])
    assert "No tickets match" in found(client, "ж" * 150 + " absentword")
