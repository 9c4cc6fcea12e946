"""The two bus backends: from the thread that publishes to the event loops that subscribed."""

from __future__ import annotations

import asyncio
import threading
import uuid

import pytest
import redis
from django.conf import settings

from supportdesk.live import bus as live_bus
from supportdesk.live.bus import InMemoryBus, RedisBus
from tests.live.servers import redis_available

REDIS_URL = settings.REDIS_URL or "redis://127.0.0.1:6379/15"
needs_redis = pytest.mark.skipif(not redis_available(REDIS_URL), reason=f"needs Redis at {REDIS_URL}")


def _listen(bus: live_bus.Bus, started: threading.Event, got: list, stop: threading.Event) -> None:
    """A server process's loop in miniature: subscribe, then collect until told to stop."""

    async def main() -> None:
        subscription = await bus.subscribe(got.append, on_gap=lambda: None)
        started.set()
        while not stop.is_set():
            await asyncio.sleep(0.01)
        await subscription.close()

    asyncio.run(main())


def test_in_memory_bus_hands_a_page_threads_message_to_the_streams_loop():
    bus = InMemoryBus()

    async def scenario():
        got: asyncio.Queue = asyncio.Queue()
        subscription = await bus.subscribe(got.put_nowait, on_gap=lambda: None)
        await asyncio.to_thread(bus.publish, {"t": "event", "id": 1})
        first = await asyncio.wait_for(got.get(), 1)
        await subscription.close()
        bus.publish({"t": "event", "id": 2})
        await asyncio.sleep(0.05)
        return first, got.qsize()

    assert asyncio.run(scenario()) == ({"t": "event", "id": 1}, 0)


def test_in_memory_bus_reaches_every_loop_of_the_process():
    bus = InMemoryBus()
    stop = threading.Event()
    started = [threading.Event(), threading.Event()]
    got: list[list] = [[], []]
    threads = [threading.Thread(target=_listen, args=(bus, started[i], got[i], stop)) for i in range(2)]
    for thread in threads:
        thread.start()
    try:
        assert all(event.wait(2) for event in started)
        bus.publish({"t": "event", "id": 7})
        for _ in range(100):
            if all(got):
                break
            threading.Event().wait(0.01)
    finally:
        stop.set()
        for thread in threads:
            thread.join(2)
    assert got == [[{"t": "event", "id": 7}], [{"t": "event", "id": 7}]]


def test_in_memory_bus_forgets_a_loop_that_has_closed():
    bus = InMemoryBus()

    async def subscribe_and_leave():
        await bus.subscribe(lambda message: None, on_gap=lambda: None)

    asyncio.run(subscribe_and_leave())  # the loop closes without unsubscribing
    bus.publish({"t": "event", "id": 1})
    assert bus._subscriptions == []


def test_the_settings_choose_the_backend(settings):
    settings.REDIS_URL = None
    assert isinstance(live_bus.get_bus(), InMemoryBus)
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    chosen = live_bus.get_bus()
    assert isinstance(chosen, RedisBus)
    assert (chosen.url, chosen.channel) == ("redis://127.0.0.1:6379/15", settings.LIVE_REDIS_CHANNEL)
    assert live_bus.get_bus() is chosen


@needs_redis
def test_redis_bus_reaches_subscribers_in_other_processes():
    channel = f"supportdesk-test:{uuid.uuid4().hex}"
    publisher = RedisBus(REDIS_URL, channel)  # a page thread of one process
    stop = threading.Event()
    started = [threading.Event(), threading.Event()]
    got: list[list] = [[], []]
    # Two loops, each with its own Redis subscription, as two server processes would have.
    threads = [
        threading.Thread(target=_listen, args=(RedisBus(REDIS_URL, channel), started[i], got[i], stop))
        for i in range(2)
    ]
    for thread in threads:
        thread.start()
    try:
        assert all(event.wait(5) for event in started)
        publisher.publish({"t": "event", "id": 42, "kind": "ticket.response"})
        for _ in range(300):
            if all(got):
                break
            threading.Event().wait(0.01)
    finally:
        stop.set()
        for thread in threads:
            thread.join(5)
    assert got == [[{"t": "event", "id": 42, "kind": "ticket.response"}]] * 2


@needs_redis
def test_redis_subscription_comes_back_after_losing_its_connection_and_reports_the_gap():
    channel = f"supportdesk-test:{uuid.uuid4().hex}"
    bus = RedisBus(REDIS_URL, channel)
    admin = redis.Redis.from_url(REDIS_URL)

    async def scenario():
        got: asyncio.Queue = asyncio.Queue()
        gaps: list[bool] = []
        subscription = await bus.subscribe(got.put_nowait, on_gap=lambda: gaps.append(True))
        name = subscription.client_name
        killed = admin.client_kill_filter(_id=next(c["id"] for c in admin.client_list() if c["name"] == name))
        for _ in range(100):  # back within a second or so
            await asyncio.sleep(0.05)
            if gaps:
                break
        await asyncio.to_thread(bus.publish, {"t": "event", "id": 3})
        after = await asyncio.wait_for(got.get(), 3)
        await subscription.close()
        return killed, gaps, after

    killed, gaps, after = asyncio.run(scenario())
    assert killed == 1
    assert gaps == [True]
    assert after == {"t": "event", "id": 3}


def test_a_bus_that_is_down_costs_a_page_an_error_in_the_log_not_its_change(
    settings, caplog, customer, make_ticket, django_capture_on_commit_callbacks
):
    """Publishing runs in the change's on-commit hook: the change is saved whatever the bus does."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(customer)
    assert ticket.pk is not None
    assert "failed on event" in caplog.text
