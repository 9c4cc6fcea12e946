"""The transition table of workflow.py against the lifecycle of ARCHITECTURE.md, cell by cell.

The expected table below is written out by hand from the architecture's lifecycle table and its rules
(finished tickets are terminal; category changes by the customer while active, decided by support;
follow-ups only from finished tickets; the urgent reminder only for Open ones), not derived from
``workflow.TABLE``: a change to either shows up here as a failing cell.
"""

from __future__ import annotations

import itertools

import pytest
from django.utils import translation

from supportdesk.tickets.errors import ActionNotAllowed
from supportdesk.tickets.workflow import (
    ACTIVE,
    COLOUR,
    FINISHED,
    MEANING,
    TABLE,
    Action,
    Actor,
    Status,
    actions_for,
    allowed,
    is_finished,
    require,
    target_status,
)

OPEN, IN_PROGRESS, AWAITING = Status.OPEN, Status.IN_PROGRESS, Status.AWAITING_RESPONSE
CLOSED, DECLINED = Status.CLOSED, Status.DECLINED
ALL_ACTIVE = {OPEN: OPEN, IN_PROGRESS: IN_PROGRESS, AWAITING: AWAITING}  # status stays as it is

# action → (who may do it, {from status: to status}); a status missing from the map is refused.
EXPECTED: dict[str, tuple[str, dict[str, str]]] = {
    Action.TAKE: (Actor.SPECIALIST, {OPEN: IN_PROGRESS}),
    Action.REQUEST_INFORMATION: (Actor.SPECIALIST, {OPEN: AWAITING, IN_PROGRESS: AWAITING}),
    # The customer's answer to "Awaiting response" hands the ticket back; earlier it only adds detail.
    Action.CUSTOMER_REPLY: (Actor.CUSTOMER, {OPEN: OPEN, IN_PROGRESS: IN_PROGRESS, AWAITING: IN_PROGRESS}),
    Action.CLOSE: (Actor.SPECIALIST, {OPEN: CLOSED, IN_PROGRESS: CLOSED, AWAITING: CLOSED}),
    Action.DECLINE: (Actor.SPECIALIST, {OPEN: DECLINED, IN_PROGRESS: DECLINED, AWAITING: DECLINED}),
    Action.AUTO_CLOSE: (Actor.SYSTEM, {AWAITING: CLOSED}),
    Action.SPECIALIST_REPLY: (Actor.SPECIALIST, ALL_ACTIVE),
    Action.INTERNAL_NOTE: (Actor.SPECIALIST, ALL_ACTIVE),
    Action.REASSIGN: (Actor.SPECIALIST, ALL_ACTIVE),
    Action.SET_URGENT: (Actor.SPECIALIST, ALL_ACTIVE),
    Action.CHANGE_CATEGORY: (Actor.SPECIALIST, ALL_ACTIVE),
    Action.REQUEST_CATEGORY_CHANGE: (Actor.CUSTOMER, ALL_ACTIVE),
    Action.DECIDE_CATEGORY_CHANGE: (Actor.SPECIALIST, ALL_ACTIVE),
    Action.FOLLOW_UP: (Actor.CUSTOMER, {CLOSED: CLOSED, DECLINED: DECLINED}),
    Action.ESCALATE_UNANSWERED: (Actor.CUSTOMER, {OPEN: OPEN}),
}

CELLS = list(itertools.product(Action.values, Status.values, Actor.values))


def _expected(action: str, status: str, actor: str) -> str | None:
    who, moves = EXPECTED[action]
    return moves.get(status) if actor == who else None


def test_table_covers_exactly_the_expected_actions() -> None:
    assert set(TABLE) == set(EXPECTED) == set(Action.values)


def test_there_are_five_statuses_each_active_or_finished() -> None:
    assert set(Status.values) == {"open", "in_progress", "awaiting_response", "closed", "declined"}
    assert ACTIVE | FINISHED == set(Status.values)
    assert not ACTIVE & FINISHED
    assert set(COLOUR) == set(MEANING) == set(Status.values)


@pytest.mark.parametrize(("action", "status", "actor"), CELLS)
def test_allowed_matches_the_lifecycle_table(action: str, status: str, actor: str) -> None:
    assert allowed(action, status, actor) is (_expected(action, status, actor) is not None)


@pytest.mark.parametrize(("action", "status", "actor"), CELLS)
def test_require_returns_the_target_or_refuses_with_a_message(action: str, status: str, actor: str) -> None:
    target = _expected(action, status, actor)
    if target is not None:
        assert require(action, status, actor) == target
        assert target_status(action, status) == target
    else:
        with pytest.raises(ActionNotAllowed) as refused:
            require(action, status, actor)
        assert str(refused.value.message)
        assert refused.value.status_code == 409


@pytest.mark.parametrize(("status", "actor"), list(itertools.product(Status.values, Actor.values)))
def test_actions_for_lists_what_the_table_allows(status: str, actor: str) -> None:
    expected = {action for action in Action.values if _expected(action, status, actor) is not None}
    assert set(actions_for(status, actor)) == expected


@pytest.mark.parametrize("status", sorted(FINISHED))
@pytest.mark.parametrize("action", [a for a in Action.values if a != Action.FOLLOW_UP])
@pytest.mark.parametrize("actor", Actor.values)
def test_finished_tickets_are_terminal(status: str, action: str, actor: str) -> None:
    assert is_finished(status)
    with pytest.raises(ActionNotAllowed) as refused:
        require(action, status, actor)
    with translation.override("en"):
        assert "finished" in str(refused.value.message)


@pytest.mark.parametrize("status", sorted(FINISHED))
def test_only_a_follow_up_starts_from_a_finished_ticket_and_it_leaves_the_ticket_as_it_is(status: str) -> None:
    assert actions_for(status, Actor.CUSTOMER) == [Action.FOLLOW_UP]
    assert actions_for(status, Actor.SPECIALIST) == []
    assert actions_for(status, Actor.SYSTEM) == []
    assert require(Action.FOLLOW_UP, status, Actor.CUSTOMER) == status


def test_no_transition_leads_out_of_a_finished_status() -> None:
    for action, status, actor in CELLS:
        if status in FINISHED and allowed(action, status, actor):
            assert target_status(action, status) == status


@pytest.mark.parametrize("status", sorted(ACTIVE))
def test_active_statuses_are_not_finished(status: str) -> None:
    assert not is_finished(status)


def test_refusal_names_the_action_and_the_current_status() -> None:
    with translation.override("en"), pytest.raises(ActionNotAllowed) as refused:
        require(Action.TAKE, Status.IN_PROGRESS, Actor.SPECIALIST)
    assert str(refused.value.message) == "“Take” is not possible while the ticket is in progress."


def test_customer_cannot_take_an_open_ticket() -> None:
    with pytest.raises(ActionNotAllowed):
        require(Action.TAKE, Status.OPEN, Actor.CUSTOMER)


def test_customer_reply_to_awaiting_response_moves_the_ticket_back_to_in_progress() -> None:
    assert require(Action.CUSTOMER_REPLY, Status.AWAITING_RESPONSE, Actor.CUSTOMER) == Status.IN_PROGRESS


def test_customer_cannot_reply_to_a_closed_ticket() -> None:
    with translation.override("en"), pytest.raises(ActionNotAllowed) as refused:
        require(Action.CUSTOMER_REPLY, Status.CLOSED, Actor.CUSTOMER)
    assert str(refused.value.message) == "This ticket is finished and can no longer be changed."
