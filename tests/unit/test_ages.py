"""The ages the desk's queues show ("5 min", "3 h") and the moment each one changes, which decides how
long a cached page that shows it is kept."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from supportdesk.web.jinja import age

NOW = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC)
TICK = datetime.timedelta(milliseconds=1)


@pytest.mark.parametrize(
    ("ago", "label"),
    [
        (datetime.timedelta(0), "just now"),
        (datetime.timedelta(seconds=59), "just now"),
        (datetime.timedelta(minutes=1), "1 min"),
        (datetime.timedelta(minutes=59, seconds=30), "59 min"),
        (datetime.timedelta(hours=1), "1 h"),
        (datetime.timedelta(hours=47, minutes=59), "47 h"),
        (datetime.timedelta(days=2), "2 days"),
        (datetime.timedelta(days=400, hours=5), "400 days"),
    ],
)
def test_each_label_lasts_exactly_until_the_moment_it_names(ago, label):
    value = NOW - ago
    with translation.override("en"):
        shown, changes = age(value, NOW)
        assert shown == label
        assert changes > NOW
        assert age(value, changes - TICK)[0] == label  # still true just before
        assert age(value, changes)[0] != label  # and changed at that moment


def test_a_time_in_the_future_is_just_now_until_a_minute_after_it():
    value = NOW + datetime.timedelta(seconds=5)
    with translation.override("ru"):
        shown, changes = age(value, NOW)
    assert shown == "только что" and changes == value + datetime.timedelta(minutes=1)
