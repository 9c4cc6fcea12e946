"""PostgreSQL only: the customer's word index keeps words as written, and is built without blocking writes.

``tickets/0008`` indexed stems. A word typed in part then found nothing when its stem was not a prefix
of the word's stem ("configurat" never found "configuration", stemmed "configur"). And every word of
a 20,000-character question was stemmed again on each update of its ticket.

* ``ticket_history_words(organization, requester, summary, question)``: the words of the summary and
  of the question's first ``INDEXED_CHARS`` characters, lower-cased and not stemmed, each keyed by
  the ticket's organization and by its requester (``o17:invoices``, ``r24:invoices``).
* ``ticket_history_query(scope, text)``: each word typed must match, in the scope, the word itself,
  a word it begins, or a word its stem begins (0008's ``ticket_words`` configuration, which stems
  English and Russian); a word of one or two letters, only itself: "invoices" finds "invoice" (stem ``invoic``), "статистику" finds
  "статистика", "configurat" finds "configuration". The word itself, beside its prefix, gives
  PostgreSQL the frequency its statistics hold for it, so a word common in a history is searched by
  walking the history, newest first, and a rare one through the index.
* The index is built ``CONCURRENTLY`` (this migration is not atomic): ticket writes go on while it is
  built (two minutes at a million tickets). It is written through at once (``fastupdate = off``): a
  pending list would be read by every search until the next vacuum.
* 0008's index and its two functions are dropped; its text search configuration stays, for the stems.
"""

from django.db import migrations

# What the index reads of a question: the cost of a ticket's insert and of every update that writes a
# new row version, and a bound well under tsvector's 1 MB for any text a script might store.
INDEXED_CHARS = 4000
LONGEST_WORD = 1000  # bytes; longer words are not kept (a key must stay under 2,047 bytes)
# Words this short match only themselves: "и" or "a" as a prefix would match a good part of a history.
EXACT_UP_TO = 2


def _quoted(expression: str) -> str:
    """SQL that quotes a tsquery lexeme: inside quotes, quotes and backslashes are doubled."""
    return f"'''' || replace(replace({expression}, '\\', '\\\\'), '''', '''''') || ''''"


def _forward(schema: str) -> list[str]:
    return [
        f"""
        CREATE OR REPLACE FUNCTION {schema}.ticket_history_words(
            organization bigint, requester bigint, summary text, question text
        ) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT coalesce(pg_catalog.array_to_tsvector(pg_catalog.array_agg(k.key)), ''::pg_catalog.tsvector)
            FROM pg_catalog.unnest(pg_catalog.to_tsvector(
                     'pg_catalog.simple'::pg_catalog.regconfig,
                     coalesce(summary, '') || ' ' || pg_catalog.left(coalesce(question, ''), {INDEXED_CHARS}))) AS w,
                 LATERAL (VALUES ('o' || organization || ':' || w.lexeme),
                                 ('r' || requester || ':' || w.lexeme)) AS k(key)
            WHERE k.key IS NOT NULL AND pg_catalog.octet_length(w.lexeme) <= {LONGEST_WORD}
        $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION {schema}.ticket_history_query(scope text, words text)
        RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT pg_catalog.string_agg(
                       CASE WHEN pg_catalog.char_length(t.token) <= {EXACT_UP_TO} THEN q.word
                            ELSE '(' || q.word || ' | ' || q.word || ':* | ' || q.stem || ':*)' END,
                       ' & '
                   )::pg_catalog.tsquery
            FROM pg_catalog.ts_debug('{schema}.ticket_words'::pg_catalog.regconfig, words) AS t,
                 LATERAL (SELECT {_quoted("scope || ':' || pg_catalog.lower(t.token)")} AS word,
                                 {_quoted("scope || ':' || t.lexemes[1]")} AS stem) AS q
            WHERE t.lexemes[1] IS NOT NULL AND pg_catalog.octet_length(t.token) <= {LONGEST_WORD}
        $$
        """,
        "DROP INDEX CONCURRENTLY IF EXISTS ticket_history_words",  # left invalid by a build that failed
        "CREATE INDEX CONCURRENTLY ticket_history_words ON tickets_ticket"
        " USING GIN (ticket_history_words(organization_id, requester_id, summary, question))"
        " WITH (fastupdate = off)",
        "DROP INDEX CONCURRENTLY IF EXISTS ticket_scope_words",
        "DROP FUNCTION IF EXISTS ticket_scope_query(text, text)",
        "DROP FUNCTION IF EXISTS ticket_scope_words(bigint, bigint, text, text)",
        "ANALYZE tickets_ticket",
    ]


BACKWARD = [
    "DROP INDEX CONCURRENTLY IF EXISTS ticket_history_words",
    "DROP FUNCTION IF EXISTS ticket_history_query(text, text)",
    "DROP FUNCTION IF EXISTS ticket_history_words(bigint, bigint, text, text)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
    for statement in _forward(schema_editor.quote_name(schema)):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    """Back to 0008's index: 0008 made its functions and index, so going back makes them again."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)
    from importlib import import_module

    previous = import_module("supportdesk.tickets.migrations.0008_customer_search_word_index")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
    for statement in previous._forward(schema_editor.quote_name(schema)):
        if "TEXT SEARCH" not in statement:  # the configuration stayed
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("tickets", "0008_customer_search_word_index")]

    operations = [migrations.RunPython(forward, backward)]
