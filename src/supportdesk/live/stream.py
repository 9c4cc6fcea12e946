"""``GET /live/stream``: the Server-Sent Events endpoint, a plain ASGI app beside Django.

It signs the user in once from the session cookie (in a worker thread, connections closed after),
then holds no thread and no database connection: it waits on its ``Stream`` in the process's hub.

Query parameters (all optional): ``last_id`` (like the ``Last-Event-ID`` header, for a page that
reconnects by itself), ``age`` (ms since the page was rendered, on its first connection: what
happened in between is replayed) and ``presence`` (the ticket whose viewers and typists to follow).

What goes out (docs/live.md): ``ticket`` events (``id:`` is the Event id), ``presence``, ``reset``
(too much was missed: refresh the page's live parts), ``end`` (signed out: stop), and comment
heartbeats every ``LIVE_HEARTBEAT_SECONDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http.request import split_domain_port, validate_host

from supportdesk.live import db
from supportdesk.live.bus import Message
from supportdesk.live.hub import Stream, hub, replay_limit, shutdown

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

PATH = "/live/stream"
# How long the browser waits before reconnecting after the stream ends (ms).
RETRY_MS = 2000
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"x-accel-buffering", b"no"),  # nginx: pass each event on at once
    (b"x-content-type-options", b"nosniff"),
]
HEARTBEAT_BYTES = b": heartbeat\n\n"
# Ends that mean "do not come back": the page stops its stream and says so.
FINAL_REASONS = frozenset({"signed_out"})

__all__ = ["PATH", "app", "shutdown"]


def _encode(message: Message) -> bytes:
    """One SSE message. Ticket events and presence are encoded once per process and shared."""
    kind = message["t"]
    if kind == "heartbeat":
        return HEARTBEAT_BYTES
    cached = message.get("_sse")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    if kind == "event":
        data = {k: message[k] for k in ("id", "ticket", "kind", "status", "version")}
        encoded = f"id: {message['id']}\nevent: ticket\ndata: {_json(data)}\n\n".encode()
    elif kind == "presence":
        data = {k: message[k] for k in ("ticket", "user", "name", "state", "ttl")}
        encoded = f"event: presence\ndata: {_json(data)}\n\n".encode()
    elif kind == "reset":
        head = f"id: {message['id']}\n" if message.get("id") is not None else ""
        encoded = f"{head}event: reset\ndata: {{}}\n\n".encode()
    else:
        raise ValueError(f"no SSE form for message type {kind!r}")
    message["_sse"] = encoded
    return encoded


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None and value.strip() else None
    except ValueError:
        return None


async def _plain(send: Send, status: int, text: str = "") -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store")],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


def _host_allowed(host: str) -> bool:
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, allowed)


@dataclass(frozen=True, slots=True)
class _Request:
    """What the stream needs of its request; the parsed headers and cookies are not kept alive."""

    session_key: str | None
    after: int | None
    page_age: int | None
    presence: int | None


def _read_request(scope: Scope) -> _Request | int:
    """The request's facts, or the status to refuse it with."""
    if scope["path"] != PATH:
        return 404
    if scope["method"] != "GET":
        return 405
    headers: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}; {text}" if key == "cookie" and key in headers else text
    if not _host_allowed(headers.get("host", "")):
        return 400
    cookies: SimpleCookie = SimpleCookie()
    with contextlib.suppress(Exception):
        cookies.load(headers.get("cookie", ""))
    morsel = cookies.get(settings.SESSION_COOKIE_NAME)
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    after = _int(headers.get("last-event-id")) if "last-event-id" in headers else _int(query.get("last_id", [None])[0])
    return _Request(
        session_key=morsel.value if morsel else None,
        after=after,
        page_age=_int(query.get("age", [None])[0]) if after is None else None,
        presence=_int(query.get("presence", [None])[0]),
    )


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    request = _read_request(scope)
    if isinstance(request, int):
        await _plain(send, request, {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}[request])
        return
    identity = await sync_to_async(db.authenticate, thread_sensitive=False)(request.session_key)
    if identity is None:
        # Any status but 200 stops the browser's EventSource for good: nothing to see here.
        await _plain(send, 403)
        return
    stream = Stream(identity, presence_ticket=request.presence)
    await _serve(stream, request.after, request.page_age, receive, send)


