"""config.rows: model instances from a hand-written SELECT equal the ORM's."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from config.rows import column, instance_from_row, select_list, table
from consultations.models import Campaign
from consultations.services import campaign_create

pytestmark = pytest.mark.django_db

_ALL = "SELECT {} FROM {} c ORDER BY c.{}"
_TWO = "SELECT {}, {} FROM {table} a JOIN {table} b ON b.{id} = a.{id}"


def _read(fields=None):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            _ALL.format(
                select_list(Campaign, "c", fields), quote(Campaign._meta.db_table), quote("id")
            )
        )
        return [instance_from_row(Campaign, row, fields=fields) for row in cursor.fetchall()]


def test_every_field_reads_back_as_the_orm_reads_it():
    campaign_create(
        slug="spelen",
        title_nl="Spelen",
        languages=["nl", "fr"],
        starts_on=datetime.date(2027, 3, 1),
        results_expected_on=datetime.date(2027, 9, 1),
    )
    expected = Campaign.objects.get(slug="spelen")

    (found,) = _read()

    for field in Campaign._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert found.languages == ["nl", "fr"]  # JSON parsed, as by the ORM's converter
    assert found.starts_on == datetime.date(2027, 3, 1)  # a date, not text (SQLite)
    assert timezone.is_aware(found.created_at)
    assert found == expected
    assert found._state.db == "default" and not found._state.adding


def test_fields_not_named_are_deferred():
    campaign_create(slug="spelen", title_nl="Spelen", languages=["nl"])

    (found,) = _read(["id", "slug"])

    assert found.slug == "spelen"
    assert "title_nl" in found.get_deferred_fields()
    assert found.title_nl == "Spelen"  # loaded on first use, as with QuerySet.only


def test_a_row_holding_two_models_is_read_from_an_offset():
    campaign = campaign_create(slug="spelen", title_nl="Spelen", languages=["nl"])
    quote = connection.ops.quote_name
    table = quote(Campaign._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            _TWO.format(
                select_list(Campaign, "a", ["id"]),
                select_list(Campaign, "b"),
                table=table,
                id=quote("id"),
            )
        )
        row = cursor.fetchone()

    found = instance_from_row(Campaign, row, start=1)

    assert found == campaign
    assert found.languages == ["nl"]


def test_table_and_column_names_come_quoted_from_the_model():
    quote = connection.ops.quote_name
    assert table(Campaign) == quote(Campaign._meta.db_table)
    assert column(Campaign, "languages") == quote("languages")
    assert column(Campaign, "id") == quote("id")
