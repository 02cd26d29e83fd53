"""Walk docs/deployment.md on this machine, from a fresh clone to a served page, as far as it goes without root.

Runs every ```sh walk block of the document, in order, in one bash session (``set -euo pipefail``), after writing
the settings file from the document's ```ini env-example block with what this machine has instead of the
examples: a database of its own on the local PostgreSQL, Redis, a local SMTP sink, a free port. The blocks that need
root (apt, systemd, nginx) are the document's plain ```sh blocks and are not run. Whatever the walk started is
stopped at the end, and its database dropped.

    .venv/bin/python scripts/deployment_walk.py [--source REPO] [--keep]

Environment: PG_HOST, PG_PORT, PG_USER (127.0.0.1, 5432, postgres), WALK_REDIS_URL (redis://127.0.0.1:6379/13).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "docs" / "deployment.md"
FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def blocks(text: str, info: str) -> list[str]:
    return [match["body"] for match in FENCE.finditer(text) if match["info"].strip() == info]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def settings_file(example: str, overrides: dict[str, str]) -> str:
    """The document's example settings with this machine's values; every key of the example stays."""
    lines = []
    for line in example.splitlines():
        key, sep, _ = line.partition("=")
        if sep and key in overrides:
            line = f"{key}={overrides.pop(key)}"
        elif sep and key in ("MAIL_USERNAME", "MAIL_PASSWORD"):
            line = f"{key}="  # the sink takes no login
        lines.append(line)
    lines += [f"{key}={value}" for key, value in overrides.items()]
    return "\n".join(lines) + "\n"


def psql(host: str, port: str, user: str, sql: str) -> None:
    subprocess.run(
        ["psql", "-h", host, "-p", port, "-U", user, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True
    )


def stop_started(home: Path) -> None:
    for name in ("gunicorn.pid", "celery-worker.pid"):
        pidfile = home / "instance" / name
        if pidfile.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=str(ROOT), help="the repository to clone (default: this one)")
    parser.add_argument("--keep", action="store_true", help="keep the clone and its database")
    options = parser.parse_args()

    from aiosmtpd.controller import Controller  # the dev tools' SMTP server stands in for the relay
    from aiosmtpd.handlers import Sink

    document = DOCUMENT.read_text("utf-8")
    walk = blocks(document, "sh walk")
    [example] = blocks(document, "ini env-example")
    host, port, user = (os.environ.get(name, default) for name, default in
                        (("PG_HOST", "127.0.0.1"), ("PG_PORT", "5432"), ("PG_USER", "postgres")))  # fmt: skip
    database = f"rueckkehr_walk_{int(time.time())}_{os.getpid()}"
    redis_url = os.environ.get("WALK_REDIS_URL", "redis://127.0.0.1:6379/13")
    workspace = Path(tempfile.mkdtemp(prefix="rueckkehr-walk-"))
    home, env_file = workspace / "srv" / "rueckkehr", workspace / "etc" / "rueckkehr" / "env"
    env_file.parent.mkdir(parents=True)
    smtp = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    bind = f"127.0.0.1:{free_port()}"
    env_file.write_text(
        settings_file(
            example,
            {
                "SECRET_KEY": secrets.token_hex(32),
                "DATABASE_URL": f"postgresql://{user}@{host}:{port}/{database}",
                "REDIS_URL": redis_url,
                "CELERY_BROKER_URL": redis_url,
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": str(smtp.port),
                "MAIL_USE_TLS": "false",
                "WEB_CONCURRENCY": "2",
                "GUNICORN_BIND": bind,
                "FLASK_CELERY_QUEUE": f'"walk-{database}"',
            },
        )
    )
    # The document's worker listens on the default queue; the walk's gets one of its own.
    script = "set -euo pipefail\n" + "\n".join(walk).replace("-Q rueckkehr", f"-Q walk-{database}")
    psql(host, port, user, f'CREATE DATABASE "{database}"')
    started = time.monotonic()
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "FLASK_"))}
    environment |= {"RK_SOURCE": options.source, "RK_HOME": str(home), "RK_ENV": str(env_file)}
    environment["PATH"] = os.pathsep.join(
        part for part in environment.get("PATH", "").split(os.pathsep) if not part.startswith(str(ROOT / ".venv"))
    )
    try:
        walked = subprocess.run(["bash", "-c", script], env=environment, check=False)
        seconds = time.monotonic() - started
    finally:
        stop_started(home)
        smtp.stop()
        if not options.keep:
            time.sleep(1)  # let gunicorn and the worker close their connections
            psql(host, port, user, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            shutil.rmtree(workspace, ignore_errors=True)
    if walked.returncode != 0:
        print(f"deployment walk FAILED after {seconds:.0f} s (exit {walked.returncode})", file=sys.stderr)
        return 1
    print(f"deployment walk: docs/deployment.md from a fresh clone to a served page in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
