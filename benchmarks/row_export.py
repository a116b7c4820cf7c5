"""Row 4: CSV and XLSX exports of a campaign's raw responses against PostgreSQL's COPY of the
same rows; peak memory of each export in a fresh process, the large size against the small."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time

import psycopg

from benchmarks.context import Bench, size_label
from benchmarks.report import Line, missed_by, ratio_text, seconds_text
from consultations.models import AgeBand, MemberOrganisation
from surveys.models import Answer, Option, Question, Response, Survey

ROW = "4"
TITLE = "export"
TIME_LIMIT = 5.0
MEMORY_LIMIT = 1.5
CHILD_TIMEOUT = 20 * 60  # the Celery hard time limit of an export task
# Each export and its reference are measured this many times, alternated; a line keeps the best
# time of each (the least disturbed by the other work of a shared machine) and the highest peak
# memory.
REPEAT = 3

# The rows an export reads: every answer of the campaign's counted responses with the
# response's day, age band, language and organisation, in response order.
COPY_SQL = (
    "COPY (SELECT r.id, r.submitted_at::date, b.code, r.language, o.name, q.key, opt.value, "  # noqa: S608
    "a.rank, a.number_value, a.text_value "
    f"FROM {Response._meta.db_table} r "
    f"JOIN {Survey._meta.db_table} s ON s.id = r.survey_id "
    f"JOIN {AgeBand._meta.db_table} b ON b.id = r.age_band_id "
    f"LEFT JOIN {MemberOrganisation._meta.db_table} o ON o.id = r.organisation_id "
    f"JOIN {Answer._meta.db_table} a ON a.response_id = r.id "
    f"JOIN {Question._meta.db_table} q ON q.id = a.question_id "
    f"LEFT JOIN {Option._meta.db_table} opt ON opt.id = a.option_id "
    "WHERE s.campaign_id = {campaign} AND r.withdrawn_at IS NULL "
    'ORDER BY r.id, q."order", q.id, a.rank, a.id) TO STDOUT (FORMAT csv)'
)


def copy_seconds(bench: Bench, campaign_id: int, path) -> tuple[float, int]:
    with psycopg.connect(**bench.services.database_conninfo()) as conn, open(path, "wb") as out:
        started = time.perf_counter()
        with (
            conn.cursor() as cursor,
            cursor.copy(COPY_SQL.format(campaign=int(campaign_id))) as copy,
        ):
            for block in copy:
                out.write(block)
        seconds = time.perf_counter() - started
    return seconds, path.stat().st_size


def _columns(bench: Bench, size: int) -> int:
    """Columns of a raw row: those of the CSV export's header, or one per question."""
    try:
        with open(bench.workdir / f"export-{size}.csv", encoding="utf-8", newline="") as exported:
            return len(next(csv.reader(exported)))
    except (OSError, StopIteration):
        return bench.surveys[size].survey.questions.count()


def _counted_responses(campaign_id: int) -> int:
    return Response.objects.filter(
        survey__campaign_id=campaign_id, withdrawn_at__isnull=True
    ).count()


