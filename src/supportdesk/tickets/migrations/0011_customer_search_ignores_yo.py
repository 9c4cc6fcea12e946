"""PostgreSQL only: the customer's search treats "ё" as "е", as Russian readers do.

Russian is mostly written with "е" for "ё" ("елка" for "ёлка"), and the Russian stemmer writes the
stems with "е". The index of ``tickets/0009`` kept words as written, so "елка" did not find "ёлка".
Both sides now read "ё" as "е": the words indexed (``ticket_history_terms``, which replaces
``ticket_history_words``) and the words searched (``ticket_history_query``).

The new index is built ``CONCURRENTLY`` beside the old one (this migration is not atomic), then the
old one and its function are dropped: searches and ticket writes go on meanwhile.
"""

from importlib import import_module

from django.db import migrations

INDEXED_CHARS = 4000  # as in 0009
LONGEST_WORD = 1000


def _statements(schema: str) -> list[str]:
    searched = "regconfig, words)"
    query = _previous()._query_function(schema).replace(searched, "regconfig, pg_catalog.translate(words, 'Ёё', 'Ее'))")
    assert searched not in query
    return [
        f"""
        CREATE OR REPLACE FUNCTION {schema}.ticket_history_terms(
            organization bigint, requester bigint, summary text, question text
        ) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT coalesce(pg_catalog.array_to_tsvector(pg_catalog.array_agg(k.key)), ''::pg_catalog.tsvector)
            FROM pg_catalog.unnest(pg_catalog.to_tsvector(
                     'pg_catalog.simple'::pg_catalog.regconfig,
                     pg_catalog.translate(
                         coalesce(summary, '') || ' ' || pg_catalog.left(coalesce(question, ''), {INDEXED_CHARS}),
                         'Ёё', 'Ее'))) AS w,
                 LATERAL (VALUES ('o' || organization || ':' || w.lexeme),
                                 ('r' || requester || ':' || w.lexeme)) AS k(key)
            WHERE k.key IS NOT NULL AND pg_catalog.octet_length(w.lexeme) <= {LONGEST_WORD}
        $$
        """,
        "DROP INDEX CONCURRENTLY IF EXISTS ticket_history_terms",  # left invalid by a build that failed
        "CREATE INDEX CONCURRENTLY ticket_history_terms ON tickets_ticket"
        " USING GIN (ticket_history_terms(organization_id, requester_id, summary, question))"
        " WITH (fastupdate = off)",
        query,
        "DROP INDEX CONCURRENTLY IF EXISTS ticket_history_words",
        "DROP FUNCTION IF EXISTS ticket_history_words(bigint, bigint, text, text)",
        "ANALYZE tickets_ticket",
    ]


def _schema(schema_editor) -> str:
    return _previous()._schema(schema_editor)


def _previous():
    return import_module("supportdesk.tickets.migrations.0010_customer_search_stems_that_change_letters")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in _statements(_schema(schema_editor)):
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    """Back to 0010: 0009's words function and index, 0010's query function."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema = _schema(schema_editor)
    words = import_module("supportdesk.tickets.migrations.0009_customer_search_whole_words")._forward(schema)
    for statement in [
        words[0],  # ticket_history_words
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS ticket_history_words ON tickets_ticket"
        " USING GIN (ticket_history_words(organization_id, requester_id, summary, question))"
        " WITH (fastupdate = off)",
        _previous()._query_function(schema),
        "DROP INDEX CONCURRENTLY IF EXISTS ticket_history_terms",
        "DROP FUNCTION IF EXISTS ticket_history_terms(bigint, bigint, text, text)",
    ]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("tickets", "0010_customer_search_stems_that_change_letters")]

    operations = [migrations.RunPython(forward, backward)]
