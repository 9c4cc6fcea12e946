"""The production settings plus one URL: the benchmark's floor (``bench/urls.py``).

Everything else is ``supportdesk.settings`` read from the same environment variables, so the server
under test is the one the project ships.
"""

from supportdesk.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
