"""Test settings: the real settings with fast password hashing and in-memory mail."""

import os

os.environ.setdefault("HTTPS", "false")

from supportdesk.settings import *  # noqa: E402,F403
from supportdesk.settings import STORAGES, VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
MEDIA_ROOT = VAR_DIR / "test-media"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Test runs publish on their own channel, never on a real installation's sharing the Redis server.
LIVE_REDIS_CHANNEL = "supportdesk-test:live"
# One process: the memory cache is shared by everything a test does, so the cached pages are tested
# on SQLite too (each test starts with an empty cache, tests/conftest.py).
CACHED_READS = True
