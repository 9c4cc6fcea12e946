"""Article bodies are Markdown rendered and sanitized: nothing in them can run."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportdesk.faq.markdown import plain, render
from supportdesk.faq.models import Article, ArticleStatus

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle/></svg>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "[x](vbscript:msgbox(1))",
    '<p onclick="alert(1)" style="color:red">styled</p>',
    '<iframe src="https://evil.example"></iframe>',
    '<form action="https://evil.example"><input name=a></form>',
    '<object data="x.swf"></object><embed src="x.swf">',
    "<style>body{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    "![img](x onerror=alert(1))",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    '<div data-hx-get="/admin/" hx-trigger="load">x</div>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_executable_survives(payload):
    html = str(render(f"Intro\n\n{payload}\n\nOutro")).lower()
    for bad in ("<script", "onerror", "onload", "onclick", "javascript:", "vbscript:", "data:text", "<iframe",
                "<form", "<object", "<embed", "<style", "<meta", "<base", "style=", "hx-", "<svg", "<img"):  # fmt: skip
        assert bad not in html, (payload, html)


def test_markdown_formats_and_links_stay():
    html = str(
        render(
            "## Steps\n\n1. **Open** [Help](/help/new/?section=system-errors)\n2. `Ctrl+F5`\n\n- [site](https://example.com)"
        )
    )
    assert "<h3>Steps</h3>" in html  # the page's own headings come first
    assert "<strong>Open</strong>" in html and "<code>Ctrl+F5</code>" in html
    assert 'href="/help/new/?section=system-errors"' in html
    assert 'href="https://example.com"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_raw_html_is_kept_only_when_inert():
    assert str(render("<b>bold</b> <u>under</u>")) == "<p><b>bold</b> under</p>"


def test_plain_is_text_for_snippets():
    assert plain("**Open** <script>x()</script> the [menu](/x/) &amp; more") == "Open the menu & more"
    assert len(plain("word " * 100, 50)) <= 50


@pytest.mark.django_db
def test_the_article_page_renders_a_hostile_body_inert(client_for, customer, sections):
    body = "\n\n".join(PAYLOADS)
    Article.objects.create(slug="hostile", title_en="<script>alert('t')</script>", body_en=body,
                           status=ArticleStatus.PUBLISHED)  # fmt: skip
    html = client_for(customer).get(reverse("faq:article", args=["hostile"])).content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0].lower()
    assert "<script" not in main and "onerror" not in main and "javascript:" not in main
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_the_admin_preview_is_sanitized_and_for_admins(client_for, admin_user, specialist, customer):
    url = reverse("faq:preview")
    response = client_for(admin_user).post(url, {"body": "**hi** <img src=x onerror=alert(1)>"})
    assert response.status_code == 200
    assert "<strong>hi</strong>" in response.content.decode() and "onerror" not in response.content.decode()
    for user in (specialist, customer):
        assert client_for(user).post(url, {"body": "x"}).status_code == 404
