"""python manage.py aggregate <survey-slug>: recompute a survey's result snapshot now."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from analysis.services import RefreshAlreadyRunning, survey_results_refresh
from surveys.models import Survey

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Recompute the result snapshot of a survey, with a progress bar."

    def add_arguments(self, parser) -> None:
        parser.add_argument("survey", help="The survey's slug.")

    def handle(self, *args, **options) -> None:
        survey = Survey.objects.select_related("campaign").filter(slug=options["survey"]).first()
        if survey is None:
            raise CommandError(f"There is no survey '{options['survey']}'.")

        def progress(done: int, total: int) -> None:
            filled = BAR_WIDTH * done // total
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stdout.write(f"\r[{bar}] {100 * done // total:3d}%", ending="")
            self.stdout.flush()

        try:
            snapshot = survey_results_refresh(survey=survey, progress=progress)
        except RefreshAlreadyRunning as error:
            raise CommandError(error.message) from None
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{survey.slug}: {snapshot.response_count} responses aggregated in "
                f"{snapshot.duration.total_seconds():.2f} s."
            )
        )
