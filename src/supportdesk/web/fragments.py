"""Page fragments rendered once and served from the cache until the data they show changes.

The lists are the pages people reload all day; their rows cost most of a page's work. A fragment is
cached under the stamps of the data it shows (``supportdesk.tickets.freshness``) and everything else
it depends on: the viewer, the URL, the language and the time zone. The only per-request part of a
fragment, the CSRF token of its forms, is put back fresh on every serve.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from markupsafe import Markup

from supportdesk.tickets import freshness

CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_MARK = "\x00csrf\x00"


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
        html = render_to_string(template, context(), request)
        return CSRF_VALUE.sub(lambda m: m.group(1) + CSRF_MARK + m.group(2), html)

    parts = (request.get_full_path(), get_language(), timezone.get_current_timezone_name(), *vary)
    html = freshness.cached(f"fragment:{template}", scopes, parts, render)
    if CSRF_MARK in html:
        html = html.replace(CSRF_MARK, get_token(request))
    return Markup(html)  # noqa: S704 - rendered by our autoescaping templates
