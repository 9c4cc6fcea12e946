"""Queues: who is in which, their order, counts, filters, keyset pages, next ticket, and a pinned query count."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from supportdesk.tickets import desk_queries, services
from supportdesk.tickets.attachments import upload_image
from supportdesk.tickets.desk_queries import DeskFilters, queue_counts, queue_page
from supportdesk.tickets.models import Ticket


def numbers(page):
    return [t.pk for t in page.rows]


def listed(response):
    """Ticket ids in the order the page lists them."""
    return [int(n) for n in re.findall(r'id="ticket-row-(\d+)"', response.content.decode())]


@pytest.fixture
def world(make_ticket, customer, colleague, other_customer, specialist, specialist2):
    """One ticket in each situation a queue cares about, by name."""
    t = {
        "new": make_ticket(customer, question="Fresh question"),
        "new_urgent": make_ticket(colleague, question="Everything is down", urgent=True),
        "mine": make_ticket(customer, question="Mine in progress"),
        "theirs": make_ticket(other_customer, question="Colleague's ticket"),
        "awaiting": make_ticket(customer, question="Waiting for the customer"),
        "closed": make_ticket(colleague, question="Solved one"),
        "declined": make_ticket(other_customer, question="Spam one"),
        "assigned_open": make_ticket(customer, question="Assigned but not taken"),
    }
    services.take(specialist, t["mine"].pk)
    services.take(specialist2, t["theirs"].pk)
    services.request_information(specialist, t["awaiting"].pk, "Which campaign?")
    services.close(specialist, t["closed"].pk, "Restart it.")
    services.decline(specialist2, t["declined"].pk, code="spam", reason="Spam")
    services.reassign(specialist2, t["assigned_open"].pk, assignee_id=specialist.pk)
    return t


@pytest.mark.parametrize(
    ("queue", "expected"),
    [
        ("new", {"new", "new_urgent"}),
        ("mine", {"mine", "awaiting", "assigned_open"}),
        ("awaiting", {"awaiting"}),
        ("urgent", {"new_urgent"}),
        ("active", {"new", "new_urgent", "mine", "theirs", "awaiting", "assigned_open"}),
        ("finished", {"closed", "declined"}),
    ],
)
def test_each_queue_holds_exactly_its_tickets(world, specialist, queue, expected):
    page = queue_page(specialist, queue, DeskFilters(finished=queue == "finished"))
    assert set(numbers(page)) == {world[name].pk for name in expected}


def test_every_queue_shows_its_count(desk, world):
    page = desk.get(reverse("console:queue")).content.decode()
    for label, count in [("New", 2), ("Mine", 3), ("Awaiting response", 1), ("Urgent", 1), ("All active", 6),
                         ("Finished", 2)]:  # fmt: skip
        assert re.search(rf">{label} <span class=\"tabs__count\">{count}</span>", page), label


def test_the_finished_count_is_capped(world, specialist, monkeypatch):
    monkeypatch.setattr(desk_queries, "FINISHED_COUNT_CAP", 1)
    counts = queue_counts(specialist)
    assert str(counts["finished"]) == "1+"
    assert str(counts["active"]) == "6"


def test_counts_take_two_queries_however_many_tickets(world, specialist, django_assert_num_queries):
    with django_assert_num_queries(2):
        queue_counts(specialist)


def test_urgent_first_then_longest_waiting_for_us(make_ticket, customer, specialist):
    now = timezone.now()
    a = make_ticket(customer, question="waiting 1 hour")
    b = make_ticket(customer, question="waiting 3 hours")
    c = make_ticket(customer, question="urgent, waiting 10 minutes", urgent=True)
    d = make_ticket(customer, question="waiting 2 hours")
    for ticket, minutes in ((a, 60), (b, 180), (c, 10), (d, 120)):
        Ticket.objects.filter(pk=ticket.pk).update(last_customer_message_at=now - datetime.timedelta(minutes=minutes))
    assert numbers(queue_page(specialist, "new", DeskFilters())) == [c.pk, b.pk, d.pk, a.pk]


def test_finished_newest_first(make_ticket, customer, specialist):
    first, second = make_ticket(customer), make_ticket(customer)
    services.close(specialist, second.pk, "Done")
    services.close(specialist, first.pk, "Done")
    assert numbers(queue_page(specialist, "finished", DeskFilters(finished=True))) == [first.pk, second.pk]


def test_keyset_pages_cover_the_queue_once_each_way(make_ticket, customer, specialist):
    made = [make_ticket(customer, urgent=i % 7 == 0).pk for i in range(31)]
    first = queue_page(specialist, "new", DeskFilters(), size=10)
    pages, page = [numbers(first)], first
    while page.next_cursor:
        page = queue_page(specialist, "new", DeskFilters(), after=page.next_cursor, size=10)
        pages.append(numbers(page))
    seen = [pk for chunk in pages for pk in chunk]
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    assert [len(chunk) for chunk in pages] == [10, 10, 10, 1]
    back = queue_page(specialist, "new", DeskFilters(), before=page.prev_cursor, size=10)
    assert numbers(back) == pages[-2]
    assert back.next_cursor and back.prev_cursor


@pytest.mark.parametrize("cursor", ["", "garbage", "W10", "WzEsMl0", "x" * 500])
def test_a_bad_cursor_shows_the_first_page(desk, world, cursor):
    response = desk.get(reverse("console:queue"), {"after": cursor})
    assert response.status_code == 200
    assert set(listed(response)) == {world["new"].pk, world["new_urgent"].pk}


def test_filters_requester_organization_assignee(desk, world, customer, org, specialist, specialist2):
    url = reverse("console:queue_named", args=["active"])

    def ids(**query):
        return set(listed(desk.get(url, query)))

    assert ids(requester="alice") == {world[n].pk for n in ("new", "mine", "awaiting", "assigned_open")}
    assert ids(requester=str(customer.pk)) == ids(requester="alice@acme")
    assert ids(organization="Globex") == {world["theirs"].pk}
    assert ids(organization=str(org.pk)) == {
        world[n].pk for n in ("new", "new_urgent", "mine", "awaiting", "assigned_open")
    }
    assert ids(assignee=str(specialist2.pk)) == {world["theirs"].pk}
    assert ids(assignee="none") == {world["new"].pk, world["new_urgent"].pk}
    assert ids(status="awaiting_response") == {world["awaiting"].pk}
    assert ids(q="Everything down") == {world["new_urgent"].pk}
    assert ids(q=f"#{world['mine'].pk}") == {world["mine"].pk}


def test_bad_filter_values_are_ignored_not_a_500(desk, world):
    response = desk.get(reverse("console:queue"), {"status": "closed", "category": "zzz", "assignee": "x",
                                                   "created_from": "yesterday"})  # fmt: skip
    assert response.status_code == 200
    assert len(listed(response)) == 2


def test_the_filters_answer_htmx_with_the_results_only(desk, world):
    response = desk.get(reverse("console:queue"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    body = response.content.decode()
    assert "<html" not in body and 'id="ticket-row-' in body


def test_rows_show_what_the_specialist_needs(desk, world):
    page = desk.get(reverse("console:queue_named", args=["active"])).content.decode()
    assert "Alice Customer" in page and "Acme" in page  # requester and organization
    assert "Application help" in page  # section
    assert "Tess Specialist" in page  # assignee
    assert "Unassigned" in page
    assert 'class="tag-urgent"' in page
    assert f'value="{world["new"].pk}:{world["new"].version}"' in page  # the bulk checkbox carries the version


QUEUE_PAGE_QUERIES = 9  # session, user, staff, 3 for the category filter, rows, active counts, capped finished count
QUEUE_PAGE_CACHED_QUERIES = 0  # the user and the page come from the cache (+ the session, tests/conftest.py)


def test_the_queue_page_query_count_is_pinned_and_does_not_grow(
    desk, make_ticket, customer, colleague, specialist, django_assert_num_queries, cold_cache, session_queries
):
    for _i in range(3):
        make_ticket(customer)
    desk.get(reverse("console:queue_named", args=["active"]))  # warm the session
    cold_cache()
    with django_assert_num_queries(QUEUE_PAGE_QUERIES):
        desk.get(reverse("console:queue_named", args=["active"]))
    with django_assert_num_queries(QUEUE_PAGE_CACHED_QUERIES + session_queries):
        desk.get(reverse("console:queue_named", args=["active"]))
    for i in range(30):
        ticket = make_ticket(colleague if i % 2 else customer, urgent=i % 5 == 0)
        if i % 3 == 0:
            services.take(specialist, ticket.pk)
    cold_cache()
    with django_assert_num_queries(QUEUE_PAGE_QUERIES):
        response = desk.get(reverse("console:queue_named", args=["active"]))
    assert len(listed(response)) == 25


# session, user, ticket (with whether it has a pending category request, a draft of this user's and
# links, each read only when there is one), 3 sections, messages (with merged duplicates'),
# attachments, events, organization's other tickets, staff, saved replies
WORKSPACE_QUERIES = 12


def test_the_workspace_query_count_does_not_grow_with_the_thread(
    desk, make_ticket, customer, specialist, django_assert_num_queries, cold_cache, session_queries
):
    ticket = make_ticket(customer)
    url = reverse("console:ticket", args=[ticket.pk])
    desk.get(url)
    cold_cache()
    with django_assert_num_queries(WORKSPACE_QUERIES):
        desk.get(url)
    with django_assert_num_queries(session_queries):  # unchanged since: the user and the page from the cache
        desk.get(url)
    for i in range(10):
        services.internal_note(specialist, ticket.pk, f"note {i}")
        services.customer_reply(customer, ticket.pk, f"reply {i}")
    cold_cache()
    with django_assert_num_queries(WORKSPACE_QUERIES):
        desk.get(url)


def test_a_thread_another_specialist_opened_is_not_read_again(
    client_for,
    make_ticket,
    customer,
    specialist,
    specialist2,
    django_assert_num_queries,
    cold_cache,
    session_queries,
    png_upload,
):
    shot = upload_image(customer, png_upload("drops.png"))
    opened = make_ticket(customer, question="Calls drop after ten seconds", uploads=[shot.token])
    unopened = make_ticket(customer, question="The script editor loses my changes")
    services.take(specialist, opened.pk)
    cold_cache()
    client_for(specialist).get(reverse("console:ticket", args=[opened.pk]))
    second = client_for(specialist2)
    second.get(reverse("console:queue"))  # his session, the catalog and the staff read, as on any later page
    # The session, the ticket, its organization's other tickets; on a ticket nobody opened yet, also
    # its thread: messages, their attachments, events.
    with django_assert_num_queries(session_queries + 2):
        html = second.get(reverse("console:ticket", args=[opened.pk])).content.decode()
    assert "Calls drop after ten seconds" in html and "Sam Specialist took the ticket" in html
    assert '<article class="msg msg--customer' in html  # the kept HTML, not escaped again
    # The file shows in the thread and in the side column's Attachments, both from the shared thread.
    assert html.count(reverse("attachment_thumbnail", args=[shot.token])) == 2 and 'id="files-title"' in html
    with django_assert_num_queries(session_queries + 2 + 3):
        html = second.get(reverse("console:ticket", args=[unopened.pk])).content.decode()
    assert "The script editor loses my changes" in html


def test_the_shared_thread_follows_changes_language_and_time_zone(
    client_for, make_ticket, customer, specialist, specialist2
):
    specialist2.language, specialist2.time_zone = "ru", "Asia/Vladivostok"
    specialist2.save()
    ticket = make_ticket(customer)
    services.take(specialist, ticket.pk)
    url = reverse("console:ticket", args=[ticket.pk])
    english = client_for(specialist).get(url).content.decode()
    assert "Sam Specialist took the ticket" in english
    russian = client_for(specialist2).get(url).content.decode()
    assert "Sam Specialist взял(а) обращение" in russian and "took the ticket" not in russian
    assert "+10:00" in russian and "+10:00" not in english  # the times, in each reader's zone
    services.customer_reply(customer, ticket.pk, "It happens on every campaign")
    for client in (client_for(specialist), client_for(specialist2)):
        assert "It happens on every campaign" in client.get(url).content.decode()


# --- Next ticket ------------------------------------------------------------------------------------


def test_next_goes_to_the_following_ticket_in_the_queue(desk, make_ticket, customer):
    now = timezone.now()
    first, second = make_ticket(customer), make_ticket(customer)
    Ticket.objects.filter(pk=first.pk).update(last_customer_message_at=now - datetime.timedelta(hours=2))
    Ticket.objects.filter(pk=second.pk).update(last_customer_message_at=now - datetime.timedelta(hours=1))
    response = desk.get(reverse("console:next", args=[first.pk]), {"queue": "new"})
    assert response["Location"] == reverse("console:ticket", args=[second.pk]) + "?queue=new"


def test_next_after_the_last_goes_back_to_the_queue(desk, make_ticket, customer):
    only = make_ticket(customer)
    response = desk.get(reverse("console:next", args=[only.pk]), {"queue": "mine"})
    assert response["Location"] == reverse("console:queue_named", args=["mine"])


def test_next_still_works_after_taking_the_ticket_out_of_the_queue(desk, act, make_ticket, customer):
    first, second = make_ticket(customer), make_ticket(customer)
    act(desk, first, "take")
    response = desk.get(reverse("console:next", args=[first.pk]), {"queue": "new"})
    assert response["Location"] == reverse("console:ticket", args=[second.pk]) + "?queue=new"
