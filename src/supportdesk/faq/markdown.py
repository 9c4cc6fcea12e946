"""Article bodies: Markdown rendered to HTML, then sanitized to an allow-list.

Markdown passes raw HTML through, so the sanitizer (nh3, the Rust ammonia library) is what makes the
output safe: only the tags and attributes below survive; ``<script>`` and ``<style>`` go with their
content; event handlers, ``style`` and every URL scheme but http, https and mailto are dropped
(relative links such as ``/help/new/?section=...`` stay).
"""

from __future__ import annotations

import html
import re

import markdown as md  # type: ignore[import-untyped]
import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
        "hr", "i", "kbd", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
        "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
EXTENSIONS = ["extra", "sane_lists"]

_HEADING = re.compile(r"^(#{1,5})(?=\s)", re.MULTILINE)


def render(text: str) -> Markup:
    """Safe HTML of an article body. Headings start at ``<h2>``: the page's ``<h1>`` is the question."""
    source = _HEADING.sub(lambda m: "#" * min(len(m.group(1)) + 1, 4), text or "")
    html = md.markdown(source, extensions=EXTENSIONS, output_format="html")
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return Markup(clean)  # noqa: S704 - sanitized by nh3 just above


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_BLOCK_SYNTAX = re.compile(r"^\s*(?:[-+*]|\d+\.|#{1,6}|>)\s+", re.MULTILINE)
# Emphasis and code marks go without a trace: "**Calls**: made" reads "Calls: made", not "Calls : made".
_INLINE_SYNTAX = re.compile(r"[*`]+")


def plain(text: str, limit: int = 180) -> str:
    """The start of a body as one line of plain text for a snippet, cut at a word.

    Markdown syntax is stripped, not rendered: a suggestion shows three snippets and the full
    renderer would be most of its time. Tags go through nh3 (with their script or style content).
    """
    head = _INLINE_SYNTAX.sub("", _BLOCK_SYNTAX.sub(" ", _LINK.sub(r"\1", (text or "")[: limit * 4])))
    line = " ".join(html.unescape(nh3.clean(head, tags=set())).split())
    if len(line) <= limit:
        return line
    return line[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
