"""FAQ fixtures: the demo articles loaded by the real ``seed_faq`` command."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from supportdesk.faq.models import Article


@pytest.fixture
def faq(sections) -> dict[str, Article]:
    """slug → the published demo article (English and Russian), with the search vocabulary built."""
    call_command("seed_faq", verbosity=0)
    return {a.slug: a for a in Article.objects.select_related("section")}
