"""web.serving.Pages: a WSGI app under the ASGI router, driven here as granian drives it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable, Iterator, MutableMapping
from typing import Any

from supportdesk.web.serving import Pages


def serve(app: Any, body_parts: Iterable[bytes] = (b"",), method: str = "GET") -> list[dict[str, Any]]:
    """One request through ``Pages``; what it sent."""
    parts = list(body_parts)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        body = parts.pop(0)
        return {"type": "http.request", "body": body, "more_body": bool(parts)}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(dict(message))

    scope = {
        "type": "http", "http_version": "1.1", "method": method, "scheme": "http", "path": "/here",
        "query_string": b"a=1", "root_path": "", "headers": [(b"content-type", b"text/plain")],
        "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 5000),
    }  # fmt: skip
    asyncio.run(Pages(app, threads=2)(scope, receive, send))
    return sent


class Closing(list[bytes]):
    """A response body that records the thread that closed it."""

    streaming = False
    closed_in: str | None = None

    def close(self) -> None:
        self.closed_in = threading.current_thread().name


def test_a_page_is_sent_whole_after_its_thread_is_done() -> None:
    body = Closing([b"<p>", b"hello</p>"])
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        seen.update(environ)
        start_response("201 Created", [("Content-Type", "text/html"), ("X-Thing", "1")])
        return body

    sent = serve(app)
    assert sent == [
        {
            "type": "http.response.start",
            "status": 201,
            "headers": [(b"content-type", b"text/html"), (b"x-thing", b"1")],
        },
        {"type": "http.response.body", "body": b"<p>hello</p>"},
    ]
    # Closed in the page thread (Django closes that thread's database connection there), before sending.
    assert body.closed_in is not None and body.closed_in.startswith("WSGI")
    assert seen["PATH_INFO"] == "/here" and seen["QUERY_STRING"] == "a=1" and seen["CONTENT_TYPE"] == "text/plain"


def test_the_request_body_is_read_across_its_messages() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        data = environ["wsgi.input"].read()
        start_response("200 OK", [])
        return [data[::-1]]

    sent = serve(app, [b"abc", b"def", b"g"], method="POST")
    assert sent[1]["body"] == b"gfedcba"


class Streamed:
    streaming = True

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks

    def close(self) -> None:
        self.closed = True


def test_a_streamed_response_goes_out_chunk_by_chunk() -> None:
    body = Streamed([b"one", b"", b"two"])

    def app(environ: dict[str, Any], start_response: Any) -> Streamed:
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return body

    sent = serve(app)
    assert sent == [
        {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/octet-stream")]},
        {"type": "http.response.body", "body": b"one", "more_body": True},
        {"type": "http.response.body", "body": b"two", "more_body": True},
        {"type": "http.response.body", "body": b""},
    ]
    assert body.closed


def test_a_streamed_response_may_start_at_its_first_chunk() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        class Late:
            streaming = True

            def __iter__(self) -> Iterator[bytes]:
                start_response("200 OK", [])
                yield b"late"

        return Late()  # type: ignore[return-value]

    sent = serve(app)
    assert sent[0] == {"type": "http.response.start", "status": 200, "headers": []}
    assert sent[1]["body"] == b"late"


def test_a_websocket_handshake_is_refused() -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(dict(message))

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        raise AssertionError("no page serves a WebSocket")

    scope = {"type": "websocket", "path": "/help/", "query_string": b"", "headers": []}
    asyncio.run(Pages(app, threads=1)(scope, receive, send))
    assert sent == [{"type": "websocket.close", "code": 1000}]
