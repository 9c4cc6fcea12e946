"""Two specialists take the same Open ticket at the same moment: the row lock lets exactly one win.

Real concurrency needs two database connections that commit, so these tests use
``transaction=True`` and one thread per specialist (Django gives each thread its own connection).
They run on PostgreSQL only: SQLite takes one write lock for the whole database, so it cannot show a
row lock at work (and ignores ``select_for_update``).

The proof that the lock matters is ``test_without_the_row_lock_both_specialists_would_win``: it runs
the same race with ``locked_ticket`` swapped for a plain read and shows the lost update the lock
prevents — two winners, two ``ticket.taken`` events. Put a plain read in ``locked_ticket``
(drop ``select_for_update``) and ``test_two_specialists_taking_the_same_ticket_one_wins`` fails the
same way.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from supportdesk.tickets import services
from supportdesk.tickets.errors import ActionNotAllowed, StaleVersion
from supportdesk.tickets.models import Event, Ticket
from supportdesk.tickets.policies import ticket_for
from supportdesk.tickets.services import assignment
from supportdesk.tickets.workflow import Status

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite locks the whole database and ignores select_for_update, "
        "so row-lock races cannot happen there (set DATABASE_URL=postgres://...)",
    ),
    pytest.mark.django_db(transaction=True),
]

HOLD_SECONDS = 0.3  # how long the first taker keeps the row locked: the second surely arrives meanwhile


def race(users: list[Any], call: Callable[[Any], Any]) -> dict[int, Any]:
    """Run ``call(user)`` for each user in its own thread, released together; user pk → result or error."""
    start = threading.Barrier(len(users))
    results: dict[int, Any] = {}

    def run(user: Any) -> None:
        try:
            start.wait(timeout=10)
            results[user.pk] = call(user)
        except Exception as exc:  # the refusal is the result we look at
            results[user.pk] = exc
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive(), "a taker hung: deadlock?"
    return results


def hold_the_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make whoever holds the ticket's row lock keep it a moment, so the other taker must wait for it."""
    real = assignment.check_action

    def slow_check(*args: Any, **kwargs: Any) -> str:
        result = real(*args, **kwargs)
        time.sleep(HOLD_SECONDS)
        return result

    monkeypatch.setattr(assignment, "check_action", slow_check)


@pytest.mark.parametrize(
    ("with_version", "loser_error"),
    [(True, StaleVersion), (False, ActionNotAllowed)],
    ids=["same-version", "no-version"],
)
def test_two_specialists_taking_the_same_ticket_one_wins(
    customer, specialist, specialist2, make_ticket, monkeypatch, with_version, loser_error
):
    ticket = make_ticket(customer)
    version = ticket.version if with_version else None
    hold_the_lock(monkeypatch)

    results = race([specialist, specialist2], lambda user: services.take(user, ticket.pk, version=version))

    winners = [pk for pk, result in results.items() if isinstance(result, Ticket)]
    losers = [result for result in results.values() if not isinstance(result, Ticket)]
    assert len(winners) == 1, results
    assert len(losers) == 1 and isinstance(losers[0], loser_error), results
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee_id, ticket.version) == (Status.IN_PROGRESS, winners[0], 2)
    assert list(Event.objects.filter(ticket=ticket, kind="ticket.taken").values_list("actor_id", flat=True)) == [
        winners[0]
    ]


def test_without_the_row_lock_both_specialists_would_win(customer, specialist, specialist2, make_ticket, monkeypatch):
    """The race the lock prevents, shown by taking the lock away: both read version 1, both write."""
    ticket = make_ticket(customer)
    both_have_read = threading.Barrier(2)

    def unlocked_ticket(user: Any, ticket_id: object, *, version: int | None = None) -> Ticket:
        found = ticket_for(user, ticket_id)  # what locked_ticket does, minus select_for_update
        if version is not None and found.version != version:
            raise StaleVersion("stale")
        both_have_read.wait(timeout=10)
        return found

    monkeypatch.setattr(assignment, "locked_ticket", unlocked_ticket)

    results = race([specialist, specialist2], lambda user: services.take(user, ticket.pk, version=1))

    assert all(isinstance(result, Ticket) for result in results.values()), results
    assert Event.objects.filter(ticket=ticket, kind="ticket.taken").count() == 2  # a double event: the bug


def test_a_late_taker_after_the_first_committed_is_refused_too(customer, specialist, specialist2, make_ticket):
    ticket = make_ticket(customer)
    services.take(specialist, ticket.pk, version=1)
    with pytest.raises(StaleVersion):
        services.take(specialist2, ticket.pk, version=1)
    assert Event.objects.filter(ticket=ticket, kind="ticket.taken").count() == 1
