"""Manager consultation: the customer's feedback form reaches his organization's manager and nobody else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from django.urls import reverse

from supportdesk.consult import services
from supportdesk.consult.models import Consultation, ConsultationMessage, ConsultationStatus
from supportdesk.consult.policies import SUPPORT_LEADS_GROUP, staff_consultations
from supportdesk.tickets.errors import ActionNotAllowed, DomainError, ValidationFailed
from tests.factories import ManagerFactory

pytestmark = pytest.mark.django_db

FORM = {
    "topic": "Tariff for the autumn campaign",
    "message": "Can we discuss a discount for 100k minutes?",
    "contact_method": "phone",
    "contact_details": "+7 900 000-00-00",
    "preferred_time": "Weekdays 10:00-13:00",
}


def _ask(user, **overrides):
    return services.request_consultation(user, services.ConsultationRequest(**{**FORM, **overrides}))


@pytest.fixture
def other_manager(other_org):
    user = ManagerFactory(email="olga@support.test", display_name="Olga Other Manager")
    other_org.account_manager = user
    other_org.save(update_fields=["account_manager"])
    return user


def test_the_form_reaches_the_organizations_manager(client_for, customer, manager):
    response = client_for(customer).post(reverse("consult:new"), FORM)
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("consult:detail", args=[consultation.pk])
    assert consultation.status == ConsultationStatus.NEW
    assert (consultation.contact_method, consultation.contact_details) == ("phone", "+7 900 000-00-00")
    assert consultation.preferred_time == "Weekdays 10:00-13:00"
    page = client_for(manager).get(reverse("manager:consultations")).content.decode()
    assert "Tariff for the autumn campaign" in page and "Alice Customer" in page
    detail = client_for(manager).get(reverse("manager:consultation", args=[consultation.pk])).content.decode()
    assert "Can we discuss a discount for 100k minutes?" in detail and "+7 900 000-00-00" in detail


def test_nobody_else_sees_it(client_for, customer, colleague, manager, other_manager, other_customer, specialist,
                             admin_user):  # fmt: skip
    consultation = _ask(customer)
    detail = reverse("manager:consultation", args=[consultation.pk])
    assert client_for(other_manager).get(detail).status_code == 404
    assert "Tariff" not in client_for(other_manager).get(reverse("manager:consultations")).content.decode()
    # Acme has a manager, so the support leads (admins while the group is empty) do not answer it.
    assert client_for(admin_user).get(detail).status_code == 404
    assert client_for(specialist).get(reverse("manager:consultations")).status_code == 404
    for outsider in (colleague, other_customer):
        assert client_for(outsider).get(reverse("consult:detail", args=[consultation.pk])).status_code == 404
        assert "Tariff" not in client_for(outsider).get(reverse("consult:list")).content.decode()
    assert list(staff_consultations(manager)) == [consultation]
    for user in (other_manager, specialist, admin_user, customer):
        assert list(staff_consultations(user)) == []


def test_without_a_manager_it_goes_to_the_support_leads(client_for, other_customer, specialist, specialist2,
                                                          admin_user, manager):  # fmt: skip
    consultation = _ask(other_customer)  # Globex has no account manager
    detail = reverse("manager:consultation", args=[consultation.pk])
    # Nobody in the "Support leads" group: the administrators answer.
    assert client_for(admin_user).get(detail).status_code == 200
    assert client_for(specialist).get(detail).status_code == 404
    assert client_for(manager).get(detail).status_code == 404
    Group.objects.create(name=SUPPORT_LEADS_GROUP).user_set.add(specialist)
    assert client_for(specialist).get(detail).status_code == 200
    assert client_for(specialist2).get(detail).status_code == 404
    assert client_for(admin_user).get(detail).status_code == 404


def test_a_deactivated_manager_hands_over_to_the_leads(client_for, customer, manager, admin_user):
    consultation = _ask(customer)
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    assert list(staff_consultations(admin_user)) == [consultation]


def test_a_new_manager_takes_the_organizations_consultations_over(customer, manager, org):
    consultation = _ask(customer)
    successor = ManagerFactory(email="new@support.test")
    org.account_manager = successor
    org.save(update_fields=["account_manager"])
    assert list(staff_consultations(successor)) == [consultation]
    assert list(staff_consultations(manager)) == []


def test_the_manager_replies_and_the_customer_sees_the_answer_on_help(client_for, customer, manager):
    consultation = _ask(customer)
    response = client_for(manager).post(reverse("manager:reply", args=[consultation.pk]), {"body": "Yes: 12% off."})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANSWERED
    listing = client_for(customer).get(reverse("consult:list")).content.decode()
    assert "Tariff for the autumn campaign" in listing and "Answered" in listing
    page = client_for(customer).get(reverse("consult:detail", args=[consultation.pk])).content.decode()
    assert "Yes: 12% off." in page and "Max Manager" in page


def test_status_follows_the_conversation(customer, manager):
    consultation = _ask(customer)
    services.manager_reply(manager, consultation.pk, "Answer")
    services.customer_message(customer, consultation.pk, "One more question")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.NEW
    services.close(manager, consultation.pk, side="staff")
    consultation.refresh_from_db()
    assert (consultation.status, consultation.closed_by) == (ConsultationStatus.CLOSED, manager)
    with pytest.raises(ActionNotAllowed):
        services.customer_message(customer, consultation.pk, "Hello?")
    with pytest.raises(ActionNotAllowed):
        services.manager_reply(manager, consultation.pk, "Hello?")
    assert services.close(customer, consultation.pk, side="customer").status == ConsultationStatus.CLOSED


def test_manager_tabs_split_by_status(client_for, customer, manager):
    _ask(customer, topic="One")
    second, third = _ask(customer, topic="Two"), _ask(customer, topic="Three")
    services.manager_reply(manager, second.pk, "Done")
    services.close(manager, third.pk, side="staff")
    client = client_for(manager)
    pages = {
        s: client.get(reverse("manager:consultations"), {"status": s}).content.decode()
        for s in ("new", "answered", "closed")
    }
    assert ">One<" in pages["new"] and ">Two<" not in pages["new"]
    assert ">Two<" in pages["answered"] and ">One<" not in pages["answered"]
    assert ">Three<" in pages["closed"]
    assert client.get(reverse("manager:consultations"), {"status": "<script>"}).status_code == 200


def test_an_empty_consultation_is_refused_and_nothing_is_stored(client_for, customer, manager):
    response = client_for(customer).post(
        reverse("consult:new"), {"topic": "  ", "message": "", "contact_method": "here"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    with pytest.raises(ValidationFailed) as caught:
        _ask(customer, topic="   ", message="\x00  ")
    assert set(caught.value.errors) == {"topic", "message"}
    assert Consultation.objects.count() == 0 and ConsultationMessage.objects.count() == 0


def test_a_call_needs_a_number_and_email_defaults_to_the_account(customer, manager):
    with pytest.raises(ValidationFailed) as caught:
        _ask(customer, contact_method="phone", contact_details="")
    assert "contact_details" in caught.value.errors
    assert _ask(customer, contact_method="email", contact_details="").contact_details == "alice@acme.test"
    with pytest.raises(ValidationFailed):
        _ask(customer, contact_method="pigeon")


def test_bad_input_on_the_page_gives_errors_not_500(client_for, customer, manager):
    client = client_for(customer)
    huge = client.post(reverse("consult:new"), {**FORM, "message": "x" * 20_000, "topic": "t" * 500})
    assert huge.status_code == 400 and Consultation.objects.count() == 0
    consultation = _ask(customer)
    empty = client.post(reverse("consult:reply", args=[consultation.pk]), {"body": "   "})
    assert empty.status_code == 400
    services.close(customer, consultation.pk, side="customer")
    closed = client.post(reverse("consult:reply", args=[consultation.pk]), {"body": "Late"})
    assert closed.status_code == 400 and "closed" in closed.content.decode()


def test_another_organizations_consultation_is_404_everywhere(client_for, customer, manager, other_customer):
    consultation = _ask(customer)
    client = client_for(other_customer)
    for name, method in (("consult:detail", "get"), ("consult:reply", "post"), ("consult:close", "post")):
        response = getattr(client, method)(reverse(name, args=[consultation.pk]), {"body": "Hi"})
        assert response.status_code == 404, name
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.NEW and consultation.messages.count() == 1


def test_only_customers_ask_for_consultations(client_for, specialist, manager):
    assert client_for(specialist).get(reverse("consult:new")).status_code == 404
    with pytest.raises(DomainError):
        _ask(manager)


def test_a_double_click_sends_one_consultation(client_for, customer, manager):
    client = client_for(customer)
    client.post(reverse("consult:new"), FORM)
    client.post(reverse("consult:new"), FORM)
    assert Consultation.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in ("consult:list", "manager:consultations", "manager:tickets"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_a_manager_lands_on_his_workspace(client_for, manager):
    assert client_for(manager).get("/")["Location"] == reverse("manager:consultations")


def test_the_manager_list_keeps_its_query_count(
    client_for, customer, colleague, manager, django_assert_num_queries, session_queries
):
    for n in range(5):
        _ask(customer if n % 2 else colleague, topic=f"Topic {n}")
    client = client_for(manager)
    client.get(reverse("manager:consultations"))
    # The count per status, the rows (with organization, requester and message count); + session. The
    # user comes from the cache (supportdesk.accounts.backends).
    with django_assert_num_queries(2 + session_queries):
        client.get(reverse("manager:consultations"))


# --- The manager's read-only view of his organizations' tickets ----------------------------------------


def test_the_manager_sees_his_organizations_tickets_read_only(client_for, make_ticket, customer, colleague,
                                                               other_customer, manager, specialist):  # fmt: skip
    mine = make_ticket(customer, question="Calls drop after ten seconds")
    colleagues = make_ticket(colleague, question="Script editor is slow")
    foreign = make_ticket(other_customer, question="Globex invoice question")
    from supportdesk.tickets import services as tickets

    tickets.internal_note(specialist, mine.pk, "Secret internal note")
    tickets.specialist_reply(specialist, mine.pk, "Public answer from support")
    client = client_for(manager)
    listing = client.get(reverse("manager:tickets")).content.decode()
    assert "Calls drop after ten seconds" in listing and "Script editor is slow" in listing
    assert "Globex invoice question" not in listing
    page = client.get(reverse("manager:ticket", args=[mine.pk])).content.decode()
    assert "Public answer from support" in page and "Secret internal note" not in page
    assert "<form" not in page.split("</header>", 1)[1].replace('action="/i18n/setlang/"', "")
    assert client.get(reverse("manager:ticket", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("manager:ticket", args=[colleagues.pk])).status_code == 200


def test_tickets_pages_are_for_managers_only(client_for, customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    for user in (customer, specialist):
        assert client_for(user).get(reverse("manager:tickets")).status_code == 404
        assert client_for(user).get(reverse("manager:ticket", args=[ticket.pk])).status_code == 404


def test_the_pages_keep_their_query_counts(client_for, customer, manager, make_ticket, specialist,
                                           django_assert_num_queries, session_queries):  # fmt: skip
    consultation = _ask(customer)
    services.manager_reply(manager, consultation.pk, "Answer")
    for n in range(3):
        ticket = make_ticket(customer, question=f"Question number {n}")
    from supportdesk.tickets import services as tickets

    tickets.specialist_reply(specialist, ticket.pk, "Support answer")
    pages = [
        # Each plus the session's query where it is read from the database (tests/conftest.py); the user
        # comes from the cache (supportdesk.accounts.backends).
        # the organization (for who answers), its manager, the consultations
        (client_for(customer), reverse("consult:list"), 3),
        # organization, manager, the consultation, its messages with authors
        (client_for(customer), reverse("consult:detail", args=[consultation.pk]), 4),
        # the consultation with organization and customer, its messages with authors
        (client_for(manager), reverse("manager:consultation", args=[consultation.pk]), 2),
        # the tickets page
        (client_for(manager), reverse("manager:tickets"), 1),
        # the ticket, then tickets.queries.thread: messages (with those merged in from duplicates), their
        # attachments, events
        (client_for(manager), reverse("manager:ticket", args=[ticket.pk]), 4),
    ]
    for client, url, count in pages:
        client.get(url)
        with django_assert_num_queries(count + session_queries):
            assert client.get(url).status_code == 200


def test_the_help_page_card_shows_the_latest_consultations_and_answers(client_for, customer, manager, rf):
    first = _ask(customer, topic="First question")
    _ask(customer, topic="Second question")
    services.manager_reply(manager, first.pk, "Short answer from your manager")
    html = client_for(customer).get(reverse("consult:card"), HTTP_HX_REQUEST="true").content.decode()
    assert "First question" in html and "Second question" in html
    assert "Max Manager: Short answer from your manager" in html and "Answered" in html
    request = rf.get("/help/")
    request.user = customer
    slot = render_to_string("consult/_help_card.html", request=request)
    assert 'hx-get="/help/consultations/card/"' in slot


def test_the_card_is_the_customers_own(client_for, customer, other_customer, manager):
    _ask(customer, topic="Private topic")
    assert "Private topic" not in client_for(other_customer).get(reverse("consult:card")).content.decode()
