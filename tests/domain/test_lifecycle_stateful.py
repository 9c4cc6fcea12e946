"""Random sequences of every ticket action, allowed or not, against a model of what should happen.

Hypothesis drives customers and specialists through creating, taking, replying, asking for
information, closing, declining, notes, category changes and their requests, reassigning and
urgency, on a few tickets at once, sometimes with a stale version or as an outsider. After every step
the database must match the model: the status the workflow table predicts, a version that grew by
exactly one per successful change (and not at all for a refused one), one more event per change
with ids that only grow, and finished tickets frozen for good.

Each Hypothesis example runs in its own savepoint inside the test's transaction and is rolled back at
teardown, so examples start from the same users and seeded sections and never see each other's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from supportdesk.tickets import services
from supportdesk.tickets.errors import ActionNotAllowed, DomainError, StaleVersion, ValidationFailed
from supportdesk.tickets.models import Event, Ticket
from supportdesk.tickets.policies import actor_kind
from supportdesk.tickets.workflow import FINISHED, Action, Status, allowed, target_status

OCCURRED = {"occurred_at": "2025-03-14T09:30"}
CATEGORIES = ["application-help", "system-errors"]

requester_or_not = st.sampled_from(["requester", "requester", "specialist", "outsider"])
support_or_not = st.sampled_from(["specialist", "specialist", "specialist2", "requester", "outsider"])
stale_sometimes = st.sampled_from([False] * 7 + [True])
# Mostly ask for the other category: asking for the current one is a refusal worth trying only now and then.
move_mostly = st.sampled_from([True, True, True, False])


@dataclass
class Model:
    status: str = Status.OPEN
    version: int = 1
    events: int = 1
    section: str = "application-help"
    assignee: int | None = None
    urgent: bool = False
    pending: tuple[int, str] | None = None  # (request id, target section code)
    frozen_version: int | None = None  # the version a ticket finished with
    history: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    ok: bool
    result: Any = None


class TicketLifecycle(RuleBasedStateMachine):
    tickets = Bundle("tickets")
    # Tickets a customer asked to move: support answers these, so deciding is tried where it can succeed.
    asked = Bundle("asked")

    def __init__(self, people: dict[str, Any], sections: dict[str, Any]) -> None:
        super().__init__()
        self.people = people
        self.sections = sections
        self.model: dict[int, Model] = {}
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.newest_event = Event.objects.aggregate(newest=Max("id"))["newest"] or 0
        self.seen_events = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # --- running one attempt ----------------------------------------------------------------------

    def user(self, who: str, pk: int) -> Any:
        if who == "requester":
            return Ticket.objects.get(pk=pk).requester
        return self.people[who]

    def attempt(
        self,
        pk: int,
        who: str,
        action: str,
        call: Any,
        *,
        stale: bool,
        refusal: type[DomainError] | None = None,
        noop: bool = False,
        events: int = 1,
    ) -> Outcome:
        """Run ``call(user, version)`` and check that it did what the model expects.

        ``refusal``: the domain refusal expected once the lookup, version and table checks pass.
        ``noop``: the call succeeds without changing anything (already so).
        """
        model = self.model[pk]
        user = self.user(who, pk)
        version = model.version - 1 if stale else model.version
        if who == "outsider":
            expected: type[Exception] | None = Http404
        elif stale:
            expected = StaleVersion
        elif actor_kind(user) is None or not allowed(action, model.status, actor_kind(user)):
            expected = ActionNotAllowed
        else:
            expected = refusal

        before = self.row(pk)
        try:
            result = call(user, version)
        except (DomainError, Http404) as exc:
            assert expected is not None, f"{action} by {who} in {model.status} refused: {exc!r}"
            assert isinstance(exc, expected), f"{action} by {who}: expected {expected}, got {exc!r}"
            assert self.row(pk) == before, "a refused action changed the ticket"
            return Outcome(ok=False)
        assert expected is None, f"{action} by {who} in {model.status} was not refused ({expected})"
        model.history.append(action)
        if noop:
            assert self.row(pk) == before
            return Outcome(ok=True, result=result)
        model.version += 1
        model.events += events
        model.status = target_status(action, model.status)
        self._settle_pending_if_finished(model)
        return Outcome(ok=True, result=result)

    @staticmethod
    def _settle_pending_if_finished(model: Model) -> None:
        """Finishing a ticket refuses its pending category request: one more history event."""
        if model.status in FINISHED:
            if model.pending is not None:
                model.events += 1
                model.pending = None
            if model.frozen_version is None:
                model.frozen_version = model.version

    def row(self, pk: int) -> dict[str, Any]:
        ticket = Ticket.objects.get(pk=pk)
        values = {f.attname: getattr(ticket, f.attname) for f in Ticket._meta.concrete_fields}
        values["events"] = Event.objects.filter(ticket_id=pk).count()
        values["requests"] = list(ticket.category_requests.order_by("id").values_list("id", "state"))
        return values

    # --- rules ------------------------------------------------------------------------------------

    @initialize(target=tickets, requester=st.sampled_from(["customer", "colleague"]))
    def first_ticket(self, requester: str) -> int:
        return self.create(requester, "application-help")

    @rule(target=tickets, requester=st.sampled_from(["customer", "colleague"]), section=st.sampled_from(CATEGORIES))
    def create(self, requester: str, section: str) -> int:
        ticket = services.create_ticket(
            self.people[requester],
            services.NewTicket(section=self.sections[section].pk, question="Calls drop", fields=OCCURRED),
        )
        self.model[ticket.pk] = Model(section=section)
        return ticket.pk

    @rule(pk=tickets, who=support_or_not, stale=stale_sometimes)
    def take(self, pk: int, who: str, stale: bool) -> None:
        if self.attempt(pk, who, Action.TAKE, lambda u, v: services.take(u, pk, version=v), stale=stale).ok:
            self.model[pk].assignee = self.user(who, pk).pk

    def _support_message(self, pk: int, who: str, stale: bool, action: str, service: Any) -> None:
        model = self.model[pk]
        call = lambda u, v: service(u, pk, "Text of the message", version=v)  # noqa: E731
        if self.attempt(pk, who, action, call, stale=stale).ok and action != Action.INTERNAL_NOTE:
            model.assignee = model.assignee or self.user(who, pk).pk

    @rule(pk=tickets, who=support_or_not, stale=stale_sometimes)
    def specialist_reply(self, pk: int, who: str, stale: bool) -> None:
        self._support_message(pk, who, stale, Action.SPECIALIST_REPLY, services.specialist_reply)

    @rule(pk=tickets, who=support_or_not, stale=stale_sometimes)
    def request_information(self, pk: int, who: str, stale: bool) -> None:
        self._support_message(pk, who, stale, Action.REQUEST_INFORMATION, services.request_information)

    @rule(pk=tickets, who=support_or_not, stale=stale_sometimes)
    def internal_note(self, pk: int, who: str, stale: bool) -> None:
        self._support_message(pk, who, stale, Action.INTERNAL_NOTE, services.internal_note)

    @rule(pk=tickets, who=requester_or_not, stale=stale_sometimes)
    def customer_reply(self, pk: int, who: str, stale: bool) -> None:
        call = lambda u, v: services.customer_reply(u, pk, "More details", version=v)  # noqa: E731
        self.attempt(pk, who, Action.CUSTOMER_REPLY, call, stale=stale)

    # One rule for the three ways a ticket ends, so that finishing is not three times as likely as any
    # other step and the sequences reach Awaiting response and category requests often enough.
    @rule(
        pk=tickets, who=support_or_not, how=st.sampled_from(["close", "decline", "auto_close"]), stale=stale_sometimes
    )
    def finish(self, pk: int, who: str, how: str, stale: bool) -> None:
        if how == "close":
            self._support_message(pk, who, stale, Action.CLOSE, services.close)
        elif how == "decline":
            call = lambda u, v: services.decline(u, pk, code="other", reason="Not supported", version=v)  # noqa: E731
            self.attempt(pk, who, Action.DECLINE, call, stale=stale)
        else:
            self.auto_close(pk)

    def auto_close(self, pk: int) -> None:
        """The system's close of a ticket nobody answered: only from Awaiting response."""
        model = self.model[pk]
        before = self.row(pk)
        closed = services.auto_close(pk)
        assert closed is (model.status == Status.AWAITING_RESPONSE)
        if closed:
            model.version += 1
            model.events += 1
            model.status = target_status(Action.AUTO_CLOSE, model.status)
            self._settle_pending_if_finished(model)
        else:
            assert self.row(pk) == before

    @rule(pk=tickets, who=support_or_not, to=st.sampled_from(["specialist", "specialist2"]), stale=stale_sometimes)
    def reassign(self, pk: int, who: str, to: str, stale: bool) -> None:
        model = self.model[pk]
        assignee = self.people[to]
        call = lambda u, v: services.reassign(u, pk, assignee_id=assignee.pk, version=v)  # noqa: E731
        if self.attempt(pk, who, Action.REASSIGN, call, stale=stale, noop=model.assignee == assignee.pk).ok:
            model.assignee = assignee.pk

    @rule(pk=tickets, who=support_or_not, urgent=st.booleans(), stale=stale_sometimes)
    def set_urgent(self, pk: int, who: str, urgent: bool, stale: bool) -> None:
        model = self.model[pk]
        impact = "Every call fails" if urgent else ""
        call = lambda u, v: services.set_urgent(u, pk, urgent=urgent, impact=impact, version=v)  # noqa: E731
        if self.attempt(pk, who, Action.SET_URGENT, call, stale=stale, noop=model.urgent == urgent).ok:
            model.urgent = urgent

    def target(self, pk: int, move: bool) -> str:
        current = self.model[pk].section
        return next(c for c in CATEGORIES if c != current) if move else current

    @rule(target=asked, pk=tickets, who=requester_or_not, move=move_mostly, stale=stale_sometimes)
    def customer_change_category(self, pk: int, who: str, move: bool, stale: bool) -> Any:
        model = self.model[pk]
        section = self.target(pk, move)
        refusal: type[DomainError] | None = None
        if model.section == section:
            refusal = ValidationFailed
        elif model.status != Status.OPEN and model.pending is not None:
            refusal = DomainError

        def call(u: Any, v: int) -> Any:
            return services.customer_change_category(
                u, pk, section=self.sections[section].pk, fields=OCCURRED, comment="Wrong section", version=v
            )

        was_open = model.status == Status.OPEN
        outcome = self.attempt(pk, who, Action.REQUEST_CATEGORY_CHANGE, call, stale=stale, refusal=refusal)
        if outcome.ok and was_open:
            assert outcome.result is None  # changed at once
            model.section = section
        elif outcome.ok:
            assert outcome.result is not None  # a request for support to answer
            model.pending = (outcome.result.pk, section)
            return multiple(pk)
        return multiple()

    @rule(pk=tickets, who=support_or_not, move=move_mostly, stale=stale_sometimes)
    def specialist_change_category(self, pk: int, who: str, move: bool, stale: bool) -> None:
        model = self.model[pk]
        section = self.target(pk, move)
        same = model.section == section
        superseding = not same and model.pending is not None

        def call(u: Any, v: int) -> Any:
            return services.specialist_change_category(u, pk, section=self.sections[section].pk, version=v)

        # A direct change answers the customer's pending request too: one more history event.
        events = 2 if superseding else 1
        if self.attempt(pk, who, Action.CHANGE_CATEGORY, call, stale=stale, noop=same, events=events).ok and not same:
            model.section, model.pending = section, None

    @rule(pk=asked, who=support_or_not, accept=st.booleans(), stale=stale_sometimes)
    def decide_category_change(self, pk: int, who: str, accept: bool, stale: bool) -> None:
        model = self.model[pk]
        pending = model.pending
        request_id = pending[0] if pending else 10**9

        def call(u: Any, v: int) -> Any:
            return services.decide_category_change(u, pk, request_id, accept=accept, version=v)

        refusal = None if pending else DomainError
        if self.attempt(pk, who, Action.DECIDE_CATEGORY_CHANGE, call, stale=stale, refusal=refusal).ok:
            assert pending is not None
            if accept:
                model.section = pending[1]
            model.pending = None

    @rule(pk=tickets, accept=st.booleans())
    def ask_and_answer(self, pk: int, accept: bool) -> None:
        """The customer asks for the other category and support answers at once: the whole exchange
        is rare in a random walk (it needs a ticket in processing and a request still pending)."""
        self.customer_change_category(pk, "requester", True, False)
        self.decide_category_change(pk, "specialist", accept, False)

    # --- invariants -------------------------------------------------------------------------------

    @invariant()
    def database_matches_the_model(self) -> None:
        for pk, model in self.model.items():
            ticket = Ticket.objects.select_related("section").get(pk=pk)
            assert ticket.status in Status.values
            assert ticket.status == model.status, model.history
            assert ticket.version == model.version, model.history
            assert ticket.section.code == model.section, model.history
            assert ticket.assignee_id == model.assignee, model.history
            assert ticket.is_urgent == model.urgent
            assert ticket.events.count() == model.events, model.history
            pending = ticket.category_requests.filter(state="pending").values_list("id", flat=True)
            assert list(pending) == ([model.pending[0]] if model.pending else [])
            if model.frozen_version is not None:
                assert ticket.status in FINISHED
                assert ticket.version == model.frozen_version
                assert ticket.finished_at is not None

    @invariant()
    def event_ids_only_grow(self) -> None:
        """Every event written since the last step has an id above every event written before it."""
        expected_total = sum(m.events for m in self.model.values())
        fresh = list(Event.objects.filter(id__gt=self.newest_event).values_list("id", flat=True))
        assert self.seen_events + len(fresh) == expected_total
        self.seen_events = expected_total
        if fresh:
            self.newest_event = max(fresh)


def test_random_action_sequences_keep_every_lifecycle_invariant(
    customer, colleague, other_customer, specialist, specialist2, sections
) -> None:
    people = {
        "customer": customer,
        "colleague": colleague,
        "outsider": other_customer,
        "specialist": specialist,
        "specialist2": specialist2,
    }
    run_state_machine_as_test(
        lambda: TicketLifecycle(people, sections),
        settings=settings(
            max_examples=30,
            stateful_step_count=50,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


pytestmark = pytest.mark.django_db
