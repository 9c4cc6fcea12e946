"""The full-text index of the articles, one shape per database (search.py reads it).

SQLite: an FTS5 table kept in step with ``faq_article`` by triggers (English and Russian text of a
field share one column; bm25 weighs the columns). PostgreSQL: a generated ``tsvector`` column (English
fields stemmed as English, Russian ones as Russian; weights A title, B keywords, C body) with a GIN
index, and pg_trgm with a trigram index on the vocabulary for misspelt words.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE faq_article_fts USING fts5(
        title, keywords, body, tokenize = 'porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER faq_article_fts_insert AFTER INSERT ON faq_article BEGIN
        INSERT INTO faq_article_fts(rowid, title, keywords, body) VALUES (
            new.id, new.title_en || ' ' || new.title_ru, new.keywords_en || ' ' || new.keywords_ru,
            new.body_en || ' ' || new.body_ru);
    END""",
    """CREATE TRIGGER faq_article_fts_update AFTER UPDATE OF title_en, title_ru, keywords_en, keywords_ru,
        body_en, body_ru ON faq_article BEGIN
        DELETE FROM faq_article_fts WHERE rowid = old.id;
        INSERT INTO faq_article_fts(rowid, title, keywords, body) VALUES (
            new.id, new.title_en || ' ' || new.title_ru, new.keywords_en || ' ' || new.keywords_ru,
            new.body_en || ' ' || new.body_ru);
    END""",
    """CREATE TRIGGER faq_article_fts_delete AFTER DELETE ON faq_article BEGIN
        DELETE FROM faq_article_fts WHERE rowid = old.id;
    END""",
    """INSERT INTO faq_article_fts(rowid, title, keywords, body)
        SELECT id, title_en || ' ' || title_ru, keywords_en || ' ' || keywords_ru, body_en || ' ' || body_ru
        FROM faq_article""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS faq_article_fts_insert",
    "DROP TRIGGER IF EXISTS faq_article_fts_update",
    "DROP TRIGGER IF EXISTS faq_article_fts_delete",
    "DROP TABLE IF EXISTS faq_article_fts",
]

POSTGRES_FORWARD = [
    """ALTER TABLE faq_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, title_en), 'A') ||
        setweight(to_tsvector('russian'::regconfig, title_ru), 'A') ||
        setweight(to_tsvector('english'::regconfig, keywords_en), 'B') ||
        setweight(to_tsvector('russian'::regconfig, keywords_ru), 'B') ||
        setweight(to_tsvector('english'::regconfig, body_en), 'C') ||
        setweight(to_tsvector('russian'::regconfig, body_ru), 'C')
    ) STORED""",
    "CREATE INDEX faq_article_search ON faq_article USING GIN (search_vector)",
    "CREATE INDEX faq_term_trigram ON faq_term USING GIN (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS faq_term_trigram",
    "DROP INDEX IF EXISTS faq_article_search",
    "ALTER TABLE faq_article DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("faq", "0001_initial")]

    operations = [
        # Only acts on PostgreSQL (Django's CreateExtension skips other databases).
        TrigramExtension(),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
