"""The production shape: granian serving the ASGI router, pages through Django's WSGI handler.

Runs a real granian process on a file SQLite database, because the router and a2wsgi's thread pool
are what a request crosses in production and the Django test client never touches them.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var = tmp_path_factory.mktemp("serving-var")
    env = {
        **os.environ,
        "SUPPORTDESK_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "supportdesk.settings",
        "HTTPS": "false",
        "DEBUG": "false",
    }
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    create = (
        "from supportdesk.accounts.models import Organization, User;"
        "o = Organization.objects.create(name='Acme');"
        "User.objects.create_user('serve@example.com', 'demo', display_name='Serve', organization=o)"
    )
    subprocess.run([*manage, "shell", "-v0", "-c", create], env=env, check=True)
    port = _free_port()
    granian = Path(sys.executable).with_name("granian")
    process = subprocess.Popen(
        [str(granian), "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "supportdesk.asgi:application"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - loopback test server
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_health_through_the_real_server(server: str) -> None:
    with urllib.request.urlopen(server + "/readyz", timeout=5) as response:  # noqa: S310
        assert response.status == 200


def test_sign_in_posts_through_the_real_server(server: str) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(server + "/accounts/login/", timeout=5).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "serve@example.com", "password": "demo"}
    ).encode()
    request = urllib.request.Request(server + "/accounts/login/", data=body, headers={"Referer": server + "/"})
    with opener.open(request, timeout=5) as response:
        assert response.status == 200
        assert response.url.endswith("/help/")
    assert any(cookie.name == "sessionid" for cookie in jar)


def test_a_static_file_streams_through_the_real_server(server: str) -> None:
    # WhiteNoise answers with a FileResponse: a streamed response, sent chunk by chunk.
    css = (ROOT / "src/supportdesk/web/static/supportdesk/app.css").read_bytes()
    with urllib.request.urlopen(server + "/static/supportdesk/app.css", timeout=5) as response:  # noqa: S310
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/css")
        assert response.read() == css


def test_the_served_application_freezes_what_it_loaded() -> None:
    # In a process of its own: importing the application freezes everything loaded so far.
    script = "import gc, supportdesk.asgi; print(gc.get_freeze_count(), gc.get_threshold()[0])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "supportdesk.settings_test"}
    frozen, threshold = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout.split()
    assert int(frozen) > 10_000
    assert int(threshold) == 10_000
