"""The tables carry the indexes the pages' queries use, and no index that another one already covers."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

dropped = importlib.import_module("supportdesk.tickets.migrations.0007_drop_indexes_that_others_cover")


def _indexes(table: str) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: info["columns"] for name, info in found.items() if info["index"] or info["unique"]}


@pytest.mark.parametrize(("table", "column", "index", "covered_by"), dropped.INDEXES)
def test_a_foreign_key_has_no_index_of_its_own_where_another_leads_with_it(table, column, index, covered_by):
    indexes = _indexes(table)
    assert index not in indexes
    assert indexes[covered_by][0] == column
