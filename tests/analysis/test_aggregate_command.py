"""python manage.py aggregate <survey-slug> refreshes the snapshot and shows its progress."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from analysis.models import ResultSnapshot

pytestmark = pytest.mark.django_db


def test_it_computes_the_snapshot_with_a_progress_bar(seed_responses):
    seeded = seed_responses(count=12, withdraw_share=0)
    out = StringIO()
    call_command("aggregate", seeded.survey.slug, stdout=out)
    output = out.getvalue()
    assert "100%" in output and "[" + "#" * 30 + "]" in output
    assert "12 responses" in output
    assert ResultSnapshot.objects.get(survey=seeded.survey).response_count == 12


def test_it_names_an_unknown_survey():
    with pytest.raises(CommandError, match="no-such-survey"):
        call_command("aggregate", "no-such-survey", stdout=StringIO())


def test_it_says_so_when_a_refresh_is_already_running(survey):
    cache.add(f"analysis:refresh-lock:{survey.pk}", "worker", timeout=60)
    with pytest.raises(CommandError, match="right now"):
        call_command("aggregate", survey.slug, stdout=StringIO())
