"""The signed-in user is read through the cache (supportdesk.accounts.backends), never a stale copy of him.

Each test signs in, makes a request so that the user's copy is in the cache, changes the user the way
the product or the admin does, and makes the next request.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supportdesk.accounts import backends
from supportdesk.accounts.models import User

pytestmark = pytest.mark.django_db


def _home(client):  # type: ignore[no-untyped-def]
    return client.get(reverse("portal:tickets"))


def test_the_second_request_reads_the_user_from_the_cache(client_for, customer, django_assert_num_queries,
                                                          session_queries):  # fmt: skip
    client = client_for(customer)
    assert _home(client).status_code == 200
    assert cache.get(backends._key(customer.pk)) is not None
    with django_assert_num_queries(session_queries):  # the page is cached too: nothing read
        assert _home(client).status_code == 200


def test_a_new_password_signs_out_the_other_sessions(client_for, customer):
    other_device = client_for(customer)
    assert _home(other_device).status_code == 200
    customer.set_password("a completely new one")
    customer.save()
    assert _home(other_device).status_code == 302  # to the sign-in page


def test_a_deactivated_user_is_signed_out_at_his_next_request(client_for, customer):
    client = client_for(customer)
    assert _home(client).status_code == 200
    customer.is_active = False
    customer.save()
    assert _home(client).status_code == 302
    assert cache.get(backends._key(customer.pk)) is None  # an inactive user is not kept


def test_a_deleted_user_is_signed_out_at_his_next_request(client_for, customer):
    client = client_for(customer)
    assert _home(client).status_code == 200
    User.objects.filter(pk=customer.pk).delete()  # through the collector, as the admin's delete
    assert _home(client).status_code == 302


def test_the_users_new_name_shows_at_once(client_for, customer, make_ticket):
    make_ticket(customer)
    client = client_for(customer)
    _home(client)
    customer.display_name = "Anna Renamed"
    customer.save()
    assert "Anna Renamed" in _home(client).content.decode()


def test_a_copy_cached_while_the_change_was_uncommitted_is_dropped_after_the_commit(
    customer, django_capture_on_commit_callbacks
):
    stale = User.objects.get(pk=customer.pk)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        customer.is_active = False
        customer.save()
        # Another request, which cannot see the uncommitted change, reads the old row and keeps it.
        cache.set(backends._key(customer.pk), stale)
    assert cache.get(backends._key(customer.pk)) is None
    assert backends.ModelBackend().get_user(customer.pk) is None


def test_without_cached_reads_the_user_is_read_every_time(client_for, customer, settings):
    settings.CACHED_READS = False
    client = client_for(customer)
    _home(client)
    assert cache.get(backends._key(customer.pk)) is None
    with CaptureQueriesContext(connection) as queries:
        _home(client)
    assert any('FROM "accounts_user"' in q["sql"] for q in queries.captured_queries)
