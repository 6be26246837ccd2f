"""The full-text index of each database: a tsvector column with a GIN index on PostgreSQL,
an FTS5 table on SQLite. Both are kept by knowledge/search.py, not by Django fields."""

from django.db import migrations


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE knowledge_article ADD COLUMN search_vector tsvector")
            cursor.execute(
                "CREATE INDEX article_search_vector ON knowledge_article USING gin (search_vector)"
            )
        elif schema_editor.connection.vendor == "sqlite":
            # Words are stemmed in Python before they get here; FTS5 only splits on spaces.
            cursor.execute(
                "CREATE VIRTUAL TABLE knowledge_article_fts USING fts5("
                "title, keywords, body, tokenize = 'unicode61 remove_diacritics 0')"
            )


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS article_search_vector")
            cursor.execute("ALTER TABLE knowledge_article DROP COLUMN IF EXISTS search_vector")
        elif schema_editor.connection.vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS knowledge_article_fts")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
