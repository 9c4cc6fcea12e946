"""Sign-in, throttling, password reset, profile, language and time zone."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse

from supportdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_sign_in_by_email_lands_the_customer_on_help(client, customer):
    response = client.post(reverse("accounts:login"), {"username": "ALICE@acme.test", "password": "demo"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == reverse("portal:tickets")


def test_wrong_password_is_a_clear_form_error(client, customer):
    response = client.post(reverse("accounts:login"), {"username": "alice@acme.test", "password": "nope"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_repeated_failed_sign_ins_are_throttled(client, customer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "alice@acme.test", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "alice@acme.test", "password": "demo"})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_end_to_end(client, customer):
    response = client.post(reverse("accounts:password_reset"), {"email": "alice@acme.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/password/reset/[^\s]+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "a-Long-new-pass-42", "new_password2": "a-Long-new-pass-42"}
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password("a-Long-new-pass-42")


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@nowhere.test"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_profile_saves_name_language_and_time_zone(client_for, customer):
    client = client_for(customer)
    assert client.get(reverse("accounts:profile")).status_code == 200
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "  Alice   Smith ", "language": "ru", "time_zone": "Europe/Moscow"},
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.display_name, customer.language, customer.time_zone) == ("Alice Smith", "ru", "Europe/Moscow")


@pytest.mark.parametrize(
    "data",
    [
        {"display_name": "   ", "language": "", "time_zone": "UTC"},
        {"display_name": "A", "language": "xx", "time_zone": "UTC"},
        {"display_name": "A", "language": "", "time_zone": "Mars/Olympus"},
    ],
)
def test_bad_profile_input_is_a_form_error(client_for, customer, data):
    response = client_for(customer).post(reverse("accounts:profile"), data)
    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.display_name == "Alice Customer"


def test_password_change_keeps_the_session(client_for, customer):
    client = client_for(customer)
    response = client.post(
        reverse("accounts:change_password"),
        {"old_password": "demo", "new_password1": "a-Long-new-pass-42", "new_password2": "a-Long-new-pass-42"},
    )
    assert response.status_code == 302
    assert client.get(reverse("portal:tickets")).status_code == 200


def test_wrong_old_password_is_refused(client_for, customer):
    response = client_for(customer).post(
        reverse("accounts:change_password"),
        {"old_password": "nope", "new_password1": "a-Long-new-pass-42", "new_password2": "a-Long-new-pass-42"},
    )
    assert response.status_code == 400
    customer.refresh_from_db()
    assert customer.check_password("demo")


def test_dates_show_in_the_users_time_zone(client_for, customer, make_ticket):
    ticket = make_ticket(customer)
    moment = datetime.datetime(2026, 3, 1, 21, 30, tzinfo=datetime.UTC)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=moment)
    customer.time_zone = "Asia/Tokyo"
    customer.save()
    html = client_for(customer).get(reverse("portal:tickets")).content.decode()
    local = moment.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert f"{local.day} Mar 2026, {local.hour:02d}:{local.minute:02d}" in html


def test_saved_language_wins_over_the_browser(client_for, customer):
    customer.language = "ru"
    customer.save()
    response = client_for(customer).get(reverse("portal:tickets"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "ru"


def test_browser_language_is_used_without_a_saved_one(client_for, customer):
    response = client_for(customer).get(reverse("portal:tickets"), HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")
    assert response["Content-Language"] == "ru"


def test_admin_site_works_for_admins_only(client_for, admin_user, specialist, customer):
    assert client_for(admin_user).get("/admin/").status_code == 200
    assert client_for(admin_user).get("/admin/tickets/section/").status_code == 200
    assert client_for(specialist).get("/admin/").status_code == 302
    assert client_for(customer).get("/admin/").status_code == 302


def test_admin_forms_render_their_widgets(client_for, admin_user, customer, sections):
    """Form widgets go through Jinja2 (TemplatesSetting); the admin's own widget templates still come from
    Django's engine."""
    admin = client_for(admin_user)
    section = next(iter(sections.values()))
    for path in (
        f"/admin/accounts/user/{customer.pk}/change/",  # the read-only password hash widget
        "/admin/accounts/user/add/",
        f"/admin/tickets/section/{section.pk}/change/",  # inlines, related-object wrappers
        "/admin/tickets/section/add/",
    ):
        response = admin.get(path)
        assert response.status_code == 200, path
        assert b"<select" in response.content or b"<input" in response.content
