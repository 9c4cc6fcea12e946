"""Only specialists and admins see the workspace: for customers, managers and anonymous users, /desk/ is a 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from supportdesk.tickets.models import Event

GET_URLS = [
    ("console:queue", False),
    ("console:queue_named", "mine"),
    ("console:queue_named", "finished"),
    ("console:ticket", True),
    ("console:next", True),
    ("console:replies", False),
    ("console:reply_new", False),
]
POST_ACTIONS = [
    "compose", "draft", "take", "reassign", "urgent", "decline",
    "category", "decide_category", "link", "unlink", "merge",
]  # fmt: skip


def _url(name, arg, ticket):
    if arg is True:
        return reverse(name, args=[ticket.pk])
    if arg:
        return reverse(name, args=[arg])
    return reverse(name)


@pytest.fixture
def ticket(make_ticket, customer):
    return make_ticket(customer)


@pytest.mark.parametrize("who", ["anonymous", "customer", "other_customer", "manager"])
def test_nobody_but_support_sees_any_workspace_page(who, request, client_for, ticket):
    client = Client() if who == "anonymous" else client_for(request.getfixturevalue(who))
    for name, arg in GET_URLS:
        assert client.get(_url(name, arg, ticket)).status_code == 404, name


@pytest.mark.parametrize("who", ["anonymous", "customer", "manager"])
def test_nobody_but_support_can_post_any_action(who, request, client_for, ticket):
    client = Client() if who == "anonymous" else client_for(request.getfixturevalue(who))
    before = Event.objects.count()
    for action in POST_ACTIONS:
        response = client.post(
            reverse(f"console:{action}", args=[ticket.pk]),
            {"version": ticket.version, "body": "x", "mode": "reply", "assignee": "1", "code": "spam", "reason": "x"},
        )
        assert response.status_code == 404, action
    assert client.post(reverse("console:queue"), {"action": "take", "tickets": [f"{ticket.pk}:1"]}).status_code == 404
    assert Event.objects.count() == before


@pytest.mark.parametrize("who", ["specialist", "admin_user"])
def test_specialists_and_admins_open_the_workspace(who, request, client_for, ticket):
    client = client_for(request.getfixturevalue(who))
    for name, arg in GET_URLS[:-1]:
        response = client.get(_url(name, arg, ticket))
        assert response.status_code in (200, 302), name


@pytest.mark.parametrize("who", ["specialist", "admin_user"])
def test_support_lands_on_the_workspace(who, request, client_for):
    response = client_for(request.getfixturevalue(who)).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:queue")


def test_an_unknown_ticket_or_queue_is_a_404(desk):
    assert desk.get(reverse("console:ticket", args=[999999])).status_code == 404
    assert desk.get(reverse("console:queue_named", args=["nonsense"])).status_code == 404
    assert desk.post(reverse("console:take", args=[999999]), {"version": 1}).status_code == 404
