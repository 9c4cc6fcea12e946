"""Who sees which ticket and attachment: one scoped queryset, and a 404 for everything outside it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from supportdesk.tickets import services
from supportdesk.tickets.attachments import upload_image
from supportdesk.tickets.policies import (
    actor_kind,
    attachment_for,
    can_create_tickets,
    can_see_internal,
    may,
    may_change_category_directly,
    ticket_for,
    visible_events,
    visible_tickets,
)
from supportdesk.tickets.workflow import Action, Actor

NOT_NUMBERS = ["abc", "", " ", None, "1.5", "1e3", "0x1", "1; DROP TABLE", [], {}, object()]


@pytest.fixture
def tickets(make_ticket, customer, colleague, sharing_customer, sharing_colleague, other_customer):
    """One ticket per customer, by requester's first name."""
    return {
        "alice": make_ticket(customer),
        "bob": make_ticket(colleague),
        "carol": make_ticket(sharing_customer),
        "dave": make_ticket(sharing_colleague),
        "eve": make_ticket(other_customer),
    }


def _visible(user, tickets):
    ids = set(visible_tickets(user).values_list("pk", flat=True))
    return {name for name, ticket in tickets.items() if ticket.pk in ids}


# --- visible_tickets / ticket_for -----------------------------------------------------------------


def test_customer_sees_only_his_own_tickets_when_his_organization_does_not_share(customer, tickets):
    assert _visible(customer, tickets) == {"alice"}
    assert ticket_for(customer, tickets["alice"].pk) == tickets["alice"]


def test_customer_gets_404_for_a_colleagues_ticket_when_the_organization_does_not_share(customer, tickets):
    with pytest.raises(Http404):
        ticket_for(customer, tickets["bob"].pk)


def test_customer_in_a_sharing_organization_sees_his_colleagues_tickets(sharing_customer, tickets):
    assert _visible(sharing_customer, tickets) == {"carol", "dave"}
    assert ticket_for(sharing_customer, tickets["dave"].pk) == tickets["dave"]


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave"])
def test_customer_of_another_organization_gets_404_for_every_other_ticket(other_customer, tickets, name):
    assert _visible(other_customer, tickets) == {"eve"}
    with pytest.raises(Http404):
        ticket_for(other_customer, tickets[name].pk)


def test_sharing_customer_gets_404_for_tickets_of_other_organizations(sharing_customer, tickets):
    for name in ("alice", "bob", "eve"):
        with pytest.raises(Http404):
            ticket_for(sharing_customer, tickets[name].pk)


@pytest.mark.parametrize("who", ["specialist", "admin_user"])
def test_support_staff_see_every_ticket(request, tickets, who):
    user = request.getfixturevalue(who)
    assert _visible(user, tickets) == set(tickets)
    for ticket in tickets.values():
        assert ticket_for(user, ticket.pk) == ticket


def test_manager_sees_the_tickets_of_his_organizations_only(manager, tickets):
    assert _visible(manager, tickets) == {"alice", "bob"}
    with pytest.raises(Http404):
        ticket_for(manager, tickets["carol"].pk)


def test_manager_of_no_organization_sees_nothing(tickets):
    from tests.factories import ManagerFactory

    assert _visible(ManagerFactory(), tickets) == set()


def test_anonymous_user_sees_nothing(tickets):
    anonymous = AnonymousUser()
    assert _visible(anonymous, tickets) == set()
    with pytest.raises(Http404):
        ticket_for(anonymous, tickets["alice"].pk)


@pytest.mark.parametrize("who", ["customer", "sharing_customer", "specialist", "admin_user", "manager"])
def test_inactive_users_see_nothing(request, tickets, who):
    user = request.getfixturevalue(who)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert _visible(user, tickets) == set()
    with pytest.raises(Http404):
        ticket_for(user, tickets["alice"].pk)


@pytest.mark.parametrize("pk", NOT_NUMBERS, ids=repr)
def test_a_ticket_number_that_is_not_a_number_is_a_404(specialist, tickets, pk):
    with pytest.raises(Http404):
        ticket_for(specialist, pk)


@pytest.mark.parametrize("pk", [0, -1, 10**6, 2**63, -(2**63) - 1, "99999999999999999999999"])
def test_a_ticket_that_does_not_exist_is_a_404(specialist, tickets, pk):
    with pytest.raises(Http404):
        ticket_for(specialist, pk)


def test_ticket_number_as_text_finds_the_ticket(specialist, tickets):
    assert ticket_for(specialist, str(tickets["alice"].pk)) == tickets["alice"]


