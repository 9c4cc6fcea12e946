"""Cached lists and queues never show what changed since they were cached, nor anyone else's rows.

The customer's list, the desk's queues and their counts, the sections and the staff are kept in the
cache under the stamps of what they show (supportdesk.tickets.freshness); every test here fills the
cache first, changes something the way the product does, and reads again.
"""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supportdesk.tickets import freshness, services
from supportdesk.tickets.models import Section, Ticket
from supportdesk.tickets.workflow import Status

pytestmark = pytest.mark.django_db


def test_a_specialists_action_shows_on_the_customers_cached_list(client_for, customer, specialist, make_ticket):
    ticket = make_ticket(customer, question="Statistics are empty")
    client = client_for(customer)
    assert "Open" in client.get(reverse("portal:tickets")).content.decode()
    services.take(specialist, ticket.pk)
    page = client.get(reverse("portal:tickets")).content.decode()
    assert "In progress" in page


def test_a_colleagues_new_ticket_shows_on_a_sharing_members_cached_list(
    client_for, sharing_customer, sharing_colleague, make_ticket
):
    client = client_for(sharing_customer)
    client.get(reverse("portal:tickets"))
    make_ticket(sharing_colleague, question="Telephony drops every call")
    assert "Telephony drops every call" in client.get(reverse("portal:tickets")).content.decode()


def test_a_cached_list_is_never_served_to_another_viewer(client_for, customer, other_customer, make_ticket):
    make_ticket(customer, question="Acme private question")
    make_ticket(other_customer, question="Globex private question")
    for _ in range(2):  # the second round reads from the cache
        acme = client_for(customer).get(reverse("portal:tickets")).content.decode()
        globex = client_for(other_customer).get(reverse("portal:tickets")).content.decode()
        assert "Acme private question" in acme and "Globex" not in acme
        assert "Globex private question" in globex and "Acme private" not in globex


def test_the_cached_list_follows_the_viewers_language(client_for, customer, make_ticket):
    make_ticket(customer)
    client = client_for(customer)
    assert "Open" in client.get(reverse("portal:tickets")).content.decode()
    customer.language = "ru"
    customer.save()
    assert "Открыто" in client.get(reverse("portal:tickets")).content.decode()


