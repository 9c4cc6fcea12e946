"""Every ticket service against the real database: what it changes, the one event it records, what it
publishes after commit, and that a refused call changes nothing at all."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import translation
from PIL import Image

from supportdesk.tickets import services
from supportdesk.tickets.attachments import discard_upload, pending_uploads, upload_image
from supportdesk.tickets.errors import ActionNotAllowed, DomainError, StaleVersion, ValidationFailed
from supportdesk.tickets.models import (
    Attachment,
    CategoryChangeRequest,
    ChangeRequestState,
    Event,
    LinkKind,
    Message,
    MessageKind,
    Ticket,
)
from supportdesk.tickets.workflow import Status

# --- helpers --------------------------------------------------------------------------------------


def counts() -> dict[str, int]:
    return {
        "tickets": Ticket.objects.count(),
        "messages": Message.objects.count(),
        "events": Event.objects.count(),
        "requests": CategoryChangeRequest.objects.count(),
        "bound_attachments": Attachment.objects.filter(ticket__isnull=False).count(),
    }


def snapshot(ticket: Ticket) -> dict[str, Any]:
    """Everything a service may change on a ticket, read fresh from the database."""
    fresh = Ticket.objects.get(pk=ticket.pk)
    return {f.attname: getattr(fresh, f.attname) for f in Ticket._meta.concrete_fields if f.attname != "id"} | counts()


def bring_to(status: str, ticket: Ticket, specialist: Any) -> Ticket:
    """Walk a fresh Open ticket to ``status`` the way support would."""
    if status != Status.OPEN:
        if status in (Status.IN_PROGRESS, Status.AWAITING_RESPONSE, Status.CLOSED):
            services.take(specialist, ticket.pk)
        if status == Status.AWAITING_RESPONSE:
            services.request_information(specialist, ticket.pk, "Which campaign is it?")
        if status == Status.CLOSED:
            services.close(specialist, ticket.pk, "Restart the campaign from its menu.")
        if status == Status.DECLINED:
            services.decline(specialist, ticket.pk, code="spam", reason="This is an advertisement.")
    ticket.refresh_from_db()
    assert ticket.status == status
    return ticket


def last_event(ticket: Ticket) -> Event:
    return Event.objects.filter(ticket=ticket).order_by("-id").first()  # type: ignore[return-value]


def image_bytes(fmt: str, *, size: tuple[int, int] = (64, 48), mode: str = "RGB", **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "orange" if mode in ("RGB", "RGBA") else 1).save(out, fmt, **save)
    return out.getvalue()


# --- one table of every service: where it starts, who calls it, what it records -------------------


@dataclass
class Case:
    """One service call on a ticket of ``customer``: started from ``start`` by the ``by`` persona."""

    name: str
    start: str
    by: str  # "customer" or "specialist"
    call: Callable[..., Any]
    kind: str
    public: bool = True
    after: str | None = None  # the status afterwards; None: unchanged
    pending_request: bool = False  # set up a customer's category change request first


def _pending(ctx: dict[str, Any]) -> int:
    return ctx["request"].pk


CASES = [
    Case("take", Status.OPEN, "specialist", lambda u, t, c, **v: services.take(u, t, **v), "ticket.taken",
         after=Status.IN_PROGRESS),
    Case("specialist_reply", Status.IN_PROGRESS, "specialist",
         lambda u, t, c, **v: services.specialist_reply(u, t, "Try clearing the cache.", **v), "ticket.response"),
    Case("request_information", Status.IN_PROGRESS, "specialist",
         lambda u, t, c, **v: services.request_information(u, t, "Send a screenshot, please.", **v),
         "ticket.information_requested", after=Status.AWAITING_RESPONSE),
    Case("customer_reply", Status.AWAITING_RESPONSE, "customer",
         lambda u, t, c, **v: services.customer_reply(u, t, "Here it is.", **v), "ticket.message",
         after=Status.IN_PROGRESS),
    Case("close", Status.IN_PROGRESS, "specialist",
         lambda u, t, c, **v: services.close(u, t, "Restart the campaign.", **v), "ticket.closed",
         after=Status.CLOSED),
    Case("decline", Status.OPEN, "specialist",
         lambda u, t, c, **v: services.decline(u, t, code="out_of_scope", reason="We do not host sites.", **v),
         "ticket.declined", after=Status.DECLINED),
    Case("internal_note", Status.IN_PROGRESS, "specialist",
         lambda u, t, c, **v: services.internal_note(u, t, "Same as #12.", **v), "ticket.note", public=False),
    Case("reassign", Status.IN_PROGRESS, "specialist",
         lambda u, t, c, **v: services.reassign(u, t, assignee_id=c["specialist2"].pk, **v), "ticket.reassigned",
         public=False),
    Case("set_urgent", Status.OPEN, "specialist",
         lambda u, t, c, **v: services.set_urgent(u, t, urgent=True, impact="All calls drop", **v),
         "ticket.urgency_changed"),
    Case("customer_change_category_open", Status.OPEN, "customer",
         lambda u, t, c, **v: services.customer_change_category(
             u, t, section=c["sections"]["system-errors"].pk, fields={"occurred_at": "2025-03-01T10:00"}, **v),
         "ticket.category_changed"),
    Case("customer_change_category_in_progress", Status.IN_PROGRESS, "customer",
         lambda u, t, c, **v: services.customer_change_category(
             u, t, section=c["sections"]["system-errors"].pk, comment="It is an error, not a question", **v),
         "ticket.category_change_requested"),
    Case("specialist_change_category", Status.IN_PROGRESS, "specialist",
         lambda u, t, c, **v: services.specialist_change_category(
             u, t, section=c["sections"]["documents-finance"].pk, ticket_type=c["types"]["other"].pk, **v),
         "ticket.category_changed"),
    Case("decide_category_change_accept", Status.IN_PROGRESS, "specialist",
         lambda u, t, c, **v: services.decide_category_change(u, t, _pending(c), accept=True, **v),
         "ticket.category_change_accepted", pending_request=True),
    Case("decide_category_change_refuse", Status.IN_PROGRESS, "specialist",
         lambda u, t, c, **v: services.decide_category_change(u, t, _pending(c), accept=False, **v),
         "ticket.category_change_refused", pending_request=True),
]  # fmt: skip
CASE_IDS = [case.name for case in CASES]


@pytest.fixture
def ctx(customer, specialist, specialist2, sections, types, make_ticket) -> dict[str, Any]:
    return {
        "customer": customer,
        "specialist": specialist,
        "specialist2": specialist2,
        "sections": sections,
        "types": types,
        "make_ticket": make_ticket,
    }


def prepare(case: Case, ctx: dict[str, Any]) -> Ticket:
    ticket = bring_to(case.start, ctx["make_ticket"](ctx["customer"]), ctx["specialist"])
    if case.pending_request:
        ctx["request"] = services.customer_change_category(
            ctx["customer"], ticket.pk, section=ctx["sections"]["system-errors"].pk
        )
        ticket.refresh_from_db()
    return ticket


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_every_service_writes_exactly_one_event_of_its_kind(case: Case, ctx: dict[str, Any]) -> None:
    ticket = prepare(case, ctx)
    before = snapshot(ticket)
    newest = last_event(ticket).pk
    user = ctx[case.by]

    case.call(user, ticket.pk, ctx, version=ticket.version)

    new_events = list(Event.objects.filter(id__gt=newest))
    assert [(e.ticket_id, e.kind, e.public, e.actor_id) for e in new_events] == [
        (ticket.pk, case.kind, case.public, user.pk)
    ]
    ticket.refresh_from_db()
    assert ticket.version == before["version"] + 1
    assert ticket.status == (case.after or case.start)
    if case.after and case.after != case.start:
        assert (new_events[0].data["from"], new_events[0].data["to"]) == (case.start, case.after)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_every_service_publishes_its_event_after_commit(
    case: Case, ctx: dict[str, Any], published: list[Event], django_capture_on_commit_callbacks: Any
) -> None:
    ticket = prepare(case, ctx)
    with django_capture_on_commit_callbacks(execute=True):
        case.call(ctx[case.by], ticket.pk, ctx)
    assert [(e.kind, e.ticket_id, e.public) for e in published] == [(case.kind, ticket.pk, case.public)]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_nothing_is_published_before_commit(case: Case, ctx: dict[str, Any], published: list[Event]) -> None:
    ticket = prepare(case, ctx)
    case.call(ctx[case.by], ticket.pk, ctx)
    assert published == []


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_a_stale_version_is_refused_and_changes_nothing(
    case: Case, ctx: dict[str, Any], published: list[Event], django_capture_on_commit_callbacks: Any
) -> None:
    ticket = prepare(case, ctx)
    before = snapshot(ticket)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(StaleVersion):
        case.call(ctx[case.by], ticket.pk, ctx, version=ticket.version - 1)
    assert snapshot(ticket) == before
    assert published == []


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_a_customer_of_another_organization_gets_404_from_every_service(
    case: Case, ctx: dict[str, Any], other_customer: Any
) -> None:
    ticket = prepare(case, ctx)
    before = snapshot(ticket)
    with pytest.raises(Http404):
        case.call(other_customer, ticket.pk, ctx)
    assert snapshot(ticket) == before


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_a_colleague_in_an_organization_that_does_not_share_gets_404(
    case: Case, ctx: dict[str, Any], colleague: Any
) -> None:
    ticket = prepare(case, ctx)
    with pytest.raises(Http404):
        case.call(colleague, ticket.pk, ctx)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_event_is_written_in_the_changes_transaction(
    case: Case, ctx: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the event cannot be written, the change is undone with it."""
    ticket = prepare(case, ctx)
    before = snapshot(ticket)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("event store down")

    monkeypatch.setattr("supportdesk.tickets.events.Event.objects.create", broken)
    with pytest.raises(RuntimeError):
        case.call(ctx[case.by], ticket.pk, ctx)
    assert snapshot(ticket) == before