def test_ticket_for_narrows_a_given_queryset_and_still_404s_outside_the_users_view(customer, tickets):
    from supportdesk.tickets.models import Ticket

    only_bob = Ticket.objects.filter(pk=tickets["bob"].pk)
    with pytest.raises(Http404):
        ticket_for(customer, tickets["bob"].pk, queryset=only_bob)
    with pytest.raises(Http404):
        ticket_for(customer, tickets["alice"].pk, queryset=only_bob)


# --- roles and actions ----------------------------------------------------------------------------


def test_actor_kind_maps_roles_to_the_lifecycle_actors(customer, specialist, admin_user, manager):
    assert actor_kind(customer) == Actor.CUSTOMER
    assert actor_kind(specialist) == Actor.SPECIALIST
    assert actor_kind(admin_user) == Actor.SPECIALIST
    assert actor_kind(manager) is None


def test_may_follows_the_table_and_the_role(customer, specialist, manager, make_ticket):
    ticket = make_ticket(customer)
    assert may(specialist, Action.TAKE, ticket)
    assert not may(customer, Action.TAKE, ticket)
    assert may(customer, Action.CUSTOMER_REPLY, ticket)
    assert not may(manager, Action.CUSTOMER_REPLY, ticket)
    assert not may(manager, Action.TAKE, ticket)


def test_only_the_customer_of_an_open_ticket_changes_its_category_directly(customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    assert may_change_category_directly(customer, ticket)
    assert not may_change_category_directly(specialist, ticket)
    services.take(specialist, ticket.pk)
    ticket.refresh_from_db()
    assert not may_change_category_directly(customer, ticket)


def test_only_customers_of_an_organization_open_tickets(customer, specialist, admin_user, manager):
    assert can_create_tickets(customer)
    assert not can_create_tickets(specialist)
    assert not can_create_tickets(admin_user)
    assert not can_create_tickets(manager)
    assert not can_create_tickets(AnonymousUser())


def test_internal_events_are_for_support_staff_only(customer, specialist, admin_user, manager, make_ticket):
    ticket = make_ticket(customer)
    services.internal_note(specialist, ticket.pk, "Looks like the March billing bug")
    kinds = {"ticket.created", "ticket.note"}
    assert {e.kind for e in visible_events(specialist, ticket)} == kinds
    assert {e.kind for e in visible_events(admin_user, ticket)} == kinds
    assert {e.kind for e in visible_events(customer, ticket)} == {"ticket.created"}
    assert {e.kind for e in visible_events(manager, ticket)} == {"ticket.created"}
    assert not can_see_internal(AnonymousUser())


# --- attachment_for -------------------------------------------------------------------------------


def test_an_unsent_upload_is_only_for_its_uploader(customer, colleague, specialist, other_customer, png_upload):
    upload = upload_image(customer, png_upload())
    assert attachment_for(customer, upload.token) == upload
    for user in (colleague, specialist, other_customer, AnonymousUser()):
        with pytest.raises(Http404):
            attachment_for(user, upload.token)


def test_a_sent_attachment_is_for_those_who_see_the_ticket(
    customer, colleague, specialist, admin_user, manager, other_customer, sharing_customer, png_upload, make_ticket
):
    upload = upload_image(customer, png_upload())
    make_ticket(customer, uploads=[upload.token])
    for user in (customer, specialist, admin_user, manager):
        assert attachment_for(user, upload.token).pk == upload.pk
    for user in (colleague, other_customer, sharing_customer, AnonymousUser()):
        with pytest.raises(Http404):
            attachment_for(user, upload.token)


def test_a_sent_attachment_in_a_sharing_organization_is_for_colleagues(
    sharing_customer, sharing_colleague, png_upload, make_ticket
):
    upload = upload_image(sharing_customer, png_upload())
    make_ticket(sharing_customer, uploads=[upload.token])
    assert attachment_for(sharing_colleague, upload.token).pk == upload.pk


def test_an_internal_note_attachment_is_never_for_customers(
    customer, specialist, specialist2, admin_user, manager, png_upload, make_ticket
):
    ticket = make_ticket(customer)
    upload = upload_image(specialist, png_upload())
    services.internal_note(specialist, ticket.pk, "Server log attached", uploads=[upload.token])
    for user in (specialist, specialist2, admin_user):
        assert attachment_for(user, upload.token).pk == upload.pk
    for user in (customer, manager, AnonymousUser()):
        with pytest.raises(Http404):
            attachment_for(user, upload.token)


def test_an_unknown_attachment_token_is_a_404(customer):
    with pytest.raises(Http404):
        attachment_for(customer, "no-such-token")
