"""Django's WSGI handler behind the ASGI router, with one hand-off to a page thread per request.

a2wsgi's ``WSGIMiddleware`` hands every piece of a response from the page thread to the event loop
and waits for it there: the start, each chunk and the end, three round trips across threads and a
sender task for a page that Django already holds whole in memory. Measured at 1M tickets
(docs/performance.md, "Serving"), that made a bare view cost 0.80 ms of CPU through the router
against 0.47 through granian's own WSGI interface.

``Pages`` keeps a2wsgi's environ and request body (read from the loop when Django asks for it) and
sends a page's response from the loop once the thread is done with it. A streamed response (a file,
through ``FileResponse``) is still handed over chunk by chunk from the thread, each one waited for,
so a large file is never held in memory and a slow client slows its reader down.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from itertools import chain
from typing import Any

from a2wsgi.wsgi import Body, build_environ

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Pages:
    """An ASGI app that runs a WSGI app in a bounded pool of ``threads`` threads."""

    def __init__(self, app: WSGIApp, *, threads: int) -> None:
        self.app = app
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="WSGI")

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            # No page speaks WebSocket: refuse the handshake, as a2wsgi did (granian accepts the upgrade).
            await send({"type": "websocket.close", "code": 1000})
            return
        loop = asyncio.get_running_loop()

        # Both are called from the page thread through run_coroutine_threadsafe, which takes only
        # coroutines; granian's receive and send return awaitables that are not.
        async def receive_coroutine() -> Message:
            return await receive()

        async def send_coroutine(message: Message) -> None:
            await send(message)

        environ: dict[str, Any] = build_environ(scope, Body(loop, receive_coroutine))  # type: ignore[arg-type,assignment]
        context = contextvars.copy_context()  # each request in a context of its own, as a2wsgi does
        respond = partial(context.run, self._respond, environ, loop, send_coroutine)
        whole = await loop.run_in_executor(self.executor, respond)
        if whole is not None:
            for message in whole:
                await send(message)

    def _respond(
        self, environ: dict[str, Any], loop: asyncio.AbstractEventLoop, send: Callable[[Message], Any]
    ) -> list[Message] | None:
        """In the page thread: the response's messages, or None once a streamed one is sent."""
        start: Message = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., Any]:
            encoded = [
                (name.strip().lower().encode("latin1"), value.strip().encode("latin1")) for name, value in headers
            ]
            start.update(type="http.response.start", status=int(status.split(" ", 1)[0]), headers=encoded)
            return _no_write

        response = self.app(environ, start_response)
        try:
            if not getattr(response, "streaming", False):
                body = b"".join(response)
                return [start, {"type": "http.response.body", "body": body}]

            def out(message: Message) -> None:
                asyncio.run_coroutine_threadsafe(send(message), loop).result()

            chunks = iter(response)
            first = next(chunks, b"")  # a WSGI app may call start_response as late as its first chunk
            out(start)
            for chunk in chain((first,), chunks):
                if chunk:
                    out({"type": "http.response.body", "body": chunk, "more_body": True})
            out({"type": "http.response.body", "body": b""})
            return None
        finally:
            # In this thread: Django's request_finished closes this thread's database connection.
            close = getattr(response, "close", None)
            if close is not None:
                close()


def _no_write(data: bytes) -> None:
    raise NotImplementedError("the WSGI write() callable is not supported: return the body instead")