@pytest.mark.parametrize("case", [c for c in CASES if c.by == "specialist"], ids=lambda c: c.name)
def test_a_customer_cannot_use_a_support_service(case: Case, ctx: dict[str, Any]) -> None:
    ticket = prepare(case, ctx)
    before = snapshot(ticket)
    with pytest.raises(ActionNotAllowed):
        case.call(ctx["customer"], ticket.pk, ctx)
    assert snapshot(ticket) == before


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_account_manager_sees_but_cannot_change_tickets(case: Case, ctx: dict[str, Any], manager: Any) -> None:
    ticket = prepare(case, ctx)
    before = snapshot(ticket)
    with pytest.raises(DomainError) as refused:
        case.call(manager, ticket.pk, ctx)
    assert not isinstance(refused.value, StaleVersion)
    assert snapshot(ticket) == before


@pytest.mark.parametrize("finished", [Status.CLOSED, Status.DECLINED])
@pytest.mark.parametrize("case", [c for c in CASES if not c.pending_request], ids=lambda c: c.name)
def test_finished_tickets_refuse_every_service(case: Case, finished: str, ctx: dict[str, Any]) -> None:
    ticket = bring_to(finished, ctx["make_ticket"](ctx["customer"]), ctx["specialist"])
    before = snapshot(ticket)
    with pytest.raises(ActionNotAllowed):
        case.call(ctx[case.by], ticket.pk, ctx)
    assert snapshot(ticket) == before


def test_services_refuse_an_unknown_ticket_with_404(specialist: Any) -> None:
    with pytest.raises(Http404):
        services.take(specialist, 10**9)
    with pytest.raises(Http404):
        services.take(specialist, "not-a-number")


# --- create_ticket ---------------------------------------------------------------------------------


def new(sections: dict[str, Any], **kw: Any) -> services.NewTicket:
    kw.setdefault("section", sections["application-help"].pk)
    kw.setdefault("question", "How do I configure a script?")
    return services.NewTicket(**kw)


