"""Helpers for the live tests: the stream driven as an ASGI app in this process, with a hand-written
receive/send pair, and the services run in threads as pages would run them.

Tests that open streams are ``transaction=True``: the stream signs in and replays from worker threads,
which only see committed rows. Each test gets its own Redis channel, so that runs sharing a Redis
server (CI's PostgreSQL step sets ``REDIS_URL``) never hear each other.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connections
from django.test import Client

from supportdesk.live import bus as live_bus
from supportdesk.live import hub as live_hub
from supportdesk.live.stream import app as stream_app


@pytest.fixture(autouse=True)
def _own_channel(settings: Any) -> None:
    settings.LIVE_REDIS_CHANNEL = f"supportdesk-test:{uuid.uuid4().hex}"


@dataclass
class SSEEvent:
    event: str
    data: str
    id: str | None

    @property
    def json(self) -> Any:
        return json.loads(self.data)


class SSEClient:
    """One ``GET /live/stream`` against the ASGI app, read as a browser's EventSource would."""

    def __init__(
        self,
        *,
        session: str | None = None,
        query: str = "",
        headers: list[tuple[bytes, bytes]] | None = None,
        path: str = "/live/stream",
        method: str = "GET",
    ) -> None:
        cookie = [(b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={session}".encode())] if session else []
        self.scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1:8000"), *cookie, *(headers or [])],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.body = b""
        self.events: asyncio.Queue[SSEEvent] = asyncio.Queue()
        self.received: list[SSEEvent] = []
        self.comments = 0
        self.retry: int | None = None
        self.finished = asyncio.Event()
        self._started = asyncio.Event()
        self._first_body = asyncio.Event()
        self._incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._incoming.put_nowait({"type": "http.request", "body": b"", "more_body": False})
        self._buffer = ""
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> SSEClient:
        """Open the stream; return once its first bytes are in (for a stream: its replay is read)."""
        self.task = asyncio.ensure_future(stream_app(self.scope, self._receive, self._send))
        started = asyncio.ensure_future(self._first_body.wait())
        await asyncio.wait({started, self.task}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
        started.cancel()
        if self.task.done():
            self.task.result()
        assert self.status is not None, "the stream sent no response"
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _receive(self) -> dict[str, Any]:
        return await self._incoming.get()

    async def _send(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = {k.decode().lower(): v.decode() for k, v in message.get("headers", [])}
            self._started.set()
        elif message["type"] == "http.response.body":
            self._first_body.set()
            chunk = message.get("body", b"")
            self.body += chunk
            self._parse(chunk.decode())
            if not message.get("more_body", False):
                self.finished.set()

    def _parse(self, text: str) -> None:
        self._buffer += text
        while "\n\n" in self._buffer:
            block, self._buffer = self._buffer.split("\n\n", 1)
            fields: dict[str, list[str]] = {}
            for line in block.split("\n"):
                if line.startswith(":"):
                    self.comments += 1
                    continue
                name, _, value = line.partition(":")
                fields.setdefault(name, []).append(value[1:] if value.startswith(" ") else value)
            if "retry" in fields:
                self.retry = int(fields["retry"][0])
            if "data" in fields:
                event = SSEEvent(
                    fields.get("event", ["message"])[0], "\n".join(fields["data"]), fields.get("id", [None])[0]
                )
                self.received.append(event)
                self.events.put_nowait(event)

    async def next(self, timeout: float = 5.0, *, kind: str | None = None) -> SSEEvent:
        """The next event (of ``kind``, skipping others); fails after ``timeout`` seconds."""
        while True:
            event = await asyncio.wait_for(self.events.get(), timeout)
            if kind is None or event.event == kind:
                return event

    async def quiet(self, seconds: float = 0.5) -> list[SSEEvent]:
        """Every event that arrives within ``seconds``."""
        found = []
        loop = asyncio.get_running_loop()
        until = loop.time() + seconds
        while (left := until - loop.time()) > 0:
            try:
                found.append(await asyncio.wait_for(self.events.get(), left))
            except TimeoutError:
                break
        return found

    async def close(self) -> None:
        """The browser goes away."""
        self._incoming.put_nowait({"type": "http.disconnect"})
        if self.task is not None:
            await asyncio.wait_for(self.task, 5)


def _closing(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    for attempt in range(20):
        try:
            return func(*args, **kwargs)
        except OperationalError as exc:
            # SQLite's in-memory test database is shared between threads in "shared cache" mode,
            # where a reader locks a table against writers with no waiting (a file database in WAL
            # mode, as in production, has readers that never block a writer). A stream's periodic
            # check reading at the wrong moment is no failure of the code under test: try again.
            if "table is locked" not in str(exc) or attempt == 19:
                raise
            time.sleep(0.02)
        finally:
            connections.close_all()
    raise AssertionError("unreachable")


async def in_thread(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run ``func`` as a page would: in a thread of its own, connections closed after."""
    return await asyncio.to_thread(_closing, func, *args, **kwargs)


@pytest.fixture
def arun() -> Callable[[Coroutine[Any, Any, Any]], Any]:
    """``arun(coro)``: run a test's async part on a fresh loop, and shut that loop's streams after."""

    def run(coro: Coroutine[Any, Any, Any]) -> Any:
        async def main() -> Any:
            try:
                return await coro
            finally:
                await live_hub.shutdown()

        return asyncio.run(main())

    return run


@pytest.fixture
def session_of(client_for: Callable[[Any], Client]) -> Callable[[Any], str]:
    """``session_of(user)``: the key of a fresh signed-in session of ``user``."""

    def make(user: Any) -> str:
        return client_for(user).cookies[django_settings.SESSION_COOKIE_NAME].value

    return make


class RecordingBus(live_bus.Bus):
    def __init__(self) -> None:
        self.messages: list[live_bus.Message] = []

    def publish(self, message: live_bus.Message) -> None:
        self.messages.append(message)


@pytest.fixture
def bus_messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[live_bus.Message]]:
    """What goes on the bus, in order, instead of to any subscriber."""
    recording = RecordingBus()
    monkeypatch.setattr(live_bus, "get_bus", lambda: recording)
    yield recording.messages
