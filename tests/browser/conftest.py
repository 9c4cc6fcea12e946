"""Browser-test fixtures for every file in tests/browser/: one headless Chromium for the whole run, and pages
that check themselves with axe-core on every page they load.

Fixtures (all need pytest-django's ``live_server``, which serves /static/ through Django's static handler):

* ``chromium`` -> ``playwright.sync_api.Browser``: the shared Chromium (``/usr/bin/chromium``). It is started
  by the first test that asks for it and kept for the rest of the session; it is stopped before a test that
  does not use it (so a file that starts its own Playwright, or a test that runs an asyncio loop, still
  can), and started again by the next test that does.
* ``open_page(user=None, *, locale="en-US", width=1280, height=900, **context_options)`` -> ``CheckedPage``:
  a page in a fresh browser context (``base_url`` is the live server, so ``goto("/help/")`` works), signed
  in as ``user`` through the real sign-in form when one is given.
* ``checked_page`` -> ``CheckedPage``: ``open_page()``, not signed in.
* ``login`` -> ``login(page, live_server, user)``: signs in through the sign-in form (passwords are "demo").
* ``axe_check`` -> ``axe_check(page)``: runs axe-core and fails on any "serious" or "critical" violation,
  naming the rule ids and the elements.

A ``CheckedPage`` is a Playwright ``Page`` (``expect(page)`` works) whose ``goto``, ``reload``, ``go_back``
and ``go_forward`` call ``page.audit()`` once the page has loaded. ``audit()`` runs ``axe_check`` and fails
on a console error, an uncaught script error or a failed /static/ (or image, style, script, font) request.
After a click that loads a new page, or after htmx swaps content in, call ``page.audit()`` yourself: a test
whose page loaded a document that was never audited fails at teardown, naming it. Expected console errors
can be allowed with ``page.allow_errors("substring")``.

Every test that uses ``chromium`` (directly or through these fixtures) is marked ``browser``, so
``make test`` leaves it out even if its file forgot ``pytestmark = pytest.mark.browser``.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# Playwright's sync API keeps an asyncio loop running in the test thread; Django's ORM refuses to run
# there unless told that the thread is still synchronous code.
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
PASSWORD = "demo"
BLOCKING_IMPACTS = ("serious", "critical")
CHECKED_RESOURCE_TYPES = ("stylesheet", "script", "image", "font")
# Generous for a 2-core CI machine running the server and the browser side by side.
TIMEOUT_MS = 15_000
# How long the live server must have no request in progress before a test's database is flushed.
QUIET_SECONDS = 0.3

try:
    from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
except ImportError:  # pragma: no cover - the dev dependencies are not installed
    Page = object  # type: ignore[assignment,misc]
    PLAYWRIGHT_MISSING = True
else:
    PLAYWRIGHT_MISSING = False
    expect.set_options(timeout=TIMEOUT_MS)


# --- The shared Chromium --------------------------------------------------------------------------


class _SharedChromium:
    """One Playwright and one Chromium, started on first use and stopped when a test does not need them."""

    def __init__(self) -> None:
        self._playwright: Any = None
        self._browser: Any = None
        self._saved_env: str | None = None

    @property
    def running(self) -> bool:
        return self._playwright is not None

    def get(self) -> Browser:
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        self.stop()
        if not os.path.exists(CHROMIUM_PATH):
            pytest.fail(f"Chromium is not at {CHROMIUM_PATH}: apt-get install chromium")
        self._saved_env = os.environ.get(ASYNC_UNSAFE)
        os.environ[ASYNC_UNSAFE] = "true"
        try:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        except BaseException:
            self.stop()
            raise
        return self._browser

    def stop(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        try:
            if browser is not None and browser.is_connected():
                browser.close()
        finally:
            if playwright is not None:
                playwright.stop()
                if self._saved_env is None:
                    os.environ.pop(ASYNC_UNSAFE, None)
                else:
                    os.environ[ASYNC_UNSAFE] = self._saved_env


_SHARED = _SharedChromium()
_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that drives the browser is a browser test, whether or not its file says so."""
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()) and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After the test's own teardown: hand the thread back if the next test does not use the shared Chromium."""
    try:
        return (yield)
    finally:
        if _SHARED.running and (nextitem is None or "chromium" not in getattr(nextitem, "fixturenames", ())):
            _SHARED.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """Remember whether the test itself failed, so the page fixtures do not pile their complaints on top."""
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    _SHARED.stop()


