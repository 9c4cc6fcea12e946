"""Pages and fragments rendered once and served from the cache until the data they show changes.

The lists are the pages people reload all day, and the live updates fetch them again after every
change. A page or fragment is cached under the stamps of the data it shows
(``supportdesk.tickets.freshness``) and everything else it depends on: the viewer, the URL, the
language and the time zone. The only per-request part, the CSRF token of its forms and of htmx's
headers, is put back fresh on every serve; a response that carries flash messages is never cached.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from markupsafe import Markup

from supportdesk.tickets import freshness

# Where our templates print a CSRF token: the forms' hidden input and htmx's request headers.
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]*(")')
CSRF_MARK = "\x00csrf\x00"


def _without_token(html: str) -> str:
    return CSRF_VALUE.sub(lambda m: m.group(1) + CSRF_MARK + m.group(2), html)


def _with_token(request: HttpRequest, html: str) -> str:
    return html.replace(CSRF_MARK, get_token(request)) if CSRF_MARK in html else html


def this_minute() -> int:
    """For ``vary``: a page that shows times relative to now ("3 min ago") is kept for a minute at most."""
    return int(time.time() // 60)


def _viewer_parts(request: HttpRequest) -> tuple[object, ...]:
    return (request.get_full_path(), get_language(), timezone.get_current_timezone_name())


def cached_page(
    request: HttpRequest,
    render: Callable[[], HttpResponse],
    *,
    scopes: Iterable[str | None],
    vary: Iterable[object] = (),
) -> HttpResponse:
    """The page ``render()`` makes, or the same page from the cache.

    Only a plain GET of a whole page that has no flash message to show is cached, and only a 200.
    ``vary`` must name the viewer (the header shows who is signed in) and anything else the page
    depends on beyond its URL, language and time zone.
    """
    if request.method != "GET" or getattr(request, "htmx", False) or len(get_messages(request)):
        return render()
    rendered: list[HttpResponse] = []

    def html() -> str | None:
        response = render()
        rendered.append(response)
        if response.status_code != 200 or response.streaming:
            return None
        return _without_token(response.content.decode())

    parts = (*_viewer_parts(request), *vary)
    page = freshness.cached(f"page:{request.resolver_match.view_name if request.resolver_match else ''}",
                            scopes, parts, html)  # fmt: skip
    if rendered:
        return rendered[0]
    assert page is not None  # noqa: S101 - a hit is always a stored page
    return HttpResponse(_with_token(request, page))


def cached_fragment(
    request: HttpRequest,
    template: str,
    context: Callable[[], dict[str, Any]],
    *,
    scopes: Iterable[str | None],
    vary: Iterable[object] = (),
) -> Markup:
    """``template`` rendered with ``context()``, or the same fragment from the cache.

    ``context`` is only called on a miss: put the queries there. ``scopes`` name the data shown
    (freshness scopes); ``vary`` anything else the fragment depends on beyond the viewer's URL,
    language and time zone.
    """

    def render() -> str:
        return _without_token(render_to_string(template, context(), request))

    html = freshness.cached(f"fragment:{template}", scopes, (*_viewer_parts(request), *vary), render)
    return Markup(_with_token(request, html))  # noqa: S704 - rendered by our autoescaping templates
