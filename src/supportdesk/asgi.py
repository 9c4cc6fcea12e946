"""The one ASGI application the server runs.

Pages go to Django's WSGI handler in a bounded pool of threads (``web.serving.Pages``): measured
on this machine, Django's own ASGI handler halves page throughput (docs/architecture.md, "Serving").
Long-lived streams are served by plain ASGI endpoints registered in ``STREAMS`` (path prefix →
app), which hold no thread while idle.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")

from supportdesk.web.serving import Pages  # noqa: E402
from supportdesk.wsgi import application as django_wsgi  # noqa: E402

# isort: split
# After the WSGI application, which sets Django up: the stream's modules import models.
from supportdesk.live import stream as live_stream  # noqa: E402

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PAGE_THREADS = int(os.environ.get("PAGE_THREADS", "4"))
pages = Pages(django_wsgi, threads=PAGE_THREADS)

# Path prefix → plain ASGI app.
STREAMS: dict[str, ASGIApp] = {
    live_stream.PATH: live_stream.app,  # Server-Sent Events of the live pages (docs/live.md)
}


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            # Open streams never end by themselves: close them so that the server can stop.
            await live_stream.shutdown()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def application(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    path = scope.get("path", "")
    for prefix, app in STREAMS.items():
        if path.startswith(prefix):
            await app(scope, receive, send)
            return
    await pages(scope, receive, send)


# What the process loaded to get here (Django, the models, the URL and template machinery: about
# 110,000 objects) lives as long as the process. Left in the collector's generations, every full
# collection walks it: 22-44 ms during which the worker's page threads all stand still, a p99 of its
# own. Frozen, a full collection takes under 1 ms. A larger first generation then collects a page's
# young garbage in fewer, still short passes (docs/performance.md, "Fixes", the sixth session's).
gc.collect()  # what the imports left behind goes first, rather than stay frozen for good
gc.freeze()
gc.set_threshold(10_000, 20, 20)
