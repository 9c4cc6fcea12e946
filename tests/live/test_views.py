"""The live app's Django views: presence (support staff only) and the page script's settings and texts."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_presence_tells_a_newcomer_who_is_already_on_the_ticket(client_for, specialist, specialist2, customer,
                                                                make_ticket, bus_messages):  # fmt: skip
    ticket = make_ticket(customer)
    url = f"/live/tickets/{ticket.pk}/presence/"
    first = client_for(specialist).post(url, {"state": "typing"})
    assert first.json() == {"present": []}
    second = client_for(specialist2).post(url, {"state": "viewing"})
    assert second.json() == {"present": [{"user": specialist.pk, "name": "Sam Specialist", "state": "typing",
                                          "ttl": 8}]}  # fmt: skip
    left = client_for(specialist).post(url, {"state": "left"})
    assert left.json()["present"][0]["name"] == "Tess Specialist"
    third = client_for(specialist2).post(url, {"state": "viewing"})
    assert third.json() == {"present": []}  # the one who left is gone at once


@pytest.mark.parametrize("who", ["customer", "manager", "anonymous"])
def test_presence_is_a_404_for_everyone_but_support_staff(who, request, customer, make_ticket, client_for,
                                                          bus_messages):  # fmt: skip
    ticket = make_ticket(customer)
    client = Client() if who == "anonymous" else client_for(request.getfixturevalue(who))
    response = client.post(f"/live/tickets/{ticket.pk}/presence/", {"state": "viewing"})
    assert response.status_code == 404
    assert bus_messages == []


def test_presence_refuses_what_it_does_not_know(client_for, specialist, customer, make_ticket, bus_messages):
    ticket = make_ticket(customer)
    client = client_for(specialist)
    assert client.post(f"/live/tickets/{ticket.pk}/presence/", {"state": "dancing"}).status_code == 400
    assert client.post("/live/tickets/999999/presence/", {"state": "viewing"}).status_code == 404
    assert client.get(f"/live/tickets/{ticket.pk}/presence/").status_code == 405
    assert bus_messages == []


def test_presence_needs_the_csrf_token(specialist, customer, make_ticket):
    ticket = make_ticket(customer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(specialist, backend="supportdesk.accounts.backends.ModelBackend")
    assert client.post(f"/live/tickets/{ticket.pk}/presence/", {"state": "viewing"}).status_code == 403


def test_config_gives_the_script_its_urls_stylesheet_and_words(client, db):
    response = client.get("/live/config.json")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    config = response.json()
    assert config["stream"] == "/live/stream"
    assert config["presence"] == "/live/tickets/0/presence/"
    assert config["css"].endswith(".css")
    assert set(config["strings"]) == {"offline", "online", "stopped", "reload", "updated", "changed", "viewing",
                                      "typing"}  # fmt: skip
    assert config["strings"]["viewing"] == "%(name)s is viewing"


def test_config_speaks_the_users_language(client_for, customer):
    customer.language = "ru"
    customer.save(update_fields=["language"])
    response = client_for(customer).get("/live/config.json")
    assert response["Content-Language"] == "ru"
