"""The checks a reviewer would run by hand, run by the suite so CI holds them too."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=ROOT,
        env=dict(os.environ, DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ruff_finds_no_lint_problem():
    result = run(str(BIN / "ruff"), "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_formatted():
    result = run(str(BIN / "ruff"), "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    result = run(sys.executable, "manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_migrations_are_named():
    unnamed = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/migrations/0*.py")
        if "_auto_" in path.name
    ]
    assert not unnamed, f"name migrations with makemigrations --name: {unnamed}"