def export_in_child(bench: Bench, fmt: str, campaign_id: int, path) -> dict:
    try:
        completed = subprocess.run(  # noqa: S603 - our own interpreter and module
            [
                sys.executable, "-m", "benchmarks.export_child",
                "--format", fmt, "--campaign", str(campaign_id), "--out", str(path),
            ],
            env=bench.env(LOG_LEVEL="ERROR"),
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {CHILD_TIMEOUT // 60} minutes"}
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if not lines:
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-1:]
        return {"error": f"the export process exited with {completed.returncode}: {tail}"}
    return json.loads(lines[-1])


def measured(bench: Bench, fmt: str, size: int, campaign_id: int) -> tuple[float, int, dict]:
    """COPY and the export, alternated ``REPEAT`` times: the best COPY time with its bytes, and
    the export's outcome with its best time and its highest peak memory (or its error)."""
    copies: list[tuple[float, int]] = []
    outcomes: list[dict] = []
    for _ in range(REPEAT):
        copies.append(copy_seconds(bench, campaign_id, bench.workdir / f"copy-{size}.csv"))
        outcome = export_in_child(bench, fmt, campaign_id, bench.workdir / f"export-{size}.{fmt}")
        if "error" in outcome:
            return (*min(copies), outcome)
        outcomes.append(outcome)
    best = dict(min(outcomes, key=lambda outcome: outcome["seconds"]))
    best["peak_kb"] = max(outcome["peak_kb"] for outcome in outcomes)
    best["baseline_kb"] = max(outcome["baseline_kb"] for outcome in outcomes)
    best["times"] = [outcome["seconds"] for outcome in outcomes]
    best["copy_times"] = [seconds for seconds, _bytes in copies]
    return (*min(copies), best)


def run(bench: Bench) -> None:
    report = bench.report
    results: dict[tuple[str, int], dict] = {}
    for fmt in ("csv", "xlsx"):
        for size in bench.sizes:
            campaign_id = bench.surveys[size].campaign.pk
            reference, reference_bytes, outcome = measured(bench, fmt, size, campaign_id)
            outcome["copy_seconds"] = reference
            outcome["copy_bytes"] = reference_bytes
            results[fmt, size] = outcome
            what = f"{fmt.upper()} export of {size_label(size)} responses vs COPY"
            target = f"≤ {TIME_LIMIT:g}x COPY"
            if "error" in outcome:
                report.not_measured(ROW, what, target, outcome["error"])
                continue
            ratio = outcome["seconds"] / reference
            line = report.add(
                Line(
                    ROW,
                    what,
                    seconds_text(outcome["seconds"]),
                    seconds_text(reference),
                    ratio_text(ratio, TIME_LIMIT),
                    target,
                    passed=ratio <= TIME_LIMIT,
                )
            )
            report.note(
                ROW,
                f"{fmt.upper()} {size_label(size)}: {outcome['bytes'] / 1e6:.1f} MB written in "
                f"{outcome['seconds']:.2f} s; peak RSS {outcome['peak_kb'] / 1024:.0f} MiB, of "
                f"which {(outcome['peak_kb'] - outcome['baseline_kb']) / 1024:.0f} MiB above the "
                f"process before the call ({outcome['baseline_kb'] / 1024:.0f} MiB: Python, "
                f"Django, the renderer). COPY: {reference_bytes / 1e6:.1f} MB in "
                f"{reference:.2f} s. Times of the {REPEAT} runs: the export "
                f"{', '.join(f'{t:.2f}' for t in outcome['times'])} s, COPY "
                f"{', '.join(f'{t:.2f}' for t in outcome['copy_times'])} s."
                + ("" if line.passed else f" {missed_by(ratio, TIME_LIMIT)}."),
            )

    xlsx = [results["xlsx", size] for size in bench.sizes]
    if any("error" not in r and r["seconds"] / r["copy_seconds"] > TIME_LIMIT for r in xlsx):
        size = bench.sizes[1]
        counted = _counted_responses(bench.surveys[size].campaign.pk)
        cells = counted * _columns(bench, size)
        big = results["xlsx", size]
        report.note(
            ROW,
            f"Why, and what would close it: the {size_label(size)} workbook took "
            f"{big['seconds']:.1f} s for a raw sheet of about {cells / 1e6:.1f} million cells "
            f"({cells / big['seconds'] / 1000:.0f}k cells/s, the other sheets included): "
            "openpyxl's write-only mode builds each cell's XML in Python. The options: a writer "
            "with less work per cell (XlsxWriter's constant_memory mode, for example; not "
            "measured here), or the raw rows left to the CSV export and the workbook kept for "
            "the aggregates.",
        )

    small, large = bench.sizes
    for fmt in ("csv", "xlsx"):
        what = f"{fmt.upper()} export peak memory {size_label(large)} vs {size_label(small)}"
        target = f"≤ {MEMORY_LIMIT:g}x"
        big, little = results[fmt, large], results[fmt, small]
        if "error" in big or "error" in little:
            report.not_measured(ROW, what, target, (big.get("error") or little.get("error")))
            continue
        ratio = big["peak_kb"] / little["peak_kb"]
        line = report.add(
            Line(
                ROW,
                what,
                f"{big['peak_kb'] / 1024:.0f} MiB",
                f"{little['peak_kb'] / 1024:.0f} MiB",
                ratio_text(ratio, MEMORY_LIMIT),
                target,
                passed=ratio <= MEMORY_LIMIT,
            )
        )
        if not line.passed:
            report.note(ROW, f"{fmt.upper()} memory: {missed_by(ratio, MEMORY_LIMIT)}")
    report.note(
        ROW,
        f"Each export runs {REPEAT} times, each in a fresh process (`python -m "
        "benchmarks.export_child`, production settings), writing to a file, alternated with "
        "its reference; a line compares the best time of each, and memory is the highest peak "
        "of the runs. An export's time is the call of "
        "`analysis.exports.write_raw_responses_csv` or `write_xlsx(language='nl', "
        "include_raw=True)` only, its memory the process's peak resident size (VmHWM). The "
        "reference, run just before each: `COPY (SELECT every answer of the campaign's counted "
        "responses with the response's day, age band, language, organisation, the question key "
        "and option value, ORDER BY response) TO STDOUT (FORMAT csv)` through psycopg into a "
        "file — the rows the export has to read, unpivoted.",
    )
