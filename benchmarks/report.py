"""Result lines: printed as each is measured, then written to RESULTS.md with the machine."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


@dataclass
class Line:
    """One measured line of a DESIGN §8 row: figure, reference of the same run, their ratio."""

    row: str  # "1", "2", ... the row of DESIGN §8
    what: str
    measured: str
    reference: str
    ratio: str
    target: str
    passed: bool

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "FAIL"

    def cells(self) -> list[str]:
        return [
            self.row,
            self.what,
            self.measured,
            self.reference,
            self.ratio,
            self.target,
            self.verdict,
        ]


HEADER = ["row", "what", "measured", "reference", "ratio", "target", "result"]


@dataclass
class Report:
    lines: list[Line] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)  # row → notes
    titles: dict[str, str] = field(default_factory=dict)  # row → name

    def add(self, line: Line) -> Line:
        self.lines.append(line)
        print(
            f"  {line.verdict}  {line.what}: {line.measured} vs {line.reference} "
            f"(ratio {line.ratio}; target {line.target})",
            flush=True,
        )
        return line

    def not_measured(self, row: str, what: str, target: str, reason: str) -> Line:
        return self.add(Line(row, what, f"not measured: {reason}", "—", "—", target, passed=False))

    def note(self, row: str, text: str) -> None:
        self.notes.setdefault(row, []).append(text)
        print(f"    · {text}", flush=True)

    @property
    def failures(self) -> int:
        return sum(not line.passed for line in self.lines)

    def table(self) -> str:
        cells = [HEADER, ["---"] * len(HEADER), *(line.cells() for line in self.ordered())]
        return "\n".join(
            "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in cells
        )

    def console_table(self, width: int = 48) -> str:
        rows = [HEADER, *(line.cells() for line in self.ordered())]
        widths = [min(max(len(row[i]) for row in rows), width) for i in range(len(HEADER))]
        out = []
        for number, row in enumerate(rows):
            out.append(
                "  ".join(
                    cell[:width].ljust(size) for cell, size in zip(row, widths, strict=True)
                ).rstrip()
            )
            if number == 0:
                out.append("  ".join("-" * size for size in widths))
        return "\n".join(out)

    def ordered(self) -> list[Line]:
        return sorted(self.lines, key=lambda line: int(line.row) if line.row.isdigit() else 99)

    def write(
        self,
        *,
        started: datetime.datetime,
        seconds: float,
        machine: dict[str, str],
        load: tuple[str, str],
        options: str,
        data: str = "",
        path: Path = RESULTS,
    ) -> Path:
        passed = len(self.lines) - self.failures
        parts = [
            "# Benchmark results (DESIGN §8)",
            "",
            "Written by `make bench` (`python -m benchmarks"
            + (f" {options}" if options else "")
            + "`); do not edit by hand. Every performance figure is a ratio against a reference "
            "measured in the same run on the same machine. How to run and what each row means: "
            "[README.md](README.md).",
            "",
            f"- date: {started:%Y-%m-%d %H:%M %Z} ({seconds / 60:.1f} minutes)",
            f"- machine: {machine['cores']} cores, {machine['memory']} memory, {machine['cpu']}, "
            f"{machine['os']}",
            f"- software: PostgreSQL {machine['postgresql']}, Redis {machine['redis']}, "
            f"Python {machine['python']}, Django {machine['django']}",
            f"- code: `{machine['commit']}`",
            f"- load average (1/5/15 min) at start: {load[0]}; at end: {load[1]}",
            f"- result: {passed} of {len(self.lines)} lines pass",
            *([f"- data: {data}"] if data else []),
            "",
            self.table(),
            "",
            "## Notes per row",
            "",
        ]
        for row, title in sorted(self.titles.items(), key=lambda item: int(item[0])):
            parts.append(f"### {row}. {title}")
            parts.append("")
            parts.extend(f"- {text}" for text in self.notes.get(row, ["(no notes)"]))
            parts.append("")
        path.write_text("\n".join(parts))
        return path


def seconds_text(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def _fixed(value: float, limit: float | None = None) -> str:
    """``value`` with two decimals, or with as many more (up to four) as it takes not to read as
    ``limit`` when it is not: 0.4993 against a limit of 0.5 is "0.499", not "0.50"."""
    text = f"{value:.2f}"
    for places in (3, 4):
        if limit is None or value == limit or float(text) != limit:
            break
        text = f"{value:.{places}f}"
    return text


def ratio_text(value: float, limit: float | None = None) -> str:
    return f"{_fixed(value, limit)}x"


def _over(factor: float) -> str:
    return f"{(factor - 1) * 100:.1f}% over" if factor < 1.1 else f"{factor:.1f}x over"


def missed_by(value: float, limit: float, *, at_least: bool = False) -> str:
    """How far a figure is from its target, for the notes of a failed line."""
    shown = _fixed(value, limit)
    if at_least:
        short = (1 - value / limit) * 100
        return f"target missed: {shown} where at least {limit:g} is wanted ({short:.1f}% short)"
    return f"target missed: {shown} where at most {limit:g} is wanted ({_over(value / limit)})"
