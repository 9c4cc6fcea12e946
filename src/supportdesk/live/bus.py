"""The event bus: messages published by any thread of any process, delivered to every stream.

Two backends behind one interface:

* ``InMemoryBus`` (the default): one process. ``publish`` hands the message to each subscribed event
  loop with ``call_soon_threadsafe``; pages run in the page threads (web/serving.py), streams in the server's loop.
* ``RedisBus`` (when ``REDIS_URL`` is set): many processes. ``publish`` is a plain Redis PUBLISH from
  the calling thread (pages, tasks, management commands alike); each process with open streams holds
  one ``redis.asyncio`` subscription and fans messages out to its own streams.

Messages are small JSON-able dicts with a type ``t``: ``event`` (a ticket's ``Event`` row, see
``event_message``), ``presence`` (who views or types on a ticket) and ``signout`` (a session ended).
They carry the facts the stream's filter needs, never a message body or a page fragment.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import redis
import redis.asyncio
from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest

    from supportdesk.tickets.models import Event

log = logging.getLogger(__name__)

Message = dict[str, Any]
Handler = Callable[[Message], None]
GapHandler = Callable[[], None]


def event_message(event: Event) -> Message:
    """The bus message of a committed ``Event``: its ticket's audience facts and new state, no content."""
    ticket = event.ticket
    return {
        "t": "event",
        "id": event.pk,
        "ticket": event.ticket_id,
        "kind": event.kind,
        "public": event.public,
        "org": ticket.organization_id,
        "requester": ticket.requester_id,
        "status": ticket.status,
        "version": ticket.version,
    }


class Subscription:
    """One event loop's subscription; ``close()`` it when the loop's last stream is gone."""

    async def close(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class Bus:
    def publish(self, message: Message) -> None:
        """Send ``message`` to every subscriber. Safe from any thread; never blocks for long."""
        raise NotImplementedError

    async def subscribe(self, handler: Handler, *, on_gap: GapHandler) -> Subscription:
        """Call ``handler(message)`` on the running loop for every message published from now on.

        ``on_gap()`` is called when messages may have been lost (the Redis connection came back).
        """
        raise NotImplementedError


# --- In memory ------------------------------------------------------------------------------------


class _LoopSubscription(Subscription):
    def __init__(self, bus: InMemoryBus, loop: asyncio.AbstractEventLoop, handler: Handler) -> None:
        self.bus, self.loop, self.handler = bus, loop, handler

    async def close(self) -> None:
        self.bus._remove(self)


class InMemoryBus(Bus):
    def __init__(self) -> None:
        self._subscriptions: list[_LoopSubscription] = []
        self._lock = threading.Lock()

    def publish(self, message: Message) -> None:
        for subscription in list(self._subscriptions):
            try:
                subscription.loop.call_soon_threadsafe(subscription.handler, message)
            except RuntimeError:  # the loop is closed: a server or a test that has ended
                self._remove(subscription)

    async def subscribe(self, handler: Handler, *, on_gap: GapHandler) -> Subscription:
        subscription = _LoopSubscription(self, asyncio.get_running_loop(), handler)
        with self._lock:
            self._subscriptions.append(subscription)
        return subscription

    def _remove(self, subscription: _LoopSubscription) -> None:
        with self._lock:
            if subscription in self._subscriptions:
                self._subscriptions.remove(subscription)


# --- Redis ----------------------------------------------------------------------------------------

# An idle subscription pings Redis this often, so a connection that died silently is noticed.
REDIS_IDLE_PING = 30.0
REDIS_RETRY_MAX = 10.0


class _RedisSubscription(Subscription):
    def __init__(self, url: str, channel: str, handler: Handler, on_gap: GapHandler) -> None:
        self.url, self.channel, self.handler, self.on_gap = url, channel, handler, on_gap
        # Named after its channel, so that CLIENT LIST tells which installation a subscriber serves.
        self.client_name = "live:" + "".join(c if c.isalnum() or c in ":-_" else "_" for c in channel)
        self.ready = asyncio.Event()
        self.task = asyncio.get_running_loop().create_task(self._run(), name="live-redis-subscription")

    async def _run(self) -> None:
        delay = 0.2
        connected_before = False
        while True:
            client = redis.asyncio.Redis.from_url(
                self.url, socket_connect_timeout=5, socket_keepalive=True, client_name=self.client_name
            )
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                if connected_before:
                    log.warning("live bus: Redis subscription is back; streams catch up from the database")
                    self.on_gap()
                connected_before, delay = True, 0.2
                self.ready.set()
                while True:
                    raw = await pubsub.get_message(timeout=REDIS_IDLE_PING)
                    if raw is None:
                        await pubsub.ping()
                    elif raw.get("type") == "message":
                        self._deliver(raw["data"])
            except asyncio.CancelledError:
                raise
            except (redis.RedisError, OSError) as exc:
                log.warning("live bus: Redis subscription lost (%s); retrying in %.1f s", exc, delay)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
                    await client.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, REDIS_RETRY_MAX)

    def _deliver(self, data: bytes) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            log.warning("live bus: dropped a message that is not JSON")
            return
        if isinstance(message, dict):
            self.handler(message)

    async def close(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


class RedisBus(Bus):
    def __init__(self, url: str, channel: str) -> None:
        self.url, self.channel = url, channel
        # Publishing happens in page threads and task workers: the synchronous client, short timeouts,
        # so that Redis being down costs a request a logged error, not a hang.
        self._client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def publish(self, message: Message) -> None:
        self._client.publish(self.channel, json.dumps(message, separators=(",", ":")))

    async def subscribe(self, handler: Handler, *, on_gap: GapHandler) -> Subscription:
        subscription = _RedisSubscription(self.url, self.channel, handler, on_gap)
        # Wait (briefly) for the first SUBSCRIBE, so that what is published next is not missed.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(subscription.ready.wait(), timeout=5)
        return subscription


# --- The process's bus ----------------------------------------------------------------------------

_buses: dict[tuple[str, str], Bus] = {}
_buses_lock = threading.Lock()


def get_bus() -> Bus:
    """The bus the settings ask for: Redis when ``REDIS_URL`` is set, else in memory."""
    url = settings.REDIS_URL or ""
    channel = settings.LIVE_REDIS_CHANNEL
    key = (url, channel)
    bus = _buses.get(key)
    if bus is None:
        with _buses_lock:
            bus = _buses.get(key)
            if bus is None:
                bus = RedisBus(url, channel) if url else InMemoryBus()
                _buses[key] = bus
    return bus


def publish(message: Message) -> None:
    get_bus().publish(message)


def publish_event(event: Event) -> None:
    """The ``supportdesk.tickets.events`` listener: every committed event goes on the bus."""
    publish(event_message(event))


def session_digest(session_key: str) -> str:
    """A session's name on the bus: the key itself never leaves the process."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:32]


def publish_signout(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """``user_logged_out`` receiver: the session's open streams end now, whichever process holds them."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if not key:
        return
    try:
        publish({"t": "signout", "session": session_digest(key)})
    except Exception:  # signing out must work with the bus down; the periodic check ends the streams
        log.exception("live bus: could not publish a sign-out")
