"""The market search's native full-text indexes (``market.search.FullTextMatch``).

* PostgreSQL: a GIN index on ``to_tsvector('simple', search_text)`` (``fastupdate``
  off: entries go into the index at each write).
* SQLite: an FTS5 table ``market_product_fts(search_text)`` whose rowid is the product
  id, filled here from the stored columns and then kept by ``search.index_product``,
  ``search.rebuild_index`` and the product delete receiver.  SQLite's FTS5 extension is
  required (built into the SQLite of Debian/Ubuntu, python.org and Homebrew Pythons).

No model state changes: ``makemigrations --check`` stays clean.
"""

from django.db import migrations

INDEX = "market_product_fulltext"
FTS_TABLE = "market_product_fts"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON market_product"
            " USING gin (to_tsvector('simple'::regconfig, search_text))"
            # Products change rarely and are searched often: no pending list of
            # unsorted entries that every search would scan until the next VACUUM.
            " WITH (fastupdate = off)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text)"
        )
        schema_editor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, search_text) SELECT id, search_text FROM market_product"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("market", "0005_product_gtin"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
