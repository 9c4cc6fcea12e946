"""The streams of one event loop (one server process): fan-out, heartbeats, access checks, shutdown.

One ``Hub`` per loop holds one bus subscription and one ticker task, however many streams are open:
an idle stream is a small object with a queue, and costs nothing until a message for it arrives.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
from types import FrameType
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings

from supportdesk.live import db
from supportdesk.live.audience import Audience
from supportdesk.live.bus import Message, Subscription, get_bus

log = logging.getLogger(__name__)

HEARTBEAT: Message = {"t": "heartbeat"}
# A client that cannot keep up with this many unsent messages is dropped; it reconnects and replays.
MAX_PENDING = 500


class Stream:
    """One open SSE response: what its user may receive and what is waiting to be written."""

    __slots__ = ("end_reason", "identity", "loop", "pending", "presence_ticket", "waiter")

    def __init__(self, identity: db.Identity, *, presence_ticket: int | None = None) -> None:
        self.identity = identity
        self.presence_ticket = presence_ticket
        self.pending: list[Message] = []  # a list, not a deque: an empty deque costs ten times more
        self.waiter: asyncio.Future[None] | None = None
        self.end_reason: str | None = None
        self.loop = asyncio.get_running_loop()

    @property
    def audience(self) -> Audience:
        return self.identity.audience

    def offer(self, message: Message) -> None:
        if self.end_reason is not None:
            return
        if len(self.pending) >= MAX_PENDING:
            self.end("slow")
            return
        self.pending.append(message)
        self._wake()

    def end(self, reason: str) -> None:
        """Finish the response. ``signed_out``/``access`` tell the page to stop; others let it reconnect."""
        if self.end_reason is None:
            self.end_reason = reason
            self._wake()

    def _wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def next_batch(self) -> list[Message]:
        """Everything waiting, once there is something; an empty list once the stream has ended."""
        while not self.pending and self.end_reason is None:
            self.waiter = self.loop.create_future()
            try:
                await self.waiter
            finally:
                self.waiter = None
        if self.end_reason is not None:
            return []
        return self.take_pending()

    def take_pending(self) -> list[Message]:
        batch, self.pending = self.pending, []
        return batch


class Hub:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.streams: set[Stream] = set()
        self.last_event_id = 0
        self._subscription: Subscription | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._start_lock = asyncio.Lock()
        self._closed = False

    # --- lifecycle ---

    async def add(self, stream: Stream) -> None:
        """Register ``stream``; from now on it receives what is published (subscribing first if needed)."""
        if self._subscription is None:
            async with self._start_lock:
                if self._subscription is None:
                    self._subscription = await get_bus().subscribe(self.dispatch, on_gap=self._on_gap)
                    self._ticker = self.loop.create_task(self._tick(), name="live-ticker")
                    _install_signal_handlers(self.loop)
        self.streams.add(stream)

    def remove(self, stream: Stream) -> None:
        self.streams.discard(stream)

    def end_all(self, reason: str) -> None:
        for stream in list(self.streams):
            stream.end(reason)

    async def close(self) -> None:
        """End every stream now and let go of the bus: the server is shutting down."""
        self._closed = True
        self.end_all("shutdown")
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        if self._subscription is not None:
            await self._subscription.close()
        self._subscription = self._ticker = None

    # --- fan-out ---

    def dispatch(self, message: Message) -> None:
        """One bus message to the streams that may have it (runs on the loop, no I/O)."""
        kind = message.get("t")
        if kind == "event":
            self.last_event_id = max(self.last_event_id, int(message["id"]))
            for stream in list(self.streams):
                if stream.audience.receives(message):
                    stream.offer(message)
        elif kind == "presence":
            for stream in list(self.streams):
                if (
                    stream.presence_ticket == message["ticket"]
                    and stream.audience.staff
                    and stream.identity.user_id != message["user"]
                ):
                    stream.offer(message)
        elif kind == "signout":
            for stream in list(self.streams):
                if stream.identity.session_digest == message["session"]:
                    stream.end("signed_out")

    def _on_gap(self) -> None:
        self.loop.create_task(self._catch_up())

    async def _catch_up(self) -> None:
        """After the bus came back: what was published meanwhile, from the database, or a reset."""
        missed = None
        if self.last_event_id:
            try:
                missed = await sync_to_async(db.events_after, thread_sensitive=False)(
                    self.last_event_id, limit=replay_limit()
                )
            except Exception:
                log.exception("live: catching up after a bus outage failed")
        if missed is None:
            for stream in list(self.streams):
                stream.offer({"t": "reset", "id": None})
            return
        for message in missed:
            self.dispatch(message)

    # --- heartbeats and access checks ---

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(settings.LIVE_HEARTBEAT_SECONDS)
            for stream in list(self.streams):
                stream.offer(HEARTBEAT)
            await self.recheck()

    async def recheck(self) -> None:
        """End the streams whose session ended or whose user lost access; follow changes of access."""
        streams = [s for s in self.streams if s.end_reason is None]
        if not streams:
            return
        try:
            audiences = await sync_to_async(db.recheck, thread_sensitive=False)(s.identity for s in streams)
        except Exception:
            log.exception("live: the periodic access check failed; streams stay open until the next one")
            return
        for stream in streams:
            audience = audiences.get(stream.identity.session_key)
            if audience is None:
                stream.end("signed_out")
            elif audience != stream.audience:
                stream.identity.audience = audience
                stream.offer({"t": "reset", "id": None})


def replay_limit() -> int:
    return int(getattr(settings, "LIVE_REPLAY_LIMIT", 200))


# --- one hub per loop -----------------------------------------------------------------------------

_hubs: dict[int, Hub] = {}


def hub() -> Hub:
    """The running loop's hub."""
    loop = asyncio.get_running_loop()
    current = _hubs.get(id(loop))
    if current is None or current.loop is not loop or current._closed:
        for key, other in list(_hubs.items()):
            if other.loop.is_closed():
                del _hubs[key]
        current = _hubs[id(loop)] = Hub(loop)
    return current


async def shutdown() -> None:
    """End the running loop's streams promptly (ASGI lifespan shutdown, or SIGTERM/SIGINT)."""
    current = _hubs.pop(id(asyncio.get_running_loop()), None)
    if current is not None:
        await current.close()


# Granian (like uvicorn) waits for open connections to finish before it runs the lifespan shutdown,
# and an SSE response never finishes by itself: without this, every restart waits for the kill
# timeout. So the first stream of a server's main loop chains a handler in front of the server's own
# SIGTERM/SIGINT handler that ends the streams first. Only a handler the server installed is chained.
_signals_installed = False


def _install_signal_handlers(loop: asyncio.AbstractEventLoop) -> None:
    global _signals_installed
    if _signals_installed or threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(signum)
        if not callable(previous) or previous is signal.default_int_handler:
            continue

        def handler(number: int, frame: FrameType | None, previous: Any = previous) -> None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(lambda: loop.create_task(shutdown()))
            previous(number, frame)

        signal.signal(signum, handler)
        _signals_installed = True
    if _signals_installed:
        log.debug("live: streams end on SIGTERM/SIGINT in process %s", os.getpid())
