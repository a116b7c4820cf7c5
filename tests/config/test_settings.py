"""Settings fail loudly and clearly; production settings pass the deploy check."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "t3st-Only-But-Long-And-Varied_Secret-Key-For-The-Deploy-Check-123456789",
    "ALLOWED_HOSTS": "inspraak.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://inspraak.example.org",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage("check", env={"DEBUG": "0", "ALLOWED_HOSTS": "inspraak.example.org"})

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_refuses_to_start_without_allowed_hosts_when_debug_is_off():
    env = dict(PRODUCTION_ENV, ALLOWED_HOSTS="")
    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_value_is_reported_clearly():
    result = run_manage("check", env={"DEBUG": "perhaps"})

    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def test_the_deploy_check_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
