"""The templates' ``url()`` and ``static()``: what ``reverse()`` and ``static()`` give, kept once computed."""

from __future__ import annotations

import pytest
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse, set_script_prefix

from supportdesk.web.jinja import static_url, url


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("portal:tickets", ()),
        ("portal:detail", (1,)),
        ("portal:detail", (9_876_543_210,)),
        ("console:ticket", (42,)),
        ("portal:discard_upload", (5,)),  # a str route given a number
        ("portal:discard_upload", ("tok-en",)),
        ("attachment", ("a b~ä",)),  # quoted by reverse()
        ("console:queue_named", ("active",)),
    ],
)
def test_url_is_what_reverse_gives(name, args):
    assert url(name, *args) == reverse(name, args=args or None)
    assert url(name, *args) == reverse(name, args=args or None)  # the kept shape, the second time


def test_url_takes_keywords_and_refuses_what_reverse_refuses():
    assert url("portal:detail", pk=7) == "/help/tickets/7/"
    refused = [("portal:detail",), ("portal:detail", -1), ("portal:detail", True), ("attachment", "a/b"), ("nope",)]
    for bad in refused:
        with pytest.raises(NoReverseMatch):
            url(*bad)


def test_url_follows_the_script_prefix():
    set_script_prefix("/support/")
    try:
        assert url("portal:detail", 3) == "/support/help/tickets/3/"
    finally:
        set_script_prefix("/")
    assert url("portal:detail", 3) == "/help/tickets/3/"


def test_static_url_is_what_static_gives():
    assert static_url("supportdesk/app.css") == static("supportdesk/app.css")
    assert static_url("supportdesk/app.css") == static("supportdesk/app.css")  # kept, the second time
