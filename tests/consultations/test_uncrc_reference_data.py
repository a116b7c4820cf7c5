"""Migration 0002 loads the UNCRC articles and the Committee's clusters from consultations/data."""

import csv
import importlib
from pathlib import Path

import pytest
from django.apps import apps

from consultations.models import CrcArticle, CrcCluster

DATA = Path(__file__).resolve().parents[2] / "consultations" / "data"
pytestmark = pytest.mark.django_db


def csv_rows(name: str) -> int:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def test_the_csv_files_hold_12_clusters_and_54_article_rows():
    assert csv_rows("crc_clusters.csv") == 12
    assert csv_rows("crc_articles.csv") == 54


def test_it_loads_every_cluster_and_every_article_row():
    assert CrcCluster.objects.count() == csv_rows("crc_clusters.csv") == 12
    assert CrcArticle.objects.count() == csv_rows("crc_articles.csv") == 54


def test_clusters_come_in_the_committees_order():
    assert list(CrcCluster.objects.values_list("code", flat=True)) == [
        "GMI", "DEF", "GP", "CRF", "VAC", "FEAC", "DBHW", "ELC", "SPM", "OPSC", "OPAC", "PROC",
    ]  # fmt: skip


def test_cluster_names_are_loaded_in_three_languages():
    cluster = CrcCluster.objects.get(code="DBHW")
    assert cluster.name_en == "Disability, basic health and welfare"
    assert cluster.name_nl == "Handicap, basisgezondheid en welzijn"
    assert cluster.name_fr == "Handicap, santé de base et bien-être"


def test_article_12_is_a_general_principle():
    article = CrcArticle.objects.get(code="12")
    assert article.primary_cluster_id == "GP"
    assert article.number == 12
    assert article.part == ""
    assert article.title_en == "Respect for the views of the child"
    assert not article.secondary_clusters.exists()


def test_a_part_of_an_article_gets_its_own_code_and_secondary_cluster():
    article = CrcArticle.objects.get(code="6(2)")
    assert (article.number, article.part, article.primary_cluster_id) == (6, "2", "GP")
    assert list(article.secondary_clusters.values_list("code", flat=True)) == ["DBHW"]
    assert str(article) == "Art. 6(2) Survival and development"


def test_a_range_of_parts_and_a_range_of_articles_are_coded_as_written():
    parts = CrcArticle.objects.get(code="27(1-3)")
    assert (parts.number, parts.part, parts.primary_cluster_id) == (27, "1-3", "DBHW")
    final_clauses = CrcArticle.objects.get(code="46-54")
    assert (final_clauses.number, final_clauses.part) == (46, "")
    assert final_clauses.primary_cluster_id == "PROC"


def test_articles_are_ordered_by_number_then_part():
    codes = list(CrcArticle.objects.filter(number__in=[24, 27, 28]).values_list("code", flat=True))
    assert codes == ["24", "24(3)", "27(1-3)", "27(4)", "28", "28(2)"]


def test_the_data_migration_can_be_reversed_and_applied_again():
    migration = importlib.import_module("consultations.migrations.0002_load_uncrc_reference_data")
    # The functions only use the ORM; the schema editor is not needed (and SQLite refuses one
    # inside the test's transaction).
    migration.unload(apps, None)
    assert (CrcCluster.objects.count(), CrcArticle.objects.count()) == (0, 0)
    migration.load(apps, None)
    assert (CrcCluster.objects.count(), CrcArticle.objects.count()) == (12, 54)
    assert CrcArticle.objects.get(code="33").secondary_clusters.get().code == "DBHW"
