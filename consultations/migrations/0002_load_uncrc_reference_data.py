"""Load the UNCRC articles and the UN Committee's reporting clusters (CRC/C/58/Rev.3).

Reads consultations/data/crc_clusters.csv and crc_articles.csv. An article row is an article
("12"), a part of one (article "27", part "1-3" -> code "27(1-3)") or a range ("46-54"); its
secondary clusters are ";"-separated and often empty. Reversing removes exactly these rows.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def read_rows(name):
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return [
            {key: (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def article_code(article, part):
    return f"{article}({part})" if part else article


def load(apps, schema_editor):
    CrcCluster = apps.get_model("consultations", "CrcCluster")
    CrcArticle = apps.get_model("consultations", "CrcArticle")

    for row in read_rows("crc_clusters.csv"):
        CrcCluster.objects.update_or_create(
            code=row["cluster"],
            defaults={
                "order": int(row["order"]),
                "name_en": row["name_en"],
                "name_nl": row["name_nl"],
                "name_fr": row["name_fr"],
            },
        )

    for row in read_rows("crc_articles.csv"):
        article, _created = CrcArticle.objects.update_or_create(
            code=article_code(row["article"], row["part"]),
            defaults={
                # "46-54" is filed under its first article.
                "number": int(row["article"].split("-")[0]),
                "part": row["part"],
                "title_en": row["title_en"],
                "primary_cluster_id": row["primary_cluster"],
                "note": row["note"],
            },
        )
        secondary = [code.strip() for code in row["secondary_clusters"].split(";") if code.strip()]
        article.secondary_clusters.set(secondary)


def unload(apps, schema_editor):
    CrcCluster = apps.get_model("consultations", "CrcCluster")
    CrcArticle = apps.get_model("consultations", "CrcArticle")
    codes = [article_code(row["article"], row["part"]) for row in read_rows("crc_articles.csv")]
    CrcArticle.objects.filter(code__in=codes).delete()
    CrcCluster.objects.filter(
        code__in=[row["cluster"] for row in read_rows("crc_clusters.csv")]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
