"""What every row gets: the services, the sizes, the generated surveys, the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.datagen import BenchSurvey, Generated
from benchmarks.environment import Services, server_env
from benchmarks.report import Report

FULL_SIZES = (10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)


@dataclass
class Bench:
    services: Services
    workdir: Path  # logs and files of this run
    report: Report
    quick: bool
    surveys: dict[int, BenchSurvey] = field(default_factory=dict)  # by number of responses
    generated: dict[int, Generated] = field(default_factory=dict)

    @property
    def sizes(self) -> tuple[int, int]:
        return QUICK_SIZES if self.quick else FULL_SIZES

    @property
    def small(self) -> BenchSurvey:
        return self.surveys[self.sizes[0]]

    @property
    def large(self) -> BenchSurvey:
        return self.surveys[self.sizes[1]]

    def env(self, **overrides: str) -> dict[str, str]:
        return server_env(self.services, self.workdir, **overrides)

    def log(self, name: str) -> Path:
        return self.workdir / "logs" / f"{name}.log"


def size_label(count: int) -> str:
    return f"{count // 1000}k" if count >= 1000 and count % 1000 == 0 else str(count)
