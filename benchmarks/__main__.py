"""``python -m benchmarks [--quick] [--only ROW[,ROW]]``: the rows of DESIGN §8, printed as they
are measured; a full run writes benchmarks/RESULTS.md. Exit status: 0 every line passes, 1 some
line fails, 2 a service is missing."""

from __future__ import annotations

import argparse
import datetime
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from benchmarks import environment
from benchmarks.report import RESULTS, Report

# Row number → module; run in this order (cheap and data-free first, the processes last).
ORDER = ["1", "7", "3", "4", "2", "5", "6"]
MODULES = {
    "1": "benchmarks.row_queries",
    "2": "benchmarks.row_burst",
    "3": "benchmarks.row_aggregation",
    "4": "benchmarks.row_export",
    "5": "benchmarks.row_seats",
    "6": "benchmarks.row_lost_work",
    "7": "benchmarks.row_page_weight",
}
NEEDS_RESPONSES = {"3", "4", "6"}  # the generated small and large surveys with responses
NEEDS_SURVEY = {"7"}  # the small survey, answers not needed


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smaller sizes (1k and 10k responses) and shorter bursts, for development",
    )
    parser.add_argument(
        "--only",
        default="",
        help="run only these rows of DESIGN §8, e.g. --only 3 or --only 1,7",
    )
    args = parser.parse_args(argv)
    only = [row.strip() for row in args.only.split(",") if row.strip()]
    unknown = [row for row in only if row not in MODULES]
    if unknown:
        parser.error(f"unknown row {', '.join(unknown)}; rows are {', '.join(ORDER)}")
    args.rows = [row for row in ORDER if not only or row in only]
    return args


def _generate(bench, rows: list[str]) -> None:
    from benchmarks import datagen

    wanted = set(rows)
    if not wanted & (NEEDS_RESPONSES | NEEDS_SURVEY):
        return
    print("data: the 20-question survey, in a campaign per size", flush=True)
    for size in bench.sizes:
        bench.surveys[size] = datagen.make_survey(f"bench-{size}")
    if not wanted & NEEDS_RESPONSES:
        return
    for seed, size in enumerate(bench.sizes, start=1):
        generated = datagen.generate_responses(bench.surveys[size], size, seed=seed)
        bench.generated[size] = generated
        print(
            f"data: {generated.responses} responses ({generated.withdrawn} withdrawn), "
            f"{generated.answers} answer rows in {generated.seconds:.1f} s "
            f"({generated.answers / generated.responses:.1f} per response)",
            flush=True,
        )
    behind = datagen.sequences_ok()
    if behind:
        raise RuntimeError(f"id sequences behind their tables: {behind}")


def main(argv: list[str] | None = None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    try:
        services = environment.discover()
    except environment.ServiceMissing as missing:
        print(f"benchmarks: {missing}", file=sys.stderr)
        return 2

    started_at = datetime.datetime.now().astimezone()
    started = time.monotonic()
    load_start = environment.load_average()
    workdir = Path(tempfile.mkdtemp(prefix="inspraak-bench-"))
    (workdir / "static").mkdir()  # STATIC_ROOT of the servers (nothing collected)
    print(
        f"benchmarks: database {environment.BENCH_DATABASE} (dropped and created), Redis "
        f"database {environment.BENCH_REDIS_DB} (flushed); logs in {workdir}",
        flush=True,
    )
    environment.recreate_database(services)
    environment.flush_bench_redis(services)
    environment.setup_django(services)
    machine = environment.machine(services)

    import importlib

    from benchmarks.context import Bench

    report = Report()
    bench = Bench(services=services, workdir=workdir, report=report, quick=args.quick)
    generated_data = False
    for row in args.rows:
        module = importlib.import_module(MODULES[row])
        report.titles[row] = module.TITLE
        if not generated_data and row in NEEDS_RESPONSES | NEEDS_SURVEY:
            _generate(bench, args.rows)
            generated_data = True
        print(f"\n[{row}] {module.TITLE}", flush=True)
        row_started = time.monotonic()
        try:
            module.run(bench)
        except Exception as error:  # one broken row must not hide the others
            traceback.print_exc()
            report.not_measured(row, module.TITLE, "—", f"{type(error).__name__}: {error}")
        print(f"    ({time.monotonic() - row_started:.0f} s)", flush=True)

    seconds = time.monotonic() - started
    environment.flush_bench_redis(services)
    for path in workdir.glob("export-*"):
        path.unlink()
    for path in workdir.glob("copy-*"):
        path.unlink()
    print("\n" + report.console_table())
    full_run = not args.quick and args.rows == ORDER
    options = " ".join(
        part
        for part in (["--quick"] if args.quick else [])
        + ([f"--only {','.join(args.rows)}"] if args.rows != ORDER else [])
    )
    path = report.write(
        started=started_at,
        seconds=seconds,
        machine=machine,
        load=(load_start, environment.load_average()),
        options=options,
        data=_data_note(bench),
        path=RESULTS if full_run else workdir / "RESULTS.md",
    )
    print(
        f"\n{len(report.lines) - report.failures} of {len(report.lines)} lines pass; "
        f"{seconds / 60:.1f} minutes; results in {path}"
        + ("" if full_run else " (a partial run does not replace benchmarks/RESULTS.md)"),
        flush=True,
    )
    shutil.rmtree(workdir / "static", ignore_errors=True)
    return 1 if report.failures else 0


def _data_note(bench) -> str:
    if not bench.generated:
        return ""
    parts = [
        f"{g.responses} responses ({g.withdrawn} withdrawn, {g.answers} answer rows, "
        f"{g.answers / g.responses:.1f} per response) in {g.seconds:.1f} s"
        for g in bench.generated.values()
    ]
    return (
        "20-question survey (6 single, 3 multiple, 4 scale, 2 number, 2 ranking, 3 text), "
        "4 age bands, 5 organisations with 2 invite links each (75% of responses through one), "
        "3 languages, 2% withdrawn; a campaign per size; made with COPY: " + "; ".join(parts)
    )


if __name__ == "__main__":
    sys.exit(main())
