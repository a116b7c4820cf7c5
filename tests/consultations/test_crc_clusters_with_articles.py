import pytest

from consultations.selectors import crc_clusters_with_articles

pytestmark = pytest.mark.django_db


def articles_of(cluster_code: str) -> list[tuple[str, bool]]:
    cluster = next(c for c in crc_clusters_with_articles() if c.code == cluster_code)
    return [(article.code, article.is_primary) for article in cluster.articles]


def test_clusters_come_in_the_committees_order_with_procedural_provisions_last():
    codes = [cluster.code for cluster in crc_clusters_with_articles()]
    assert codes[:3] == ["GMI", "DEF", "GP"]
    assert codes[-1] == "PROC"


def test_a_cluster_lists_its_own_articles_and_those_filed_there_too_in_article_order():
    assert articles_of("DBHW") == [
        ("6(2)", False),
        ("18(3)", True),
        ("23", True),
        ("24", True),
        ("24(3)", False),
        ("26", True),
        ("27(1-3)", True),
        ("33", False),
    ]


def test_it_reads_the_reference_data_in_a_fixed_number_of_queries(django_assert_num_queries):
    with django_assert_num_queries(3):
        clusters = crc_clusters_with_articles()
        sum(len(cluster.articles) for cluster in clusters)
