"""The SSE endpoint driven in-process: what it answers, what it sends, and when it stops."""

from __future__ import annotations

import asyncio

import pytest
from django.contrib.sessions.models import Session

from supportdesk.live import bus as live_bus
from supportdesk.live import hub as live_hub
from supportdesk.tickets import events, services
from tests.live.conftest import SSEClient, in_thread

pytestmark = pytest.mark.django_db(transaction=True)


def test_anonymous_stream_is_refused_with_nothing_in_it(arun):
    async def scenario():
        async with SSEClient() as anonymous, SSEClient(session="not-a-session") as forged:
            await asyncio.sleep(0.1)
        return anonymous, forged

    anonymous, forged = arun(scenario())
    for client in (anonymous, forged):
        assert client.status == 403
        assert client.body == b""
        assert client.received == []


def test_only_get_on_the_exact_path_is_a_stream(arun, customer, session_of):
    key = session_of(customer)

    async def scenario():
        async with SSEClient(session=key, method="POST") as post, SSEClient(session=key, path="/live/streamx") as other:
            return post.status, other.status

    assert arun(scenario()) == (405, 404)


def test_unknown_host_is_refused(arun, customer, session_of):
    key = session_of(customer)

    async def scenario():
        client = SSEClient(session=key)
        client.scope["headers"] = [(b"host", b"evil.example"), *client.scope["headers"][1:]]
        async with client:
            return client.status

    assert arun(scenario()) == 400


def test_customer_stream_carries_the_facts_of_a_response_and_no_content(
    arun, customer, specialist, make_ticket, session_of
):
    ticket = make_ticket(customer)
    key = session_of(customer)

    async def scenario():
        async with SSEClient(session=key) as client:
            assert client.status == 200
            assert client.headers["content-type"].startswith("text/event-stream")
            assert client.headers["cache-control"] == "no-store"
            await in_thread(services.specialist_reply, specialist, ticket.pk, "Open Campaigns, then New.")
            return await client.next(kind="ticket")

    event = arun(scenario())
    assert event.json == {
        "id": int(event.id),
        "ticket": ticket.pk,
        "kind": "ticket.response",
        "status": "open",
        "version": 2,
    }
    assert "Campaigns" not in event.data


def test_stream_starts_with_a_retry_delay_and_sends_heartbeats(arun, settings, customer, session_of):
    settings.LIVE_HEARTBEAT_SECONDS = 0.1
    key = session_of(customer)

    async def scenario():
        async with SSEClient(session=key) as client:
            for _ in range(100):  # three heartbeats, however busy the machine is
                if client.comments >= 3:
                    break
                await asyncio.sleep(0.05)
            return client

    client = arun(scenario())
    assert client.retry == 2000
    assert client.comments >= 3
    assert client.received == []


def test_signing_out_ends_that_sessions_streams_at_once(arun, customer, client_for, session_of):
    browser = client_for(customer)
    key = browser.cookies["sessionid"].value
    other_key = session_of(customer)  # the same person signed in elsewhere keeps his stream

    async def scenario():
        async with SSEClient(session=key) as signed_out, SSEClient(session=other_key) as elsewhere:
            await in_thread(browser.post, "/accounts/logout/")
            end = await signed_out.next(kind="end")
            await asyncio.wait_for(signed_out.finished.wait(), 2)
            assert not elsewhere.finished.is_set()
            return end

    assert arun(scenario()).json == {"reason": "signed_out"}


def test_a_session_that_disappears_ends_its_stream_at_the_next_check(arun, settings, customer, session_of):
    settings.LIVE_HEARTBEAT_SECONDS = 0.1
    key = session_of(customer)

    async def scenario():
        async with SSEClient(session=key) as client:
            await in_thread(Session.objects.filter(session_key=key).delete)
            return await client.next(kind="end", timeout=3)

    assert arun(scenario()).json == {"reason": "signed_out"}


def test_a_deactivated_user_loses_his_stream(arun, settings, customer, session_of):
    settings.LIVE_HEARTBEAT_SECONDS = 0.1
    key = session_of(customer)

    async def scenario():
        async with SSEClient(session=key) as client:
            customer.is_active = False
            await in_thread(customer.save, update_fields=["is_active"])
            return await client.next(kind="end", timeout=3)

    assert arun(scenario()).json == {"reason": "signed_out"}


def test_a_changed_password_ends_the_other_sessions_streams(arun, settings, customer, session_of):
    settings.LIVE_HEARTBEAT_SECONDS = 0.1
    key = session_of(customer)

    async def scenario():
        async with SSEClient(session=key) as client:
            customer.set_password("another-secret-1")
            await in_thread(customer.save)
            return await client.next(kind="end", timeout=3)

    assert arun(scenario()).json == {"reason": "signed_out"}


