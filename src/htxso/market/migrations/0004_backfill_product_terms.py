"""Fill the search index (``ProductTerm``) and the word counts from the products' stored
folded columns — the same words ``market.search.index_product`` indexes."""

from collections import Counter

from django.db import migrations

MAX_TERM_LENGTH = 40


def _words(text, title):
    in_title = set(title.split())
    return {w: w in in_title for w in (*text.split(), *in_title) if 0 < len(w) <= MAX_TERM_LENGTH}


def _keys(term):
    keys = {term}
    if len(term) >= 2:
        keys.update(term[:i] + term[i + 1 :] for i in range(len(term)))
    return keys


def backfill(apps, schema_editor):
    Product = apps.get_model("market", "Product")
    ProductTerm = apps.get_model("market", "ProductTerm")
    SearchTerm = apps.get_model("market", "SearchTerm")
    SearchKey = apps.get_model("market", "SearchKey")
    counts = Counter()
    for text, title in Product.objects.values_list("search_text", "search_title").iterator():
        counts.update(_words(text, title).keys())
    if not counts:
        return
    known = set(SearchTerm.objects.values_list("term", flat=True))
    new = sorted(set(counts) - known)
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=w, length=len(w)) for w in new], ignore_conflicts=True, batch_size=500
    )
    ids = dict(SearchTerm.objects.values_list("term", "id"))
    SearchKey.objects.bulk_create(
        [SearchKey(key=k, term_id=ids[w]) for w in new for k in _keys(w)],
        ignore_conflicts=True,
        batch_size=1000,
    )
    ProductTerm.objects.all().delete()
    table = ProductTerm._meta.db_table
    rows = []
    with schema_editor.connection.cursor() as cursor:

        def flush():
            for start in range(0, len(rows), 300):
                chunk = rows[start : start + 300]
                cursor.execute(
                    f"INSERT INTO {table} (product_id, term_id, in_title) VALUES "  # noqa: S608
                    + ", ".join(["(%s, %s, %s)"] * len(chunk)),
                    [v for row in chunk for v in row],
                )
            rows.clear()

        for pk, text, title in Product.objects.values_list(
            "pk", "search_text", "search_title"
        ).iterator(chunk_size=5000):
            rows.extend((pk, ids[w], t) for w, t in _words(text, title).items())
            if len(rows) >= 50_000:
                flush()
        # Planner statistics: SQLite never collects them itself, and without them it
        # scans the products by status instead of starting from a word's postings.
        for model in (Product, ProductTerm, SearchTerm):
            cursor.execute(f"ANALYZE {schema_editor.quote_name(model._meta.db_table)}")
        flush()
        # Planner statistics: SQLite never collects them itself, and without them it
        # scans the products by status instead of starting from a word's postings.
        for model in (Product, ProductTerm, SearchTerm):
            cursor.execute(f"ANALYZE {schema_editor.quote_name(model._meta.db_table)}")
    for term, term_id in ids.items():
        SearchTerm.objects.filter(pk=term_id).update(df=counts.get(term, 0))


def clear(apps, schema_editor):
    apps.get_model("market", "ProductTerm").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("market", "0003_product_terms")]

    operations = [migrations.RunPython(backfill, clear)]
