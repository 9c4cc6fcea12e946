"""Every action of the workspace through its page: what it changes, what it records, and what it refuses.

A refused action answers with the workspace and a clear error (400 for bad input, 409 for an action the
status does not allow or a stale page), and stores nothing: no ticket change, no event, no message.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportdesk.console.models import Draft
from supportdesk.tickets import services
from supportdesk.tickets.models import (
    CategoryChangeRequest,
    ChangeRequestState,
    DeclineCode,
    Event,
    Message,
    MessageKind,
    Ticket,
    TicketLink,
)
from supportdesk.tickets.workflow import Status


@pytest.fixture
def ticket(make_ticket, customer):
    return make_ticket(customer)


@pytest.fixture
def taken(ticket, specialist):
    services.take(specialist, ticket.pk)
    ticket.refresh_from_db()
    return ticket


def snapshot(ticket):
    """Everything an action may change, to prove a refused one changed nothing."""
    fresh = Ticket.objects.get(pk=ticket.pk)
    return (
        fresh.version, fresh.status, fresh.assignee_id, fresh.is_urgent, fresh.section_id, fresh.ticket_type_id,
        fresh.decline_code, fresh.merged_into_id,
        Event.objects.filter(ticket=ticket).count(), Message.objects.filter(ticket=ticket).count(),
        TicketLink.objects.count(),
    )  # fmt: skip


def refused(response, ticket, before, *, status=400, text=None):
    assert response.status_code == status, response.content.decode()[:2000]
    assert snapshot(ticket) == before
    body = response.content.decode()
    assert "Nothing was changed" in body or "The ticket changed" in body
    if text:
        assert text in body, body[:4000]


# --- Take, reassign, urgent ------------------------------------------------------------------------


def test_take_puts_an_open_ticket_in_progress_assigned_to_me(desk, act, ticket, specialist):
    response = act(desk, ticket, "take", queue="new")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:ticket", args=[ticket.pk]) + "?queue=new"
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee_id) == (Status.IN_PROGRESS, specialist.pk)
    assert Event.objects.filter(ticket=ticket, kind="ticket.taken", actor=specialist).exists()


def test_take_is_not_offered_once_taken_and_refused_if_posted(desk, act, taken):
    page = desk.get(reverse("console:ticket", args=[taken.pk])).content.decode()
    assert reverse("console:take", args=[taken.pk]) not in page
    before = snapshot(taken)
    refused(act(desk, taken, "take"), taken, before, status=409, text="is not possible while the ticket is in progress")


def test_reassign_to_another_specialist(desk, act, taken, specialist2):
    assert act(desk, taken, "reassign", assignee=specialist2.pk).status_code == 302
    taken.refresh_from_db()
    assert taken.assignee_id == specialist2.pk
    event = Event.objects.get(ticket=taken, kind="ticket.reassigned")
    assert event.public is False


@pytest.mark.parametrize("assignee", ["", "abc", "999999", "customer", "manager"])
def test_reassign_to_an_unknown_specialist_is_refused(desk, act, taken, assignee, request):
    if assignee in ("customer", "manager"):
        assignee = request.getfixturevalue(assignee).pk
    before = snapshot(taken)
    refused(act(desk, taken, "reassign", assignee=assignee), taken, before, text="Choose a specialist.")


def test_set_and_clear_urgent(desk, act, taken):
    assert act(desk, taken, "urgent", urgent="1", impact="Calls fail for the whole team").status_code == 302
    taken.refresh_from_db()
    assert taken.is_urgent and taken.urgent_impact == "Calls fail for the whole team"
    assert act(desk, taken, "urgent", urgent="").status_code == 302
    taken.refresh_from_db()
    assert not taken.is_urgent


def test_urgent_needs_its_impact(desk, act, taken):
    before = snapshot(taken)
    refused(
        act(desk, taken, "urgent", urgent="1", impact="  "), taken, before, text="Say in one line why it is urgent."
    )


# --- The reply box -----------------------------------------------------------------------------------


def test_public_reply_is_a_response_the_customer_sees(desk, act, taken, client_for, customer):
    response = act(desk, taken, "compose", mode="reply", body="Please open Campaigns → New.")
    assert response.status_code == 302 and response["Location"].endswith("#latest")
    message = Message.objects.get(ticket=taken, kind=MessageKind.RESPONSE)
    assert message.body == "Please open Campaigns → New."
    assert (
        "Please open Campaigns → New."
        in client_for(customer).get(reverse("portal:detail", args=[taken.pk])).content.decode()
    )


def test_internal_note_is_shown_as_a_note_to_support(desk, act, taken):
    assert act(desk, taken, "compose", mode="note", body="Looks like the known export bug.").status_code == 302
    note = Message.objects.get(ticket=taken, kind=MessageKind.NOTE)
    page = desk.get(reverse("console:ticket", args=[taken.pk])).content.decode()
    assert f'class="msg msg--note" id="message-{note.pk}"' in page
    assert "Internal note · never shown to the customer" in page


def test_request_information_moves_to_awaiting_response(desk, act, ticket):
    assert act(desk, ticket, "compose", mode="request", body="Which campaign is it?").status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.AWAITING_RESPONSE
    assert Message.objects.filter(ticket=ticket, kind=MessageKind.RESPONSE, body="Which campaign is it?").exists()


def test_request_information_is_not_offered_while_awaiting_and_refused_if_posted(desk, act, ticket, specialist):
    services.request_information(specialist, ticket.pk, "Which campaign?")
    page = desk.get(reverse("console:ticket", args=[ticket.pk])).content.decode()
    assert 'value="request"' not in page
    before = snapshot(ticket)
    refused(act(desk, ticket, "compose", mode="request", body="And?"), ticket, before, status=409)


def test_close_marks_the_message_as_the_solution(desk, act, taken):
    assert act(desk, taken, "compose", mode="close", body="Clear the browser cache.").status_code == 302
    taken.refresh_from_db()
    assert taken.status == Status.CLOSED
    assert Message.objects.get(ticket=taken, is_solution=True).body == "Clear the browser cache."


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("close", "Write the solution recommendation."),
        ("reply", "Write your reply."),
        ("note", "Write the note."),
        ("request", "Say what information you need."),
    ],
)
def test_empty_text_is_refused_with_what_is_missing(desk, act, ticket, mode, message):
    before = snapshot(ticket)
    refused(act(desk, ticket, "compose", mode=mode, body="   \n "), ticket, before, text=message)


def test_nothing_can_be_written_on_a_finished_ticket(desk, act, taken, specialist):
    services.close(specialist, taken.pk, "Done.")
    page = desk.get(reverse("console:ticket", args=[taken.pk])).content.decode()
    assert reverse("console:compose", args=[taken.pk]) not in page
    assert "This ticket is finished" in page
    before = snapshot(taken)
    for mode in ("reply", "note", "request", "close"):
        refused(act(desk, taken, "compose", mode=mode, body="More"), taken, before, status=409,
                text="This ticket is finished and can no longer be changed.")  # fmt: skip


def test_sending_clears_the_draft(desk, act, taken, specialist):
    Draft.objects.create(user=specialist, ticket=taken, mode="reply", body="Half a thought")
    assert act(desk, taken, "compose", mode="reply", body="A whole thought").status_code == 302
    assert not Draft.objects.filter(user=specialist, ticket=taken).exists()


def test_a_refused_send_keeps_the_text_and_the_draft(desk, act, taken, specialist):
    Draft.objects.create(user=specialist, ticket=taken, mode="reply", body="Keep me")
    response = act(desk, taken, "compose", mode="reply", body="Keep me", version=taken.version + 5)
    assert response.status_code == 409
    assert "Keep me" in response.content.decode()
    assert Draft.objects.filter(user=specialist, ticket=taken).exists()


# --- Decline -----------------------------------------------------------------------------------------


def test_decline_with_a_code_and_a_reason_the_customer_sees(desk, act, taken, client_for, customer):
    response = act(desk, taken, "decline", code=DeclineCode.OUT_OF_SCOPE, reason="We do not support that PBX.")
    assert response.status_code == 302
    taken.refresh_from_db()
    assert (taken.status, taken.decline_code, taken.decline_reason) == (
        Status.DECLINED, DeclineCode.OUT_OF_SCOPE, "We do not support that PBX.",
    )  # fmt: skip
    portal = client_for(customer).get(reverse("portal:detail", args=[taken.pk])).content.decode()
    assert "We do not support that PBX." in portal


@pytest.mark.parametrize(
    ("code", "reason", "message"),
    [
        ("", "A reason", "Choose why the ticket is declined."),
        ("made-up", "A reason", "Select a valid choice."),
        ("spam", "", "Explain the reason to the customer."),
        ("", "", "Choose why the ticket is declined."),
    ],
)
def test_decline_needs_a_code_and_a_text(desk, act, taken, code, reason, message):
    before = snapshot(taken)
    refused(act(desk, taken, "decline", code=code, reason=reason), taken, before, text=message)


# --- Category ------------------------------------------------------------------------------------------


def test_change_the_category_directly_with_a_note_for_the_customer(desk, act, taken, sections, client_for, customer):
    target = sections["system-errors"]
    assert act(desk, taken, "category", category=f"s{target.pk}").status_code == 302
    taken.refresh_from_db()
    assert taken.section_id == target.pk
    portal = client_for(customer).get(reverse("portal:detail", args=[taken.pk])).content.decode()
    assert "changed the category from" in portal


def test_change_to_a_type_of_a_section_with_types(desk, act, taken, types):
    kind = types["other"]
    assert act(desk, taken, "category", category=f"t{kind.pk}").status_code == 302
    taken.refresh_from_db()
    assert (taken.section_id, taken.ticket_type_id) == (kind.section_id, kind.pk)


@pytest.mark.parametrize("category", ["", "s999999", "x1", "t"])
def test_an_unknown_category_is_refused(desk, act, taken, category):
    before = snapshot(taken)
    refused(act(desk, taken, "category", category=category), taken, before)


@pytest.fixture
def pending(taken, customer, sections):
    services.customer_change_category(
        customer, taken.pk, section=sections["system-errors"].pk, comment="It is an error"
    )
    taken.refresh_from_db()
    return CategoryChangeRequest.objects.get(ticket=taken)


def test_a_pending_request_is_shown_with_accept_and_refuse(desk, taken, pending):
    page = desk.get(reverse("console:ticket", args=[taken.pk])).content.decode()
    assert "asks to move this ticket to" in page and "It is an error" in page
    assert reverse("console:decide_category", args=[taken.pk]) in page


def test_a_decided_request_leaves_the_workspace(desk, act, taken, pending):
    # The ticket's load tells whether one is pending: once decided, nothing of it is shown.
    assert act(desk, taken, "decide_category", request=pending.pk, accept="0").status_code == 302
    page = desk.get(reverse("console:ticket", args=[taken.pk])).content.decode()
    assert "asks to move this ticket to" not in page


@pytest.mark.parametrize(("accept", "state"), [("1", ChangeRequestState.ACCEPTED), ("0", ChangeRequestState.REFUSED)])
def test_accept_or_refuse_the_customers_request(desk, act, taken, pending, sections, accept, state):
    assert act(desk, taken, "decide_category", request=pending.pk, accept=accept).status_code == 302
    pending.refresh_from_db()
    taken.refresh_from_db()
    assert pending.state == state
    expected = sections["system-errors"].pk if accept == "1" else sections["application-help"].pk
    assert taken.section_id == expected


def test_deciding_an_answered_request_again_is_refused(desk, act, taken, pending):
    assert act(desk, taken, "decide_category", request=pending.pk, accept="1").status_code == 302
    before = snapshot(taken)
    refused(act(desk, taken, "decide_category", request=pending.pk, accept="0"), taken, before,
            text="already been answered")  # fmt: skip


# --- Links ---------------------------------------------------------------------------------------------


def test_link_and_unlink_a_related_ticket(desk, act, taken, make_ticket, colleague):
    other = make_ticket(colleague, question="Same export problem here")
    assert act(desk, taken, "link", other=f"#{other.pk}").status_code == 302
    assert TicketLink.objects.filter(ticket_id=min(taken.pk, other.pk), related_id=max(taken.pk, other.pk)).exists()
    # Both sides show the link (its unlink form names the other end).
    for here, there in ((taken, other), (other, taken)):
        page = desk.get(reverse("console:ticket", args=[here.pk])).content.decode()
        assert f'name="other" value="{there.pk}"' in page
    assert act(desk, taken, "unlink", other=other.pk).status_code == 302
    assert not TicketLink.objects.exists()
    for here, there in ((taken, other), (other, taken)):
        page = desk.get(reverse("console:ticket", args=[here.pk])).content.decode()
        assert f'name="other" value="{there.pk}"' not in page


@pytest.mark.parametrize("other", ["", "abc", "#999999", "self"])
def test_linking_to_nothing_or_itself_is_refused(desk, act, taken, other):
    other = str(taken.pk) if other == "self" else other
    before = snapshot(taken)
    refused(act(desk, taken, "link", other=other), taken, before)


def test_linking_twice_is_refused(desk, act, taken, make_ticket, colleague):
    other = make_ticket(colleague)
    act(desk, taken, "link", other=other.pk)
    before = snapshot(taken)
    refused(act(desk, taken, "link", other=other.pk), taken, before, text="already linked")


# --- Bad guards --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["", "abc", "-1"])
def test_an_action_without_a_valid_version_is_refused(desk, act, ticket, version):
    before = snapshot(ticket)
    refused(act(desk, ticket, "take", guard={"version": version, "seen": ""}), ticket, before,
            text="The page was out of date")  # fmt: skip
