"""PostgreSQL only: a word index per customer's history, so his search costs what his matches cost.

Before, a customer's search was a substring match walking his (or his organization's) tickets newest
first until a page of matches: at 1M tickets, a word rare in a history of 15,000-21,000 tickets read
all of them (30-77 ms; docs/performance.md, "Customer search"). The trigram indexes of 0005 could not
help: their posting lists are those of every ticket, and a word common elsewhere is rare in one
history.

* ``ticket_words``: a text search configuration that stems English (Latin letters) and Russian
  (Cyrillic) words and keeps every word, stop words included (a customer searching "it" means it).
* ``ticket_scope_words(organization, requester, summary, question)``: each stem of the ticket's text,
  once prefixed with its organization (``o17:invoic``) and once with its requester (``r24:invoic``):
  the two sets of tickets a customer's lists cover (``policies.customer_scope``).
* ``ticket_scope_query(scope, text)``: the query for a customer's words: each stem, prefixed with his
  scope, as a prefix (``'o17:invoic':*``), all of them required. Immutable, so PostgreSQL computes it
  once while planning and can estimate it.
* A GIN index on ``ticket_scope_words(...)``: no column is stored, PostgreSQL keeps it in step with
  every insert and update of those four columns. A key's posting list holds one history's tickets
  with that word, so reading it costs what the matches cost.

The functions name the configuration with the schema it was created in, so a restore (which empties
``search_path``) rebuilds the index. SQLite has none of this: its search stays a substring match.
"""

from django.db import migrations

# Words longer than this are not kept (a key must stay under tsvector's 2,047 bytes; nobody searches them).
LONGEST_WORD = 1000


def _forward(schema: str) -> list[str]:
    config = f"{schema}.ticket_words"
    return [
        f"CREATE TEXT SEARCH DICTIONARY {schema}.ticket_words_english (TEMPLATE = snowball, Language = english)",
        f"CREATE TEXT SEARCH DICTIONARY {schema}.ticket_words_russian (TEMPLATE = snowball, Language = russian)",
        f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = pg_catalog.simple)",
        f"ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR asciiword, asciihword, hword_asciipart"
        f" WITH {schema}.ticket_words_english",
        f"ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR word, hword, hword_part"
        f" WITH {schema}.ticket_words_russian",
        f"""
        CREATE FUNCTION {schema}.ticket_scope_words(organization bigint, requester bigint, summary text, question text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT coalesce(pg_catalog.array_to_tsvector(pg_catalog.array_agg(k.key)), ''::pg_catalog.tsvector)
            FROM pg_catalog.unnest(pg_catalog.to_tsvector(
                     '{config}'::pg_catalog.regconfig,
                     coalesce(summary, '') || ' ' || coalesce(question, ''))) AS w,
                 LATERAL (VALUES ('o' || organization || ':' || w.lexeme),
                                 ('r' || requester || ':' || w.lexeme)) AS k(key)
            WHERE k.key IS NOT NULL AND pg_catalog.octet_length(w.lexeme) <= {LONGEST_WORD}
        $$
        """,
        f"""
        CREATE FUNCTION {schema}.ticket_scope_query(scope text, words text)
        RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT pg_catalog.string_agg(
                       '''' || replace(replace(scope || ':' || w.lexeme, '\\', '\\\\'), '''', '''''') || ''':*',
                       ' & ')::pg_catalog.tsquery
            FROM pg_catalog.unnest(pg_catalog.to_tsvector('{config}'::pg_catalog.regconfig, words)) AS w
            WHERE pg_catalog.octet_length(w.lexeme) <= {LONGEST_WORD}
        $$
        """,
        "CREATE INDEX ticket_scope_words ON tickets_ticket"
        " USING GIN (ticket_scope_words(organization_id, requester_id, summary, question))",
        "ANALYZE tickets_ticket",
    ]


BACKWARD = [
    "DROP INDEX IF EXISTS ticket_scope_words",
    "DROP FUNCTION IF EXISTS ticket_scope_query(text, text)",
    "DROP FUNCTION IF EXISTS ticket_scope_words(bigint, bigint, text, text)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS ticket_words",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS ticket_words_russian",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS ticket_words_english",
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
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0007_drop_indexes_that_others_cover")]

    operations = [migrations.RunPython(forward, backward)]
