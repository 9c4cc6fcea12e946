"""Reconnecting with Last-Event-ID: exactly what was missed, in order, once; or a reset when too much."""

from __future__ import annotations

import pytest

from supportdesk.live import db as live_db
from supportdesk.tickets import services
from tests.live.conftest import SSEClient, in_thread

pytestmark = pytest.mark.django_db(transaction=True)


def _missed_three(specialist, customer, ticket):
    """Three changes the customer sees, and one in between that he never does."""
    services.take(specialist, ticket.pk)
    services.internal_note(specialist, ticket.pk, "Checking the dialer logs.")
    services.request_information(specialist, ticket.pk, "Which campaign?")
    services.customer_reply(customer, ticket.pk, "Spring sale.")


@pytest.mark.parametrize("how", ["header", "query"])
def test_a_client_that_was_away_gets_exactly_the_three_missed_events_in_order(
    how, arun, customer, specialist, make_ticket, session_of
):
    ticket = make_ticket(customer)
    key = session_of(customer)

    async def scenario():
        async with SSEClient(session=key) as before:
            await in_thread(services.specialist_reply, specialist, ticket.pk, "Looking into it.")
            last = await before.next(kind="ticket")
        await in_thread(_missed_three, specialist, customer, ticket)
        if how == "header":
            again = SSEClient(session=key, headers=[(b"last-event-id", last.id.encode())])
        else:
            again = SSEClient(session=key, query=f"last_id={last.id}")
        async with again:
            replayed = [await again.next() for _ in range(3)]
            rest = await again.quiet(0.5)
        return last, replayed, rest

    last, replayed, rest = arun(scenario())
    assert [e.json["kind"] for e in replayed] == ["ticket.taken", "ticket.information_requested", "ticket.message"]
    ids = [int(e.id) for e in replayed]
    assert ids == sorted(ids) and ids[0] > int(last.id)
    assert all(e.event == "ticket" for e in replayed)
    assert rest == []  # no duplicates, and never the internal note


def test_events_that_arrive_while_the_replay_is_read_are_sent_once(
    arun, monkeypatch, customer, specialist, make_ticket, session_of
):
    ticket = make_ticket(customer)
    key = session_of(customer)
    real_replay = live_db.replay

    def replay_with_a_change_in_between(*args, **kwargs):
        # Committed (and published) after the stream subscribed, before its replay query reads.
        services.specialist_reply(specialist, ticket.pk, "Just now.")
        return real_replay(*args, **kwargs)

    async def scenario():
        monkeypatch.setattr(live_db, "replay", replay_with_a_change_in_between)
        async with SSEClient(session=key, query="last_id=0") as client:
            return [e.json["kind"] for e in await client.quiet(0.6)]

    assert arun(scenario()) == ["ticket.created", "ticket.response"]


def test_too_much_missed_means_one_reset_to_the_latest_event(arun, settings, customer, specialist, make_ticket,
                                                             session_of):  # fmt: skip
    settings.LIVE_REPLAY_LIMIT = 2
    ticket = make_ticket(customer)
    key = session_of(customer)
    first = ticket.events.get().pk
    _missed_three(specialist, customer, ticket)
    latest = ticket.events.filter(public=True).latest("id").pk

    async def scenario():
        async with SSEClient(session=key, headers=[(b"last-event-id", str(first).encode())]) as client:
            return await client.quiet(0.5)

    received = arun(scenario())
    assert [(e.event, e.id) for e in received] == [("reset", str(latest))]


def test_an_id_from_the_future_means_a_reset(arun, customer, make_ticket, session_of):
    make_ticket(customer)
    key = session_of(customer)

    async def scenario():
        async with SSEClient(session=key, headers=[(b"last-event-id", b"999999")]) as client:
            return await client.quiet(0.3)

    assert [e.event for e in arun(scenario())] == ["reset"]


def test_a_garbled_last_event_id_is_a_fresh_start(arun, customer, make_ticket, session_of):
    make_ticket(customer)
    key = session_of(customer)

    async def scenario():
        async with SSEClient(session=key, headers=[(b"last-event-id", b"12; DROP TABLE")]) as client:
            return client.status, await client.quiet(0.3)

    assert arun(scenario()) == (200, [])
