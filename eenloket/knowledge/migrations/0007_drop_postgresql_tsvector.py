"""PostgreSQL's tsvector column and its GIN index go: search finds its matches faster in
the postings (docs/knowledge.md, Search), and the column was written on every publication
without ever being read. SQLite keeps its FTS5 table, which its search reads."""

from django.db import migrations


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS article_search_vector")
            cursor.execute("ALTER TABLE knowledge_article DROP COLUMN IF EXISTS search_vector")


def create(apps, schema_editor):
    # Back to an empty column: `eenloket knowledge_reindex` on the older code fills it.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ALTER TABLE knowledge_article ADD COLUMN search_vector tsvector")
            cursor.execute(
                "CREATE INDEX article_search_vector ON knowledge_article USING gin (search_vector)"
            )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0006_article_views")]

    operations = [migrations.RunPython(drop, create)]