class _Gone(Exception):
    """The client went away: a write failed."""


async def _write(send: Send, body: bytes, *, more: bool = True) -> None:
    try:
        await send({"type": "http.response.body", "body": body, "more_body": more})
    except Exception as exc:  # servers differ: OSError, their own ClientDisconnected, RuntimeError
        raise _Gone from exc


async def _serve(stream: Stream, after: int | None, page_age: int | None, receive: Receive, send: Send) -> None:
    current = hub()
    await current.add(stream)  # subscribed before the replay query: nothing falls in between
    watcher = _DisconnectWatcher(receive, stream)
    try:
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        batch, skip = await _catch_up(stream, after, page_age)
        current.last_event_id = max(current.last_event_id, skip.head)
        # The first write, once the replay is read: the reconnection delay, then what was missed.
        await _write(send, f"retry: {RETRY_MS}\n\n".encode() + b"".join(map(_encode, batch)))
        batch = []
        while stream.end_reason is None:
            if batch:
                await _write(send, b"".join(map(_encode, batch)))
            batch = [m for m in await stream.next_batch() if not skip.covers(m)] if skip else await stream.next_batch()
        if stream.end_reason in FINAL_REASONS:
            await _write(send, f"event: end\ndata: {_json({'reason': stream.end_reason})}\n\n".encode())
        await _write(send, b"", more=False)
    except _Gone:
        log.debug("live: client of user %s went away", stream.identity.user_id)
    finally:
        current.remove(stream)
        watcher.cancel()


@dataclass(slots=True)
class _Replayed:
    """Live messages that arrived while the replay was read may repeat it: those are dropped."""

    head: int
    ids: frozenset[int]
    upto: int  # after a reset, everything up to the reset's id is covered by the page's refresh

    def __bool__(self) -> bool:
        return bool(self.ids) or bool(self.upto)

    def covers(self, message: Message) -> bool:
        return message["t"] == "event" and (message["id"] in self.ids or message["id"] <= self.upto)


async def _catch_up(stream: Stream, after: int | None, page_age: int | None) -> tuple[list[Message], _Replayed]:
    """The replay to send first, then what arrived meanwhile, minus repeats."""
    replay = await sync_to_async(db.replay, thread_sensitive=False)(
        stream.identity.user_id, after=after, page_age_ms=page_age, limit=replay_limit()
    )
    skip = _Replayed(replay.head, frozenset(m["id"] for m in replay.events), replay.head if replay.reset else 0)
    batch: list[Message] = [{"t": "reset", "id": replay.head}] if replay.reset else list(replay.events)
    batch += [m for m in stream.take_pending() if not skip.covers(m)]
    return batch, skip


class _DisconnectWatcher:
    """Ends the stream when the client goes away, without a task of its own where the server's
    ``receive()`` is already a future (granian's is): a done-callback chain."""

    __slots__ = ("current", "receive", "stream")

    def __init__(self, receive: Receive, stream: Stream) -> None:
        self.receive, self.stream = receive, stream
        self.current: asyncio.Future[Any] | None = None
        self._next()

    def _next(self) -> None:
        self.current = asyncio.ensure_future(self.receive())
        self.current.add_done_callback(self._done)

    def _done(self, future: asyncio.Future[Any]) -> None:
        if future.cancelled():
            return
        if future.exception() is not None or future.result()["type"] == "http.disconnect":
            self.stream.end("gone")
        elif self.stream.end_reason is None:
            self._next()

    def cancel(self) -> None:
        if self.current is not None and not self.current.done():
            self.current.cancel()
