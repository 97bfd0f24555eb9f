"""`coalition serve`: gunicorn (a production WSGI server), static files by whitenoise."""

import os
import subprocess
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication

from coalition.wsgi import application


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return application


class Command(BaseCommand):
    help = "Serve the web UI and the API with gunicorn."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")))
        parser.add_argument(
            "--task-workers",
            type=int,
            default=int(os.environ.get("TASK_WORKERS", "1")),
            help="background task workers (optimiser runs) started beside the web server; "
            "0 when they run elsewhere",
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, task_workers: int, **options: Any
    ) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        # The queue lives in the database, so these workers could as well run on other
        # machines (`coalition db_worker`); starting them here keeps `make run` one command.
        queue = [
            subprocess.Popen([sys.executable, "-m", "coalition", "db_worker", "--interval", "0.5"])
            for _ in range(task_workers)
        ]
        self.stdout.write(f"coalition is serving on http://{host}:{port}/  (Ctrl-C stops it)")
        self.stdout.flush()
        try:
            self._serve(host, port, workers)
        finally:
            for worker in queue:
                worker.terminate()

    def _serve(self, host: str, port: int, workers: int) -> None:
        _Gunicorn(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": 4,
                "accesslog": "-",
                "timeout": 120,
            }
        ).run()