def test_customer_opens_a_ticket_with_its_first_message_and_event(
    customer, sections, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.create_ticket(customer, new(sections, question="  How do I configure a script?\n\nDetails"))
    assert ticket.status == Status.OPEN
    assert ticket.organization == customer.organization
    assert ticket.version == 1
    assert ticket.question == "How do I configure a script?\n\nDetails"
    message = ticket.messages.get()
    assert (message.kind, message.author, message.body) == (MessageKind.CUSTOMER, customer, ticket.question)
    event = ticket.events.get()
    assert (event.kind, event.public, event.actor, event.data["message_id"]) == (
        "ticket.created",
        True,
        customer,
        message.pk,
    )
    assert [(e.kind, e.ticket_id, e.public) for e in published] == [("ticket.created", ticket.pk, True)]


def test_the_summary_is_the_first_non_empty_line(customer, sections):
    ticket = services.create_ticket(customer, new(sections, question="\n\n   Calls drop after 5 s  \nmore text"))
    assert ticket.summary == "Calls drop after 5 s"


def test_a_long_first_line_is_shortened_at_a_word():
    line = "word " * 60
    summary = services.summarize(line + "\nsecond")
    assert len(summary) <= 120
    assert summary.endswith("…")
    assert summary[:-1].split(" ")[-1] == "word"
    assert services.summarize("short") == "short"


def test_the_same_submission_twice_makes_one_ticket(customer, sections, published, django_capture_on_commit_callbacks):
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.create_ticket(customer, new(sections, submission_key=key))
        second = services.create_ticket(customer, new(sections, submission_key=key, question="Changed my mind"))
    assert first.pk == second.pk
    assert Ticket.objects.filter(submission_key=key).count() == 1
    assert Message.objects.filter(ticket=first).count() == 1
    assert [e.kind for e in published] == ["ticket.created"]


def test_the_same_submission_with_its_screenshot_twice_makes_one_ticket(customer, sections, png_upload):
    key, upload = uuid.uuid4(), upload_image(customer, png_upload())
    first = services.create_ticket(customer, new(sections, submission_key=key, uploads=[upload.token]))
    # The second send carries the same token, which the first one took: still the same ticket, no error.
    second = services.create_ticket(customer, new(sections, submission_key=key, uploads=[upload.token]))
    assert first.pk == second.pk
    assert [a.token for a in first.attachments.all()] == [upload.token]
    assert Ticket.objects.filter(requester=customer, submission_key=key).count() == 1


def test_the_same_submission_key_of_two_customers_makes_two_tickets(customer, colleague, sections):
    key = uuid.uuid4()
    first = services.create_ticket(customer, new(sections, submission_key=key))
    second = services.create_ticket(colleague, new(sections, submission_key=key))
    assert first.pk != second.pk


def test_browser_details_are_kept_only_for_system_errors(customer, sections):
    info = {"page": "/campaigns/12", "browser": "Firefox 130", "secret": "dropped", "screen": "x" * 400}
    error = services.create_ticket(
        customer,
        new(
            sections, section=sections["system-errors"].pk, client_info=info, fields={"occurred_at": "2025-03-01 10:00"}
        ),
    )
    assert error.client_info == {"page": "/campaigns/12", "browser": "Firefox 130", "screen": "x" * 300}
    usage = services.create_ticket(customer, new(sections, client_info=info))
    assert usage.client_info == {}


def test_typed_fields_are_stored_normalized(customer, sections, types):
    ticket = services.create_ticket(customer, new(
        sections, section=sections["documents-finance"].pk, ticket_type=types["metrics-tariffing"].pk,
        fields={"campaign": " Spring ", "metrics": "lead", "price_per_action": "0,25", "start_date": "2025-04-01",
                "unasked": "dropped"}))  # fmt: skip
    assert ticket.fields == {"campaign": "Spring", "metrics": "lead", "price_per_action": "0.25",
                             "start_date": "2025-04-01"}  # fmt: skip
    assert ticket.ticket_type == types["metrics-tariffing"]


def test_an_urgent_ticket_keeps_its_impact(customer, sections):
    ticket = services.create_ticket(customer, new(sections, urgent=True, impact="  No calls at all  "))
    assert (ticket.is_urgent, ticket.urgent_impact) == (True, "No calls at all")
    assert ticket.events.get().data["urgent"] is True


def test_nul_characters_are_dropped_rather_than_breaking_the_database(customer, sections, types):
    ticket = services.create_ticket(customer, new(
        sections, section=sections["documents-finance"].pk, ticket_type=types["metrics-tariffing"].pk,
        question="Bill\x00 us", fields={"campaign": "Spr\x00ing", "metrics": "lead", "price_per_action": "1",
                                        "start_date": "2025-04-01"}))  # fmt: skip
    error = services.create_ticket(customer, new(
        sections, section=sections["system-errors"].pk, fields={"occurred_at": "2025-03-01 10:00"},
        client_info={"page": "/x\x00y"}))  # fmt: skip
    ticket.refresh_from_db()
    error.refresh_from_db()
    assert (ticket.question, ticket.fields["campaign"], error.client_info["page"]) == ("Bill us", "Spring", "/xy")


def _bad_inputs(sections: dict[str, Any], types: dict[str, Any], other_section: Any) -> dict[str, dict[str, Any]]:
    finance, tariffing = sections["documents-finance"].pk, types["metrics-tariffing"].pk
    good = {"campaign": "Spring", "metrics": "lead", "price_per_action": "0.25", "start_date": "2025-04-01"}
    return {
        "empty question": {"question": ""},
        "whitespace question": {"question": " \n\t \r\n "},
        "only NUL question": {"question": "\x00\x00"},
        "too long question": {"question": "x" * 20_001},
        "unknown section": {"section": 10**6},
        "section not a number": {"section": "application-help"},
        "no section": {"section": None},
        "inactive section": {"section": other_section.pk},
        "no type for documents-finance": {"section": finance, "fields": good},
        "a type of another section": {"ticket_type": types["other"].pk},
        "a type of another section for finance": {"section": finance, "ticket_type": 10**6, "fields": good},
        "missing typed fields": {"section": finance, "ticket_type": tariffing, "fields": {}},
        "missing one typed field": {"section": finance, "ticket_type": tariffing, "fields": {**good, "metrics": " "}},
        "bad date": {"section": finance, "ticket_type": tariffing, "fields": {**good, "start_date": "2025-02-30"}},
        "bad datetime": {"section": sections["system-errors"].pk, "fields": {"occurred_at": "yesterday"}},
        "bad decimal": {"section": finance, "ticket_type": tariffing, "fields": {**good, "price_per_action": "cheap"}},
        "negative price": {"section": finance, "ticket_type": tariffing, "fields": {**good, "price_per_action": "-1"}},
        "NaN price": {"section": finance, "ticket_type": tariffing, "fields": {**good, "price_per_action": "NaN"}},
        "infinite price": {"section": finance, "ticket_type": tariffing, "fields": {**good, "price_per_action": "Inf"}},
        "huge price": {"section": finance, "ticket_type": tariffing, "fields": {**good, "price_per_action": "1e13"}},
        "too long typed field": {"section": finance, "ticket_type": tariffing,
                                 "fields": {**good, "campaign": "c" * 2001}},
        "urgent without impact": {"urgent": True, "impact": "  "},
        "urgent with too long impact": {"urgent": True, "impact": "i" * 201},
    }  # fmt: skip


@pytest.fixture
def inactive_section(sections):
    from supportdesk.tickets.models import Section

    return Section.objects.create(code="retired", name_en="Retired", is_active=False)


@pytest.mark.parametrize(
    "bad",
    [
        "empty question", "whitespace question", "only NUL question", "too long question", "unknown section",
        "section not a number", "no section", "inactive section", "no type for documents-finance",
        "a type of another section", "a type of another section for finance", "missing typed fields",
        "missing one typed field", "bad date", "bad datetime", "bad decimal", "negative price", "NaN price",
        "infinite price", "huge price", "too long typed field", "urgent without impact",
        "urgent with too long impact",
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_is_stored(customer, sections, types, inactive_section, png_upload, bad):
    upload = upload_image(customer, png_upload())
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        services.create_ticket(
            customer, new(sections, uploads=[upload.token], **_bad_inputs(sections, types, inactive_section)[bad])
        )
    assert refused.value.errors
    assert all(messages and all(str(m) for m in messages) for messages in refused.value.errors.values())
    assert counts() == before
    upload.refresh_from_db()
    assert upload.ticket_id is None


def test_every_bad_input_case_is_tested(sections, types, inactive_section):
    params = next(m for m in test_bad_input_is_refused_and_nothing_is_stored.pytestmark if m.name == "parametrize")
    assert set(params.args[1]) == set(_bad_inputs(sections, types, inactive_section))


def test_too_many_uploads_are_refused_and_nothing_is_stored(customer, sections, png_upload, settings):
    tokens = [upload_image(customer, png_upload()).token for _ in range(settings.ATTACHMENT_MAX_COUNT + 1)]
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        services.create_ticket(customer, new(sections, uploads=tokens))
    assert "attachments" in refused.value.errors
    assert counts() == before


def test_the_most_uploads_allowed_are_attached_once_each(customer, sections, png_upload, settings):
    tokens = [upload_image(customer, png_upload(f"{i}.png")).token for i in range(settings.ATTACHMENT_MAX_COUNT)]
    ticket = services.create_ticket(customer, new(sections, uploads=tokens + tokens[:1]))
    message = ticket.messages.get()
    assert {a.token for a in message.attachments.all()} == set(tokens)
    assert all(a.ticket_id == ticket.pk for a in message.attachments.all())


def test_another_users_upload_token_is_refused_and_nothing_is_stored(customer, colleague, sections, png_upload):
    theirs = upload_image(colleague, png_upload())
    before = counts()
    with pytest.raises(ValidationFailed):
        services.create_ticket(customer, new(sections, uploads=[theirs.token]))
    assert counts() == before
    theirs.refresh_from_db()
    assert theirs.ticket_id is None


def test_an_upload_already_sent_cannot_be_sent_again(customer, sections, png_upload):
    upload = upload_image(customer, png_upload())
    services.create_ticket(customer, new(sections, uploads=[upload.token]))
    before = counts()
    with pytest.raises(ValidationFailed):
        services.create_ticket(customer, new(sections, uploads=[upload.token]))
    assert counts() == before


def test_a_new_ticket_and_its_event_are_stored_together_or_not_at_all(customer, sections, png_upload, monkeypatch):
    upload = upload_image(customer, png_upload())
    before = counts()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("event store down")

    monkeypatch.setattr("supportdesk.tickets.events.Event.objects.create", broken)
    with pytest.raises(RuntimeError):
        services.create_ticket(customer, new(sections, uploads=[upload.token], submission_key=uuid.uuid4()))
    assert counts() == before
    upload.refresh_from_db()
    assert upload.ticket_id is None


@pytest.mark.parametrize("who", ["specialist", "admin_user", "manager"])
def test_only_customers_open_tickets(request, sections, who):
    before = counts()
    with pytest.raises(DomainError):
        services.create_ticket(request.getfixturevalue(who), new(sections))
    assert counts() == before


# --- follow-ups and the urgent reminder ------------------------------------------------------------


@pytest.mark.parametrize("finished", [Status.CLOSED, Status.DECLINED])
def test_a_follow_up_links_to_a_finished_ticket(customer, specialist, sections, make_ticket, finished):
    original = bring_to(finished, make_ticket(customer), specialist)
    follow_up = make_ticket(customer, linked_to=original.pk, link_kind=LinkKind.FOLLOW_UP)
    assert (follow_up.linked_to_id, follow_up.link_kind) == (original.pk, LinkKind.FOLLOW_UP)
    assert follow_up.events.get().data["linked_to"] == original.pk


@pytest.mark.parametrize("active", [Status.OPEN, Status.IN_PROGRESS, Status.AWAITING_RESPONSE])
def test_a_follow_up_of_an_active_ticket_is_refused(customer, specialist, make_ticket, active):
    original = bring_to(active, make_ticket(customer), specialist)
    before = counts()
    with pytest.raises(DomainError):
        make_ticket(customer, linked_to=original.pk, link_kind=LinkKind.FOLLOW_UP)
    assert counts() == before


def test_an_open_unanswered_ticket_can_be_chased_with_an_urgent_one(customer, make_ticket):
    original = make_ticket(customer)
    assert services.can_escalate_unanswered(original)
    reminder = make_ticket(customer, urgent=True, linked_to=original.pk, link_kind=LinkKind.UNANSWERED)
    assert (reminder.linked_to_id, reminder.link_kind, reminder.is_urgent) == (original.pk, "unanswered", True)


def test_an_answered_open_ticket_cannot_be_chased(customer, specialist, make_ticket):
    original = make_ticket(customer)
    services.specialist_reply(specialist, original.pk, "We are looking into it.")
    original.refresh_from_db()
    assert original.status == Status.OPEN
    assert not services.can_escalate_unanswered(original)
    before = counts()
    with pytest.raises(DomainError):
        make_ticket(customer, urgent=True, linked_to=original.pk, link_kind=LinkKind.UNANSWERED)
    assert counts() == before


@pytest.mark.parametrize("status", [Status.IN_PROGRESS, Status.AWAITING_RESPONSE, Status.CLOSED, Status.DECLINED])
def test_only_open_tickets_can_be_chased(customer, specialist, make_ticket, status):
    original = bring_to(status, make_ticket(customer), specialist)
    with pytest.raises(DomainError):
        make_ticket(customer, linked_to=original.pk, link_kind=LinkKind.UNANSWERED)


def test_an_unknown_link_kind_is_refused(customer, specialist, make_ticket):
    original = bring_to(Status.CLOSED, make_ticket(customer), specialist)
    with pytest.raises(DomainError):
        make_ticket(customer, linked_to=original.pk, link_kind="duplicate")


@pytest.mark.parametrize("kind", [LinkKind.FOLLOW_UP, LinkKind.UNANSWERED])
def test_linking_to_someone_elses_ticket_is_a_404(customer, other_customer, specialist, make_ticket, kind):
    theirs = make_ticket(other_customer)
    if kind == LinkKind.FOLLOW_UP:
        bring_to(Status.CLOSED, theirs, specialist)
    before = counts()
    with pytest.raises(Http404):
        make_ticket(customer, linked_to=theirs.pk, link_kind=kind)
    assert counts() == before


# --- the conversation -----------------------------------------------------------------------------


def test_specialist_takes_an_open_ticket(customer, specialist, make_ticket):
    ticket = services.take(specialist, make_ticket(customer).pk)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (Status.IN_PROGRESS, specialist)
    assert last_event(ticket).data["assignee"] == specialist.pk


def test_a_taken_ticket_cannot_be_taken_again(customer, specialist, specialist2, make_ticket):
    ticket = bring_to(Status.IN_PROGRESS, make_ticket(customer), specialist)
    before = snapshot(ticket)
    with pytest.raises(ActionNotAllowed):
        services.take(specialist2, ticket.pk)
    assert snapshot(ticket) == before


def test_admin_works_tickets_like_a_specialist(customer, admin_user, make_ticket):
    ticket = make_ticket(customer)
    services.take(admin_user, ticket.pk)
    services.close(admin_user, ticket.pk, "Done.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (Status.CLOSED, admin_user)


def test_a_support_reply_to_an_unassigned_ticket_assigns_it_and_marks_the_response(customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    message = services.specialist_reply(specialist, ticket.pk, "  We are on it.  ")
    ticket.refresh_from_db()
    assert (message.kind, message.body, message.is_public) == (MessageKind.RESPONSE, "We are on it.", True)
    assert ticket.status == Status.OPEN
    assert ticket.assignee == specialist
    assert ticket.last_response_at == message.created_at


def test_request_information_waits_for_the_customer(customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    message = services.request_information(specialist, ticket.pk, "Which browser?")
    ticket.refresh_from_db()
    assert ticket.status == Status.AWAITING_RESPONSE
    assert message.kind == MessageKind.RESPONSE
    with pytest.raises(ActionNotAllowed):
        services.request_information(specialist, ticket.pk, "And which version?")


def test_the_customers_answer_hands_the_ticket_back_to_support(customer, specialist, make_ticket, png_upload):
    ticket = bring_to(Status.AWAITING_RESPONSE, make_ticket(customer), specialist)
    upload = upload_image(customer, png_upload())
    message = services.customer_reply(customer, ticket.pk, "Firefox 130", uploads=[upload.token])
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.last_customer_message_at == message.created_at
    assert list(message.attachments.values_list("token", flat=True)) == [upload.token]
    assert last_event(ticket).data == {"message_id": message.pk, "from": "awaiting_response", "to": "in_progress"}


def test_a_customer_reply_to_an_open_ticket_only_adds_to_the_thread(customer, make_ticket):
    ticket = make_ticket(customer)
    services.customer_reply(customer, ticket.pk, "One more detail.")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert "from" not in last_event(ticket).data


def test_an_empty_reply_is_refused_and_nothing_is_stored(customer, specialist, make_ticket):
    ticket = bring_to(Status.AWAITING_RESPONSE, make_ticket(customer), specialist)
    before = snapshot(ticket)
    for call in (
        lambda: services.customer_reply(customer, ticket.pk, "   "),
        lambda: services.specialist_reply(specialist, ticket.pk, ""),
        lambda: services.internal_note(specialist, ticket.pk, "\n"),
        lambda: services.request_information(specialist, ticket.pk, " "),
        lambda: services.close(specialist, ticket.pk, ""),
    ):
        with pytest.raises(ValidationFailed):
            call()
    assert snapshot(ticket) == before


def test_a_refused_reply_does_not_take_the_uploads(customer, specialist, make_ticket, png_upload):
    ticket = bring_to(Status.CLOSED, make_ticket(customer), specialist)
    upload = upload_image(customer, png_upload())
    with pytest.raises(ActionNotAllowed):
        services.customer_reply(customer, ticket.pk, "Thanks!", uploads=[upload.token])
    upload.refresh_from_db()
    assert upload.ticket_id is None


def test_customer_cannot_reply_to_closed_ticket(customer, specialist, make_ticket):
    ticket = bring_to(Status.CLOSED, make_ticket(customer), specialist)
    with translation.override("en"), pytest.raises(ActionNotAllowed) as refused:
        services.customer_reply(customer, ticket.pk, "But wait")
    assert "finished" in str(refused.value.message)


def test_closing_flags_the_solution(customer, specialist, make_ticket):
    ticket = bring_to(Status.IN_PROGRESS, make_ticket(customer), specialist)
    solution = services.close(specialist, ticket.pk, "Update the script to version 2.")
    ticket.refresh_from_db()
    assert solution.is_solution and solution.kind == MessageKind.RESPONSE
    assert ticket.status == Status.CLOSED
    assert ticket.finished_at is not None
    assert ticket.last_response_at == solution.created_at


def test_decline_needs_a_code_and_a_reason(customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    before = snapshot(ticket)
    with pytest.raises(ValidationFailed) as refused:
        services.decline(specialist, ticket.pk, code="", reason=" ")
    assert set(refused.value.errors) == {"code", "reason"}
    with pytest.raises(ValidationFailed) as refused:
        services.decline(specialist, ticket.pk, code="because", reason="Not ours.")
    assert set(refused.value.errors) == {"code"}
    with pytest.raises(ValidationFailed) as refused:
        services.decline(specialist, ticket.pk, code="spam", reason="")
    assert set(refused.value.errors) == {"reason"}
    assert snapshot(ticket) == before


def test_decline_shows_the_reason_to_the_customer(customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    services.decline(specialist, ticket.pk, code="duplicate", reason="  Same as #4.  ")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.decline_code, ticket.decline_reason) == (Status.DECLINED, "duplicate", "Same as #4.")
    assert ticket.finished_at is not None
    event = last_event(ticket)
    assert (event.public, event.data["reason"], event.data["code"]) == (True, "Same as #4.", "duplicate")


def test_an_internal_note_is_not_public_and_is_not_a_response(customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    note = services.internal_note(specialist, ticket.pk, "Customer is on the old tariff.")
    ticket.refresh_from_db()
    assert (note.kind, note.is_public) == (MessageKind.NOTE, False)
    assert ticket.last_response_at is None
    assert ticket.assignee is None
    assert last_event(ticket).public is False


def test_reassign_to_another_specialist(customer, specialist, specialist2, make_ticket):
    ticket = bring_to(Status.IN_PROGRESS, make_ticket(customer), specialist)
    services.reassign(specialist, ticket.pk, assignee_id=specialist2.pk)
    ticket.refresh_from_db()
    assert ticket.assignee == specialist2
    assert last_event(ticket).data["previous"] == specialist.pk


def test_reassign_to_the_current_assignee_changes_nothing(customer, specialist, make_ticket):
    ticket = bring_to(Status.IN_PROGRESS, make_ticket(customer), specialist)
    before = snapshot(ticket)
    services.reassign(specialist, ticket.pk, assignee_id=specialist.pk)
    assert snapshot(ticket) == before


@pytest.mark.parametrize("assignee", ["nobody", "not-a-number", "customer", "manager", "inactive"])
def test_reassign_only_to_an_active_specialist(request, customer, specialist, make_ticket, assignee):
    ticket = bring_to(Status.IN_PROGRESS, make_ticket(customer), specialist)
    if assignee == "nobody":
        assignee_id: object = 10**6
    elif assignee == "not-a-number":
        assignee_id = "sam"
    elif assignee == "inactive":
        assignee_id = request.getfixturevalue("specialist2").pk
        type(customer).objects.filter(pk=assignee_id).update(is_active=False)
    else:
        assignee_id = request.getfixturevalue(assignee).pk
    before = snapshot(ticket)
    with pytest.raises(ValidationFailed):
        services.reassign(specialist, ticket.pk, assignee_id=assignee_id)
    assert snapshot(ticket) == before


def test_set_urgent_needs_the_impact_and_can_be_cleared(customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    before = snapshot(ticket)
    with pytest.raises(ValidationFailed):
        services.set_urgent(specialist, ticket.pk, urgent=True, impact="")
    assert snapshot(ticket) == before
    services.set_urgent(specialist, ticket.pk, urgent=True, impact="All calls drop")
    ticket.refresh_from_db()
    assert (ticket.is_urgent, ticket.urgent_impact) == (True, "All calls drop")
    services.set_urgent(specialist, ticket.pk, urgent=False)
    ticket.refresh_from_db()
    assert (ticket.is_urgent, ticket.urgent_impact) == (False, "")
    assert last_event(ticket).data == {"urgent": False, "impact": ""}
    before = snapshot(ticket)
    services.set_urgent(specialist, ticket.pk, urgent=False)
    assert snapshot(ticket) == before


def test_auto_close_closes_only_tickets_awaiting_the_customer(
    customer, specialist, make_ticket, published, django_capture_on_commit_callbacks
):
    waiting = bring_to(Status.AWAITING_RESPONSE, make_ticket(customer), specialist)
    working = bring_to(Status.IN_PROGRESS, make_ticket(customer), specialist)
    before = snapshot(working)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.auto_close(waiting.pk) is True
        assert services.auto_close(working.pk) is False
        assert services.auto_close(10**6) is False
    waiting.refresh_from_db()
    assert waiting.status == Status.CLOSED
    event = last_event(waiting)
    assert (event.kind, event.actor, event.public) == ("ticket.auto_closed", None, True)
    assert snapshot(working) == before | {"events": before["events"] + 1}  # the one of ``waiting``
    assert working.events.count() == 2  # created, taken
    assert [(e.kind, e.ticket_id) for e in published] == [("ticket.auto_closed", waiting.pk)]


# --- category changes ------------------------------------------------------------------------------


def test_customer_changes_the_category_of_an_open_ticket(customer, sections, make_ticket):
    ticket = make_ticket(customer)
    assert (
        services.customer_change_category(
            customer, ticket.pk, section=sections["system-errors"].pk, fields={"occurred_at": "2025-03-01 10:00"}
        )
        is None
    )
    ticket.refresh_from_db()
    assert ticket.section == sections["system-errors"]
    assert ticket.fields == {"occurred_at": "2025-03-01T10:00:00+00:00"}
    event = last_event(ticket)
    assert event.kind == "ticket.category_changed"
    assert event.data["before"]["section"] == sections["application-help"].pk
    assert event.data["after"]["section"] == sections["system-errors"].pk


def test_an_open_category_change_checks_the_new_categorys_fields(customer, sections, types, make_ticket):
    ticket = make_ticket(customer)
    before = snapshot(ticket)
    with pytest.raises(ValidationFailed):
        services.customer_change_category(customer, ticket.pk, section=sections["system-errors"].pk)
    with pytest.raises(ValidationFailed):
        services.customer_change_category(customer, ticket.pk, section=sections["documents-finance"].pk)
    with pytest.raises(ValidationFailed):
        services.customer_change_category(customer, ticket.pk, section=sections["application-help"].pk)
    assert snapshot(ticket) == before


def test_during_processing_the_customer_asks_and_a_second_request_is_refused(
    customer, specialist, sections, types, make_ticket
):
    ticket = bring_to(Status.IN_PROGRESS, make_ticket(customer), specialist)
    request = services.customer_change_category(
        customer, ticket.pk, section=sections["system-errors"].pk, comment="It \x00is an error"
    )
    assert request is not None
    assert (request.state, request.to_section, request.comment) == (
        ChangeRequestState.PENDING,
        sections["system-errors"],
        "It is an error",
    )
    ticket.refresh_from_db()
    assert ticket.section == sections["application-help"]
    before = snapshot(ticket)
    with pytest.raises(DomainError):
        services.customer_change_category(
            customer, ticket.pk, section=sections["documents-finance"].pk, ticket_type=types["other"].pk
        )
    assert snapshot(ticket) == before


def test_specialist_accepts_a_category_change(customer, specialist, sections, make_ticket):
    ticket = bring_to(Status.AWAITING_RESPONSE, make_ticket(customer), specialist)
    request = services.customer_change_category(customer, ticket.pk, section=sections["system-errors"].pk)
    decided = services.decide_category_change(specialist, ticket.pk, request.pk, accept=True)
    ticket.refresh_from_db()
    assert decided.state == ChangeRequestState.ACCEPTED and decided.decided_by == specialist
    assert ticket.section == sections["system-errors"]
    assert ticket.status == Status.AWAITING_RESPONSE
    assert [e.kind for e in ticket.events.order_by("id")][-2:] == [
        "ticket.category_change_requested",
        "ticket.category_change_accepted",
    ]
    with pytest.raises(DomainError):
        services.decide_category_change(specialist, ticket.pk, request.pk, accept=False)


def test_specialist_refuses_a_category_change(customer, specialist, sections, make_ticket):
    ticket = bring_to(Status.IN_PROGRESS, make_ticket(customer), specialist)
    request = services.customer_change_category(customer, ticket.pk, section=sections["system-errors"].pk)
    services.decide_category_change(specialist, ticket.pk, request.pk, accept=False)
    ticket.refresh_from_db()
    request.refresh_from_db()
    assert request.state == ChangeRequestState.REFUSED
    assert ticket.section == sections["application-help"]
    assert last_event(ticket).kind == "ticket.category_change_refused"
    # Answered: the customer may ask again.
    assert services.customer_change_category(customer, ticket.pk, section=sections["system-errors"].pk)


@pytest.mark.parametrize("request_id", ["abc", 10**6])
def test_deciding_an_unknown_request_is_refused(customer, specialist, make_ticket, request_id):
    ticket = bring_to(Status.IN_PROGRESS, make_ticket(customer), specialist)
    before = snapshot(ticket)
    with pytest.raises(DomainError):
        services.decide_category_change(specialist, ticket.pk, request_id, accept=True)
    assert snapshot(ticket) == before


def test_a_request_of_another_ticket_cannot_be_decided_through_this_one(customer, specialist, sections, make_ticket):
    asked = bring_to(Status.IN_PROGRESS, make_ticket(customer), specialist)
    other = bring_to(Status.IN_PROGRESS, make_ticket(customer), specialist)
    request = services.customer_change_category(customer, asked.pk, section=sections["system-errors"].pk)
    with pytest.raises(DomainError):
        services.decide_category_change(specialist, other.pk, request.pk, accept=True)
    request.refresh_from_db()
    assert request.state == ChangeRequestState.PENDING


def test_specialist_changes_the_category_directly_with_a_visible_note(
    customer, specialist, sections, types, make_ticket
):
    ticket = bring_to(Status.IN_PROGRESS, make_ticket(customer, section="system-errors"), specialist)
    services.specialist_change_category(
        specialist, ticket.pk, section=sections["documents-finance"].pk, ticket_type=types["other"].pk
    )
    ticket.refresh_from_db()
    assert (ticket.section, ticket.ticket_type, ticket.fields) == (sections["documents-finance"], types["other"], {})
    event = last_event(ticket)
    assert (event.kind, event.public) == ("ticket.category_changed", True)
    before = snapshot(ticket)
    services.specialist_change_category(
        specialist, ticket.pk, section=sections["documents-finance"].pk, ticket_type=types["other"].pk
    )
    assert snapshot(ticket) == before


def test_a_direct_change_answers_the_pending_request(customer, specialist, sections, make_ticket):
    ticket = bring_to(Status.IN_PROGRESS, make_ticket(customer), specialist)
    request = services.customer_change_category(customer, ticket.pk, section=sections["system-errors"].pk)
    ticket.refresh_from_db()
    version = ticket.version
    services.specialist_change_category(specialist, ticket.pk, section=sections["system-errors"].pk)
    ticket.refresh_from_db()
    request.refresh_from_db()
    assert request.state == ChangeRequestState.REFUSED
    assert ticket.version == version + 1
    kinds = [(e.kind, e.data.get("superseded")) for e in ticket.events.order_by("id")][-2:]
    assert kinds == [("ticket.category_changed", None), ("ticket.category_change_refused", True)]


@pytest.mark.parametrize("finished", [Status.CLOSED, Status.DECLINED])
def test_the_category_of_a_finished_ticket_cannot_change(customer, specialist, sections, make_ticket, finished):
    ticket = bring_to(finished, make_ticket(customer), specialist)
    before = snapshot(ticket)
    for call in (
        lambda: services.customer_change_category(customer, ticket.pk, section=sections["system-errors"].pk),
        lambda: services.specialist_change_category(specialist, ticket.pk, section=sections["system-errors"].pk),
    ):
        with translation.override("en"), pytest.raises(ActionNotAllowed) as refused:
            call()
        assert "Open a new ticket" in str(refused.value.message)
    assert snapshot(ticket) == before


def test_a_pending_request_cannot_be_decided_once_the_ticket_is_finished(customer, specialist, sections, make_ticket):
    ticket = bring_to(Status.IN_PROGRESS, make_ticket(customer), specialist)
    request = services.customer_change_category(customer, ticket.pk, section=sections["system-errors"].pk)
    services.close(specialist, ticket.pk, "Solved anyway.")
    ticket.refresh_from_db()
    before = snapshot(ticket)
    with translation.override("en"), pytest.raises(ActionNotAllowed) as refused:
        services.decide_category_change(specialist, ticket.pk, request.pk, accept=True)
    assert "Open a new ticket" in str(refused.value.message)
    assert snapshot(ticket) == before


# --- attachments -----------------------------------------------------------------------------------


def stored_files(settings: Any) -> list[str]:
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("fmt", "save", "content_type"),
    [
        ("PNG", {}, "image/png"),
        ("JPEG", {"quality": 90}, "image/jpeg"),
        ("GIF", {}, "image/png"),
        ("WEBP", {}, "image/png"),
    ],
)
def test_upload_accepts_raster_images_and_reencodes_them(customer, settings, fmt, save, content_type):
    data = image_bytes(fmt, **save)
    attachment = upload_image(customer, SimpleUploadedFile(f"shot.{fmt.lower()}", data))
    attachment.refresh_from_db()
    assert (attachment.content_type, attachment.width, attachment.height) == (content_type, 64, 48)
    assert attachment.original_name == f"shot.{fmt.lower()}"
    assert attachment.uploader == customer and attachment.ticket is None
    with attachment.file.open("rb") as fh:
        stored = fh.read()
    assert attachment.size == len(stored)
    assert Image.open(io.BytesIO(stored)).format == content_type.split("/")[1].upper()
    assert len(stored_files(settings)) == 2  # the image and its thumbnail


def test_a_large_image_gets_a_small_thumbnail(customer):
    attachment = upload_image(customer, SimpleUploadedFile("big.png", image_bytes("PNG", size=(1600, 1000))))
    with attachment.thumbnail.open("rb") as fh:
        thumb = Image.open(io.BytesIO(fh.read()))
    assert thumb.width <= 480 and thumb.height <= 320
    assert (attachment.width, attachment.height) == (1600, 1000)


def test_a_jpegs_location_and_comment_are_dropped(customer):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 4.0)})
    exif[0x8825] = gps
    data = image_bytes("JPEG", exif=exif.tobytes(), comment=b"secret-comment")
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the upload does carry a location

    attachment = upload_image(customer, SimpleUploadedFile("photo.jpg", data))
    with attachment.file.open("rb") as fh:
        stored = fh.read()
    image = Image.open(io.BytesIO(stored))
    assert 0x8825 not in image.getexif()
    assert not image.getexif().get_ifd(0x8825)
    assert "comment" not in image.info
    assert b"secret-comment" not in stored and b"PhoneMaker" not in stored


def test_a_pngs_text_chunks_and_trailing_payload_are_dropped(customer):
    from PIL import PngImagePlugin

    meta = PngImagePlugin.PngInfo()
    meta.add_text("Comment", "secret-text")
    data = image_bytes("PNG", pnginfo=meta) + b"<script>alert(1)</script>"
    attachment = upload_image(customer, SimpleUploadedFile("shot.png", data))
    with attachment.file.open("rb") as fh:
        stored = fh.read()
    assert b"secret-text" not in stored and b"<script>" not in stored


def _forged_png_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb's header)."""
    import struct
    import zlib

    data = bytearray(image_bytes("PNG", size=(1, 1)))
    ihdr = 8  # after the signature: length (4), b"IHDR" (4), data (13), crc (4)
    data[ihdr + 8 : ihdr + 16] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr + 4 : ihdr + 21])) & 0xFFFFFFFF
    data[ihdr + 21 : ihdr + 25] = struct.pack(">I", crc)
    return bytes(data)


def _truncated_png() -> bytes:
    import os

    out = io.BytesIO()
    Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3)).save(out, "PNG")
    return out.getvalue()[: len(out.getvalue()) // 2]


REFUSED_UPLOADS = {
    "svg": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    "svg named png": ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
    "html": ("page.html", b"<!doctype html><html><body><script>alert(1)</script></body></html>"),
    "text renamed png": ("notes.png", b"just some text, not an image\n" * 20),
    "empty file": ("empty.png", b""),
    "truncated png": ("cut.png", _truncated_png()),
    "declared huge dimensions": ("bomb.png", _forged_png_size(100_000, 100_000)),
    "over the pixel limit": ("wide.png", image_bytes("PNG", size=(8000, 6000), mode="1")),
    "pdf": ("doc.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
    "bmp": ("shot.bmp", image_bytes("BMP")),
    "tiff": ("shot.tiff", image_bytes("TIFF")),
}


@pytest.mark.parametrize("kind", list(REFUSED_UPLOADS))
def test_upload_refuses_what_is_not_an_allowed_raster_image(customer, settings, kind):
    name, data = REFUSED_UPLOADS[kind]
    with pytest.raises(ValidationFailed) as refused:
        upload_image(customer, SimpleUploadedFile(name, data))
    assert refused.value.errors["attachments"]
    assert Attachment.objects.count() == 0
    assert stored_files(settings) == []


def test_upload_refuses_a_file_over_10_mb(customer, settings):
    assert settings.ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024
    data = image_bytes("PNG") + b"\0" * settings.ATTACHMENT_MAX_BYTES
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        upload_image(customer, SimpleUploadedFile("huge.png", data))
    assert "10 MB" in str(refused.value.message)
    assert Attachment.objects.count() == 0
    assert stored_files(settings) == []


def test_upload_refuses_a_file_that_lies_about_its_size(customer, settings):
    data = image_bytes("PNG") + b"\0" * settings.ATTACHMENT_MAX_BYTES
    upload = SimpleUploadedFile("liar.png", data)
    upload.size = 100
    with pytest.raises(ValidationFailed):
        upload_image(customer, upload)
    assert Attachment.objects.count() == 0


def test_upload_needs_a_signed_in_user(db, png_upload):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(DomainError):
        upload_image(AnonymousUser(), png_upload())
    assert Attachment.objects.count() == 0


def test_an_uploads_name_is_cleaned(customer, png_upload):
    attachment = upload_image(customer, png_upload('"pass\x00wd<b>\u202e.png'))
    assert attachment.original_name == "passwdb.png"
    assert attachment.file.name.startswith("attachments/") and ".." not in attachment.file.name


def test_discarding_an_upload_removes_only_ones_own_unsent_upload(customer, colleague, png_upload, make_ticket):
    mine = upload_image(customer, png_upload())
    discard_upload(colleague, mine.token)
    assert Attachment.objects.filter(pk=mine.pk).exists()
    discard_upload(customer, mine.token)
    assert not Attachment.objects.filter(pk=mine.pk).exists()
    sent = upload_image(customer, png_upload())
    make_ticket(customer, uploads=[sent.token])
    discard_upload(customer, sent.token)
    assert Attachment.objects.filter(pk=sent.pk).exists()


def test_pending_uploads_ignores_blanks_and_duplicates(customer, png_upload):
    first, second = upload_image(customer, png_upload()), upload_image(customer, png_upload())
    found = pending_uploads(customer, [second.token, "", first.token, second.token])
    assert [a.pk for a in found] == [second.pk, first.pk]
    assert pending_uploads(customer, []) == []


@pytest.mark.parametrize("finish", ["close", "decline"])
def test_finishing_a_ticket_closes_its_pending_category_request(customer, specialist, make_ticket, sections, finish):
    from supportdesk.tickets.models import CategoryChangeRequest

    ticket = make_ticket(customer)
    services.take(specialist, ticket.pk)
    services.customer_change_category(
        customer, ticket.pk, section=sections["system-errors"].pk, fields={"occurred_at": "2026-11-01T10:00"}
    )
    if finish == "close":
        services.close(specialist, ticket.pk, "Solved.")
    else:
        services.decline(specialist, ticket.pk, code="other", reason="Not for us.")
    request = CategoryChangeRequest.objects.get(ticket=ticket)
    assert request.state == "refused"
    event = ticket.events.get(kind="ticket.category_change_refused")
    assert event.data["reason"] == "ticket_finished" and event.public


def test_typed_field_line_breaks_are_stored_the_same_from_every_browser(customer, make_ticket):
    ticket = make_ticket(
        customer,
        section="documents-finance",
        ticket_type="metrics-tariffing",
        fields={
            "campaign": "Spring",
            "metrics": "lead\r\ntransfer",
            "price_per_action": "1",
            "start_date": "2026-12-01",
        },
    )
    assert ticket.fields["metrics"] == "lead\ntransfer"
