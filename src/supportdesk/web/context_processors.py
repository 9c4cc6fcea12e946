"""What every Jinja2 page's context holds beyond Django's own."""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.backends.utils import csrf_input
from django.utils.functional import SimpleLazyObject


def csrf(request: HttpRequest) -> dict[str, object]:
    """``csrf_input`` and ``csrf_token`` made once per page, and only if the page prints them.

    Django's Jinja2 backend gives templates lazy values that mask a new token at every use (32 random
    characters from the OS each): the desk workspace prints about a dozen. One masked token serves a
    whole page, as it does when a cached page is served (``web.page_cache``).
    """
    return {
        "csrf_input": SimpleLazyObject(lambda: csrf_input(request)),
        "csrf_token": SimpleLazyObject(lambda: get_token(request)),
    }