@pytest.fixture
def chromium() -> Browser:
    """The shared headless Chromium."""
    if PLAYWRIGHT_MISSING:
        pytest.skip("playwright is not installed (pip install -r requirements.lock)")
    return _SHARED.get()


# --- Checks ---------------------------------------------------------------------------------------

_axe: Any = None


def run_axe(page: Any) -> None:
    """axe-core on the page as it is now; fails on any serious or critical violation."""
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    results = _axe.run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe: {len(blocking)} serious or critical violation(s) on {page.url}"]
        for violation in blocking:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
            lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(f"    - {target}" for target in targets[:10])
            if len(targets) > 10:
                lines.append(f"    ... and {len(targets) - 10} more")
        message = "\n".join(lines)
        print(message)
        pytest.fail(message, pytrace=False)


class CheckedPage(Page):  # type: ignore[misc,valid-type]
    """A Playwright page that audits (axe, console, static files) every page it loads."""

    def __init__(self, raw: Page) -> None:
        super().__init__(raw._impl_obj)
        self.problems: list[str] = []
        self._allowed: list[str] = []
        self._documents: list[str] = []  # the URL of each document loaded, in order
        self._audited: set[int] = set()  # indexes into _documents
        self.on("domcontentloaded", lambda _page: self._documents.append(self.url))
        self.on("console", self._on_console)
        self.on("pageerror", lambda error: self.problems.append(f"uncaught script error: {error}"))
        self.on("response", self._on_response)
        self.on("requestfailed", self._on_request_failed)

    # Recording

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            self.problems.append(f"console error: {message.text}" + (f" ({where})" if where else ""))

    @staticmethod
    def _watched(request: Any) -> bool:
        return urlsplit(request.url).path.startswith("/static/") or request.resource_type in CHECKED_RESOURCE_TYPES

    def _on_response(self, response: Any) -> None:
        if response.status >= 400 and self._watched(response.request):
            self.problems.append(f"{response.status} for {response.request.resource_type} {response.url}")

    def _on_request_failed(self, request: Any) -> None:
        if self._watched(request):
            self.problems.append(f"request failed: {request.resource_type} {request.url} ({request.failure})")

    # Checking

    def allow_errors(self, *substrings: str) -> None:
        """Console errors or failed requests containing one of these are expected by the test."""
        self._allowed.extend(substrings)

    def take_problems(self) -> list[str]:
        problems = [p for p in self.problems if not any(s in p for s in self._allowed)]
        self.problems = []
        return problems

    def audit(self) -> None:
        """axe-core, console errors and failed static files, on the page as it is now."""
        __tracebackhide__ = True
        self.wait_for_load_state("load")
        run_axe(self)
        problems = self.take_problems()
        if problems:
            pytest.fail(f"{self.url}:\n  " + "\n  ".join(problems), pytrace=False)
        if self._documents:
            self._audited.add(len(self._documents) - 1)

    def unaudited(self) -> list[str]:
        return [url for i, url in enumerate(self._documents) if i not in self._audited]

    # Navigation that audits

    def goto(self, url: str, **kwargs: Any) -> Any:
        response = super().goto(url, **kwargs)
        self.audit()
        return response

    def reload(self, **kwargs: Any) -> Any:
        response = super().reload(**kwargs)
        self.audit()
        return response

    def go_back(self, **kwargs: Any) -> Any:
        response = super().go_back(**kwargs)
        self.audit()
        return response

    def go_forward(self, **kwargs: Any) -> Any:
        response = super().go_forward(**kwargs)
        self.audit()
        return response


def audit(page: Any) -> None:
    """``page.audit()`` for a CheckedPage, else axe-core alone (a plain Playwright page or a popup)."""
    if isinstance(page, CheckedPage):
        page.audit()
    else:
        page.wait_for_load_state("load")
        run_axe(page)