def test_when_sharing_stops_the_colleagues_tickets_stop_arriving(
    arun, settings, sharing_org, sharing_customer, sharing_colleague, specialist, make_ticket, session_of
):
    settings.LIVE_HEARTBEAT_SECONDS = 0.1
    theirs = make_ticket(sharing_colleague)
    key = session_of(sharing_customer)

    async def scenario():
        async with SSEClient(session=key) as client:
            await in_thread(services.take, specialist, theirs.pk)
            seen = await client.next(kind="ticket")
            sharing_org.shares_tickets = False
            await in_thread(sharing_org.save, update_fields=["shares_tickets"])
            await client.next(kind="reset", timeout=3)  # the page refreshes what it shows
            await in_thread(services.specialist_reply, specialist, theirs.pk, "Done.")
            return seen, await client.quiet(0.5)

    seen, after = arun(scenario())
    assert seen.json["ticket"] == theirs.pk
    assert after == []


def test_shutdown_ends_every_stream_promptly_so_the_server_can_stop(arun, customer, specialist, session_of):
    keys = [session_of(customer), session_of(specialist)]

    async def scenario():
        async with SSEClient(session=keys[0]) as one, SSEClient(session=keys[1]) as two:
            await live_hub.shutdown()
            await asyncio.wait_for(asyncio.gather(one.finished.wait(), two.finished.wait()), 1)
            return one, two

    one, two = arun(scenario())
    # No "end" event: after a restart the browser reconnects with Last-Event-ID and catches up.
    assert [e.event for e in one.received + two.received] == []


def test_a_closed_tab_leaves_the_hub(arun, customer, session_of):
    key = session_of(customer)

    async def scenario():
        client = SSEClient(session=key)
        await client.__aenter__()
        current = live_hub.hub()
        assert len(current.streams) == 1
        await client.close()
        return len(current.streams)

    assert arun(scenario()) == 0


def test_first_connection_replays_what_happened_since_the_page_was_rendered(
    arun, customer, specialist, make_ticket, session_of
):
    ticket = make_ticket(customer)
    key = session_of(customer)
    services.take(specialist, ticket.pk)  # between the page's render and the stream's start

    async def scenario():
        async with SSEClient(session=key, query="age=1500") as client:
            return await client.quiet(0.3)

    kinds = [e.json["kind"] for e in arun(scenario())]
    assert kinds == ["ticket.created", "ticket.taken"]  # both within the page's age plus the slack


def test_a_client_that_cannot_keep_up_is_dropped(arun, monkeypatch, customer, session_of):
    monkeypatch.setattr(live_hub, "MAX_PENDING", 3)
    key = session_of(customer)

    async def scenario():
        async with SSEClient(session=key) as client:
            stream = next(iter(live_hub.hub().streams))
            for _ in range(4):  # all at once: the writer gets no turn in between
                stream.offer(live_hub.HEARTBEAT)
            await asyncio.wait_for(client.finished.wait(), 1)
            return stream.end_reason

    assert arun(scenario()) == "slow"


def _while_the_bus_is_down(func, *args):
    events.remove_listener(live_bus.publish_event)
    try:
        return func(*args)
    finally:
        events.add_listener(live_bus.publish_event)


def test_after_a_bus_outage_the_process_catches_up_from_the_database(
    arun, customer, specialist, make_ticket, session_of
):
    ticket = make_ticket(customer)
    key = session_of(customer)

    async def scenario():
        async with SSEClient(session=key) as client:
            await in_thread(services.take, specialist, ticket.pk)
            await client.next(kind="ticket")
            await in_thread(_while_the_bus_is_down, services.specialist_reply, specialist, ticket.pk, "Lost?")
            live_hub.hub()._on_gap()  # what the Redis subscription calls once it is back
            return await client.next(kind="ticket")

    assert arun(scenario()).json["kind"] == "ticket.response"


def test_after_a_long_bus_outage_pages_refresh_instead(arun, settings, customer, specialist, make_ticket, session_of):
    settings.LIVE_REPLAY_LIMIT = 1
    ticket = make_ticket(customer)
    key = session_of(customer)

    async def scenario():
        async with SSEClient(session=key) as client:
            await in_thread(services.take, specialist, ticket.pk)
            await client.next(kind="ticket")
            for text in ("One.", "Two."):
                await in_thread(_while_the_bus_is_down, services.specialist_reply, specialist, ticket.pk, text)
            live_hub.hub()._on_gap()
            return await client.next()

    assert arun(scenario()).event == "reset"
