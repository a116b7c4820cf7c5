"""python manage.py export <campaign-slug> --format docx|xlsx|csv: the export task's work by
hand, with a progress bar, written to --output; raw responses logged."""

from __future__ import annotations

import csv
import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from analysis.models import Export
from surveys.models import Response
from tests.analysis.test_exports import ExportScenario, build_export_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(settings, tmp_path) -> ExportScenario:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_export_scenario(count=25)


def run(*args: str) -> str:
    out = StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def test_it_writes_a_docx_with_a_progress_bar(scenario, tmp_path):
    target = tmp_path / "report.docx"

    output = run(
        scenario.campaign.slug, "--format", "docx", "--language", "en", "--output", str(target)
    )

    assert "[" + "#" * 30 + "] 100%" in output
    assert f"{target} written" in output
    document = Document(str(target))
    assert document.paragraphs[0].text == "Wellbeing at school"
    assert not (tmp_path / "report.docx.part").exists()
    assert not Export.objects.exists()  # by hand: no job row


def test_it_names_the_file_itself_in_a_directory(scenario, tmp_path):
    output = run(scenario.campaign.slug, "--format", "xlsx", "--output", str(tmp_path))

    expected = tmp_path / f"{scenario.campaign.slug}-results-{timezone.localdate()}.xlsx"
    assert str(expected) in output
    assert load_workbook(expected).sheetnames[-1] != "Raw responses"


def test_raw_responses_go_into_the_workbook_with_raw_and_are_logged(scenario, tmp_path, caplog):
    target = tmp_path / "raw.xlsx"

    with caplog.at_level(logging.INFO, logger="inspraak.audit"):
        run(
            scenario.campaign.slug, "--format", "xlsx", "--raw", "--language", "en",
            "--output", str(target),
        )  # fmt: skip

    assert "Raw responses" in load_workbook(target).sheetnames
    assert any("exported by command" in record.getMessage() for record in caplog.records)


def test_a_csv_counts_its_rows(scenario, tmp_path, caplog):
    target = tmp_path / "raw.csv"
    counted = Response.objects.filter(survey=scenario.survey, withdrawn_at__isnull=True).count()

    with caplog.at_level(logging.INFO, logger="inspraak.audit"):
        output = run(scenario.campaign.slug, "--format", "csv", "--output", str(target))

    assert f"{counted} responses" in output
    with target.open(encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == counted
    assert any(f"rows={counted}" in record.getMessage() for record in caplog.records)


def test_it_names_an_unknown_campaign(db):
    with pytest.raises(CommandError, match="no-such-campaign"):
        run("no-such-campaign", "--format", "docx")


def test_raw_responses_do_not_go_into_a_word_document(scenario, tmp_path):
    with pytest.raises(CommandError, match="--raw is for xlsx"):
        run(
            scenario.campaign.slug,
            "--format",
            "docx",
            "--raw",
            "--output",
            str(tmp_path / "x.docx"),
        )
    assert not (tmp_path / "x.docx").exists()


def test_an_unwritable_place_is_said_plainly_and_leaves_nothing(scenario, tmp_path):
    target = tmp_path / "missing" / "report.docx"

    with pytest.raises(CommandError, match="Could not write"):
        run(scenario.campaign.slug, "--format", "docx", "--output", str(target))
    assert not target.exists()


def test_a_bad_format_is_refused(scenario):
    with pytest.raises(CommandError):
        run(scenario.campaign.slug, "--format", "pdf")