def test_htmx_asks_for_the_rows_and_gets_them_while_the_page_stays_whole(client_for, customer, make_ticket):
    make_ticket(customer, question="Rows only")
    client = client_for(customer)
    for _ in range(2):  # the second round reads from the cache
        rows = client.get(reverse("portal:tickets"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
        page = client.get(reverse("portal:tickets")).content.decode()
        assert "Rows only" in rows.content.decode() and "<html" not in rows.content.decode()
        assert "Rows only" in page and "<html" in page


def test_the_desks_cached_queue_and_counts_follow_new_and_taken_tickets(client_for, customer, specialist, make_ticket):
    desk = client_for(specialist)
    first = make_ticket(customer, question="First question")
    page = desk.get(reverse("console:queue")).content.decode()
    assert "First question" in page
    second = make_ticket(customer, question="Second question")
    page = desk.get(reverse("console:queue")).content.decode()
    assert "Second question" in page
    services.take(specialist, first.pk)
    page = desk.get(reverse("console:queue")).content.decode()
    assert "First question" not in page and "Second question" in page
    mine = desk.get(reverse("console:queue_named", args=["mine"])).content.decode()
    assert "First question" in mine and "Second question" not in mine
    assert Ticket.objects.get(pk=second.pk).status == Status.OPEN


def test_a_cached_queue_carries_each_specialists_own_csrf_token(
    client_for, customer, specialist, specialist2, make_ticket
):
    ticket = make_ticket(customer)
    client_for(specialist).get(reverse("console:queue"))  # fills the cache
    other = Client(enforce_csrf_checks=True)
    other.force_login(specialist2)
    page = other.get(reverse("console:queue")).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert tokens and "\x00" not in page
    response = other.post(
        reverse("console:queue"),
        {"csrfmiddlewaretoken": tokens[-1], "action": "take", "tickets": f"{ticket.pk}:{ticket.version}"},
    )
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).assignee_id == specialist2.pk


def test_a_section_renamed_by_an_admin_shows_at_once(client_for, customer, make_ticket, sections):
    make_ticket(customer, section="system-errors")
    client = client_for(customer)
    client.get(reverse("portal:tickets"))
    section = Section.objects.get(code="system-errors")
    section.name_en = "Outages and errors"
    section.save()
    assert "Outages and errors" in client.get(reverse("portal:tickets")).content.decode()
    assert "Outages and errors" in client.get(reverse("portal:create")).content.decode()


def test_a_new_specialist_appears_in_the_assign_list(client_for, specialist, customer, make_ticket):
    from tests.factories import UserFactory

    desk = client_for(specialist)
    make_ticket(customer)
    desk.get(reverse("console:queue"))
    UserFactory(role="specialist", display_name="Zoe Newcomer")
    assert "Zoe Newcomer" in desk.get(reverse("console:queue")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_stamps_are_replaced_after_the_commit_and_not_by_a_rollback():
    from django.db import transaction

    before = freshness.stamps([freshness.DESK])
    with transaction.atomic():
        freshness.touch(freshness.DESK)
        inside = freshness.stamps([freshness.DESK])
    after = freshness.stamps([freshness.DESK])
    assert len({before, inside, after}) == 3

    with pytest.raises(RuntimeError), transaction.atomic():
        freshness.touch(freshness.CATALOG)
        rolled = freshness.stamps([freshness.CATALOG])
        raise RuntimeError
    # The early replacement is harmless: a rolled-back change only costs a cache miss.
    assert freshness.stamps([freshness.CATALOG]) == rolled


@pytest.mark.django_db(transaction=True)
def test_a_write_that_nothing_reads_before_its_commit_replaces_its_stamps_once_after_it():
    from django.core.cache import cache
    from django.db import transaction

    freshness.stamps([freshness.DESK])
    writes = []
    real_set_many = cache.set_many
    cache.set_many = lambda values, *args, **kwargs: (
        writes.append(dict(values)) or real_set_many(values, *args, **kwargs)
    )
    try:
        before = cache.get("stamp:desk")
        with transaction.atomic():
            freshness.touch(freshness.DESK)
            assert cache.get("stamp:desk") == before  # no reader yet: no round trip inside the transaction
        assert cache.get("stamp:desk") != before
    finally:
        cache.set_many = real_set_many
    assert [list(w) for w in writes] == [["stamp:desk"]]


def test_a_request_reads_each_stamp_once_until_it_touches_one():
    from django.core.cache import cache
    from django.core.signals import request_finished, request_started

    request_started.send(sender=None)
    try:
        first = freshness.stamps([freshness.CATALOG])
        cache.set("stamp:catalog", "changed-elsewhere")  # another process's change, mid-request
        assert freshness.stamps([freshness.CATALOG]) == first  # one moment for the whole request
        freshness.touch(freshness.DESK)  # this request's own change: it reads afresh from now on
        assert freshness.stamps([freshness.CATALOG]) != first
    finally:
        request_finished.send(sender=None)
    cache.set("stamp:catalog", "changed-again")
    assert freshness.stamps([freshness.CATALOG]).endswith(".changed-again")  # outside requests: always read


@pytest.mark.parametrize("cached_reads", [True, False])
def test_only_writes_through_the_services_reach_cached_pages(settings, client_for, customer, make_ticket, cached_reads):
    """Why every change must go through a service (or the admin's watched models): a write behind their
    back is not seen while the page is cached, and is with cached reads off."""
    settings.CACHED_READS = cached_reads
    ticket = make_ticket(customer, question="Before the change")
    client = client_for(customer)
    assert "Before the change" in client.get(reverse("portal:tickets")).content.decode()
    Ticket.objects.filter(pk=ticket.pk).update(summary="Changed behind the services")
    page = client.get(reverse("portal:tickets")).content.decode()
    assert ("Changed behind the services" in page) is not cached_reads


def test_a_cached_page_carries_each_sessions_own_csrf_token(customer, make_ticket):
    make_ticket(customer)
    first = Client(enforce_csrf_checks=True)
    first.force_login(customer)
    first.get(reverse("portal:tickets"))  # fills the cache
    second = Client(enforce_csrf_checks=True)
    second.force_login(customer)
    page = second.get(reverse("portal:tickets")).content.decode()
    assert "\x00" not in page
    header_token = re.search(r'"X-CSRFToken": "([A-Za-z0-9]+)"', page)
    form_tokens = re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', page)
    assert header_token and form_tokens
    # Signing out with the page's own token works: the token belongs to this session's cookie.
    response = second.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": form_tokens[-1]})
    assert response.status_code == 302
    assert second.get(reverse("portal:tickets")).status_code == 302  # signed out


def test_a_flash_message_is_shown_once_and_never_cached(client_for, customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    desk = client_for(specialist)
    desk.get(reverse("console:queue"))  # fills the cache
    response = desk.post(reverse("console:queue"), {"action": "take", "tickets": f"{ticket.pk}:{ticket.version}"})
    assert response.status_code == 302
    page = desk.get(response["Location"]).content.decode()
    assert f"Taken: #{ticket.pk}." in page
    assert f"Taken: #{ticket.pk}." not in desk.get(response["Location"]).content.decode()


def test_a_new_display_name_shows_in_the_header_of_a_cached_page(client_for, customer, make_ticket):
    make_ticket(customer)
    client = client_for(customer)
    client.get(reverse("portal:tickets"))
    customer.display_name = "Alice Renamed"
    customer.save()
    assert "Alice Renamed" in client.get(reverse("portal:tickets")).content.decode()


def test_a_cached_ticket_page_shows_the_next_response_and_stays_private(
    client_for, customer, other_customer, specialist, make_ticket
):
    ticket = make_ticket(customer)
    client = client_for(customer)
    url = reverse("portal:detail", args=[ticket.pk])
    client.get(url)
    services.specialist_reply(specialist, ticket.pk, "Try the statistics filter.")
    assert "Try the statistics filter." in client.get(url).content.decode()
    # Cached for its owner, the page is still a 404 for anyone else.
    assert client_for(other_customer).get(url).status_code == 404
    assert client_for(other_customer).get(url).status_code == 404


def test_the_cached_workspace_follows_drafts_replies_and_the_customer(
    client_for, customer, specialist, specialist2, make_ticket
):
    ticket = make_ticket(customer)
    desk = client_for(specialist)
    url = reverse("console:ticket", args=[ticket.pk])
    desk.get(url)
    assert desk.post(reverse("console:draft", args=[ticket.pk]), {"mode": "reply", "body": "Half a thought"}).json()
    assert "Half a thought" in desk.get(url).content.decode()
    # Another specialist's cached page never shows this one's draft.
    assert "Half a thought" not in client_for(specialist2).get(url).content.decode()

    desk.post(reverse("console:reply_new"), {"title": "Check the numbers", "body": "Hello {customer_name}"})
    assert "Check the numbers" in desk.get(url).content.decode()

    services.customer_reply(customer, ticket.pk, "It happens again at 9:00")
    assert "It happens again at 9:00" in desk.get(url).content.decode()


def test_a_specialists_new_name_shows_on_the_customers_cached_ticket_page(
    client_for, customer, specialist, make_ticket
):
    ticket = make_ticket(customer)
    services.specialist_reply(specialist, ticket.pk, "Here is how.")
    client = client_for(customer)
    url = reverse("portal:detail", args=[ticket.pk])
    client.get(url)
    specialist.display_name = "Sam Renamed"
    specialist.save()
    assert "Sam Renamed" in client.get(url).content.decode()


def test_tickets_get_their_section_and_type_from_the_catalog_kept_in_the_process(
    customer, make_ticket, sections, types, django_assert_num_queries
):
    from supportdesk.tickets.catalog import with_categories

    ticket = make_ticket(customer, section="documents-finance", ticket_type="other")
    retired = sections["documents-finance"]
    retired.is_active = False
    retired.save()  # as the admin does: the catalog's stamp is replaced
    loaded = [Ticket.objects.get(pk=ticket.pk)]
    with_categories(loaded)  # reads the catalog once
    loaded = [Ticket.objects.get(pk=ticket.pk)]
    with django_assert_num_queries(0):
        with_categories(loaded)
        assert (loaded[0].section.pk, loaded[0].ticket_type.pk) == (retired.pk, types["other"].pk)
        assert loaded[0].section.is_active is False  # a retired section still names its tickets
    # A section written behind the signals' back (a bulk load) is read when a ticket names it.
    [extra] = Section.objects.bulk_create([Section(code="telephony", name_en="Telephony", position=9)])
    Ticket.objects.filter(pk=ticket.pk).update(section=extra, ticket_type=None)
    moved = [Ticket.objects.get(pk=ticket.pk)]
    with_categories(moved)
    assert (moved[0].section.name_en, moved[0].ticket_type) == ("Telephony", None)


@pytest.mark.parametrize("cached_reads", [True, False])
def test_every_ticket_page_names_its_section_and_type_with_cached_reads_on_or_off(
    settings, client_for, customer, specialist, make_ticket, cached_reads, cold_cache, django_assert_max_num_queries
):
    """On: section and type come from the catalog kept in the process; off: the pages' queries join them."""
    settings.CACHED_READS = cached_reads
    ticket = make_ticket(customer, section="documents-finance", ticket_type="other")
    pages = [
        client_for(customer).get(reverse("portal:tickets")),
        client_for(customer).get(reverse("portal:detail", args=[ticket.pk])),
        client_for(specialist).get(reverse("console:queue_named", args=["active"])),
        client_for(specialist).get(reverse("console:ticket", args=[ticket.pk])),
    ]
    for response in pages:
        assert response.status_code == 200
        assert "Documents/Finance" in response.content.decode()
    for _ in range(12):  # more rows: no query per row for their section or type
        make_ticket(customer, section="documents-finance", ticket_type="other")
    client = client_for(customer)
    client.get(reverse("portal:tickets"))
    cold_cache()
    # session, user, organization, 3 for the catalog (on) or none (off: joined), the rows
    with django_assert_max_num_queries(7):
        page = client.get(reverse("portal:tickets")).content.decode()
    assert page.count(">Documents/Finance · Other</td>") == 13


def test_a_computed_page_masks_one_csrf_token_for_all_its_forms(settings, customer, make_ticket):
    """Django's Jinja2 backend masks a new token at every use; the page's forms share one, which works."""
    settings.CACHED_READS = False
    ticket = make_ticket(customer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    page = client.get(reverse("portal:detail", args=[ticket.pk])).content.decode()
    form_tokens = re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', page)
    header_tokens = re.findall(r'"X-CSRFToken": "([A-Za-z0-9]+)"', page)
    assert len(form_tokens) > 1 and len(set(form_tokens)) == 1
    assert len(set(header_tokens)) == 1
    response = client.post(
        reverse("portal:reply", args=[ticket.pk]), {"csrfmiddlewaretoken": form_tokens[0], "body": "More detail."}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("portal:reply", args=[ticket.pk]), {"csrfmiddlewaretoken": header_tokens[0], "body": "Even more."}
    )
    assert response.status_code == 302


def test_a_queue_is_kept_until_an_age_it_shows_changes(client_for, customer, specialist, make_ticket):
    """A page that shows "just now" is true for the rest of that minute only: it is computed again
    when the label changes, not kept for the cache's whole time, nor computed at every turn of the
    clock's minute."""
    ticket = make_ticket(customer, question="Ages on the queue")
    almost_a_minute = timezone.now() - datetime.timedelta(seconds=57)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=almost_a_minute, last_customer_message_at=almost_a_minute)
    desk = client_for(specialist)
    assert "just now" in desk.get(reverse("console:queue")).content.decode()
    # The label turns 60 s after the ticket; the page is kept up to a second past that, no longer.
    time.sleep(max(0, (almost_a_minute + datetime.timedelta(seconds=61.2) - timezone.now()).total_seconds()))
    page = desk.get(reverse("console:queue")).content.decode()
    assert "just now" not in page and "1 min" in page


def test_a_value_true_for_less_than_a_second_is_not_kept():
    computed = []

    def compute() -> str:
        computed.append(1)
        return "page"

    for _ in range(2):
        freshness.cached("test", [freshness.DESK], ["one"], compute, ttl=lambda: 0)
    for _ in range(2):
        freshness.cached("test", [freshness.DESK], ["two"], compute, ttl=lambda: 60)
    assert len(computed) == 3  # twice for the one not kept, once for the one kept


def test_with_pages_off_every_page_is_computed_and_the_user_and_catalog_stay_cached(
    settings, client_for, customer, make_ticket, django_assert_num_queries, session_queries
):
    """``CACHED_PAGES`` off (the benchmark's --cold): what a page costs when it misses in production."""
    settings.CACHED_PAGES = False
    ticket = make_ticket(customer)
    client = client_for(customer)
    client.get(reverse("portal:tickets"))  # the user's copy and the catalog are kept
    Ticket.objects.filter(pk=ticket.pk).update(summary="Changed behind the services' back")  # no stamp replaced
    # the session where it is read from the database, and the rows: no user, catalog or organization
    with django_assert_num_queries(session_queries + 1):
        page = client.get(reverse("portal:tickets")).content.decode()
    assert "Changed behind the services&#39; back" in page


def test_an_organization_that_starts_sharing_shows_its_members_tickets_at_once(
    settings, client_for, org, customer, colleague, make_ticket
):
    """The organization is kept in the process under its stamp; an admin's edit replaces the stamp."""
    settings.CACHED_PAGES = False  # what is tested is the organization's copy, not the page's
    make_ticket(colleague, question="Telephony drops every call for the colleague")
    client = client_for(customer)
    assert "for the colleague" not in client.get(reverse("portal:tickets")).content.decode()
    org.shares_tickets = True
    org.save()  # as the admin does
    assert "for the colleague" in client.get(reverse("portal:tickets")).content.decode()
    org.shares_tickets = False
    org.save()
    assert "for the colleague" not in client.get(reverse("portal:tickets")).content.decode()


def test_values_kept_in_the_process_are_bounded(monkeypatch):
    monkeypatch.setattr(freshness, "IN_PROCESS_LIMIT", 3)
    for number in range(5):
        assert freshness.in_process(f"value:{number}", [freshness.CATALOG], lambda n=number: n) == number
    assert sorted(freshness._memory) == ["value:2", "value:3", "value:4"]


def test_queue_counts_are_kept_until_the_desk_changes(
    settings, client_for, customer, specialist, specialist2, make_ticket, django_assert_num_queries
):
    """The counts are kept in the process per specialist under the desk's stamp, apart from the pages."""
    settings.CACHED_PAGES = False
    from supportdesk.tickets.desk_queries import queue_counts

    first = make_ticket(customer)
    assert (queue_counts(specialist)["new"].value, queue_counts(specialist)["mine"].value) == (1, 0)
    with django_assert_num_queries(0):
        queue_counts(specialist)
    make_ticket(customer)
    assert queue_counts(specialist)["new"].value == 2
    services.take(specialist, first.pk)
    mine, theirs = queue_counts(specialist), queue_counts(specialist2)
    assert (mine["new"].value, mine["mine"].value, theirs["mine"].value) == (1, 1, 0)
    page = client_for(specialist).get(reverse("console:queue")).content.decode()
    tabs = re.findall(r'class="tabs__count">(\d+)<', page)
    assert tabs[:2] == ["1", "1"]  # New, Mine
