"""Pages rendered once and served from the cache until the data they show changes.

The lists and ticket pages are what people reload all day, and the live updates fetch them again
after every change. A page is cached under the stamps of the data it shows
(``supportdesk.tickets.freshness``) and everything else it depends on: the viewer, the URL, the
htmx target it was asked for, the language and the time zone. The only per-request part, the CSRF
token of its forms and of htmx's headers, is put back fresh on every serve; a response that carries
flash messages is never cached.

A page that shows how long ago something happened ("3 min", "2 h") is true only until the first of
those labels changes. The labels say when that is while the page renders (``valid_until``), and the
page is kept until then: a queue whose newest ticket is "5 min" old for half a minute at most, a page
that shows only "4 days" or none at all for the cache's ten minutes, unless its data changes first.
So pages are not computed again all at once when the clock's minute turns, nor when nothing on them
changed.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from supportdesk.tickets import freshness

# Where our templates print a CSRF token: the forms' hidden input and htmx's request headers.
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]*(")')
CSRF_MARK = "\x00csrf\x00"


# The moment (Unix time) until which the page being rendered in this context is true.
_valid_until: ContextVar[float] = ContextVar("page_valid_until", default=math.inf)


def valid_until(moment: float) -> None:
    """Called while a page renders: something it shows (an age) is true until ``moment`` only."""
    if moment < _valid_until.get():
        _valid_until.set(moment)


def cached_page(
    request: HttpRequest,
    render: Callable[[], HttpResponse],
    *,
    scopes: Iterable[str | None],
    vary: Iterable[object] = (),
) -> HttpResponse:
    """The page (or htmx fragment) ``render()`` makes, or the same one from the cache.

    Only a GET with no flash message to show is cached, and only a 200. ``vary`` must name the viewer
    (the header shows who is signed in) and anything else the page depends on beyond its URL, htmx
    target, language and time zone.
    """
    if request.method != "GET" or len(get_messages(request)):
        return render()
    rendered: list[HttpResponse] = []
    until = [math.inf]

    def html() -> str | None:
        token = _valid_until.set(math.inf)
        try:
            response = render()
            until[0] = _valid_until.get()
        finally:
            _valid_until.reset(token)
        valid_until(until[0])  # a page rendered inside another one shortens the outer one's life too
        rendered.append(response)
        if response.status_code != 200 or response.streaming:
            return None
        return CSRF_VALUE.sub(lambda m: m.group(1) + CSRF_MARK + m.group(2), response.content.decode())

    parts = (
        request.get_full_path(),
        request.headers.get("HX-Request"),
        request.headers.get("HX-Target"),
        get_language(),
        timezone.get_current_timezone_name(),
        *vary,
    )
    name = request.resolver_match.view_name if request.resolver_match else request.path

    def ttl() -> int:
        # Whole seconds, rounded up: a label may show for up to a second after it changed.
        seconds = until[0] - time.time()
        return freshness.VALUE_TTL if seconds >= freshness.VALUE_TTL else math.ceil(seconds)

    page = freshness.cached(f"page:{name}", scopes, parts, html, ttl=ttl)
    if rendered:
        return rendered[0]
    assert page is not None  # noqa: S101 - a hit is always a stored page
    return HttpResponse(page.replace(CSRF_MARK, get_token(request)) if CSRF_MARK in page else page)
