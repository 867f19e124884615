"""Seed the category tree of agricultural and craft goods."""

from django.db import migrations

from htxso.core.text import fold


def seed(apps, schema_editor):
    from htxso.market.data.categories import CATEGORIES

    Category = apps.get_model("market", "Category")
    for i, (slug, name, name_en, perishable, children) in enumerate(CATEGORIES):
        parent, _ = Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "position": i * 10,
                "perishable": perishable,
                "parent": None,
                "search_text": fold(f"{name} {name_en}"),
            },
        )
        for j, (cslug, cname, cname_en, cperishable) in enumerate(children):
            Category.objects.update_or_create(
                slug=cslug,
                defaults={
                    "name": cname,
                    "name_en": cname_en,
                    "position": j * 10,
                    "perishable": cperishable,
                    "parent": parent,
                    "search_text": fold(f"{cname} {cname_en} {name}"),
                },
            )


def unseed(apps, schema_editor):
    from htxso.market.data.categories import CATEGORIES

    Category = apps.get_model("market", "Category")
    slugs = [c[0] for p in CATEGORIES for c in p[4]]
    Category.objects.filter(slug__in=slugs, products__isnull=True).delete()
    Category.objects.filter(
        slug__in=[p[0] for p in CATEGORIES], children__isnull=True, products__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("market", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
