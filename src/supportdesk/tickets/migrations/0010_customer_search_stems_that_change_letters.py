"""PostgreSQL only: the customer's search query no longer lets a short stem stand for a long word,
and finds English words whose stem changes their last letter (a review of ``tickets/0009``).

``ticket_history_query`` (0009) matched each typed word as itself, as a prefix, or by its stem as a
prefix, against words as written. Two cases went wrong:

* A stem of one or two letters was still used as a prefix: "ней" (stem "не") matched every word
  beginning with "не", 9,643 tickets of one history at 1M, where no word begins with "ней". Such a
  stem is no longer used; the word itself and its prefix still are.
* The English stemmer turns a final "y" into "i" ("companies" and "company" → "compani"), and a stem
  that is not a prefix of the written word finds nothing: "companies" missed "company". When an
  English stem ends in "i" after three letters or more, its root without that "i" is a prefix too.

Only the query function changes: the index (0009's) stays as it is. Left as it was: the Russian
stemmer writes "ё" as "е", and the index keeps words as written, so "елка" does not find "ёлка"
(while "ёлка" finds "елка").
"""

from importlib import import_module

from django.db import migrations

LONGEST_WORD = 1000  # bytes, as in 0009
EXACT_UP_TO = 2  # characters: a word, or a stem, this short only matches itself


def _quoted(expression: str) -> str:
    """SQL that quotes a tsquery lexeme: inside quotes, quotes and backslashes are doubled."""
    return f"'''' || replace(replace({expression}, '\\', '\\\\'), '''', '''''') || ''''"


def _query_function(schema: str) -> str:
    return f"""
        CREATE OR REPLACE FUNCTION {schema}.ticket_history_query(scope text, words text)
        RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT pg_catalog.string_agg(
                       CASE WHEN pg_catalog.char_length(t.token) <= {EXACT_UP_TO} THEN q.word
                            ELSE '(' || q.word || ' | ' || q.word || ':*'
                                 || CASE WHEN pg_catalog.char_length(t.lexemes[1]) > {EXACT_UP_TO}
                                         THEN ' | ' || q.stem || ':*' ELSE '' END
                                 || CASE WHEN t.lexemes[1] ~ '^[a-z]{{3,}}i$'
                                         THEN ' | ' || q.root || ':*' ELSE '' END
                                 || ')'
                       END,
                       ' & '
                   )::pg_catalog.tsquery
            FROM pg_catalog.ts_debug('{schema}.ticket_words'::pg_catalog.regconfig, words) AS t,
                 LATERAL (SELECT {_quoted("scope || ':' || pg_catalog.lower(t.token)")} AS word,
                                 {_quoted("scope || ':' || t.lexemes[1]")} AS stem,
                                 {_quoted("scope || ':' || pg_catalog.left(t.lexemes[1], -1)")} AS root) AS q
            WHERE t.lexemes[1] IS NOT NULL AND pg_catalog.octet_length(t.token) <= {LONGEST_WORD}
        $$
    """


def _schema(schema_editor) -> str:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
    return schema_editor.quote_name(schema)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_query_function(_schema(schema_editor)))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        previous = import_module("supportdesk.tickets.migrations.0009_customer_search_whole_words")
        schema_editor.execute(next(s for s in previous._forward(_schema(schema_editor)) if "ticket_history_query" in s))


class Migration(migrations.Migration):
    dependencies = [("tickets", "0009_customer_search_whole_words")]

    operations = [migrations.RunPython(forward, backward)]
