"""python manage.py export <campaign-slug> --format docx|xlsx|csv: the export task's work, by hand.

Runs in this process, with a progress bar, and writes the file to --output (default: the
export's usual file name in the current directory). No Export row is stored: whoever runs the
command holds the server and its database. A file with raw responses (--raw, and every CSV) is
logged on the "inspraak.audit" logger.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from analysis.exports import (
    export_filename,
    log_raw_export_by_command,
    snapshots_refresh_for_export,
    write_docx,
    write_raw_responses_csv,
    write_xlsx,
)
from analysis.models import ExportFormat
from consultations.models import Campaign

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Export a campaign's end-report input (docx), workbook (xlsx) or raw responses (csv)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("campaign", help="The campaign's slug.")
        parser.add_argument(
            "--format", required=True, choices=ExportFormat.values, help="docx, xlsx or csv."
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=settings.LANGUAGE_CODES,
            help="Language of the headings (default: %(default)s).",
        )
        parser.add_argument("--output", help="Where to write the file.")
        parser.add_argument(
            "--raw",
            action="store_true",
            help="Add the anonymised raw responses (xlsx; a csv always holds them).",
        )

    def handle(self, *args, **options) -> None:
        campaign = Campaign.objects.filter(slug=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"There is no campaign '{options['campaign']}'.")
        format = options["format"]
        if options["raw"] and format == ExportFormat.DOCX:
            raise CommandError("--raw is for xlsx (a csv always holds the raw responses).")
        include_raw = options["raw"] or format == ExportFormat.CSV
        output = Path(
            options["output"]
            or export_filename(campaign=campaign, format=format, include_raw=include_raw)
        )
        if output.is_dir():
            output = output / export_filename(
                campaign=campaign, format=format, include_raw=include_raw
            )

        def progress(share: float) -> None:
            share = min(max(share, 0.0), 1.0)
            filled = int(BAR_WIDTH * share)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stdout.write(f"\r[{bar}] {int(100 * share):3d}%", ending="")
            self.stdout.flush()

        started = time.monotonic()
        partial = output.with_name(output.name + ".part")
        rows = None
        try:
            with partial.open("wb") as out:
                if format == ExportFormat.CSV:
                    rows = write_raw_responses_csv(campaign=campaign, out=out, progress=progress)
                else:
                    snapshots_refresh_for_export(
                        campaign=campaign, progress=lambda share: progress(0.1 * share)
                    )
                    rest = lambda share: progress(0.1 + 0.9 * share)  # noqa: E731
                    if format == ExportFormat.DOCX:
                        write_docx(
                            campaign=campaign,
                            out=out,
                            language=options["language"],
                            progress=rest,
                        )
                    else:
                        write_xlsx(
                            campaign=campaign,
                            out=out,
                            language=options["language"],
                            include_raw=include_raw,
                            progress=rest,
                        )
            os.replace(partial, output)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Could not write {output}: {error.strerror or error}") from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        progress(1.0)
        self.stdout.write("")
        if include_raw:
            log_raw_export_by_command(
                campaign=campaign, format=format, output=str(output), rows=rows or "-"
            )
        size = output.stat().st_size
        extra = f", {rows} responses" if rows is not None else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{campaign.slug}: {output} written ({size} bytes{extra}) in "
                f"{time.monotonic() - started:.2f} s."
            )
        )
