"""A real Casebridge server for the browser tests: fresh database, gunicorn, production settings."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parents[2]
BUILT_CSS = ROOT / "casebridge" / "static" / "dist" / "casebridge.css"
START_TIMEOUT = 30.0


def require_built_assets() -> None:
    if not BUILT_CSS.exists():
        raise RuntimeError(
            f"{BUILT_CSS.relative_to(ROOT)} is missing: build the front-end assets first with "
            "`npm run build` (the Makefile's test target does this)."
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def fresh_database(tmp_dir: Path) -> Iterator[str]:
    """A new, empty database URL: a temporary SQLite file, or a separate PostgreSQL database.

    Audit triggers refuse DELETE and TRUNCATE, so the database is dropped afterwards, never flushed.
    """
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_dir / 'browser.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    settings = dj_database_url.parse(configured)
    suffix = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"test_{settings['NAME']}_browser{suffix}"
    admin = psycopg.connect(
        dbname="postgres",
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        autocommit=True,
    )

    def drop() -> None:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    with admin:
        drop()
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield configured.rsplit("/", 1)[0].split("?")[0] + f"/{name}"
        finally:
            drop()


def server_env(database_url: str, tmp_dir: Path, *, require_mfa: bool = False) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="casebridge.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="browser-tests-only-secret-key-not-for-production",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="0",
        REQUIRE_MFA="1" if require_mfa else "0",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_dir / "mail"),
        STATIC_ROOT=str(tmp_dir / "static"),
        VAR_DIR=str(tmp_dir / "var"),
        PYTHONUNBUFFERED="1",
    )
    return env


def start_manage(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> None:
    output, _ = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, process.args))} failed:\n{output}")


@contextlib.contextmanager
def prepared_database(tmp_dir: Path) -> Iterator[str]:
    """Yields the URL of a migrated, seeded database (static files collected too); drops it after."""
    require_built_assets()
    with fresh_database(tmp_dir) as database_url:
        env = server_env(database_url, tmp_dir)
        # collectstatic does not touch the database: it runs while the database is prepared.
        collectstatic = start_manage(env, "collectstatic", "--noinput")
        try:
            finish(start_manage(env, "migrate", "--noinput"))
            finish(start_manage(env, "seed_demo"))
        finally:
            finish(collectstatic)
        yield database_url


@contextlib.contextmanager
def running_server(database_url: str, tmp_dir: Path, *, require_mfa: bool = False) -> Iterator[str]:
    """Yields the base URL of gunicorn serving the prepared database; stops it after.

    Several servers may share one prepared database (and its collected static files):
    starting gunicorn takes about a second, preparing a database several.
    """
    env = server_env(database_url, tmp_dir, require_mfa=require_mfa)
    port = free_port()
    log_path = tmp_dir / f"gunicorn-{port}.log"
    log = log_path.open("w")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "casebridge.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, process, log_path)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_until_up(base_url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/account/sign-in/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT:.0f} seconds:\n{log_path.read_text()}")


@contextlib.contextmanager
def running_worker(database_url: str, tmp_dir: Path) -> Iterator[None]:
    """Runs the django-tasks database worker, as production does, so background jobs really run."""
    env = server_env(database_url, tmp_dir)
    log_path = tmp_dir / "worker.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.5", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(0.5)
        if process.poll() is not None:
            raise RuntimeError(f"the task worker exited with {process.returncode}:\n{log_path.read_text()}")
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
