"""Settings come from the environment; a bad value stops the start with the variable's name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(SUPPORTDESK_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="supportdesk.settings", **env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEBUG", "maybe"), ("DATABASE_URL", "mysql://x"), ("REDIS_URL", "http://x"), ("SECRET_KEY", "short"),
     ("AXES_FAILURE_LIMIT", "many"), ("EMAIL_BACKEND", "pigeon")],
)  # fmt: skip
def test_bad_value_fails_at_start_naming_the_variable(tmp_path, name, value):
    result = _run(tmp_path, "check", **{name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_secret_key_is_generated_once_into_var(tmp_path):
    assert _run(tmp_path, "check").returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert _run(tmp_path, "check").returncode == 0
    assert (tmp_path / "secret_key").read_text() == key
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_secret_key_from_a_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("s" * 40)
    assert _run(tmp_path, "check", SECRET_KEY_FILE=str(secret)).returncode == 0
    assert not (tmp_path / "secret_key").exists()


def test_deploy_check_is_clean_in_production_mode(tmp_path):
    result = _run(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", HTTPS="true", SECRET_KEY="x" * 20 + "production-secret-key-9f8e7d6c5b4a",
        ALLOWED_HOSTS="help.example.com",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
