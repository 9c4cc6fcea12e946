"""The collision guard under real concurrency: two specialists, two browsers, two database connections.

Both open the same ticket (the page carries version N) and send a change at the same moment. The
service locks the row and checks the version inside its transaction, so exactly one change is applied
and the other specialist gets "the ticket changed". Reassign is the action used on purpose: the status
table allows it in every active status, so nothing but the version guard can stop the second change
from silently overwriting the first. ``test_without_the_version_guard_the_second_change_wins_silently``
shows that lost update by taking the guard away.

PostgreSQL only: SQLite takes one lock for the whole database and ignores ``select_for_update``.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections
from django.urls import reverse

from supportdesk.tickets import services
from supportdesk.tickets.errors import ActionNotAllowed, StaleVersion
from supportdesk.tickets.models import Event, Ticket
from supportdesk.tickets.policies import ticket_for
from supportdesk.tickets.services import assignment, merge
from tests.console.conftest import page_guard

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite locks the whole database, so two writers never overlap there",
    ),
    pytest.mark.django_db(transaction=True),
]

HOLD_SECONDS = 0.3


def together(calls: list[Any]) -> list[Any]:
    """Run the calls in threads released at once; each thread has its own database connection."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            start.wait(timeout=10)
            results[i] = calls[i]()
        except Exception as exc:  # the refusal is a result too
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive(), "hung: deadlock?"
    return results


def slow_down_inside_the_lock(monkeypatch: pytest.MonkeyPatch, module: Any) -> None:
    """Whoever holds the row lock keeps it a moment, so the other request surely arrives meanwhile."""
    real = module.check_action

    def slow(*args: Any, **kwargs: Any) -> str:
        result = real(*args, **kwargs)
        time.sleep(HOLD_SECONDS)
        return result

    monkeypatch.setattr(module, "check_action", slow)


@pytest.fixture
def scene(make_ticket, customer, specialist, specialist2, admin_user, client_for):
    ticket = make_ticket(customer)
    services.take(specialist, ticket.pk)
    guard = page_guard(ticket)  # both specialists opened the page now
    sam, tess = client_for(specialist), client_for(specialist2)
    return ticket, guard, sam, tess


def reassign_from(client, ticket, guard, assignee):
    def post():
        return client.post(reverse("console:reassign", args=[ticket.pk]), {**guard, "assignee": assignee.pk})

    return post


def test_two_specialists_change_the_same_ticket_at_once_one_is_told_it_changed(
    scene, specialist2, admin_user, monkeypatch
):
    ticket, guard, sam, tess = scene
    slow_down_inside_the_lock(monkeypatch, assignment)

    responses = together([
        reassign_from(sam, ticket, guard, specialist2),
        reassign_from(tess, ticket, guard, admin_user),
    ])  # fmt: skip

    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 409], codes
    loser = next(r for r in responses if r.status_code == 409)
    assert "The ticket changed" in loser.content.decode()
    assert "assigned the ticket to" in loser.content.decode()  # the winner's change, shown to the loser
    ticket.refresh_from_db()
    assert ticket.version == guard["version"] + 1
    assert Event.objects.filter(ticket=ticket, kind="ticket.reassigned").count() == 1
    winner_assignee = specialist2.pk if responses[0].status_code == 302 else admin_user.pk
    assert ticket.assignee_id == winner_assignee


def test_without_the_version_guard_the_second_change_wins_silently(scene, specialist2, admin_user, monkeypatch):
    """The lost update the guard prevents: the row lock alone only queues the writers."""
    ticket, guard, sam, tess = scene
    slow_down_inside_the_lock(monkeypatch, assignment)

    def unguarded(user: Any, ticket_id: object, *, version: int | None = None) -> Ticket:
        return ticket_for(user, ticket_id, queryset=Ticket.objects.select_for_update(of=("self",)))

    monkeypatch.setattr(assignment, "locked_ticket", unguarded)

    responses = together([
        reassign_from(sam, ticket, guard, specialist2),
        reassign_from(tess, ticket, guard, admin_user),
    ])  # fmt: skip

    assert [r.status_code for r in responses] == [302, 302]  # nobody was told: one change overwrote the other
    assert Event.objects.filter(ticket=ticket, kind="ticket.reassigned").count() == 2


def test_merging_two_tickets_into_each_other_at_once_cannot_deadlock(make_ticket, customer, specialist, specialist2,
                                                                    monkeypatch):  # fmt: skip
    a, b = make_ticket(customer), make_ticket(customer)
    slow_down_inside_the_lock(monkeypatch, merge)

    results = together([
        lambda: services.merge_ticket(specialist, a.pk, into=b.pk, reason="Same as the other", version=1),
        lambda: services.merge_ticket(specialist2, b.pk, into=a.pk, reason="Same as the other", version=1),
    ])  # fmt: skip

    winners = [r for r in results if isinstance(r, Ticket)]
    assert len(winners) == 1, results
    loser = next(r for r in results if not isinstance(r, Ticket))
    assert isinstance(loser, StaleVersion | ActionNotAllowed), loser
    statuses = sorted(Ticket.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True))
    assert statuses == ["declined", "open"]
