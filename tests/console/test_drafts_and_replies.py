"""Drafts of the reply box kept on the server, and saved replies with placeholders."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportdesk.console.models import Draft, SavedReply
from supportdesk.console.services import expand


@pytest.fixture
def ticket(make_ticket, customer):
    return make_ticket(customer)


# --- Drafts -----------------------------------------------------------------------------------------


def test_a_draft_is_kept_and_comes_back_on_another_device(desk, ticket, specialist, client_for):
    url = reverse("console:draft", args=[ticket.pk])
    assert desk.post(url, {"mode": "note", "body": "Half-written note"}).json()["saved"] is True
    other_device = client_for(specialist)
    page = other_device.get(reverse("console:ticket", args=[ticket.pk])).content.decode()
    assert "Half-written note" in page
    assert 'value="note" checked' in page
    assert "Draft from" in page


def test_a_draft_is_per_specialist(desk, ticket, specialist2, client_for):
    desk.post(reverse("console:draft", args=[ticket.pk]), {"mode": "reply", "body": "Mine only"})
    page = client_for(specialist2).get(reverse("console:ticket", args=[ticket.pk])).content.decode()
    assert "Mine only" not in page


def test_saving_it_again_replaces_it_and_an_empty_box_removes_it(desk, ticket, specialist):
    url = reverse("console:draft", args=[ticket.pk])
    desk.post(url, {"mode": "reply", "body": "one"})
    desk.post(url, {"mode": "close", "body": "two"})
    draft = Draft.objects.get(user=specialist, ticket=ticket)
    assert (draft.mode, draft.body) == ("close", "two")
    assert desk.post(url, {"mode": "reply", "body": "  "}).json()["saved"] is False
    assert not Draft.objects.exists()


def test_an_unknown_mode_falls_back_to_reply(desk, ticket, specialist):
    desk.post(reverse("console:draft", args=[ticket.pk]), {"mode": "<script>", "body": "x"})
    assert Draft.objects.get(user=specialist).mode == "reply"


def test_no_draft_for_a_ticket_that_does_not_exist_or_for_a_customer(desk, ticket, client_for, customer):
    assert desk.post(reverse("console:draft", args=[999999]), {"body": "x"}).status_code == 404
    assert client_for(customer).post(reverse("console:draft", args=[ticket.pk]), {"body": "x"}).status_code == 404
    assert not Draft.objects.exists()


def test_a_draft_needs_the_csrf_token(ticket, specialist):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(specialist, backend="supportdesk.accounts.backends.ModelBackend")
    assert client.post(reverse("console:draft", args=[ticket.pk]), {"body": "x"}).status_code == 403


# --- Saved replies ------------------------------------------------------------------------------------


def test_placeholders_are_filled_for_the_ticket(ticket, specialist):
    text = expand("Hello {customer_name}, about {ticket_number} at {organization} — {specialist_name}. {unknown}",
                  ticket=ticket, user=specialist)  # fmt: skip
    assert text == f"Hello Alice Customer, about #{ticket.pk} at Acme — Sam Specialist. {{unknown}}"


def test_the_workspace_offers_shared_and_own_replies_filled_in(desk, ticket, specialist, specialist2):
    SavedReply.objects.create(owner=None, title="Greeting", body="Hello {customer_name}!")
    SavedReply.objects.create(owner=specialist, title="My sign-off", body="Regards, {specialist_name}")
    SavedReply.objects.create(owner=specialist2, title="Not mine", body="Tess only")
    page = desk.get(reverse("console:ticket", args=[ticket.pk])).content.decode()
    assert 'data-body="Hello Alice Customer!"' in page
    assert 'data-body="Regards, Sam Specialist"' in page
    assert "Not mine" not in page


def test_the_workspace_shows_a_saved_reply_as_it_is_now(desk, ticket, specialist):
    # The workspace keeps the saved replies in the process; a change anywhere shows at the next view.
    url = reverse("console:ticket", args=[ticket.pk])
    assert "My sign-off" not in desk.get(url).content.decode()
    desk.post(reverse("console:reply_new"), {"title": "My sign-off", "body": "Regards"})
    assert 'data-body="Regards"' in desk.get(url).content.decode()
    reply = SavedReply.objects.get()
    desk.post(reverse("console:reply_edit", args=[reply.pk]), {"title": "My sign-off", "body": "Best"})
    page = desk.get(url).content.decode()
    assert 'data-body="Best"' in page and 'data-body="Regards"' not in page
    desk.post(reverse("console:reply_delete", args=[reply.pk]))
    assert "My sign-off" not in desk.get(url).content.decode()


def test_a_draft_shows_on_a_workspace_seen_before_it(desk, ticket, specialist, client_for):
    # The page was computed with no draft (and no query for one); the draft saved since is shown.
    url = reverse("console:ticket", args=[ticket.pk])
    assert "Draft from" not in desk.get(url).content.decode()
    desk.post(reverse("console:draft", args=[ticket.pk]), {"mode": "reply", "body": "Typed elsewhere"})
    assert "Typed elsewhere" in client_for(specialist).get(url).content.decode()


def test_insert_without_script_adds_the_reply_to_the_box(desk, ticket, specialist):
    reply = SavedReply.objects.create(owner=None, title="Greeting", body="Hello {customer_name}!")
    Draft.objects.create(user=specialist, ticket=ticket, mode="reply", body="Draft first")
    page = desk.get(reverse("console:ticket", args=[ticket.pk]), {"saved": reply.pk}).content.decode()
    assert "Draft first\n\nHello Alice Customer!</textarea>" in page


def test_a_specialist_keeps_his_own_replies(desk, specialist):
    response = desk.post(reverse("console:reply_new"), {"title": "Cache", "body": "Clear the cache, {customer_name}."})
    assert response.status_code == 302
    reply = SavedReply.objects.get()
    assert reply.owner == specialist
    assert (
        desk.post(reverse("console:reply_edit", args=[reply.pk]), {"title": "Cache 2", "body": "x"}).status_code == 302
    )
    reply.refresh_from_db()
    assert reply.title == "Cache 2"
    assert desk.post(reverse("console:reply_delete", args=[reply.pk])).status_code == 302
    assert not SavedReply.objects.exists()


def test_a_specialist_cannot_share_or_touch_others_replies(desk, specialist2):
    desk.post(reverse("console:reply_new"), {"title": "Mine", "body": "x", "shared": "on"})
    assert SavedReply.objects.get().owner is not None  # only admins share
    theirs = SavedReply.objects.create(owner=specialist2, title="Theirs", body="x")
    shared = SavedReply.objects.create(owner=None, title="Shared", body="x")
    for reply in (theirs, shared):
        assert desk.get(reverse("console:reply_edit", args=[reply.pk])).status_code == 404
        assert desk.post(reverse("console:reply_delete", args=[reply.pk])).status_code == 404
    assert SavedReply.objects.count() == 3


def test_an_admin_shares_a_reply_with_everyone(client_for, admin_user, specialist):
    admin = client_for(admin_user)
    assert (
        admin.post(reverse("console:reply_new"), {"title": "Welcome", "body": "Hi", "shared": "on"}).status_code == 302
    )
    assert SavedReply.objects.get().owner is None
    assert "Welcome" in client_for(specialist).get(reverse("console:replies")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "x"}, "Give the reply a title."),
        ({"title": "T", "body": " "}, "Write the text of the reply."),
    ],
)
def test_a_saved_reply_needs_a_title_and_a_text(desk, data, message):
    response = desk.post(reverse("console:reply_new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SavedReply.objects.exists()


def test_the_replies_page_lists_them(desk, specialist):
    SavedReply.objects.create(owner=specialist, title="Mine", body="x")
    SavedReply.objects.create(owner=None, title="Shared one", body="y")
    page = desk.get(reverse("console:replies")).content.decode()
    assert "Mine" in page and "Shared one" in page
