"""Where the benchmarks run: their own PostgreSQL database and Redis database, never the
developer's, and the machine they ran on (for RESULTS.md).

``DATABASE_URL`` and ``REDIS_URL`` name the servers only. Whatever database or Redis number they
carry, the benchmarks use the database ``inspraak_bench`` (dropped and created anew) and Redis
database 14 (the only one they flush); ``BENCH_DATABASE`` and ``BENCH_REDIS_DB`` choose others, so
that two runs on one machine keep apart.
"""

from __future__ import annotations

import os
import platform
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = os.environ.get("BENCH_DATABASE") or "inspraak_bench"
BENCH_REDIS_DB = int(os.environ.get("BENCH_REDIS_DB") or 14)
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/"
DEFAULT_REDIS_URL = f"redis://127.0.0.1:6379/{BENCH_REDIS_DB}"


class ServiceMissing(Exception):
    """A service the benchmarks need is not there: one line for the person running them."""


@dataclass(frozen=True)
class Services:
    database_url: str  # the bench database
    admin_conninfo: dict[str, str]  # the server's maintenance database, for DROP/CREATE
    redis_url: str  # the bench Redis database
    redis_host: str
    redis_port: int
    redis_password: str | None
    secret_key: str

    def database_conninfo(self) -> dict[str, str]:
        return {**self.admin_conninfo, "dbname": BENCH_DATABASE}


def _database_parts(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ServiceMissing(
            f"DATABASE_URL must name a PostgreSQL server (postgres://...), not {parts.scheme}://"
        )
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 5432
    credentials = ""
    conninfo = {"host": host, "port": str(port), "dbname": "postgres", "connect_timeout": "3"}
    if parts.username:
        credentials = parts.username
        conninfo["user"] = unquote(parts.username)
        if parts.password:
            credentials += f":{parts.password}"
            conninfo["password"] = unquote(parts.password)
        credentials += "@"
    return f"postgres://{credentials}{host}:{port}/{BENCH_DATABASE}", conninfo


def discover() -> Services:
    """The servers named by the environment, checked: raises ServiceMissing with one line."""
    import psycopg
    import redis

    database_url, admin = _database_parts(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    try:
        psycopg.connect(**admin, autocommit=True).close()
    except psycopg.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise ServiceMissing(
            f"PostgreSQL is not reachable at {admin['host']}:{admin['port']} ({first_line}); "
            "start it or set DATABASE_URL=postgres://user@host:port/"
        ) from None

    redis_parts = urlsplit(os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL)
    if redis_parts.scheme not in ("redis", "rediss"):
        raise ServiceMissing("REDIS_URL must name a Redis server (redis://host:port/)")
    host, port = redis_parts.hostname or "127.0.0.1", redis_parts.port or 6379
    password = unquote(redis_parts.password) if redis_parts.password else None
    auth = f":{redis_parts.password}@" if redis_parts.password else ""
    redis_url = f"{redis_parts.scheme}://{auth}{host}:{port}/{BENCH_REDIS_DB}"
    try:
        redis.Redis.from_url(redis_url, socket_timeout=3, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        raise ServiceMissing(
            f"Redis is not reachable at {host}:{port} ({error}); "
            "start it or set REDIS_URL=redis://host:port/"
        ) from None
    return Services(
        database_url=database_url,
        admin_conninfo=admin,
        redis_url=redis_url,
        redis_host=host,
        redis_port=port,
        redis_password=password,
        secret_key=secrets.token_urlsafe(50),
    )


def recreate_database(services: Services) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(**services.admin_conninfo, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [BENCH_DATABASE],
        )
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(BENCH_DATABASE)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DATABASE)))


def flush_bench_redis(services: Services) -> None:
    """Empty Redis database 14 (the benchmarks' own), nothing else."""
    import redis

    redis.Redis.from_url(services.redis_url, socket_timeout=5).flushdb()


def setup_django(services: Services) -> None:
    """Point this process at the bench database and Redis database, then start Django and
    migrate. This process runs as ``make bench`` runs it (DEBUG on, e-mail discarded); the
    servers it starts (gunicorn, Celery) run as in production (see ``server_env``)."""
    os.environ["DATABASE_URL"] = services.database_url
    os.environ["REDIS_URL"] = services.redis_url
    os.environ["DEBUG"] = "1"
    os.environ["EMAIL_URL"] = "dummymail://"
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.chdir(ROOT)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def server_env(services: Services, workdir: Path, **overrides: str) -> dict[str, str]:
    """The environment of a gunicorn or Celery process of the bench: production settings
    (DEBUG off, behind a TLS proxy), the bench database and Redis database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "PYTHONSTARTUP")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": services.database_url,
            "REDIS_URL": services.redis_url,
            "DEBUG": "0",
            "SECRET_KEY": services.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BEHIND_TLS_PROXY": "1",
            "STATIC_ROOT": str(workdir / "static"),
            "EMAIL_URL": "dummymail://",
            "LOG_LEVEL": "WARNING",
            "CELERY_BEAT_SCHEDULE_FILENAME": str(workdir / "celerybeat-schedule"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(overrides)
    return env


# --- The machine, for RESULTS.md ----------------------------------------------------------------


def _first(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine(services: Services) -> dict[str, str]:
    import django
    import psycopg
    import redis

    memory_kb = _first("/proc/meminfo", "MemTotal")
    memory = (
        f"{int(memory_kb.split()[0]) / 1024 / 1024:.1f} GiB"
        if memory_kb != "unknown"
        else "unknown"
    )
    with psycopg.connect(**services.database_conninfo()) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    redis_version = redis.Redis.from_url(services.redis_url).info("server")["redis_version"]
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607 - git from PATH, read only
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cores": str(os.cpu_count()),
        "memory": memory,
        "cpu": _first("/proc/cpuinfo", "model name"),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres.split()[0],
        "redis": redis_version,
        "commit": commit or "unknown",
    }


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"
