"""The vocabulary's trigram index as GiST: the typo corrector asks for the nearest word
(``ORDER BY word <-> %s LIMIT 1``), which GiST answers from the index and GIN cannot (measured with
16,500 words: ~2 ms per word instead of 20-50 ms per question)."""

from django.db import migrations


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("faq", "0002_search_index")]

    operations = [
        migrations.RunPython(
            _run(
                {
                    "postgresql": [
                        "DROP INDEX IF EXISTS faq_term_trigram",
                        "CREATE INDEX faq_term_trigram ON faq_term USING GIST (word gist_trgm_ops)",
                    ]
                }
            ),
            _run(
                {
                    "postgresql": [
                        "DROP INDEX IF EXISTS faq_term_trigram",
                        "CREATE INDEX faq_term_trigram ON faq_term USING GIN (word gin_trgm_ops)",
                    ]
                }
            ),
        ),
    ]