def sign_in(page: Any, live_server: Any, user: Any, *, password: str = PASSWORD) -> None:
    """Through the real sign-in form, as a person would; ends on the page the user lands on, audited."""
    __tracebackhide__ = True
    page.goto(f"{live_server.url}/accounts/login/")
    if not isinstance(page, CheckedPage):
        audit(page)
    form = page.locator("form[action$='/accounts/login/']")
    form.locator("input[name='username']").fill(user.email)
    form.locator("input[name='password']").fill(password)
    form.locator("[type='submit']").click()
    try:
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    except Exception:
        shown = page.locator(".alert, .field__error").all_inner_texts()
        pytest.fail(f"signing in as {user.email} failed; the page says: {shown}", pytrace=False)
    audit(page)


def wait_for_requests_in_flight(timeout: float = 10.0) -> None:
    """Wait until the live server has finished every request it is still handling.

    A page can send a request just before its test ends (a debounced search, a draft saved as the user
    types). On the in-memory SQLite database the live server's request threads share the test's
    connection, so a request still running while the test database is flushed makes the flush fail
    ("database table is locked"). Closing the browser context stops new requests; this waits for the
    ones already inside Django.
    """
    deadline = time.monotonic() + timeout
    quiet_since = time.monotonic()
    # A connection the browser opened just before closing may not be accepted yet: wait for a short
    # quiet spell with no request thread at all, not only for the threads alive right now.
    while time.monotonic() < deadline:
        busy = [t for t in threading.enumerate() if t.name.endswith("(process_request_thread)")]
        if not busy:
            if time.monotonic() - quiet_since >= QUIET_SECONDS:
                return
            time.sleep(0.05)
            continue
        for thread in busy:
            thread.join(max(0.0, deadline - time.monotonic()))
        quiet_since = time.monotonic()


# --- Fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def axe_check() -> Callable[[Any], None]:
    """``axe_check(page)``: fail on any serious or critical axe-core violation of the page as it is now."""
    return run_axe


@pytest.fixture
def login() -> Callable[..., None]:
    """``login(page, live_server, user)``: sign in through the real form (password "demo")."""
    return sign_in


@pytest.fixture
def open_page(
    request: pytest.FixtureRequest, chromium: Browser, live_server: Any
) -> Iterator[Callable[..., CheckedPage]]:
    """``open_page(user=None, *, locale="en-US", width=1280, height=900, **context_options)``: a fresh
    context's CheckedPage, signed in as ``user`` if given. Closed after the test; a page that loaded a
    document it never audited fails the test."""
    opened: list[tuple[BrowserContext, CheckedPage]] = []

    def make(
        user: Any = None, *, locale: str = "en-US", width: int = 1280, height: int = 900, **context_options: Any
    ) -> CheckedPage:
        options: dict[str, Any] = {
            "base_url": live_server.url,
            "viewport": {"width": width, "height": height},
            "locale": locale,
            "timezone_id": "UTC",
            # axe measures colour contrast at once, not halfway through a fade-in.
            "reduced_motion": "reduce",
        }
        options.update(context_options)
        context = chromium.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        page = CheckedPage(context.new_page())
        # The live-update stream is served beside Django by the ASGI app (supportdesk.asgi), which
        # pytest-django's WSGI live_server is not: there the page's EventSource gets a 404.
        page.allow_errors("/live/stream")
        opened.append((context, page))
        if user is not None:
            sign_in(page, live_server, user)
        return page

    yield make

    failed = request.node.stash.get(_FAILED, False)
    complaints = []
    for number, (context, page) in enumerate(opened):
        if failed:
            try:
                folder = Path(settings.VAR_DIR) / "browser-failures"
                folder.mkdir(parents=True, exist_ok=True)
                shot = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', request.node.name)}-{number}.png"
                page.screenshot(path=str(shot), full_page=True)
                print(f"Screenshot of {page.url} at failure: {shot}")
            except Exception:  # noqa: S110 - a screenshot is a courtesy, never the failure
                pass
        else:
            complaints += [f"{page.url}: {p}" for p in page.take_problems()]
            complaints += [f"loaded but never audited: {url}" for url in page.unaudited()]
        context.close()
    wait_for_requests_in_flight()
    if complaints:
        pytest.fail(
            "browser pages left unchecked or with errors (call page.audit() after each page load):\n  "
            + "\n  ".join(complaints),
            pytrace=False,
        )


@pytest.fixture
def checked_page(open_page: Callable[..., CheckedPage]) -> CheckedPage:
    """A fresh page, not signed in, that audits every page it loads."""
    return open_page()
